// The .env end to end (issue 11), in both az tiers: setup run over a corpus of awkward .env files with
// the real readers as judges, an edit made while setup waits on Azure, owner / mode / symlinks / hard
// links, and API keys left alone without --remove-api-key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chown, link, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runCli, type CliRun } from '../support/cli.ts';
import { judgeMerges, readers } from '../support/env-readers.ts';
import { baseWorld } from '../support/world.mjs';
import { FULL, project, withHarness, type Harness, type HarnessFactory } from './setup-scenarios.ts';

const dotenv = createRequire(import.meta.url)('dotenv') as { parse(text: string): Record<string, string> };
const ENDPOINT = 'https://contoso-aoai.openai.azure.com/';

/** Awkward files from issue 11 (written here, not taken from any reader's fixtures). */
const CORPUS: Record<string, string> = {
  'unclosed quote before a setting': 'AZURE_OPENAI_DEPLOYMENT="gpt-4o\nOTHER_SETTING=keep me\n',
  'backslash before a closing quote, then an API key': 'A="x\\"\nAZURE_OPENAI_API_KEY=abc\nB=1\n',
  'colon form, backticks, export':
    'AZURE_OPENAI_ENDPOINT: https://old.openai.azure.com/\nAZURE_OPENAI_DEPLOYMENT=`old`\nexport PORT=3000 # port\n',
  'mixed endings and a last line without =': 'A=1\r\nB=2\nC=3\rJUST_A_WORD',
  'CR only': 'PORT=3000\rAZURE_OPENAI_ENDPOINT=old\r',
};

export function defineEnvFileScenarios(tier: string, factory: HarnessFactory, conc: { concurrency: number }): void {
  const run = (h: Harness, cwd: string, args: string[], extra?: Record<string, string | undefined>): Promise<CliRun> =>
    runCli(args, { env: h.env(extra), cwd, timeoutMs: 120_000 });

  test(
    `[${tier}] .env corpus: every reader reads the other keys as before and the owned keys as written; nothing commented out`,
    conc,
    async (t) => {
      const h = await withHarness(t, factory, baseWorld());
      const cases = [];
      for (const [name, before] of Object.entries(CORPUS)) {
        const cwd = await project();
        await writeFile(join(cwd, '.env'), before);
        const r = await run(h, cwd, [...FULL, '--no-verify', '--json']);
        assert.equal(r.code, 0, `${name}: ${r.stderr}`);
        const doc = JSON.parse(r.stdout) as { envFile: { keys: string[]; apiKeysCommentedOut: string[] } };
        assert.deepEqual(
          doc.envFile.apiKeysCommentedOut,
          [],
          `${name}: nothing commented out without --remove-api-key`,
        );
        const after = await readFile(join(cwd, '.env'), 'utf8');
        const meant: Record<string, string> = {
          ...dotenv.parse(after),
          AZURE_OPENAI_ENDPOINT: ENDPOINT,
          AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini',
        };
        cases.push({
          name,
          before,
          after,
          set: doc.envFile.keys.map((k) => [k, meant[k] ?? ''] as const),
          commentedOut: [],
        });
      }
      for (const reader of readers()) {
        if (reader.missing) t.diagnostic(`${reader.name} skipped: ${reader.missing}`);
        else assert.deepEqual(judgeMerges(reader, cases), [], reader.name);
      }
    },
  );

  test(
    `[${tier}] a .env edited while setup waits on Azure: the edit survives, the keys are merged into it`,
    conc,
    async (t) => {
      const cwd = await project();
      const path = join(cwd, '.env');
      const h = await withHarness(t, factory, {
        ...baseWorld(),
        editWhileAssigning: { path, append: 'ADDED_WHILE_WAITING=yes\n' },
      });
      await writeFile(path, 'PORT=3000\n');
      const r = await run(h, cwd, [...FULL, '--no-verify', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).roleAssignment.status, 'created', 'the edit happened during the create');
      const env = await readFile(path, 'utf8');
      assert.ok(env.startsWith('PORT=3000\nADDED_WHILE_WAITING=yes\n'), env);
      assert.match(env, /^AZURE_OPENAI_ENDPOINT=https:\/\/contoso-aoai\.openai\.azure\.com\/$/m);
    },
  );

  test(
    `[${tier}] owner, group and mode kept; a dangling symlink written through; a hard link written in place`,
    conc,
    async (t) => {
      const h = await withHarness(t, factory, baseWorld());
      const asRoot = process.getuid?.() === 0;
      // Owner and mode: as root (setup under sudo) the file stays its user's.
      const owned = await project();
      await writeFile(join(owned, '.env'), 'PORT=3000\n', { mode: 0o640 });
      if (asRoot) await chown(join(owned, '.env'), 1234, 2345);
      assert.equal((await run(h, owned, [...FULL, '--no-verify'])).code, 0);
      const st = await stat(join(owned, '.env'));
      assert.equal(st.mode & 0o777, 0o640);
      if (asRoot) assert.deepEqual([st.uid, st.gid], [1234, 2345]);
      else t.diagnostic('not root: the owner is not changed by the test, only the mode is checked');

      const dangling = await project();
      await mkdir(join(dangling, 'secrets'));
      await symlink('secrets/app.env', join(dangling, '.env'));
      assert.equal((await run(h, dangling, [...FULL, '--no-verify'])).code, 0);
      assert.ok((await lstat(join(dangling, '.env'))).isSymbolicLink(), 'the link stays a link');
      assert.match(await readFile(join(dangling, 'secrets', 'app.env'), 'utf8'), /^AZURE_OPENAI_ENDPOINT=/m);
      assert.equal((await stat(join(dangling, 'secrets', 'app.env'))).mode & 0o777, 0o600);

      const linked = await project();
      await writeFile(join(linked, 'shared.env'), 'PORT=3000\n');
      await link(join(linked, 'shared.env'), join(linked, '.env'));
      assert.equal((await run(h, linked, [...FULL, '--no-verify'])).code, 0);
      assert.equal(
        (await stat(join(linked, '.env'))).ino,
        (await stat(join(linked, 'shared.env'))).ino,
        'still one file',
      );
      assert.match(await readFile(join(linked, 'shared.env'), 'utf8'), /^PORT=3000\n[\s\S]*^AZURE_OPENAI_ENDPOINT=/m);
    },
  );

  test(`[${tier}] an API key without --remove-api-key (--yes, CI): warned about, left as it is`, conc, async (t) => {
    const h = await withHarness(t, factory, baseWorld());
    for (const extra of [{}, { CI: 'true' }]) {
      const cwd = await project();
      await writeFile(join(cwd, '.env'), 'AZURE_OPENAI_API_KEY=0123456789abcdef\nPORT=3000\n');
      const r = await run(h, cwd, [...FULL, '--no-verify', '--json'], extra);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /AZURE_OPENAI_API_KEY[\s\S]*--remove-api-key/);
      assert.doesNotMatch(r.stderr + r.stdout, /0123456789abcdef/, 'the key itself is never printed');
      assert.deepEqual(JSON.parse(r.stdout).envFile.apiKeysCommentedOut, []);
      assert.match(await readFile(join(cwd, '.env'), 'utf8'), /^AZURE_OPENAI_API_KEY=0123456789abcdef\nPORT=3000\n/);
    }
  });
}
