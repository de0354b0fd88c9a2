// revoke in process: it finds the account from the .env, lists the principal's assignments at the scope,
// and deletes exactly the one setup made, by its id; --dry-run and "nothing to revoke" delete nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IDS, baseWorld, type World } from '../support/world.mjs';
import { fakeRunner } from './harness/fake-runner.ts';
import { pretendAzure, project, type PretendAzure } from './harness/azure.ts';
import { runInProcess } from './harness/run.ts';
import { ACCOUNT_ID, OPENAI_USER, aliceHoldsTheRole } from './harness/world.ts';

async function configured(t: import('node:test').TestContext, world: World) {
  const p = await pretendAzure(t, world);
  const cwd = await project();
  await writeFile(join(cwd, '.env'), 'AZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/\n');
  return { p, cwd };
}

/** The sign-in, the account the .env's endpoint names, and the principal's assignments at its scope. */
const lookups = (p: PretendAzure) => [
  p.az('account get-access-token'),
  p.az('cognitiveservices account list'),
  p.az('rest', { when: (args) => args.some((a) => a.includes('/roleAssignments?')) }),
];

test('revoke --yes deletes the assignment setup made, by its id, and nothing else', async (t) => {
  const { p, cwd } = await configured(t, aliceHoldsTheRole());
  const [assignment] = p.fakeAz.world().roleAssignments;
  const runner = fakeRunner([...lookups(p), p.az('role assignment delete', { times: 1 })]);
  const r = await runInProcess(['revoke', '--yes', '--json'], { env: p.env, cwd, runner });
  assert.equal(r.exitCode, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.status, 'deleted');
  assert.deepEqual(doc.principal, {
    objectId: IDS.userObjectId,
    type: 'User',
    name: 'alice@contoso.com',
    tenantId: IDS.tenant,
  });
  assert.deepEqual(doc.role, { name: 'Cognitive Services OpenAI User', id: OPENAI_USER });
  assert.equal(doc.scope, ACCOUNT_ID);
  const del = runner.callsOf('az role assignment delete')[0]?.args ?? [];
  assert.equal(del[del.indexOf('--ids') + 1], assignment?.id);
  assert.deepEqual(p.fakeAz.world().roleAssignments, []);
});

test('revoke --dry-run shows the assignment and deletes nothing', async (t) => {
  const { p, cwd } = await configured(t, aliceHoldsTheRole());
  // No delete row: a delete would fail the run.
  const r = await runInProcess(['revoke', '--dry-run', '--json'], { env: p.env, cwd, runner: fakeRunner(lookups(p)) });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stderr, /Cognitive Services OpenAI User for alice@contoso\.com/);
  assert.equal(p.fakeAz.world().roleAssignments.length, 1);
});

test('nothing to revoke: exit 0 saying so, no delete', async (t) => {
  const { p, cwd } = await configured(t, baseWorld());
  const r = await runInProcess(['revoke', '--yes', '--json'], { env: p.env, cwd, runner: fakeRunner(lookups(p)) });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.notEqual(JSON.parse(r.stdout).status, 'deleted');
});
