// setup in process: argv in; exit code, stdout, stderr, the .env and every process it starts out. The az
// answers are the fake az's (test/fake-az) for the test's world; a process the table does not list fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IDS, baseWorld } from '../support/world.mjs';
// setup with every value given, as the e2e and real-az tiers run it.
import { FULL } from '../e2e/setup-scenarios.ts';
import { ACCOUNT_ID, OPENAI_USER, aliceHoldsTheRole } from './harness/world.ts';
import { fakeRunner } from './harness/fake-runner.ts';
import { localAzureOpenAI, pretendAzure, project, type PretendAzure } from './harness/azure.ts';
import { runInProcess } from './harness/run.ts';

/** What setup looks up before it decides: the sign-in (with a token), the account, its deployments, the permissions. */
function lookups(p: PretendAzure, o: { optional?: boolean } = {}) {
  return [
    p.az('account get-access-token', o),
    p.az('cognitiveservices account show', o),
    p.az('cognitiveservices account deployment list', o),
    p.az('rest', o),
  ];
}

const flag = (args: readonly string[] | undefined, name: string): string | undefined =>
  args ? args[args.indexOf(name) + 1] : undefined;

test('setup --yes with every flag: four lookups and one role assignment at the resource, the .env written, nothing else run', async (t) => {
  const p = await pretendAzure(t, baseWorld());
  const cwd = await project();
  const runner = fakeRunner([...lookups(p), p.az('role assignment create', { times: 1 })]);
  const r = await runInProcess([...FULL, '--no-verify', '--json'], { env: p.env, cwd, runner });
  assert.equal(r.exitCode, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.roleAssignment.status, 'created');
  assert.equal(doc.envFile.status, 'written');
  assert.equal(doc.subscription.name, 'Contoso Dev', "the name az's profile keeps, with no az call for it");
  const create = runner.callsOf('az role assignment create')[0]?.args;
  assert.equal(flag(create, '--assignee-object-id'), IDS.userObjectId);
  assert.equal(flag(create, '--assignee-principal-type'), 'User');
  assert.equal(flag(create, '--scope'), ACCOUNT_ID);
  assert.equal(flag(create, '--role'), OPENAI_USER);
  const env = await readFile(join(cwd, '.env'), 'utf8');
  assert.match(env, /^AZURE_OPENAI_ENDPOINT=https:\/\/contoso-aoai\.openai\.azure\.com\/$/m);
  assert.match(env, /^AZURE_OPENAI_DEPLOYMENT=gpt-4o-mini$/m);
  assert.match(env, /^AZURE_TOKEN_CREDENTIALS=dev$/m);
  assert.equal(p.fakeAz.world().roleAssignments.length, 1);
});

test('a re-run with the role already held creates nothing and leaves the .env byte for byte', async (t) => {
  const p = await pretendAzure(t, baseWorld());
  const cwd = await project();
  await runInProcess([...FULL, '--no-verify'], {
    env: p.env,
    cwd,
    runner: fakeRunner([...lookups(p), p.az('role assignment create', { times: 1 })]),
  });
  const env = await readFile(join(cwd, '.env'), 'utf8');
  // No `role assignment create` row: a second one would fail the run.
  const r = await runInProcess([...FULL, '--no-verify', '--json'], { env: p.env, cwd, runner: fakeRunner(lookups(p)) });
  assert.equal(r.exitCode, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.roleAssignment.status, 'existing');
  assert.equal(doc.envFile.status, 'unchanged');
  assert.equal(await readFile(join(cwd, '.env'), 'utf8'), env);
});

test('an already-configured project is proven by one chat completion: one az process (the credential’s token), none through the runner', async (t) => {
  const world = aliceHoldsTheRole();
  const p = await pretendAzure(t, world);
  await localAzureOpenAI(t, p.fakeAz);
  const cwd = await project();
  const first = await runInProcess([...FULL, '--json'], { env: p.env, cwd, runner: fakeRunner(lookups(p)) });
  assert.equal(first.exitCode, 0, first.stderr);
  assert.equal(JSON.parse(first.stdout).verify.ok, true);
  const before = p.fakeAz.calls().length;

  const runner = fakeRunner([]);
  const r = await runInProcess([...FULL, '--json'], { env: p.env, cwd, runner });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.deepEqual(
    p.fakeAz
      .calls()
      .slice(before)
      .map((c) => c.argv.slice(0, 2).join(' ')),
    ['account get-access-token'],
    'the one az process: AzureCliCredential asking for the token',
  );
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.roleAssignment.checkedWith, 'data-plane');
  assert.equal(doc.envFile.status, 'unchanged');
  assert.match(r.stderr, /Already set up/);
});

test('not allowed to assign roles: exit 4 with the command for an admin, the .env written first', async (t) => {
  const p = await pretendAzure(t, baseWorld({ canWriteRoleAssignments: false }));
  const cwd = await project();
  const r = await runInProcess([...FULL, '--json'], {
    env: p.env,
    cwd,
    // The permissions lookup already says no write: no create is tried.
    runner: fakeRunner(lookups(p)),
  });
  assert.equal(r.exitCode, 4, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `az role assignment create --assignee-object-id ${IDS.userObjectId} --assignee-principal-type User --role ${OPENAI_USER} --scope "${ACCOUNT_ID}"`,
    ),
  );
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.error.code, 'authorization-failed');
  assert.equal(doc.roleAssignment.status, 'denied');
  assert.equal(doc.envFile.status, 'written');
  assert.match(await readFile(join(cwd, '.env'), 'utf8'), /^AZURE_OPENAI_ENDPOINT=/m);
});

const SIGNED_OUT = [
  // az 2.45 and current az say it alike (_profile.py _AZ_LOGIN_MESSAGE).
  { name: 'signed out', world: { signedIn: null }, code: 'not-signed-in', says: /az login/ },
  // az 2.45: "Interactive authentication is needed. Please run: az login --scope ..."
  {
    name: 'sign-in expired, az 2.45 wording',
    world: { signInExpired: true, azVersion: '2.45.0' },
    code: 'sign-in-expired',
    says: /az login --scope/,
  },
  // current az: "az logout" then `az login --tenant "<t>" --scope "<s>"`.
  {
    name: 'sign-in expired, current az wording',
    world: { signInExpired: true, azVersion: '2.78.0' },
    code: 'sign-in-expired',
    says: /az logout[\s\S]*az login --tenant/,
  },
] as const;

for (const c of SIGNED_OUT) {
  test(`${c.name}: exit 3 with the command az gives, nothing written, nothing created`, async (t) => {
    const p = await pretendAzure(t, baseWorld(c.world));
    const cwd = await project();
    const runner = fakeRunner(lookups(p, { optional: true }));
    const r = await runInProcess([...FULL, '--json'], { env: p.env, cwd, runner });
    assert.equal(r.exitCode, 3, r.stderr);
    assert.match(r.stderr, c.says);
    assert.equal(JSON.parse(r.stdout).error.code, c.code);
    assert.ok(!existsSync(join(cwd, '.env')));
    assert.equal(p.fakeAz.world().roleAssignments.length, 0);
  });
}
