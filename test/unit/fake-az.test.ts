// The fake az against what the real one prints: recorded transcripts of az runs (argv, stdout, stderr, exit code),
// replayed in a world that reproduces them, then the state the fake keeps between calls.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCOUNT_SCOPE, createFakeAz, scenarios } from '../support/fake-az.ts';
import type { FakeAz } from '../support/fake-az.ts';
import { IDS, ROLE_IDS, baseWorld } from '../support/world.mjs';
import type { World } from '../support/world.mjs';
import { readClaims } from '../support/tokens.mjs';

interface Result {
  stdout: string;
  stderr: string;
  exitCode: number;
}
interface Transcript extends Result {
  argv: string[];
}

/** Runs the fake's az (from its bin dir, in /bin like @azure/identity does) with `args`. */
function az(fake: FakeAz, args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  return runProcess(join(fake.binDir, 'az'), args, fake.env(env));
}

function runProcess(file: string, args: string[], env: NodeJS.ProcessEnv, cwd = '/bin'): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, exitCode: code ?? -1 }));
  });
}

/** Runs `args` against a fresh fake over `world`, then removes it. */
async function once(world: World, args: string[]): Promise<Result> {
  const fake = createFakeAz(world);
  try {
    return await az(fake, args);
  } finally {
    await fake.cleanup();
  }
}

const parse = (r: Result): any => JSON.parse(r.stdout);
const okJson = (r: Result): any => {
  assert.equal(r.exitCode, 0, r.stderr);
  return parse(r);
};

