// snippet in process: client code comes from the .env alone (no process); the role assignment as code asks
// az only for what the flags leave open (the signed-in principal, the account of the endpoint).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IDS, baseWorld } from '../support/world.mjs';
import { fakeRunner } from './harness/fake-runner.ts';
import { pretendAzure, project } from './harness/azure.ts';
import { runInProcess } from './harness/run.ts';
import { ACCOUNT_ID, OPENAI_USER } from './harness/world.ts';

const ENV_FILE = 'AZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n';

async function withEnvFile(t: import('node:test').TestContext) {
  const p = await pretendAzure(t, baseWorld());
  const cwd = await project();
  await writeFile(join(cwd, '.env'), ENV_FILE);
  return { p, cwd };
}

test('snippet --lang python prints keyless client code on stdout and starts no process', async (t) => {
  const { p, cwd } = await withEnvFile(t);
  const r = await runInProcess(['snippet', '--lang', 'python'], { env: p.env, cwd, runner: fakeRunner([]) });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /AZURE_OPENAI_ENDPOINT/);
  // The "key" the OpenAI client gets is the Entra ID token provider.
  assert.match(r.stdout, /api_key=get_bearer_token_provider\(DefaultAzureCredential\(\), scope\)/);
});

test('snippet --lang azcli: the signed-in principal and the account come from az, the command grants the least role', async (t) => {
  const { p, cwd } = await withEnvFile(t);
  const runner = fakeRunner([p.az('account get-access-token'), p.az('cognitiveservices account list')]);
  const r = await runInProcess(['snippet', '--lang', 'azcli'], { env: p.env, cwd, runner });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`--assignee-object-id ${IDS.userObjectId}`));
  assert.match(r.stdout, new RegExp(`--role ${OPENAI_USER}`));
  assert.ok(r.stdout.includes(ACCOUNT_ID), r.stdout);
});

test('snippet --lang azcli with --assignee, --assignee-type and --scope given: no process at all', async (t) => {
  const { p, cwd } = await withEnvFile(t);
  const r = await runInProcess(
    ['snippet', '--lang', 'azcli', '--assignee', IDS.userObjectId, '--assignee-type', 'User', '--scope', ACCOUNT_ID],
    { env: p.env, cwd, runner: fakeRunner([]) },
  );
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`--assignee-object-id ${IDS.userObjectId}`));
});
