// The JavaScript and TypeScript snippets really work: written by the built CLI from a .env, run with
// node against the local Azure OpenAI server of the verify tests, with the token of the fake az.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import semver from 'semver';
import { createFakeAz } from '../support/fake-az.ts';
import { startFakeAoai } from '../support/fake-aoai.ts';
import { runCli } from '../support/cli.ts';
import { assignment, ACCOUNT_ID } from './setup-scenarios.ts';
import { IDS, baseWorld } from '../support/world.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const exec = promisify(execFile);

// Only a hang guard: each snippet loads openai and @azure/identity cold (and tsx for the .ts) and asks the fake
// az for a token, which under a shared machine's load (seen: load 40 on 2 cores) took more than 30 s.
const HANG_MS = 180_000;

test('the js and ts snippets make a keyless chat completion through DefaultAzureCredential on the v1 API', async (t) => {
  const w = baseWorld();
  w.roleAssignments.push(assignment(ACCOUNT_ID, IDS.userObjectId));
  const az = createFakeAz(w);
  t.after(() => az.cleanup());
  const aoai = await startFakeAoai({ worldPath: az.worldPath });
  t.after(() => aoai.close());
  const dir = await mkdtemp(join(tmpdir(), 'aoai-snippet-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(
    join(dir, '.env'),
    [
      `AZURE_OPENAI_ENDPOINT=${aoai.endpointFor('contoso-aoai')}`,
      'AZURE_OPENAI_DEPLOYMENT=gpt-4o-mini',
      'AZURE_TOKEN_CREDENTIALS=dev',
      '',
    ].join('\n'),
  );
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');

  const env = az.env();
  for (const [lang, file] of [
    ['js', 'app.mjs'],
    ['ts', 'app.ts'],
  ] as const) {
    const r = await runCli(['snippet', '--lang', lang, '--out', file], { env, cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  }
  const [js, ts] = await Promise.all([
    exec(process.execPath, ['app.mjs'], { cwd: dir, env, timeout: HANG_MS }),
    exec(process.execPath, ['--import', 'tsx', 'app.ts'], { cwd: dir, env, timeout: HANG_MS }),
  ]);
  for (const out of [js, ts]) assert.ok(out.stdout.trim().length > 0, `the model's answer is printed: ${out.stderr}`);
  // The TypeScript snippet also type-checks under strict.
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        types: ['node'],
        noEmit: true,
        skipLibCheck: true,
      },
      files: ['app.ts'],
    }),
  );
  await exec(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')],
    { cwd: dir, timeout: 60_000 },
  );
  assert.equal(aoai.requests.length, 2);
  for (const req of aoai.requests) {
    // The v1 API: the deployment in the body's model, no api version.
    assert.equal(req.path, '/contoso-aoai/openai/v1/chat/completions');
    assert.deepEqual(req.query, {});
    assert.equal((req.body as { model?: string }).model, 'gpt-4o-mini');
    assert.equal(req.headers['api-key'], undefined, 'no key is ever sent');
  }
  assert.ok(
    az.calls().some((c) => c.argv.join(' ').startsWith('account get-access-token')),
    'the token came from az',
  );

  // Without the role, the same code is refused: the fake service really checks.
  az.update((world) => (world.roleAssignments = []));
  await assert.rejects(exec(process.execPath, ['app.mjs'], { cwd: dir, env, timeout: 30_000 }));
});

test('the snippets run against the openai and @azure/identity this project pins (the current majors)', async (t) => {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const dir = await mkdtemp(join(tmpdir(), 'aoai-snippet-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Resolved from the snippet's folder, as `import ... from 'openai'` in app.mjs is.
  const resolveFromApp = createRequire(join(dir, 'app.mjs'));
  for (const name of ['openai', '@azure/identity', 'tsx', 'typescript']) {
    const entry = await realpath(resolveFromApp.resolve(name));
    const home = join(ROOT, 'node_modules', name);
    assert.ok(entry.startsWith(`${home}/`), `${name} resolves to ${entry}`);
    const { version } = JSON.parse(await readFile(join(home, 'package.json'), 'utf8')) as { version: string };
    const range = pkg.devDependencies[name] ?? '';
    assert.ok(semver.satisfies(version, range), `${name}@${version} is what package.json pins (${range})`);
    t.diagnostic(`${name}@${version}`);
  }
});
