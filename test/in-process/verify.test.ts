// verify in process against the local Azure OpenAI (test/support/fake-aoai.ts): the credential chain is pinned
// to AzureCliCredential through the run's environment, and its az is the fake az on that environment's PATH.
// az through the runner only after a failure, to name the account in the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IDS, baseWorld } from '../support/world.mjs';
import { fakeRunner } from './harness/fake-runner.ts';
import { localAzureOpenAI, pretendAzure, project } from './harness/azure.ts';
import { runInProcess } from './harness/run.ts';
import { ACCOUNT_ID, OPENAI_USER, aliceHoldsTheRole } from './harness/world.ts';
import type { World } from '../support/world.mjs';

/** A project whose .env names contoso-aoai's gpt-4o-mini on the local Azure OpenAI, plus `extra` lines. */
async function verifiable(t: import('node:test').TestContext, world: World, extra = '') {
  const p = await pretendAzure(t, world);
  const aoai = await localAzureOpenAI(t, p.fakeAz);
  const cwd = await project();
  await writeFile(
    join(cwd, '.env'),
    `AZURE_OPENAI_ENDPOINT=${aoai.endpointFor('contoso-aoai')}\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n${extra}`,
  );
  return { p, aoai, cwd };
}

test('verify with the role: exit 0, the model and the principal named, one az process for the token and none through the runner', async (t) => {
  const { p, aoai, cwd } = await verifiable(t, aliceHoldsTheRole());
  const processEnv = { ...process.env };
  const r = await runInProcess(['verify', '--json'], { env: p.env, cwd, runner: fakeRunner([]) });
  assert.equal(r.exitCode, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.ok, true);
  assert.match(doc.model, /^gpt-4o-mini/);
  assert.equal(doc.credential, 'AzureCliCredential');
  assert.equal(doc.principal.objectId, IDS.userObjectId);
  assert.deepEqual(
    p.fakeAz.calls().map((c) => c.argv.slice(0, 2).join(' ')),
    ['account get-access-token'],
  );
  assert.equal(aoai.requests.length, 1);
  assert.deepEqual({ ...process.env }, processEnv, 'the credential ran in the run’s environment; process.env is back');
  for (const token of aoai.tokens)
    assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), 'no token printed');
});

test('verify without the role: exit 6 role-missing, the fix names the account az finds for the endpoint', async (t) => {
  const { p, cwd } = await verifiable(t, baseWorld());
  const runner = fakeRunner([p.az('account list'), p.az('cognitiveservices account list')]);
  const r = await runInProcess(['verify', '--json'], { env: p.env, cwd, runner });
  assert.equal(r.exitCode, 6, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.error.code, 'role-missing');
  assert.match(
    r.stderr,
    new RegExp(
      `az role assignment create --assignee-object-id ${IDS.userObjectId} --assignee-principal-type User --role ${OPENAI_USER} --scope "${ACCOUNT_ID}"`,
    ),
  );
});

test('an identity variable in the .env reaches the credential as dotenv gives it to the app: a bad AZURE_TOKEN_CREDENTIALS is the diagnosis', async (t) => {
  const { p, cwd } = await verifiable(t, aliceHoldsTheRole(), 'AZURE_TOKEN_CREDENTIALS=bogus\n');
  const env = { ...p.env };
  delete env['AZURE_TOKEN_CREDENTIALS'];
  const r = await runInProcess(['verify', '--json'], {
    env,
    cwd,
    runner: fakeRunner([]),
  });
  assert.equal(r.exitCode, 6, r.stderr);
  assert.match(r.stderr, /identity +AZURE_TOKEN_CREDENTIALS from \.env/);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.error.code, 'no-credential');
  assert.match(doc.error.hint, /AZURE_TOKEN_CREDENTIALS/);
  assert.deepEqual(p.fakeAz.calls(), [], 'no credential ran');
});

test('one set in the environment wins over the .env, as with dotenv', async (t) => {
  const { p, cwd } = await verifiable(t, aliceHoldsTheRole(), 'AZURE_TOKEN_CREDENTIALS=bogus\n');
  // The run's environment pins AzureCliCredential (pretendAzure): the .env's value is not applied.
  const r = await runInProcess(['verify', '--json'], { env: p.env, cwd, runner: fakeRunner([]) });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).credential, 'AzureCliCredential');
});
