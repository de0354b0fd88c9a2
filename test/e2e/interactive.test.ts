// The wizard as a person uses it: a real pseudo-terminal, arrow keys and Enter, Ctrl-C and Esc.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeAz, scenarios } from '../support/fake-az.ts';
import { BIN } from '../support/cli.ts';
import { KEY, runInPty, type PtyStep } from '../support/pty.ts';
import { startFakeAoai } from '../support/fake-aoai.ts';
import { IDS, baseWorld, type World } from '../support/world.mjs';

const { twoOfEverything } = scenarios;

/** A fake az over the world, the local Azure OpenAI server serving its accounts, and a project folder. */
async function served(
  t: TestContext,
  world: World,
): Promise<{ az: ReturnType<typeof createFakeAz>; aoai: Awaited<ReturnType<typeof startFakeAoai>>; cwd: string }> {
  const az = createFakeAz(world);
  t.after(() => az.cleanup());
  const aoai = await startFakeAoai({ worldPath: az.worldPath });
  t.after(() => aoai.close());
  az.update((w) => {
    for (const a of w.accounts) a.endpoint = aoai.endpointFor(a.name);
  });
  return { az, aoai, cwd: await mkdtemp(join(tmpdir(), 'aoai-tty-')) };
}

test('interactive happy path: pick subscription, resource, deployment and principal with the keyboard', {
  concurrency: true,
}, async (t) => {
  const { az, aoai, cwd } = await served(t, twoOfEverything());
  const r = await runInPty([BIN], {
    env: az.env(),
    cwd,
    steps: [
      { expect: 'Subscription' },
      { expect: 'Contoso Dev.*\\(current\\)', send: KEY.enter },
      { expect: 'Azure OpenAI resource' },
      { expect: 'second-aoai', delayMs: 100, send: KEY.down },
      { delayMs: 100, send: KEY.enter },
      { expect: 'Deployment' },
      { expect: 'o3-mini', delayMs: 100, send: KEY.down },
      { delayMs: 100, send: KEY.enter },
      { expect: 'Who gets access' },
      { expect: 'Me: alice@contoso.com', delayMs: 100, send: KEY.enter },
      { expect: 'Keyless access works: o3-mini.* answered; token from AzureCliCredential for alice@contoso\\.com' },
      { expect: 'Done: keyless access' },
    ],
  });
  assert.equal(r.failedStep, null, `screen:\n${r.transcript}`);
  assert.equal(r.exitCode, 0, r.transcript);
  const env = await readFile(join(cwd, '.env'), 'utf8');
  assert.match(env, new RegExp(`^AZURE_OPENAI_ENDPOINT=${aoai.endpointFor('second-aoai')}$`, 'm'));
  assert.match(env, /^AZURE_OPENAI_DEPLOYMENT=o3-mini$/m);
  assert.equal(az.world().roleAssignments.length, 1);
  assert.match(az.world().roleAssignments[0]!.scope, /accounts\/second-aoai$/);
});

test('interactive PIM: an eligible role is offered for self-activation, with a justification; no admin hand-off', {
  concurrency: true,
}, async (t) => {
  const { az, cwd } = await served(
    t,
    baseWorld({
      canWriteRoleAssignments: false,
      pimRequireJustification: true,
      eligibilities: [
        {
          name: 'e1000000-0000-4000-8000-000000000001',
          scope: `/subscriptions/${IDS.subscription}/resourceGroups/rg-aoai`,
          roleDefinitionGuid: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
          principalId: IDS.userObjectId,
          principalType: 'User',
          scheduleId: 'e2000000-0000-4000-8000-000000000001',
        },
      ],
    }),
  );
  const r = await runInPty(
    [
      BIN,
      '--subscription',
      IDS.subscription,
      '-g',
      'rg-aoai',
      '--resource',
      'contoso-aoai',
      '--deployment',
      'gpt-4o-mini',
    ],
    {
      env: az.env(),
      cwd,
      steps: [
        { expect: 'Who gets access' },
        { expect: 'Me: alice@contoso.com', delayMs: 100, send: KEY.enter },
        {
          expect:
            'eligible for Cognitive Services OpenAI User at resource group rg-aoai through Privileged Identity Management',
        },
        { expect: 'Activate Cognitive Services OpenAI User now', delayMs: 100, send: KEY.enter },
        { expect: 'Justification', delayMs: 100, send: 'ticket 42' },
        { delayMs: 100, send: KEY.enter },
        { expect: 'Activated Cognitive Services OpenAI User' },
        { expect: 'Keyless access works' },
      ],
    },
  );
  assert.equal(r.failedStep, null, `screen:\n${r.transcript}`);
  assert.equal(r.exitCode, 0, r.transcript);
  assert.doesNotMatch(r.transcript, /New-AzRoleAssignment/);
  assert.equal(az.world().roleAssignments.length, 1, 'the activation, not a new assignment of ours');
  assert.ok(!az.calls().some((c) => c.argv.slice(0, 3).join(' ') === 'role assignment create'));
});

