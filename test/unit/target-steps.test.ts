// The first steps of setup, revoke and ci github: when the flags name the resource, the sign-in step starts
// every lookup of the first wave before it waits for any answer (each az call is a Python start-up, about a
// second), and the later steps take the answers from the wave instead of asking az again.
// A tiny local fake Az stands in for az here: it answers with the ids of the tests' pretend Azure
// (test/support/world.mjs) and records each call. (The in-process tier's table-driven fake runner, once it
// exists, is the better home for step tests that go through az's JSON.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Az, CognitiveAccount, SignedInPrincipal } from '../../src/az/az.ts';
import type { Output } from '../../src/output/human.ts';
import { createNonInteractivePrompter } from '../../src/prompts/prompter.ts';
import { runSteps, startRun } from '../../src/steps/pipeline.ts';
import { parseTargetFlags, targetSteps, type TargetContext, type TargetState } from '../../src/steps/target.ts';
import { IDS } from '../support/world.mjs';

const ACCOUNT_ID = `/subscriptions/${IDS.subscription}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;

const SIGNED_IN: SignedInPrincipal = {
  claims: {
    objectId: IDS.userObjectId,
    tenantId: IDS.tenant,
    name: 'alice@contoso.com',
    appId: undefined,
    audience: 'https://management.core.windows.net/',
    expiresAt: undefined,
    principalType: 'User',
    managedIdentityResourceId: undefined,
  },
  subscriptionId: IDS.subscription,
  tenantId: IDS.tenant,
};

const ACCOUNT: CognitiveAccount = {
  id: ACCOUNT_ID,
  name: 'contoso-aoai',
  resourceGroup: 'rg-aoai',
  subscriptionId: IDS.subscription,
  kind: 'OpenAI',
  location: 'eastus',
  endpoint: 'https://contoso-aoai.openai.azure.com/',
  endpoints: {},
  customSubDomainName: 'contoso-aoai',
  disableLocalAuth: undefined,
  publicNetworkAccess: 'Enabled',
  networkDefaultAction: undefined,
  provisioningState: 'Succeeded',
};

/** An Az that records its calls; the token answers only after a tick, as a process would. */
function fakeAz(): { az: Az; calls: string[]; calledBeforeTheToken: string[] } {
  const calls: string[] = [];
  const seen = { calledBeforeTheToken: [] as string[] };
  const later = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)));
  const az = {
    getAccessToken: () => {
      calls.push('getAccessToken');
      return later(SIGNED_IN).then((v) => {
        seen.calledBeforeTheToken = [...calls];
        return v;
      });
    },
    cognitiveAccountShow: () => {
      calls.push('cognitiveAccountShow');
      return later(ACCOUNT);
    },
    deploymentList: () => {
      calls.push('deploymentList');
      return later([]);
    },
    rest: () => {
      calls.push('rest');
      return later({ value: [] });
    },
  };
  return {
    az: az as unknown as Az,
    calls,
    get calledBeforeTheToken() {
      return seen.calledBeforeTheToken;
    },
  };
}

/** Output that prints nothing and runs each task. */
const quiet = new Proxy({} as Output, {
  get: (_t, key) => (key === 'task' ? (_text: string, work: () => Promise<unknown>) => work() : () => undefined),
});

function context(az: Az, resource: string): TargetContext {
  return {
    out: quiet,
    // No az profile: the subscription's name is unknown, and nothing is read from the user's own.
    env: { AZURE_CONFIG_DIR: join(tmpdir(), `aoai-keyless-no-profile-${process.pid}`) },
    interactive: false,
    prompter: createNonInteractivePrompter(),
    az,
    flags: parseTargetFlags({ resource }),
    dotenv: {},
  };
}

test('a resource id: the token, the account, its deployments and the permissions are asked for together', async () => {
  const fake = fakeAz();
  const run = await runSteps(
    context(fake.az, ACCOUNT_ID),
    targetSteps({ withDeployments: true, roleScope: 'resource' }),
    startRun<TargetState>({}),
    { dryRun: false, now: () => 0 },
  );
  assert.deepEqual(fake.calledBeforeTheToken.sort(), [
    'cognitiveAccountShow',
    'deploymentList',
    'getAccessToken',
    'rest',
  ]);
  // The steps after the sign-in took the answers from the wave: no second lookup.
  assert.deepEqual(fake.calls.sort(), ['cognitiveAccountShow', 'deploymentList', 'getAccessToken', 'rest']);
  assert.deepEqual(run.state.subscription, { id: IDS.subscription, name: null, tenantId: IDS.tenant });
  assert.equal(run.state.account?.id, ACCOUNT_ID);
  assert.equal(run.state.endpoint, 'https://contoso-aoai.openai.azure.com/');
  assert.equal(run.state.me?.objectId, IDS.userObjectId);
  assert.deepEqual(
    run.steps.map((s) => [s.id, s.status]),
    [
      ['sign-in', 'done'],
      ['subscription', 'done'],
      ['resource', 'done'],
    ],
  );
});

test('revoke lists no deployments: its wave is the token, the account and nothing it does not use', async () => {
  const fake = fakeAz();
  await runSteps(context(fake.az, ACCOUNT_ID), targetSteps({ withDeployments: false }), startRun<TargetState>({}), {
    dryRun: false,
    now: () => 0,
  });
  assert.deepEqual(fake.calls.sort(), ['cognitiveAccountShow', 'getAccessToken']);
});
