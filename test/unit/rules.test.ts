import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseAccountRef,
  checkResourceGroup,
  checkDeploymentName,
  checkSubscription,
  checkObjectId,
  parseAssigneeType,
} from '../../src/azure/names.ts';
import {
  parseRole,
  parseScopeLevel,
  scopeFor,
  scopeIncludes,
  OPENAI_USER,
  OPENAI_CONTRIBUTOR,
  AZURE_AI_USER,
} from '../../src/azure/roles.ts';
import { hasCustomSubdomain, isChatDeployment, openAIEndpoint } from '../../src/azure/openai-account.ts';
import { accountReadiness, blockedText } from '../../src/azure/account-readiness.ts';
import { chooseAccount } from '../../src/steps/resource.ts';
import { createNonInteractivePrompter, type Prompter, type SelectQuestion } from '../../src/prompts/prompter.ts';
import { AzureError } from '../../src/errors.ts';
import type { CognitiveAccount } from '../../src/az/az.ts';
import type { Output } from '../../src/output/human.ts';
import { parseDuration } from '../../src/duration.ts';
import { tokenScope } from '../../src/entra/clouds.ts';
import { UsageError } from '../../src/errors.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const ID = `/subscriptions/${SUB}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;

test('names Azure does not allow are usage errors, before any az call', () => {
  for (const bad of ['has space', "quo'te", 'semi;colon', '$(whoami)', '`id`', 'new\nline']) {
    assert.throws(() => parseAccountRef(bad), UsageError, bad);
    assert.throws(() => checkResourceGroup(bad), UsageError, bad);
    assert.throws(() => checkDeploymentName(bad), UsageError, bad);
  }
  assert.throws(() => checkSubscription('$(rm -rf /)'), UsageError);
  assert.throws(() => parseAccountRef('/subscriptions/x/resourceGroups/rg'), UsageError);
  assert.throws(() => checkObjectId('alice@contoso.com'), UsageError);
  assert.throws(() => parseAssigneeType('Robot'), UsageError);
});

test('good names pass', () => {
  assert.deepEqual(parseAccountRef(ID), {
    kind: 'id',
    id: ID,
    subscriptionId: SUB,
    resourceGroup: 'rg-aoai',
    name: 'contoso-aoai',
  });
  assert.deepEqual(parseAccountRef('contoso-aoai'), { kind: 'name', name: 'contoso-aoai' });
  assert.equal(checkResourceGroup('My_RG.(1)'), 'My_RG.(1)');
  assert.equal(checkSubscription('Contoso Dev'), 'Contoso Dev');
  assert.equal(checkSubscription(SUB.toUpperCase()), SUB);
  assert.equal(parseAssigneeType('serviceprincipal'), 'ServicePrincipal');
});

test('roles and scopes', () => {
  assert.equal(parseRole(undefined), undefined, 'no --role: the model decides');
  assert.deepEqual(parseRole('cognitive services openai contributor'), {
    name: OPENAI_CONTRIBUTOR.name,
    id: OPENAI_CONTRIBUTOR.id,
  });
  assert.deepEqual(parseRole('5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'), { name: OPENAI_USER.name, id: OPENAI_USER.id });
  assert.equal(parseRole('Foundry User')?.id, AZURE_AI_USER.id, 'the 2026 name of Azure AI User, same GUID');
  assert.equal(parseRole('0a000000-0000-4000-8000-000000000000')?.id, '0a000000-0000-4000-8000-000000000000');
  assert.throws(() => parseRole('Owner'), UsageError);
  assert.throws(() => parseScopeLevel('tenant'), UsageError);
  const account = { id: ID, subscriptionId: SUB, resourceGroup: 'rg-aoai' };
  assert.equal(scopeFor('resource', account), ID);
  assert.equal(scopeFor('resource-group', account), `/subscriptions/${SUB}/resourceGroups/rg-aoai`);
  assert.equal(scopeFor('subscription', account), `/subscriptions/${SUB}`);
  assert.ok(scopeIncludes(`/subscriptions/${SUB}/resourceGroups/RG-AOAI`, ID));
  assert.ok(!scopeIncludes(`/subscriptions/${SUB}/resourceGroups/rg-ao`, ID));
});

