// `ci github` end to end: the built CLI against an az (the fake az, or the real az with the stand-in for
// Azure: one scenario, both tiers) and a fake gh (test/fake-gh) on PATH. Each scenario checks what comes out in Azure (identity, federated credential, role), on GitHub
// (variables, at the environment's level when one is chosen) and on disk (the workflow), and that a re-run
// changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import type { AzHarness } from '../support/az-harness.ts';
import { baseGitHub, contosoRepo, createFakeGh, type FakeGh, type GitHubState } from '../support/fake-gh.ts';
import { runCli } from '../support/cli.ts';
import { IDS, baseWorld, type World } from '../support/world.mjs';

const AZURE = [
  '--yes',
  '--subscription',
  IDS.subscription,
  '--resource-group',
  'rg-aoai',
  '--resource',
  'contoso-aoai',
  '--deployment',
  'gpt-4o-mini',
];
const ISSUER = 'https://token.actions.githubusercontent.com';

interface Scene {
  az: AzHarness;
  gh: FakeGh;
  dir: string;
  env: NodeJS.ProcessEnv;
}

export type CiHarnessFactory = (world: World) => AzHarness | Promise<AzHarness>;
let factory: CiHarnessFactory;

async function scene(t: TestContext, github: GitHubState = baseGitHub(), world: Partial<World> = {}): Promise<Scene> {
  const az = await factory(baseWorld(world));
  const gh = createFakeGh(github);
  const dir = await mkdtemp(join(tmpdir(), 'aoai-ci-'));
  t.after(async () => {
    await Promise.all([az.cleanup(), gh.cleanup(), rm(dir, { recursive: true, force: true })]);
  });
  return { az, gh, dir, env: gh.withGh(az.env()) };
}

// A real az call costs seconds on a loaded machine and ci github makes up to five rounds of them.
const run = (s: Scene, args: string[], env = s.env) =>
  runCli(['ci', 'github', ...AZURE, ...args], { env, cwd: s.dir, timeoutMs: 300_000 });
const writes = (s: Scene) =>
  s.az
    .calls()
    .map((c) => c.argv.join(' '))
    .filter((c) => / create( |$)/.test(c));
const ghWrites = (s: Scene) => s.gh.calls().filter((a) => (a[0] === 'variable' && a[1] === 'set') || a.includes('PUT'));
const identity = (s: Scene) => s.az.world().identities.find((i) => i.name === 'id-github-contoso-payments-api');

async function expectTrust(s: Scene, subject: string): Promise<void> {
  const mi = identity(s);
  assert.ok(mi, 'the identity was created');
  assert.equal(mi.location, 'eastus', "in the account's location");
  assert.deepEqual(
    mi.federatedCredentials?.map((c) => [c.issuer, c.subject, c.audiences]),
    [[ISSUER, subject, ['api://AzureADTokenExchange']]],
  );
  const role = s.az.world().roleAssignments.find((a) => a.principalId === mi.principalId);
  assert.ok(role, 'the identity holds the role');
  assert.equal(role.principalType, 'ServicePrincipal');
  assert.match(role.roleDefinitionId, /5e0bd9bd-7b93-4f28-af87-19fc36ad61bd$/);
  assert.match(role.scope, /\/accounts\/contoso-aoai$/);
}

function expectedVariables(s: Scene): Record<string, string> {
  return {
    AZURE_CLIENT_ID: identity(s)?.clientId ?? '',
    AZURE_TENANT_ID: IDS.tenant,
    AZURE_SUBSCRIPTION_ID: IDS.subscription,
    AZURE_OPENAI_ENDPOINT: 'https://contoso-aoai.openai.azure.com/',
    AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini',
  };
}

