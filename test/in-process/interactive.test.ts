// The wizard in process: the real prompts (@inquirer/prompts) on a scripted keyboard and screen, and a
// scripted prompter where the questions matter more than their drawing. A question the script does not
// expect fails the test, as does one it expects and never sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IDS } from '../support/world.mjs';
import { scenarios } from '../support/fake-az.ts';
import { fakeRunner } from './harness/fake-runner.ts';
import { pretendAzure, project, type PretendAzure } from './harness/azure.ts';
import { runInProcess } from './harness/run.ts';
import { scriptedPrompter } from './harness/scripted-prompter.ts';
import { KEY, scriptedTerminal } from './harness/scripted-terminal.ts';

const { twoOfEverything } = scenarios;

/** What the wizard runs once every question is answered for second-aoai: its deployments, the permissions, the create. */
const wizardCalls = (p: PretendAzure) => [
  p.az('account get-access-token'),
  p.az('account list'),
  p.az('cognitiveservices account list'),
  p.az('cognitiveservices account deployment list'),
  p.az('rest'),
  p.az('role assignment create', { times: 1 }),
];

test('the keyboard picks subscription, resource, deployment and principal; the .env and the role follow the picks', async (t) => {
  const p = await pretendAzure(t, twoOfEverything());
  const cwd = await project();
  const terminal = scriptedTerminal([
    { see: /Contoso Dev.*\(current\)/, keys: KEY.enter },
    { see: /second-aoai/, keys: KEY.down + KEY.enter },
    { see: /o3-mini/, keys: KEY.down + KEY.enter },
    { see: /Me: alice@contoso\.com/, keys: KEY.enter },
  ]);
  const r = await runInProcess(['--no-verify'], { env: p.env, cwd, runner: fakeRunner(wizardCalls(p)), terminal });
  assert.equal(r.exitCode, 0, r.stderr);
  const env = await readFile(join(cwd, '.env'), 'utf8');
  assert.match(env, /^AZURE_OPENAI_ENDPOINT=https:\/\/second-aoai\.openai\.azure\.com\/$/m);
  assert.match(env, /^AZURE_OPENAI_DEPLOYMENT=o3-mini$/m);
  const [assignment] = p.fakeAz.world().roleAssignments;
  assert.match(assignment?.scope ?? '', /accounts\/second-aoai$/);
  assert.equal(assignment?.principalId, IDS.userObjectId);
});

test('Esc at a question cancels: exit 130, nothing written, nothing created', async (t) => {
  const p = await pretendAzure(t, twoOfEverything());
  const cwd = await project();
  const terminal = scriptedTerminal([{ see: /Contoso Dev.*\(current\)/, keys: KEY.escape }]);
  const runner = fakeRunner([p.az('account get-access-token'), p.az('account list')]);
  const r = await runInProcess([], { env: p.env, cwd, runner, terminal });
  assert.equal(r.exitCode, 130, r.stderr);
  assert.ok(!existsSync(join(cwd, '.env')));
  assert.equal(p.fakeAz.world().roleAssignments.length, 0);
});

test('the questions come in the order subscription, resource, deployment, principal, all before any change', async (t) => {
  const p = await pretendAzure(t, twoOfEverything());
  const cwd = await project();
  const prompter = scriptedPrompter([
    { ask: /subscription/i, answer: IDS.subscription },
    { ask: /Azure OpenAI resource/i, answer: /second-aoai/ },
    { ask: /deployment/i, answer: /o3-mini/ },
    { ask: /Who gets access/, answer: 'me' },
  ]);
  const terminal = scriptedTerminal([]);
  const r = await runInProcess(['--no-verify'], {
    env: p.env,
    cwd,
    runner: fakeRunner(wizardCalls(p)),
    prompter,
    terminal,
  });
  assert.equal(r.exitCode, 0, r.stderr);
  prompter.assertDone();
  assert.match(await readFile(join(cwd, '.env'), 'utf8'), /^AZURE_OPENAI_DEPLOYMENT=o3-mini$/m);
});

test('--yes never asks: the scripted prompter is not consulted and a missing choice is exit 2 naming the flag', async (t) => {
  const p = await pretendAzure(t, twoOfEverything());
  const cwd = await project();
  const prompter = scriptedPrompter([]);
  const r = await runInProcess(['--yes', '--no-verify'], {
    env: p.env,
    cwd,
    runner: fakeRunner([
      p.az('account get-access-token'),
      p.az('account list', { optional: true }),
      p.az('cognitiveservices account list', { optional: true }),
    ]),
    prompter,
    terminal: scriptedTerminal([]),
  });
  assert.equal(r.exitCode, 2, r.stderr);
  assert.match(r.stderr, /--resource/);
  assert.deepEqual(prompter.asked, []);
});