for (const [name, key] of [
  ['Ctrl-C', KEY.ctrlC],
  ['Esc', KEY.esc],
] as const) {
  test(`${name} at a prompt exits 130 and leaves the .env and Azure untouched`, { concurrency: true }, async (t) => {
    const az = createFakeAz(twoOfEverything());
    t.after(() => az.cleanup());
    const cwd = await mkdtemp(join(tmpdir(), 'aoai-tty-'));
    const original = '# mine\nAZURE_OPENAI_DEPLOYMENT=keep-me\n';
    await writeFile(join(cwd, '.env'), original);
    const r = await runInPty([BIN], {
      env: az.env(),
      cwd,
      steps: [
        { expect: 'Subscription' },
        { delayMs: 100, send: KEY.enter },
        { expect: 'Azure OpenAI resource' },
        { delayMs: 150, send: key },
      ],
    });
    assert.equal(r.failedStep, null, `screen:\n${r.transcript}`);
    assert.equal(r.exitCode, 130, r.transcript);
    assert.equal(await readFile(join(cwd, '.env'), 'utf8'), original);
    assert.equal(az.world().roleAssignments.length, 0);
  });
}

/** The wizard with --no-verify in a pseudo-terminal, against a fake az holding `w`. */
async function wizardNoVerify(t: TestContext, w: World, steps: Parameters<typeof runInPty>[1]['steps']) {
  const az = createFakeAz(w);
  t.after(() => az.cleanup());
  const cwd = await mkdtemp(join(tmpdir(), 'aoai-tty-'));
  const r = await runInPty([BIN, '--no-verify'], { env: az.env(), cwd, steps });
  return { az, r };
}

/** The wizard over `world` with `steps`, to exit 0; the fake az for the caller's checks. */
async function wizardTo0(t: TestContext, world: World, steps: PtyStep[]): Promise<ReturnType<typeof createFakeAz>> {
  const az = createFakeAz(world);
  t.after(() => az.cleanup());
  const cwd = await mkdtemp(join(tmpdir(), 'aoai-tty-'));
  const r = await runInPty([BIN, '--no-verify'], { env: az.env(), cwd, steps });
  assert.equal(r.failedStep, null, `screen:\n${r.transcript}`);
  assert.equal(r.exitCode, 0, r.transcript);
  return az;
}

test("a role write refused for MFA: the wizard offers az's own re-sign-in (az logout, az login --claims-challenge), then assigns", {
  concurrency: true,
}, async (t) => {
  const az = await wizardTo0(t, baseWorld({ mfaForWrites: true }), [
    { expect: 'Who gets access' },
    { delayMs: 100, send: KEY.enter },
    { expect: 'multi-factor authentication' },
    { expect: 'Run `az logout` then `az login --tenant', delayMs: 100, send: KEY.enter },
    { expect: 'Done: keyless access' },
  ]);
  const run = az.calls().map((c) => c.argv.slice(0, 2).join(' '));
  assert.deepEqual(
    run.filter((c) => /^(login|logout)/.test(c)),
    ['logout', 'login --tenant'],
  );
  const login = az.calls().find((c) => c.argv[0] === 'login')?.argv ?? [];
  assert.deepEqual(login.slice(0, 6), [
    'login',
    '--tenant',
    '22222222-2222-2222-2222-222222222222',
    '--scope',
    'https://management.core.windows.net//.default',
    '--claims-challenge',
  ]);
  assert.equal(az.world().roleAssignments.length, 1);
});

test('not signed in: the wizard offers az login, hands over the terminal, then goes on', {
  concurrency: true,
}, async (t) => {
  const az = await wizardTo0(t, baseWorld({ signedIn: null }), [
    { expect: 'not signed in' },
    { expect: 'Run `az login` now\\?', delayMs: 100, send: KEY.enter },
    { expect: 'Who gets access' },
    { delayMs: 100, send: KEY.enter },
    { expect: 'Done: keyless access' },
  ]);
  assert.ok(
    az.calls().some((c) => c.argv[0] === 'login'),
    'az login ran',
  );
});

test('the pick list shows an account without a custom subdomain, greyed out with the reason and the fix, and skips it', {
  concurrency: true,
}, async (t) => {
  const w = baseWorld();
  // First in az's list: the pick list puts it last, and the cursor on the first usable one.
  w.accounts.unshift({ ...structuredClone(w.accounts[0]!), name: 'aaa-regional', customSubDomainName: null });
  w.accounts.push({ ...structuredClone(w.accounts[1]!), name: 'second-aoai', customSubDomainName: 'second-aoai' });
  const { az, r } = await wizardNoVerify(t, w, [
    { expect: 'Azure OpenAI resource' },
    { expect: 'second-aoai' },
    { expect: 'aaa-regional.*not selectable: no custom subdomain', delayMs: 100, send: KEY.enter },
    { expect: 'Deployment|Who gets access' },
    { expect: 'Who gets access', delayMs: 100, send: KEY.enter },
    { expect: 'Done: keyless access' },
  ]);
  assert.equal(r.failedStep, null, `screen:\n${r.transcript}`);
  assert.equal(r.exitCode, 0, r.transcript);
  // The terminal wraps the long line: compare without the line breaks. The sentence comes first, then its command.
  assert.match(
    r.transcript.replace(/\r?\n/g, ''),
    /Give it a custom subdomain \(this cannot be undone[^)]*\): az cognitiveservices account update --name aaa-regional/,
  );
  assert.match(az.world().roleAssignments[0]!.scope, /accounts\/contoso-aoai$/);
});