test('account rules: custom subdomain, the OpenAI endpoint of an AIServices account', () => {
  assert.ok(
    hasCustomSubdomain({ customSubDomainName: 'contoso-aoai', endpoint: 'https://contoso-aoai.openai.azure.com/' }),
  );
  assert.ok(
    !hasCustomSubdomain({ customSubDomainName: undefined, endpoint: 'https://eastus.api.cognitive.microsoft.com/' }),
  );
  assert.equal(
    openAIEndpoint({
      kind: 'AIServices',
      endpoint: 'https://x.cognitiveservices.azure.com/',
      endpoints: { 'OpenAI Language Model Instance API': 'https://x.openai.azure.com/' },
      customSubDomainName: 'x',
    }),
    'https://x.openai.azure.com/',
  );
});

test('chat deployments, whatever the model format: by capability, else by model family', () => {
  const table: Array<[Record<string, string>, string, boolean]> = [
    [{ chatCompletion: 'true' }, 'gpt-4o-mini', true],
    [{ chatCompletion: 'true' }, 'DeepSeek-R1', true],
    [{ embeddings: 'true' }, 'text-embedding-3-small', false],
    // ansible azure.azcollection azure_rm_cognitiveservicesmodel_info sample
    [{ imageGenerations: 'true', inference: 'true' }, 'dall-e-3', false],
    [{ realtime: 'true', audio: 'true', inference: 'true' }, 'gpt-realtime', false],
    [{}, 'whisper', false],
    [{}, 'Cohere-embed-v3-english', false],
    [{}, 'o3-mini', true],
    // Partner models with few flags: chat unless the family says otherwise.
    [{}, 'Llama-3.3-70B-Instruct', true],
    [{}, 'Mistral-Large-2411', true],
    [{}, 'grok-3', true],
    [{ chatCompletion: 'false', completion: 'true' }, 'gpt-35-turbo-instruct', false],
  ];
  for (const [capabilities, model, chat] of table)
    assert.equal(isChatDeployment({ capabilities, model }), chat, `${model} ${JSON.stringify(capabilities)}`);
});

const account = (over: Partial<CognitiveAccount> = {}): CognitiveAccount => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a',
  name: 'a',
  resourceGroup: 'rg',
  subscriptionId: 's',
  kind: 'AIServices',
  location: 'eastus',
  endpoint: 'https://a.cognitiveservices.azure.com/',
  endpoints: {},
  customSubDomainName: 'a',
  disableLocalAuth: true,
  publicNetworkAccess: 'Enabled',
  networkDefaultAction: undefined,
  provisioningState: 'Succeeded',
  ...over,
});

test('account readiness: what makes an account unusable (reason, then the fix with its command) or worth a warning', () => {
  const table: Array<[string, Partial<CognitiveAccount>, RegExp | undefined, RegExp | undefined]> = [
    ['ready', {}, undefined, undefined],
    ['local auth on is fine', { disableLocalAuth: false }, undefined, undefined],
    [
      'regional endpoint',
      { customSubDomainName: undefined, endpoint: 'https://eastus.api.cognitive.microsoft.com/' },
      /^not selectable: no custom subdomain.*API keys only.*\. Give it a custom subdomain \(this cannot be undone.*\): az cognitiveservices account update --name a .*--custom-domain a$/,
      undefined,
    ],
    ['still being created', { provisioningState: 'Creating' }, /Creating, not Succeeded/, undefined],
    ['public access disabled', { publicNetworkAccess: 'Disabled' }, undefined, /private endpoint/],
    ['network rules deny by default', { networkDefaultAction: 'Deny' }, undefined, /deny by default/],
  ];
  for (const [name, over, blocked, warning] of table) {
    const r = accountReadiness(account(over));
    if (blocked) assert.match(r.blocked ? blockedText(r.blocked) : '', blocked, name);
    else assert.equal(r.blocked, undefined, name);
    if (warning) assert.match(r.warnings.join('\n'), warning, name);
    else assert.deepEqual(r.warnings, [], name);
  }
});

