// `aoai-keyless snippet`: every language rendered for one fixed .env and compared with its golden file
// (UPDATE_GOLDEN=1 rewrites them), no key in any of them, the Python one compiled, and the JavaScript and
// TypeScript ones run for real against a local Azure OpenAI on 127.0.0.1 with a token from a fake `az`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Context, ProcessRunner } from '../../src/context.ts';
import { createOutput } from '../../src/output/human.ts';
import { createNonInteractivePrompter } from '../../src/prompts/prompter.ts';
import { AzureError, ExitCode, UsageError } from '../../src/errors.ts';
import { snippetCommand, type SnippetOptions } from '../../src/commands/snippet.ts';
import { LANGS, parseLang, type Lang } from '../../src/snippets/index.ts';
import { mintToken } from '../support/tokens.mjs';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GOLDEN = join(ROOT, 'test', 'golden', 'snippets');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

const EXT: Record<Lang, string> = {
  js: 'mjs',
  ts: 'ts',
  python: 'py',
  csharp: 'cs',
  go: 'go',
  java: 'java',
  azcli: 'sh',
  powershell: 'ps1',
  bicep: 'bicep',
  'github-actions': 'yml',
};

const IDS = {
  tenant: '22222222-2222-2222-2222-222222222222',
  subscription: '11111111-1111-1111-1111-111111111111',
  user: '55555555-5555-5555-5555-555555555555',
};
const ACCOUNT_ID = `/subscriptions/${IDS.subscription}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;
const ENV_FILE = [
  '# written by aoai-keyless setup',
  'AZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/',
  'AZURE_OPENAI_DEPLOYMENT=gpt-4o-mini',
  'AZURE_TOKEN_CREDENTIALS=dev',
  '',
].join('\n');

interface Harness {
  ctx: Context;
  stderr(): string;
  azCalls: string[][];
}

function harness(
  cwd: string,
  opts: {
    env?: NodeJS.ProcessEnv;
    az?: (args: readonly string[]) => { exitCode: number; stdout: string; stderr?: string };
  } = {},
): Harness {
  let err = '';
  const write = (s: string): boolean => {
    err += s;
    return true;
  };
  const stream = { isTTY: false, write } as unknown as NodeJS.WriteStream;
  const azCalls: string[][] = [];
  const runner: ProcessRunner = {
    async run(cmd, args) {
      azCalls.push([cmd, ...args]);
      if (!opts.az) throw new Error(`unexpected process: ${cmd} ${args.join(' ')}`);
      const r = opts.az(args);
      return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr ?? '' };
    },
  };
  const ctx: Context = {
    runner,
    prompter: createNonInteractivePrompter(),
    out: createOutput({ stream, env: { NO_COLOR: '1' } }),
    stdout: { write: (s: string) => assert.fail(`stdout written with --json: ${s}`) },
    env: opts.env ?? {},
    now: Date.now,
    cwd,
    interactive: false,
    // --json: nothing goes to stdout from the command itself, the code comes back in the result.
    json: true,
    debug: false,
  };
  return { ctx, stderr: () => err, azCalls };
}

async function projectWithEnv(text: string | null = ENV_FILE): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aoai-snippet-'));
  if (text !== null) await writeFile(join(dir, '.env'), text);
  return dir;
}

const INFRA_FLAGS = { assignee: IDS.user, assigneeType: 'User', scope: ACCOUNT_ID };

async function render(
  lang: Lang,
  cwd: string,
  extra: Partial<SnippetOptions> = {},
): Promise<{ code: string; install: string | null; stderr: string }> {
  const h = harness(cwd);
  const infra = lang === 'azcli' || lang === 'powershell' || lang === 'bicep';
  const r = await snippetCommand(h.ctx, { lang, envFile: '.env', ...(infra ? INFRA_FLAGS : {}), ...extra });
  assert.equal(r.ok, true);
  assert.equal(r.command, 'snippet');
  assert.equal(r.lang, lang);
  assert.deepEqual(h.azCalls, [], 'flags name everything: no az call');
  return { code: r.code, install: r.install, stderr: h.stderr() };
}

test('every language renders as its golden file, and none holds or reads a key', async () => {
  const dir = await projectWithEnv();
  try {
    if (UPDATE) await mkdir(GOLDEN, { recursive: true });
    for (const lang of LANGS) {
      const { code, install } = await render(lang, dir);
      const golden = join(GOLDEN, `${lang}.${EXT[lang]}`);
      if (UPDATE) await writeFile(golden, code);
      assert.equal(
        code,
        await readFile(golden, 'utf8'),
        `${lang} differs from ${golden} (UPDATE_GOLDEN=1 rewrites it after review)`,
      );
      // The v1 clients take the token provider in their api key slot (apiKey / api_key): that and nothing else.
      for (const banned of [
        /api_key\s*=(?!\s*get_bearer_token_provider\()/i,
        /apiKey\s*:(?!\s*getBearerTokenProvider\()/,
        /OPENAI_API_KEY/,
        /AZURE_OPENAI_KEY/,
        /\bapi-key\b/i,
        /ApiKeyCredential/,
        /WithAPIKey/,
        /AzureKeyCredential/,
        /\.apiKey\(/,
      ]) {
        assert.doesNotMatch(code, banned, `${lang} snippet matches ${banned}`);
        if (install) assert.doesNotMatch(install, banned);
      }
      if (['js', 'ts', 'python', 'csharp', 'go', 'java'].includes(lang)) {
        for (const name of [
          'AZURE_OPENAI_ENDPOINT',
          'AZURE_OPENAI_DEPLOYMENT',
          'AZURE_OPENAI_SCOPE',
          'https://cognitiveservices.azure.com/.default',
          'DefaultAzureCredential',
          '/openai/v1',
        ]) {
          assert.ok(code.includes(name), `${lang} snippet reads ${name}`);
        }
        // The v1 API: no api version anywhere, and none of the classic Azure clients.
        for (const classic of [
          /api-version(?!-lifecycle)|api_version|apiVersion|ServiceVersion/i,
          /OPENAI_API_VERSION/,
          /AzureOpenAI/,
          /azure\.WithEndpoint/,
          /AzureUrlPathMode/,
        ])
          assert.doesNotMatch(code, classic, `${lang} snippet matches ${classic}`);
        assert.ok(install, `${lang} has an install line`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the Python snippet compiles', async () => {
  const dir = await projectWithEnv();
  try {
    const { code } = await render('python', dir);
    await writeFile(join(dir, 'app.py'), code);
    await run('python3', ['-m', 'py_compile', join(dir, 'app.py')], { timeout: 20_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--lang: the default, aliases, and an unknown one as a usage error naming every language', () => {
  assert.equal(parseLang(undefined), 'js');
  assert.equal(parseLang('TypeScript'), 'ts');
  assert.equal(parseLang('py'), 'python');
  assert.equal(parseLang('dotnet'), 'csharp');
  assert.equal(parseLang('pwsh'), 'powershell');
  assert.equal(parseLang('gha'), 'github-actions');
  assert.throws(
    () => parseLang('rust'),
    (e: unknown) =>
      e instanceof UsageError && e.exitCode === ExitCode.usage && LANGS.every((l) => e.message.includes(l)),
  );
});

test('flag rules: principal flags only for the infrastructure languages, --assignee with its type, a real scope', async () => {
  const dir = await projectWithEnv();
  try {
    const usage = async (o: Partial<SnippetOptions>, re: RegExp): Promise<void> => {
      await assert.rejects(
        snippetCommand(harness(dir).ctx, { envFile: '.env', ...o }),
        (e: unknown) => e instanceof UsageError && re.test(e.message),
      );
    };
    await usage({ lang: 'js', assignee: IDS.user, assigneeType: 'User' }, /--lang azcli/);
    await usage({ lang: 'azcli', assignee: IDS.user }, /--assignee-type/);
    await usage({ lang: 'azcli', assigneeType: 'User' }, /goes with --assignee/);
    await usage({ lang: 'azcli', assignee: 'dev@contoso.example', assigneeType: 'User' }, /not an object id/);
    await usage({ lang: 'azcli', ...INFRA_FLAGS, scope: '/subscriptions/x"; rm -rf ~' }, /not a resource id/);
    await usage({ lang: 'bicep', ...INFRA_FLAGS, scope: `/subscriptions/${IDS.subscription}` }, /whole subscription/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('azcli without flags asks az: the object id from the token, the account by AZURE_OPENAI_ENDPOINT, at once', async () => {
  const dir = await projectWithEnv();
  const { token } = mintToken({
    audience: 'https://management.core.windows.net/',
    tenantId: IDS.tenant,
    objectId: IDS.user,
    type: 'user',
    name: 'dev@contoso.example',
  });
  const account = {
    id: ACCOUNT_ID,
    name: 'contoso-aoai',
    resourceGroup: 'rg-ai',
    kind: 'OpenAI',
    location: 'swedencentral',
    properties: {
      endpoint: 'https://contoso-aoai.openai.azure.com/',
      endpoints: {},
      customSubDomainName: 'contoso-aoai',
    },
  };
  const other = {
    ...account,
    id: ACCOUNT_ID.replace('contoso-aoai', 'other'),
    name: 'other',
    properties: { ...account.properties, endpoint: 'https://other.openai.azure.com/' },
  };
  const fakeAz = (accounts: unknown[]) => (args: readonly string[]) => {
    if (args[0] === 'account' && args[1] === 'get-access-token')
      return {
        exitCode: 0,
        stdout: JSON.stringify({ accessToken: token, tenant: IDS.tenant, subscription: IDS.subscription }),
      };
    if (args.slice(0, 3).join(' ') === 'cognitiveservices account list')
      return { exitCode: 0, stdout: JSON.stringify(accounts) };
    return { exitCode: 2, stdout: '', stderr: `ERROR: unexpected az ${args.join(' ')}` };
  };
  try {
    const h = harness(dir, { az: fakeAz([other, account]) });
    const r = await snippetCommand(h.ctx, { lang: 'azcli', envFile: '.env' });
    assert.deepEqual(h.azCalls.map((c) => c.slice(1, 4).join(' ')).sort(), [
      'account get-access-token --output',
      'cognitiveservices account list',
    ]);
    assert.ok(
      r.code.includes(
        `az role assignment create --assignee-object-id ${IDS.user} --assignee-principal-type User --role 5e0bd9bd-7b93-4f28-af87-19fc36ad61bd --scope "${ACCOUNT_ID}"`,
      ),
      r.code,
    );
    assert.match(r.code, /dev@contoso\.example/);

    // --scope resource-group: the level, applied to the account az found.
    const rg = await snippetCommand(harness(dir, { az: fakeAz([account]) }).ctx, {
      lang: 'powershell',
      envFile: '.env',
      scope: 'resource-group',
    });
    assert.ok(rg.code.includes(`-Scope "/subscriptions/${IDS.subscription}/resourceGroups/rg-ai"`), rg.code);

    // The principal from the flags, the account from az: one az call.
    const half = harness(dir, { az: fakeAz([account]) });
    await snippetCommand(half.ctx, { lang: 'bicep', envFile: '.env', assignee: IDS.user, assigneeType: 'Group' });
    assert.equal(half.azCalls.length, 1);

    // No account with that endpoint (the environment wins over the .env): an Azure error naming the way out.
    const none = harness(dir, {
      env: { AZURE_OPENAI_ENDPOINT: 'https://elsewhere.openai.azure.com/' },
      az: fakeAz([account]),
    });
    await assert.rejects(
      snippetCommand(none.ctx, { lang: 'azcli', envFile: '.env' }),
      (e: unknown) => e instanceof AzureError && /elsewhere/.test(e.message) && /--scope/.test(e.hint ?? ''),
    );

    // Neither --scope nor an endpoint: a usage error before any az call.
    const empty = await projectWithEnv('');
    const noEndpoint = harness(empty, { az: fakeAz([account]) });
    await assert.rejects(
      snippetCommand(noEndpoint.ctx, { lang: 'azcli', envFile: '.env' }),
      (e: unknown) => e instanceof UsageError && /--scope/.test(e.hint ?? ''),
    );
    assert.equal(noEndpoint.azCalls.length, 0);
    await rm(empty, { recursive: true, force: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--out writes the file, refuses to overwrite it without --force, and never the .env', async () => {
  const dir = await projectWithEnv();
  try {
    const first = harness(dir);
    const r = await snippetCommand(first.ctx, { lang: 'python', envFile: '.env', out: 'app.py' });
    assert.equal(await readFile(join(dir, 'app.py'), 'utf8'), r.code);
    assert.match(first.stderr(), /Wrote the python snippet to app\.py/);

    await writeFile(join(dir, 'app.py'), 'mine');
    await assert.rejects(
      snippetCommand(harness(dir).ctx, { lang: 'python', envFile: '.env', out: 'app.py' }),
      (e: unknown) => e instanceof UsageError && e.code === 'file-exists',
    );
    assert.equal(await readFile(join(dir, 'app.py'), 'utf8'), 'mine');
    await snippetCommand(harness(dir).ctx, { lang: 'python', envFile: '.env', out: 'app.py', force: true });
    assert.equal(await readFile(join(dir, 'app.py'), 'utf8'), r.code);

    await assert.rejects(
      snippetCommand(harness(dir).ctx, { lang: 'js', envFile: '.env', out: '.env', force: true }),
      (e: unknown) => e instanceof UsageError && /\.env file itself/.test(e.message),
    );
    assert.equal(await readFile(join(dir, '.env'), 'utf8'), ENV_FILE);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('notes on stderr: the install line, a missing .env, an API key that would break the client', async () => {
  const dir = await projectWithEnv(null);
  try {
    const h = harness(dir);
    const r = await snippetCommand(h.ctx, { envFile: '.env' });
    assert.equal(r.lang, 'js');
    assert.match(h.stderr(), /No \.env here/);
    assert.match(h.stderr(), /install: npm install @azure\/identity openai/);

    await writeFile(join(dir, '.env'), `${ENV_FILE}AZURE_OPENAI_API_KEY=abc123\n`);
    const k = harness(dir);
    const withKey = await snippetCommand(k.ctx, { lang: 'python', envFile: '.env' });
    assert.match(k.stderr(), /AZURE_OPENAI_API_KEY/);
    assert.doesNotMatch(withKey.code, /abc123|AZURE_OPENAI_API_KEY/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('github-actions follows the .env: values for the variables, the cloud for azure/login, the scope', async () => {
  const dir = await projectWithEnv(
    [
      'AZURE_OPENAI_ENDPOINT=https://gov-aoai.openai.azure.us/',
      'AZURE_OPENAI_DEPLOYMENT=gpt-4o',
      'OPENAI_API_VERSION=2025-01-01-preview',
      'AZURE_OPENAI_SCOPE=https://cognitiveservices.azure.us/.default',
      '',
    ].join('\n'),
  );
  try {
    const { code } = await render('github-actions', dir);
    assert.match(code, /gh variable set AZURE_OPENAI_ENDPOINT --body https:\/\/gov-aoai\.openai\.azure\.us\//);
    assert.match(code, /environment: azureusgovernment/);
    // verify runs on the v1 API in CI too: no api version, even when the .env has one.
    assert.doesNotMatch(code, /API_VERSION/);
    assert.match(code, /AZURE_OPENAI_SCOPE: "https:\/\/cognitiveservices\.azure\.us\/\.default"/);
    assert.match(code, /id-token: write/);
    assert.match(code, /client-id: \$\{\{ vars\.AZURE_CLIENT_ID \}\}/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
