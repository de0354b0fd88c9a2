// Sign-in failures in current az's wording (the fake az as 2.78, and as 2.45 for comparison): setup ends with
// exit 3 and the exact command az gives, tenant and scope included; a role assignment refused for MFA leaves the
// .env written, and following the printed commands then re-running setup finishes the job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFakeAz } from '../support/fake-az.ts';
import { IDS, baseWorld, type World } from '../support/world.mjs';
import { FULL, commandsOf, project, withHarness } from './setup-scenarios.ts';
import { runCli } from '../support/cli.ts';
import type { AzHarness } from '../support/az-harness.ts';

const ARM = 'https://management.core.windows.net//.default';
const CURRENT_LOGIN = `az login --tenant "${IDS.tenant}" --scope "${ARM}"`;
const CLAIMS_B64 = 'eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlcyI6WyJwMSJdfX19';

const run = (h: AzHarness, cwd: string, args: string[]) => runCli(args, { env: h.env(), cwd, timeoutMs: 60_000 });
const lines = (s: string) => s.split('\n').map((l) => l.trim());

/** Runs a command line the tool printed (`az login --tenant "t" ...`) through the same az, quotes removed as a shell would. */
async function follow(h: AzHarness, cwd: string, commandLine: string): Promise<void> {
  const argv = [...commandLine.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  assert.equal(argv[0], 'az');
  await promisify(execFile)('az', argv.slice(1), { env: h.env(), cwd });
}

const CURRENT: Array<[name: string, world: Partial<World>, expected: string[]]> = [
  ['refresh token expired (AADSTS700082)', { signInExpired: true }, ['az logout', CURRENT_LOGIN]],
  ['sign-in frequency (AADSTS70043)', { signInProblem: 'sign-in-frequency' }, ['az logout', CURRENT_LOGIN]],
  ['MFA required at sign-in (AADSTS50076)', { signInProblem: 'mfa' }, ['az logout', CURRENT_LOGIN]],
  // A service principal's: no tenant or scope (msal_credentials.py ServicePrincipalCredential, Azure/azure-cli#31745).
  [
    'service principal secret expired (AADSTS7000222)',
    {
      signedIn: { type: 'servicePrincipal', objectId: IDS.spObjectId, name: IDS.spAppId, appId: IDS.spAppId },
      signInExpired: true,
    },
    ['az logout', 'az login'],
  ],
  ['lost token cache', { signInProblem: 'lost-token-cache' }, ['az login']],
  ['empty token cache', { signInProblem: 'empty-token-cache' }, ['az login']],
];

for (const [name, world, expected] of CURRENT) {
  test(`[fake az 2.78] ${name}: exit 3 with the exact command az gives, nothing written`, async (t) => {
    const h = await withHarness(t, createFakeAz, baseWorld({ azVersion: '2.78.0', ...world }));
    const cwd = await project();
    const r = await run(h, cwd, [...FULL]);
    assert.equal(r.code, 3, r.stderr);
    const out = lines(r.stderr);
    if (expected.length > 1) {
      for (const cmd of expected) assert.ok(out.includes(cmd), `${cmd} in\n${r.stderr}`);
    } else {
      assert.match(r.stderr, /Run `az login`, then run this again\./);
    }
    assert.ok(!existsSync(join(cwd, '.env')));
    const json = await run(h, cwd, [...FULL, '--json']);
    const doc = JSON.parse(json.stdout);
    assert.equal(
      doc.error.code,
      expected.length > 1 ? (world.signInProblem === 'mfa' ? 'mfa-required' : 'sign-in-expired') : 'not-signed-in',
    );
  });
}

test("[fake az 2.78] a role assignment refused for MFA: exit 3 with az's claims-challenge command, .env written; following it and re-running finishes", async (t) => {
  const h = await withHarness(t, createFakeAz, baseWorld({ azVersion: '2.78.0', mfaForWrites: true }));
  const cwd = await project();
  const r = await run(h, cwd, [...FULL, '--no-verify', '--json']);
  assert.equal(r.code, 3, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.error.code, 'mfa-required');
  assert.equal(doc.roleAssignment.status, 'mfa-required');
  assert.equal(doc.envFile.status, 'written');
  const login = `${CURRENT_LOGIN} --claims-challenge "${CLAIMS_B64}"`;
  assert.deepEqual(doc.error.details, ['az logout', login]);
  assert.ok(lines(r.stderr).includes(login), r.stderr);
  assert.match(await readFile(join(cwd, '.env'), 'utf8'), /^AZURE_OPENAI_ENDPOINT=/m);
  assert.equal(h.world().roleAssignments.length, 0);
  assert.doesNotMatch(r.stderr, /eyJ0eXAi/, 'no token is ever printed');

  for (const cmd of doc.error.details as string[]) await follow(h, cwd, cmd);
  const again = await run(h, cwd, [...FULL, '--no-verify', '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).roleAssignment.status, 'created');
});

test("[fake az 2.45] a role assignment refused for MFA: exit 3 with az's `az logout` / `az login --scope`, the tenant added, no --claims-challenge", async (t) => {
  const h = await withHarness(t, createFakeAz, baseWorld({ azVersion: '2.45.0', mfaForWrites: true }));
  const cwd = await project();
  const r = await run(h, cwd, [...FULL, '--no-verify', '--json']);
  assert.equal(r.code, 3, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.error.details, ['az logout', `az login --tenant "${IDS.tenant}" --scope ${ARM}`]);
  for (const cmd of doc.error.details as string[]) await follow(h, cwd, cmd);
  const again = await run(h, cwd, [...FULL, '--no-verify']);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(commandsOf(h).includes('role assignment create'));
});

test('[fake az 2.78] revoke refused for MFA (a delete is a write): exit 3 with a re-sign-in command, the assignment kept', async (t) => {
  const h = await withHarness(t, createFakeAz, baseWorld({ azVersion: '2.78.0' }));
  const cwd = await project();
  assert.equal((await run(h, cwd, [...FULL, '--no-verify'])).code, 0);
  h.update((w) => {
    w.mfaForWrites = true;
  });
  const r = await run(h, cwd, ['revoke', '--yes', '--json']);
  assert.equal(r.code, 3, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.error.code, 'mfa-required');
  // revoke asks az with --only-show-errors, which hides the warning that names tenant and claims: the
  // command is rebuilt with Resource Manager's scope and the tenant the sign-in's token named.
  assert.deepEqual(doc.error.details, ['az logout', CURRENT_LOGIN]);
  assert.equal(h.world().roleAssignments.length, 1);
});