async function expectRerunChangesNothing(s: Scene, args: string[]): Promise<void> {
  const [azBefore, ghBefore] = [writes(s).length, ghWrites(s).length];
  const workflow = await readFile(join(s.dir, '.github/workflows/aoai-keyless.yml'), 'utf8');
  const again = await run(s, [...args, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(writes(s).length, azBefore, 'no az write on a re-run');
  assert.equal(ghWrites(s).length, ghBefore, 'no gh write on a re-run');
  const doc = JSON.parse(again.stdout);
  assert.equal(doc.identity.status, 'existing');
  assert.equal(doc.federatedCredential.status, 'existing');
  assert.equal(doc.roleAssignment.status, 'existing');
  assert.equal(doc.workflow.status, 'unchanged');
  assert.ok(Object.values(doc.variables.status).every((v) => v === 'unchanged'));
  assert.equal(await readFile(join(s.dir, '.github/workflows/aoai-keyless.yml'), 'utf8'), workflow);
}

export function defineCiGithubScenarios(tier: string, make: CiHarnessFactory): void {
  factory = make;
  const it = (name: string, fn: (t: TestContext) => Promise<void>) => test(`${tier}: ${name}`, fn);
  it('default: the default branch of the current repository; identity, credential, role, variables and workflow; a re-run changes nothing', async (t) => {
    const s = await scene(t);
    const r = await run(s, []);
    assert.equal(r.code, 0, r.stderr);
    await expectTrust(s, 'repo:contoso/payments-api:ref:refs/heads/main');
    assert.deepEqual(s.gh.state().repos['contoso/payments-api']?.variables, expectedVariables(s));
    const workflow = await readFile(join(s.dir, '.github/workflows/aoai-keyless.yml'), 'utf8');
    assert.match(workflow, /permissions:\n {2}id-token: write/);
    assert.match(workflow, /uses: azure\/login@v2\n {8}with:\n {10}client-id: \$\{\{ vars\.AZURE_CLIENT_ID \}\}/);
    assert.match(workflow, /run: npx --yes aoai-keyless verify/);
    assert.match(workflow, /branches: \["main"\]/);
    // --audiences is always explicit: az 2.74 dropped its default (Azure/azure-cli#31598).
    const create = s.az.calls().find((c) => c.argv.join(' ').startsWith('identity federated-credential create'));
    assert.deepEqual(create?.argv.slice(create.argv.indexOf('--audiences'), create.argv.indexOf('--audiences') + 2), [
      '--audiences',
      'api://AzureADTokenExchange',
    ]);
    await expectRerunChangesNothing(s, []);
  });

  it('--environment: the environment subject, variables at its level (the environment created), the job bound to it', async (t) => {
    const s = await scene(t);
    const r = await run(s, ['--repo', 'contoso/payments-api', '--environment', 'production']);
    assert.equal(r.code, 0, r.stderr);
    await expectTrust(s, 'repo:contoso/payments-api:environment:production');
    const repo = s.gh.state().repos['contoso/payments-api'];
    assert.deepEqual(repo?.environments['production']?.variables, expectedVariables(s));
    assert.deepEqual(repo?.variables, {}, 'nothing at the repository level');
    assert.match(
      await readFile(join(s.dir, '.github/workflows/aoai-keyless.yml'), 'utf8'),
      /environment: "production"/,
    );
    await expectRerunChangesNothing(s, ['--repo', 'contoso/payments-api', '--environment', 'production']);
  });

  it('--pull-request: the pull_request subject and trigger', async (t) => {
    const s = await scene(t);
    const r = await run(s, ['--repo', 'contoso/payments-api', '--pull-request']);
    assert.equal(r.code, 0, r.stderr);
    await expectTrust(s, 'repo:contoso/payments-api:pull_request');
    assert.match(await readFile(join(s.dir, '.github/workflows/aoai-keyless.yml'), 'utf8'), /on:\n {2}pull_request:\n/);
  });

  it('an immutable-id repository: repo:OWNER@<owner id>/REPO@<repo id>:...', async (t) => {
    const s = await scene(
      t,
      baseGitHub({
        repos: {
          'contoso/payments-api': contosoRepo({ oidc_sub: { use_default: true, use_immutable_subject: true } }),
        },
      }),
    );
    const r = await run(s, ['--repo', 'contoso/payments-api', '--branch', 'release']);
    assert.equal(r.code, 0, r.stderr);
    await expectTrust(s, 'repo:contoso@5544123/payments-api@821093847:ref:refs/heads/release');
  });

  it('a repository created after 2026-07-15 gets the immutable subject by default', async (t) => {
    const s = await scene(
      t,
      baseGitHub({ repos: { 'contoso/payments-api': contosoRepo({ created_at: '2026-08-01T09:00:00Z' }) } }),
    );
    const r = await run(s, ['--repo', 'contoso/payments-api']);
    assert.equal(r.code, 0, r.stderr);
    await expectTrust(s, 'repo:contoso@5544123/payments-api@821093847:ref:refs/heads/main');
  });

  it("the organisation's custom subject template, inherited by the repository", async (t) => {
    const s = await scene(
      t,
      baseGitHub({
        repos: { 'contoso/payments-api': contosoRepo({ oidc_sub: { use_default: false } }) },
        orgs: { contoso: { include_claim_keys: ['repository_owner_id', 'repository_id', 'context'] } },
      }),
    );
    const r = await run(s, ['--repo', 'contoso/payments-api']);
    assert.equal(r.code, 0, r.stderr);
    await expectTrust(s, 'repository_owner_id:5544123:repository_id:821093847:ref:refs/heads/main');
    assert.ok(s.gh.calls().some((a) => a.join(' ') === 'api orgs/contoso/actions/oidc/customization/sub'));
  });

  it('--dry-run prints every az and gh command and the workflow, and changes nothing', async (t) => {
    const s = await scene(t);
    const r = await run(s, ['--repo', 'contoso/payments-api', '--dry-run', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(writes(s), []);
    assert.deepEqual(ghWrites(s), []);
    const doc = JSON.parse(r.stdout);
    const commands: string[] = doc.plan.commands;
    assert.match(
      commands[0] ?? '',
      /^az identity create --name id-github-contoso-payments-api --resource-group rg-aoai --location eastus$/,
    );
    assert.match(
      commands[1] ?? '',
      /^az identity federated-credential create .* --issuer https:\/\/token.actions.githubusercontent.com --subject repo:contoso\/payments-api:ref:refs\/heads\/main --audiences api:\/\/AzureADTokenExchange$/,
    );
    assert.match(
      commands[2] ?? '',
      /^az role assignment create .*--assignee-principal-type ServicePrincipal --role 5e0bd9bd/,
    );
    assert.equal(commands.filter((c) => c.startsWith('gh variable set ')).length, 5);
    // Each change is queued and planned, none applied; the lookups before them are done.
    const steps = Object.fromEntries(doc.steps.map((x: { id: string; status: string }) => [x.id, x.status]));
    assert.deepEqual(steps, {
      'github-cli': 'done',
      repository: 'done',
      'sign-in': 'done',
      subscription: 'done',
      resource: 'done',
      deployment: 'done',
      'identity-lookup': 'done',
      'managed-identity': 'planned',
      'federated-credential': 'planned',
      'role-assignment': 'planned',
      'actions-variables': 'planned',
      workflow: 'planned',
    });
    assert.match(r.stderr, /permissions:/);
    assert.match(
      r.stderr,
      /gh variable set AZURE_OPENAI_ENDPOINT --body https:\/\/contoso-aoai.openai.azure.com\/ --repo contoso\/payments-api/,
    );
    await assert.rejects(readFile(join(s.dir, '.github/workflows/aoai-keyless.yml')));
  });

  it('without gh: the Azure side is done, the gh commands and the values for the web UI are printed, exit 0', async (t) => {
    const s = await scene(t);
    const env = { ...s.env, PATH: [s.az.binDir, dirname(process.execPath)].join(delimiter) };
    const r = await run(s, ['--repo', 'contoso/payments-api'], env);
    assert.equal(r.code, 0, r.stderr);
    await expectTrust(s, 'repo:contoso/payments-api:ref:refs/heads/main');
    assert.match(r.stderr, /GitHub's CLI \(gh\) is not installed/);
    assert.match(
      r.stderr,
      new RegExp(`gh variable set AZURE_CLIENT_ID --body ${identity(s)?.clientId} --repo contoso/payments-api`),
    );
    assert.match(r.stderr, /AZURE_OPENAI_DEPLOYMENT = gpt-4o-mini/);
  });

  it('gh signed out: the same hand-off, exit 0', async (t) => {
    const s = await scene(t, baseGitHub({ signedIn: false }));
    const r = await run(s, ['--repo', 'contoso/payments-api', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.gh, 'signed-out');
    assert.equal(doc.variables.commands.length, 5);
    assert.ok(Object.values(doc.variables.status).every((v) => v === 'manual'));
    assert.deepEqual(ghWrites(s), []);
  });

  it('an existing workflow is never replaced without --force', async (t) => {
    const s = await scene(t);
    const path = join(s.dir, '.github/workflows/aoai-keyless.yml');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, 'name: mine\n');
    const r = await run(s, ['--repo', 'contoso/payments-api', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).workflow.status, 'exists');
    assert.equal(await readFile(path, 'utf8'), 'name: mine\n');
    const forced = await run(s, ['--repo', 'contoso/payments-api', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(await readFile(path, 'utf8'), /id-token: write/);
  });

  it('an identity with 20 federated credentials: a clear error naming the limit (exit 5), nothing created', async (t) => {
    const full = Array.from({ length: 20 }, (_, n) => ({
      name: `fic${n}`,
      issuer: ISSUER,
      subject: `repo:contoso/other:ref:refs/heads/b${n}`,
      audiences: ['api://AzureADTokenExchange'],
    }));
    const w = baseWorld();
    w.identities.push({
      subscriptionId: IDS.subscription,
      resourceGroup: 'rg-aoai',
      name: 'id-github-contoso-payments-api',
      principalId: '12121212-1212-1212-1212-121212121212',
      clientId: '34343434-3434-3434-3434-343434343434',
      tenantId: IDS.tenant,
      federatedCredentials: full,
    });
    const s = await scene(t, baseGitHub(), w);
    const r = await run(s, ['--repo', 'contoso/payments-api', '--json']);
    assert.equal(r.code, 5, r.stderr);
    assert.equal(JSON.parse(r.stdout).error.code, 'federated-credential-limit');
    assert.match(r.stderr, /already has 20 federated credentials/);
    assert.deepEqual(writes(s), []);
  });
}