function picker(interactive: boolean, answer?: string) {
  const warned: string[] = [];
  const asked: SelectQuestion<string>[] = [];
  const prompter = interactive
    ? {
        interactive,
        select: async (q: SelectQuestion<string>) => {
          asked.push(q);
          return answer ?? '';
        },
        confirm: async () => true,
        input: async () => '',
      }
    : createNonInteractivePrompter();
  const out = { warn: (m: string) => warned.push(m) } as unknown as Output;
  return { ctx: { prompter: prompter as Prompter, out }, warned, asked };
}

test('the pick list shows accounts that cannot take a token, not selectable, with the reason and the fix', async () => {
  const good = account({ id: '/x/good', name: 'good' });
  const regional = account({
    id: '/x/regional',
    name: 'regional',
    customSubDomainName: undefined,
    endpoint: 'https://eastus.api.cognitive.microsoft.com/',
  });
  const p = picker(true, '/x/good');
  const r = await chooseAccount(p.ctx, [regional, good], { subscriptionId: 's' });
  assert.equal(r.account.name, 'good');
  const choices = p.asked[0]!.choices;
  assert.deepEqual(
    choices.map((c) => c.value),
    ['/x/good', '/x/regional'],
    'the usable ones first',
  );
  assert.equal(p.asked[0]!.default, '/x/good', 'the cursor on a usable one');
  assert.match(
    choices[1]!.disabled ?? '',
    /^not selectable: no custom subdomain.*: az cognitiveservices account update/,
  );
  assert.equal(choices[0]!.disabled, undefined);
  // Non-interactive: the only usable one, and a word about the other.
  const ci = picker(false);
  assert.equal((await chooseAccount(ci.ctx, [regional, good], { subscriptionId: 's' })).account.name, 'good');
  assert.match(ci.warned.join('\n'), /Skipped regional: not selectable: no custom subdomain/);
  // When they are the only ones: exit 5 saying so, each with its reason, the fix as the next step.
  await assert.rejects(
    chooseAccount(ci.ctx, [regional], { subscriptionId: 's' }),
    (e: unknown) =>
      e instanceof AzureError &&
      /The only Azure OpenAI account in subscription s cannot take Microsoft Entra ID tokens/.test(e.message) &&
      /^Give it a custom subdomain .*: az cognitiveservices account update --name regional/.test(e.hint ?? '') &&
      /regional .*not selectable/.test(e.details.join('\n')),
  );
});

test('durations and token scopes', () => {
  assert.equal(parseDuration('90s', '--wait'), 90_000);
  assert.equal(parseDuration('10m', '--wait'), 600_000);
  assert.equal(parseDuration('1h30m', '--wait'), 5_400_000);
  assert.throws(() => parseDuration('soon', '--wait'), UsageError);
  assert.equal(tokenScope({ endpoint: 'https://x.openai.azure.us/' }), 'https://cognitiveservices.azure.us/.default');
  assert.equal(tokenScope({ endpoint: 'https://x.openai.azure.cn/' }), 'https://cognitiveservices.azure.cn/.default');
  assert.equal(tokenScope({ endpoint: 'http://127.0.0.1:5000/x/' }), 'https://cognitiveservices.azure.com/.default');
  assert.equal(
    tokenScope({ explicit: 'api://custom/.default', endpoint: 'https://x.openai.azure.us/' }),
    'api://custom/.default',
  );
});