/** What differs between runs: tokens, times, and the GUID of a new role assignment. */
function normalise(s: string): string {
  return s
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<token>')
    .replace(/"expiresOn": "[^"]*"/g, '"expiresOn": "<local time>"')
    .replace(/"expires_on": \d+/g, '"expires_on": <epoch>')
    .replace(/"(createdOn|updatedOn)": "[^"]*"/g, '"$1": "<time>"')
    .replace(/roleAssignments\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'roleAssignments/<guid>')
    .replace(/"name": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"/g, '"name": "<guid>"');
}

// ---------------------------------------------------------------------------------------------
// Recorded transcripts
// ---------------------------------------------------------------------------------------------

// The recorded outputs of the real az (kept in test/fixtures so the suite needs nothing outside the repository).
const TRANSCRIPTS_PATH = fileURLToPath(new URL('../fixtures/azure-fixtures.json', import.meta.url));
const transcripts: Record<string, Transcript> = JSON.parse(readFileSync(TRANSCRIPTS_PATH, 'utf8'));

const withoutGroupInDirectory = (): World => baseWorld({ directoryObjectIds: [IDS.miPrincipalId, IDS.spObjectId] });
const withRegionalAccountToo = (): World => {
  const w = baseWorld();
  const [regional] = scenarios.regionalEndpoint().accounts;
  if (regional) w.accounts.push(regional);
  return w;
};

/**
 * The world each recorded az run happened in; null: not replayed, because the transcript is not something az
 * itself prints, or because it is of a command aoai-keyless does not run (NOT_RUN), which the fake does not answer.
 */
const NOT_RUN = null;
const WORLDS: Record<string, (() => World) | null> = {
  az_account_show_user: NOT_RUN,
  az_account_show_service_principal: NOT_RUN,
  az_account_show_managed_identity: NOT_RUN,
  az_account_list_user: scenarios.severalSubscriptions,
  az_account_list_not_logged_in: scenarios.notSignedIn,
  az_err_not_logged_in_account_show: NOT_RUN,
  az_err_not_logged_in_get_access_token: scenarios.notSignedIn,
  az_err_not_logged_in_other_commands: scenarios.notSignedIn,
  az_err_unrecognized_argument: scenarios.user,
  az_ad_signed_in_user_show_user: scenarios.user,
  az_ad_signed_in_user_show_sp_error: scenarios.servicePrincipal,
  az_ad_sp_show: NOT_RUN,
  az_ad_sp_show_not_found_name: NOT_RUN,
  az_ad_sp_show_not_found_guid: NOT_RUN,
  az_cs_account_list: withRegionalAccountToo,
  az_cs_account_show_custom_subdomain: scenarios.user,
  az_cs_account_show_regional_no_subdomain: scenarios.regionalEndpoint,
  az_cs_account_show_endpoint_tsv: scenarios.user,
  az_cs_account_show_not_found: scenarios.user,
  az_cs_account_show_rg_not_found: scenarios.user,
  az_cs_deployment_list: () => {
    const w = baseWorld();
    for (const a of w.accounts) a.deployments = a.deployments.filter((d) => d.chat !== false);
    return w;
  },
  az_role_assignment_create_ok: scenarios.user,
  az_role_assignment_create_ok_by_upn: scenarios.user,
  az_role_assignment_create_already_exists_is_idempotent: scenarios.roleAssignmentExists,
  az_role_assignment_create_authorization_failed: scenarios.authorizationFailed,
  az_role_assignment_create_principal_not_found: scenarios.principalNotFound,
  az_role_assignment_create_assignee_not_in_graph: scenarios.user,
  az_role_assignment_create_assignee_guid_not_in_graph: withoutGroupInDirectory,
  az_role_assignment_list_match: NOT_RUN,
  az_role_assignment_list_empty: NOT_RUN,
  az_role_assignment_list_empty_count_tsv: NOT_RUN,
  az_role_assignment_list_assignee_not_in_graph: NOT_RUN,
  az_account_get_access_token_latest: scenarios.user,
  az_account_get_access_token_2_45: () => baseWorld({ azVersion: '2.45' }),
  az_account_get_access_token_tsv: scenarios.user,
  // Recorded with az 2.45: its re-sign-in wording ("Interactive authentication is needed. Please run:").
  az_err_sp_secret_expired_get_access_token: () => ({
    ...scenarios.servicePrincipal(),
    signInExpired: true,
    azVersion: '2.45',
  }),
  az_err_user_refresh_token_expired_get_access_token: () => ({ ...scenarios.expiredSignIn(), azVersion: '2.45' }),
  // `/bin/sh: 1: az: not found`: the shell's words when there is no az at all.
  az_err_not_installed_shell: null,
};

/**
 * Recorded on a command the fake no longer answers, replayed on one it does: argparse's "unrecognized arguments"
 * does not depend on the command (azure-cli-core parser.py AzCliCommandParser.error).
 */
const REPLAYED_ON: Record<string, string[]> = { az_err_unrecognized_argument: ['account', 'list', '--bogus'] };

describe('the fake az replays recorded az runs', {
  concurrency: 4,
  skip: Object.keys(transcripts).length === 0 && `no transcripts at ${TRANSCRIPTS_PATH}`,
}, () => {
  test('every recorded az run has a world (or a reason not to replay it)', () => {
    const recorded = Object.keys(transcripts).filter((id) => id.startsWith('az_'));
    assert.deepEqual(
      recorded.filter((id) => !(id in WORLDS)),
      [],
    );
  });

  for (const [id, makeWorld] of Object.entries(WORLDS)) {
    const t = transcripts[id];
    if (!t || !makeWorld) continue;
    test(id, async () => {
      const r = await once(makeWorld(), REPLAYED_ON[id] ?? t.argv.slice(1));
      assert.equal(normalise(r.stderr), normalise(t.stderr), 'stderr');
      assert.equal(normalise(r.stdout), normalise(t.stdout), 'stdout');
      assert.equal(r.exitCode, t.exitCode, 'exit code');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// State, tokens and the rest
// ---------------------------------------------------------------------------------------------

const CREATE = [
  'role',
  'assignment',
  'create',
  '--assignee-object-id',
  IDS.userObjectId,
  '--assignee-principal-type',
  'User',
  '--role',
  'Cognitive Services OpenAI User',
  '--scope',
  ACCOUNT_SCOPE,
];
const TOKEN = ['account', 'get-access-token', '--output', 'json', '--resource', 'https://cognitiveservices.azure.com'];

describe('the fake az keeps the pretend Azure', { concurrency: 4 }, () => {
  test('a role assignment it creates is kept in the world, and each call is logged', async () => {
    const fake = createFakeAz(scenarios.user());
    try {
      const created = okJson(await az(fake, CREATE));
      assert.equal(created.createdBy, null);
      assert.match(created.createdOn, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
      assert.equal(fake.world().roleAssignments.length, 1);
      assert.equal(fake.world().roleAssignments[0]?.id, created.id);
      assert.equal(fake.world().roleAssignments[0]?.createdBy, IDS.userObjectId);
      // Creating it again is no error: az answers the 409 with the existing assignment.
      assert.equal(okJson(await az(fake, CREATE)).id, created.id);
      assert.equal(fake.world().roleAssignments.length, 1);

      const calls = fake.calls();
      assert.deepEqual(
        calls.map((c) => [c.argv.slice(0, 3).join(' '), c.exitCode]),
        [
          ['role assignment create', 0],
          ['role assignment create', 0],
        ],
      );
      assert.ok(
        calls.every((c) => c.end >= c.start && c.cwd === realpathSync('/bin')),
        JSON.stringify(calls),
      );
    } finally {
      await fake.cleanup();
    }
  });

  test('role assignment delete removes by id and by filter', async () => {
    const fake = createFakeAz(scenarios.roleAssignmentExists());
    try {
      const [existing] = fake.world().roleAssignments;
      const byId = await az(fake, ['role', 'assignment', 'delete', '--ids', existing?.id ?? '']);
      assert.deepEqual([byId.exitCode, byId.stdout, byId.stderr], [0, '', '']);
      assert.equal(fake.world().roleAssignments.length, 0);
      const none = await az(fake, [
        'role',
        'assignment',
        'delete',
        '--assignee',
        IDS.userObjectId,
        '--role',
        'Cognitive Services OpenAI User',
        '--scope',
        ACCOUNT_SCOPE,
      ]);
      assert.deepEqual([none.exitCode, none.stderr], [1, 'ERROR: No matched assignments were found to delete\n']);
      okJson(await az(fake, CREATE));
      const byFilter = await az(fake, [
        'role',
        'assignment',
        'delete',
        '--assignee',
        'alice@contoso.com',
        '--role',
        ROLE_IDS['Cognitive Services OpenAI User'],
        '--scope',
        ACCOUNT_SCOPE,
      ]);
      assert.equal(byFilter.exitCode, 0, byFilter.stderr);
      assert.equal(fake.world().roleAssignments.length, 0);
    } finally {
      await fake.cleanup();
    }
  });

  test("ARM refuses a principal type that is not the principal's, and an unknown role", async () => {
    const wrongType = await once(scenarios.user(), [
      'role',
      'assignment',
      'create',
      '--assignee-object-id',
      IDS.spObjectId,
      '--assignee-principal-type',
      'User',
      '--role',
      'Cognitive Services OpenAI User',
      '--scope',
      ACCOUNT_SCOPE,
    ]);
    assert.equal(wrongType.exitCode, 1);
    assert.match(
      wrongType.stderr,
      /^ERROR: \(UnmatchedPrincipalType\) The PrincipalId '66666666666666666666666666666666' has type 'ServicePrincipal' , which is different from specified PrinciaplType 'User'\.\nCode: UnmatchedPrincipalType\nMessage: /,
    );
    const unknownRole = await once(scenarios.user(), [
      'role',
      'assignment',
      'create',
      '--assignee',
      'alice@contoso.com',
      '--role',
      'Nope',
      '--scope',
      ACCOUNT_SCOPE,
    ]);
    assert.deepEqual([unknownRole.exitCode, unknownRole.stderr], [1, "ERROR: Role 'Nope' doesn't exist.\n"]);
  });

  test('az login signs in, az logout signs out', async () => {
    const fake = createFakeAz(scenarios.notSignedIn());
    try {
      const login = okJson(await az(fake, ['login']));
      assert.deepEqual(
        login.map((s: any) => [s.cloudName, s.user.name]),
        [['AzureCloud', 'alice@contoso.com']],
      );
      assert.equal(okJson(await az(fake, ['account', 'list']))[0].name, 'Contoso Dev');
      assert.equal((await az(fake, ['logout'])).exitCode, 0);
      assert.deepEqual(await az(fake, ['account', 'list']), {
        stdout: '[]\n',
        stderr: 'WARNING: Please run "az login" to access your accounts.\n',
        exitCode: 0,
      });
      const sp = okJson(
        await az(fake, ['login', '--service-principal', '-u', IDS.spAppId, '-p', 'secret', '--tenant', IDS.tenant]),
      );
      assert.deepEqual(sp[0].user, { name: IDS.spAppId, type: 'servicePrincipal' });
      const mi = okJson(await az(fake, ['login', '--identity', '-u', IDS.miClientId]));
      assert.deepEqual(mi[0].user, {
        assignedIdentityInfo: `MSIClient-${IDS.miClientId}`,
        name: 'userAssignedIdentity',
        type: 'servicePrincipal',
      });
    } finally {
      await fake.cleanup();
    }
  });

  const EXPIRED_WORDING: Array<[version: string, stderr: RegExp]> = [
    [
      '2.45',
      /^ERROR: AADSTS700082: .*\nInteractive authentication is needed\. Please run:\naz login --scope https:\/\/management\.core\.windows\.net\/\/\.default\n$/,
    ],
    [
      '2.78',
      /^ERROR: AADSTS700082: .*\nRun the command below to authenticate interactively; additional arguments may be added as needed:\naz logout\naz login --tenant "22222222-2222-2222-2222-222222222222" --scope "https:\/\/management\.core\.windows\.net\/\/\.default"\n$/,
    ],
  ];
  for (const [azVersion, wording] of EXPIRED_WORDING) {
    test(`an expired sign-in (az ${azVersion}) still lists the account but gets no token, for ARM either; az login mends it`, async () => {
      const fake = createFakeAz({ ...scenarios.expiredSignIn(), azVersion });
      try {
        okJson(await az(fake, ['account', 'list']));
        const arm = await az(fake, ['cognitiveservices', 'account', 'list']);
        assert.equal(arm.exitCode, 1);
        assert.match(arm.stderr, wording);
        okJson(await az(fake, ['login']));
        okJson(await az(fake, TOKEN));
      } finally {
        await fake.cleanup();
      }
    });
  }

  test('azureProfile.json is rewritten in place on every call, as az saves it (same file, not a renamed copy)', async () => {
    const fake = createFakeAz(scenarios.user());
    try {
      okJson(await az(fake, ['account', 'list']));
      const path = join(fake.dir, 'azure-config', 'azureProfile.json');
      const before = statSync(path).ino;
      okJson(await az(fake, ['account', 'list']));
      assert.equal(statSync(path).ino, before);
      assert.match(readFileSync(path, 'utf8'), /^\uFEFF\{"installationId"/);
    } finally {
      await fake.cleanup();
    }
  });

  test('a role assignment write without MFA: current az warns the re-sign-in with the claims, --only-show-errors hides it; 2.45 cannot take --claims-challenge', async () => {
    const fake = createFakeAz({ ...scenarios.user(), mfaForWrites: true });
    try {
      const create = [
        'role',
        'assignment',
        'create',
        '--assignee-object-id',
        '55555555-5555-5555-5555-555555555555',
        '--assignee-principal-type',
        'User',
        '--role',
        'Cognitive Services OpenAI User',
        '--scope',
        '/subscriptions/11111111-1111-1111-1111-111111111111',
      ];
      const loud = await az(fake, create);
      assert.equal(loud.exitCode, 1);
      assert.match(
        loud.stderr,
        /^WARNING: Run the command below .*\naz logout\naz login --tenant "2{8}-2{4}-2{4}-2{4}-2{12}" --scope "https:\/\/management\.core\.windows\.net\/\/\.default" --claims-challenge "eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlcyI6WyJwMSJdfX19"\nERROR: \(RequestDisallowedByPolicy\) .*MFA is required/,
      );
      const quiet = await az(fake, [...create, '--only-show-errors']);
      assert.match(quiet.stderr, /^ERROR: \(RequestDisallowedByPolicy\)/);
      okJson(await az(fake, ['login', '--claims-challenge', 'eyJ9']));
      okJson(await az(fake, create));
    } finally {
      await fake.cleanup();
    }
    const old = createFakeAz({ ...scenarios.user(), mfaForWrites: true, azVersion: '2.45' });
    try {
      const r = await az(old, ['login', '--claims-challenge', 'eyJ9']);
      assert.equal(r.exitCode, 2);
      assert.match(r.stderr, /unrecognized arguments: --claims-challenge/);
    } finally {
      await old.cleanup();
    }
  });

  test('--subscription takes a name, in any case; an unknown one is a warning and an error', async () => {
    const fake = createFakeAz(scenarios.severalSubscriptions());
    try {
      for (const [name, accounts] of [
        ['Contoso Prod', ['contoso-aoai-prod']],
        ['contoso dev', ['contoso-aoai']],
      ] as const) {
        const names = await az(fake, [
          'cognitiveservices',
          'account',
          'list',
          '--subscription',
          name,
          '--query',
          '[].name',
        ]);
        assert.deepEqual(okJson(names), accounts);
      }
      const token = okJson(await az(fake, [...TOKEN, '--subscription', IDS.subscription]));
      assert.equal(token.subscription, IDS.subscription);
      const bad = await az(fake, ['cognitiveservices', 'account', 'list', '--subscription', 'nope']);
      assert.deepEqual(
        [bad.exitCode, bad.stderr],
        [
          1,
          "WARNING: Subscription 'nope' not recognized.\nERROR: Subscription 'nope' not found. Check the spelling and casing and try again.\n",
        ],
      );
    } finally {
      await fake.cleanup();
    }
  });

  test('tokens carry the claims of who is signed in; expires_on agrees with the token', async () => {
    const user = okJson(await once(scenarios.user(), TOKEN));
    const claims = readClaims(user.accessToken);
    assert.equal(claims?.aud, 'https://cognitiveservices.azure.com');
    assert.equal(claims?.oid, IDS.userObjectId);
    assert.equal(claims?.exp, user.expires_on);
    const d = new Date(user.expires_on * 1000);
    assert.equal(
      user.expiresOn,
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${d.toTimeString().slice(0, 8)}.000000`,
    );

    const mi = okJson(await once(scenarios.managedIdentitySignedIn(), TOKEN));
    assert.equal(readClaims(mi.accessToken)?.appid, IDS.miClientId);
    assert.match(
      readClaims(mi.accessToken)?.xms_mirid,
      /\/resourcegroups\/rg-app\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/id-app$/,
    );

    const arm = okJson(
      await once(baseWorld({ tokenLifetimeSeconds: 90 }), ['account', 'get-access-token', '--tenant', IDS.tenant]),
    );
    assert.equal(readClaims(arm.accessToken)?.aud, 'https://management.core.windows.net/');
    assert.equal(arm.expires_on - (readClaims(arm.accessToken)?.iat ?? 0), 90);
    assert.equal('subscription' in arm, false);
  });

  test("usage errors: unknown command, missing and invalid arguments (exit 2), with az's examples", async () => {
    const world = scenarios.user();
    const [unknown, missing, invalid, group] = await Promise.all([
      once(world, ['xyz']),
      once(world, ['cognitiveservices', 'account', 'show']),
      once(world, [
        'role',
        'assignment',
        'create',
        '--role',
        'x',
        '--assignee-principal-type',
        'Bogus',
        '--assignee-object-id',
        '1',
      ]),
      once(world, ['account']),
    ]);
    const trailer =
      '\nExamples from AI knowledge base:\nhttps://aka.ms/cli_ref\nRead more about the command in reference docs\n';
    assert.deepEqual(unknown, {
      stdout: '',
      stderr: `ERROR: 'xyz' is misspelled or not recognized by the system.\n${trailer}`,
      exitCode: 2,
    });
    assert.deepEqual(group, {
      stdout: '',
      stderr: `ERROR: the following arguments are required: _subcommand\n${trailer}`,
      exitCode: 2,
    });
    assert.equal(missing.exitCode, 2);
    assert.equal(
      missing.stderr,
      'ERROR: the following arguments are required: --resource-group/-g, --name/-n\n\nExamples from AI knowledge base:\naz cognitiveservices account show --name myresource --resource-group cognitive-services-resource-group\nShow account information.\n\nhttps://aka.ms/cli_ref\nRead more about the command in reference docs\n',
    );
    assert.equal(invalid.exitCode, 2);
    // az ranks the examples by the parameters they share with the command line (command_recommender.py).
    assert.match(
      invalid.stderr,
      /^ERROR: az role assignment create: 'Bogus' is not a valid value for '--assignee-principal-type'\. Allowed values: User, Group, ServicePrincipal, ForeignGroup\.\n\nExamples from AI knowledge base:\naz role assignment create --assignee-object-id .* --name 0{8}-0{4}-0{4}-0{4}-0{12}\nCreate role assignment with your own assignment name\.\n\naz role assignment create --assignee sp_name --role a_role\n/,
    );
  });

  test('--query: paths, projections, filters and length(); -o tsv and none', async () => {
    const fake = createFakeAz(scenarios.user());
    const q = async (query: string, output = 'json') =>
      (
        await az(fake, [
          'cognitiveservices',
          'account',
          'deployment',
          'list',
          '-n',
          'contoso-aoai',
          '-g',
          'rg-aoai',
          '--query',
          query,
          '-o',
          output,
        ])
      ).stdout;
    try {
      assert.equal(await q('[].name', 'tsv'), 'gpt-4o-mini\nembed\n');
      assert.equal(await q('length(@)', 'tsv'), '2\n');
      assert.equal(await q("[?properties.capabilities.chatCompletion=='true'].name | [0]", 'tsv'), 'gpt-4o-mini\n');
      assert.equal(
        await q('[1].properties.capabilities', 'json'),
        '{\n  "embeddings": "true",\n  "embeddingsMaxInputs": "2048"\n}\n',
      );
      assert.equal(await q('[0].sku', 'tsv'), '10\tGlobalStandard\n');
      assert.equal(await q('[0].name', 'none'), '');
      assert.equal(await q('[5].name', 'json'), '');
      const unsupported = await az(fake, ['account', 'list', '--query', '{n: name}']);
      assert.equal(unsupported.exitCode, 1);
      assert.match(
        unsupported.stderr,
        /^ERROR: fake az: --query '\{n: name\}' uses JMESPath this test double does not implement/,
      );
      assert.equal((await az(fake, ['account', 'list', '--query', '[0].isDefault', '-o', 'tsv'])).stdout, 'true\n');
      assert.equal(
        (await az(fake, ['account', 'list', '--query', '[0].user', '-o', 'tsv'])).stdout,
        'alice@contoso.com\tuser\n',
      );
    } finally {
      await fake.cleanup();
    }
  });

  test('AIServices accounts and identities', async () => {
    const fake = createFakeAz(scenarios.aiServicesAccount());
    try {
      const ais = okJson(
        await az(fake, [
          'cognitiveservices',
          'account',
          'show',
          '--ids',
          `/subscriptions/${IDS.subscription}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-ais`,
        ]),
      );
      assert.equal(ais.properties.endpoint, 'https://contoso-ais.cognitiveservices.azure.com/');
      assert.equal(
        ais.properties.endpoints['OpenAI Language Model Instance API'],
        'https://contoso-ais.openai.azure.com/',
      );
      const id = okJson(await az(fake, ['identity', 'show', '-n', 'id-app', '-g', 'rg-app']));
      assert.deepEqual(
        [id.clientId, id.principalId, id.resourceGroup, id.type],
        [IDS.miClientId, IDS.miPrincipalId, 'rg-app', 'Microsoft.ManagedIdentity/userAssignedIdentities'],
      );
      const missing = await az(fake, ['identity', 'show', '-n', 'nope', '-g', 'rg-app']);
      assert.equal(missing.exitCode, 3);
      assert.match(
        missing.stderr,
        /^ERROR: \(ResourceNotFound\) The Resource 'Microsoft\.ManagedIdentity\/userAssignedIdentities\/nope' under resource group 'rg-app' was not found\. For more details please go to https:\/\/aka\.ms\/ARMResourceNotFoundFix\nCode: ResourceNotFound\nMessage: /,
      );
    } finally {
      await fake.cleanup();
    }
  });

  test('world.azDelayMs slows each call down', async () => {
    const fake = createFakeAz(baseWorld({ azDelayMs: 300, signedIn: null }));
    try {
      const r = await az(fake, ['account', 'list']);
      assert.equal(r.exitCode, 0);
      const [call] = fake.calls();
      assert.ok(call && call.end - call.start >= 300, JSON.stringify(call));
    } finally {
      await fake.cleanup();
    }
  });

  test('env(): the fake az first on PATH, inherited Azure settings gone, extras applied', async () => {
    const fake = createFakeAz();
    const planted = { AZURE_CLIENT_SECRET: 's', CI: 'true', OPENAI_API_KEY: 'k', FAKE_AZ_TEST_KEEP: '1' };
    const before = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]));
    try {
      Object.assign(process.env, planted);
      const env = fake.env({ EXTRA: 'x', FAKE_AZ_TEST_KEEP: undefined });
      assert.equal(env.PATH?.split(delimiter)[0], fake.binDir);
      assert.deepEqual(
        [env.AZURE_CLIENT_SECRET, env.CI, env.OPENAI_API_KEY, env.FAKE_AZ_TEST_KEEP, env.EXTRA],
        [undefined, undefined, undefined, undefined, 'x'],
      );
      assert.deepEqual(
        [env.AZURE_TOKEN_CREDENTIALS, env.NO_COLOR, env.FAKE_AZ_WORLD, env.HOME],
        ['AzureCliCredential', '1', fake.worldPath, join(fake.dir, 'home')],
      );
    } finally {
      for (const [k, v] of Object.entries(before)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await fake.cleanup();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// @azure/identity's AzureCliCredential runs the fake through a shell, from /bin
// ---------------------------------------------------------------------------------------------

const GET_TOKEN = `
import { AzureCliCredential } from '@azure/identity';
try {
  const t = await new AzureCliCredential({ subscription: process.env.SUB || undefined }).getToken('https://cognitiveservices.azure.com/.default');
  console.log(JSON.stringify({ token: t.token, expiresOnTimestamp: t.expiresOnTimestamp }));
} catch (e) {
  console.log(JSON.stringify({ name: e.name, message: e.message }));
}`;

async function credentialSays(world: World, env: Record<string, string> = {}): Promise<any> {
  const fake = createFakeAz(world);
  try {
    const r = await runProcess(
      process.execPath,
      ['--input-type=module', '-e', GET_TOKEN],
      fake.env(env),
      process.cwd(),
    );
    assert.equal(r.exitCode, 0, r.stderr);
    return JSON.parse(r.stdout);
  } finally {
    await fake.cleanup();
  }
}

describe('AzureCliCredential and the fake az', { concurrency: true }, () => {
  test("gets the fake's token (subscription quoted through the shell), reads sign-in problems as az's", async () => {
    const [ok, notSignedIn, expired] = await Promise.all([
      credentialSays(scenarios.severalSubscriptions(), { SUB: 'Contoso Prod' }),
      credentialSays(scenarios.notSignedIn()),
      credentialSays({ ...scenarios.expiredSignIn(), azVersion: '2.45' }),
    ]);
    assert.equal(readClaims(ok.token)?.aud, 'https://cognitiveservices.azure.com');
    assert.equal(ok.expiresOnTimestamp, (readClaims(ok.token)?.exp ?? 0) * 1000);
    assert.deepEqual(notSignedIn, {
      name: 'CredentialUnavailableError',
      message: "Please run 'az login' from a command prompt to authenticate before using this credential.",
    });
    assert.equal(expired.name, 'CredentialUnavailableError');
    assert.match(
      expired.message,
      /AADSTS700082: .*\nInteractive authentication is needed\. Please run:\naz login --scope https:\/\/cognitiveservices\.azure\.com\/\.default/,
    );
  });
});

test('concurrent writes are all kept: a federated credential and a role assignment created at the same time', async () => {
  // Both calls read the world while the other sleeps (azDelayMs): without the world lock one write was lost.
  const fake = createFakeAz({ azDelayMs: 200 });
  try {
    const [fic, role] = await Promise.all([
      az(fake, [
        'identity',
        'federated-credential',
        'create',
        '--name',
        'fic',
        '--identity-name',
        'id-app',
        '-g',
        'rg-app',
        '--issuer',
        'https://token.actions.githubusercontent.com',
        '--subject',
        'repo:o/r:pull_request',
        '--audiences',
        'api://AzureADTokenExchange',
      ]),
      az(fake, [
        'role',
        'assignment',
        'create',
        '--assignee-object-id',
        IDS.miPrincipalId,
        '--assignee-principal-type',
        'ServicePrincipal',
        '--role',
        ROLE_IDS['Cognitive Services OpenAI User'],
        '--scope',
        ACCOUNT_SCOPE,
      ]),
    ]);
    assert.equal(fic.exitCode, 0, fic.stderr);
    assert.equal(role.exitCode, 0, role.stderr);
    const w = fake.world();
    assert.deepEqual(
      w.identities.find((i) => i.name === 'id-app')?.federatedCredentials?.map((c) => c.subject),
      ['repo:o/r:pull_request'],
    );
    assert.equal(w.roleAssignments.filter((a) => a.principalId === IDS.miPrincipalId).length, 1);
  } finally {
    await fake.cleanup();
  }
});
