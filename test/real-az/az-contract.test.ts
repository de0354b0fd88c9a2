// The contract between aoai-keyless and the Azure CLI, checked against the real az (Debian's azure-cli
// 2.45) talking to the stand-in for Azure on 127.0.0.1: the outputs, error texts and exit codes the product
// parses. Where the world matches a recorded transcript (expected.json), the text must be the same.
//
// Run: node --import tsx --test test/real-az/az-contract.test.ts   (skipped, with the reason, when az cannot run)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createRealAz, realAzAvailable, type RealAz } from '../support/real-az.ts';
import { baseWorld, accountId, IDS, ROLE_IDS } from '../support/world.mjs';
import { readClaims } from '../support/tokens.mjs';

interface Expected {
  argv: string[];
  stdout: string;
  stderr: string;
  exitCode: number;
}
const expected = JSON.parse(readFileSync(new URL('./expected.json', import.meta.url), 'utf8')) as Record<
  string,
  Expected
>;
const fixture = (name: string): Expected => {
  const f = expected[name];
  if (!f) throw new Error(`no expected output named ${name}`);
  return f;
};

const signInTexts = JSON.parse(readFileSync(new URL('../fixtures/az-sign-in-texts.json', import.meta.url), 'utf8')) as {
  texts: Array<{ id: string; stderr: string }>;
};
const signInText = (id: string): string =>
  signInTexts.texts.find((t) => t.id === id)?.stderr ?? `no sign-in text ${id}`;

const available = realAzAvailable();
if (!available.ok) {
  // Counted as a skipped test in the summary, with the reason, never as a silent pass.
  it('real az 2.45 against the stand-in', (t) => {
    t.skip(`real az unavailable: ${available.reason}`);
  });
}

const ACCOUNT = baseWorld().accounts[0]!;
const SCOPE = accountId(ACCOUNT);
const OPENAI_USER = 'Cognitive Services OpenAI User';

interface Result {
  exitCode: number;
  stdout: string;
  stderr: string;
}
function az(h: RealAz, args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<Result> {
  return new Promise((done) => {
    execFile('az', args, { env: h.env(extraEnv), encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      const code =
        err && typeof (err as { code?: unknown }).code === 'number'
          ? (err as unknown as { code: number }).code
          : err
            ? 1
            : 0;
      done({ exitCode: code, stdout, stderr });
    });
  });
}
/** az with a recorded transcript's arguments, compared with it whole. */
async function matches(h: RealAz, name: string, normalise: (s: string) => string = (s) => s) {
  const f = fixture(name);
  const r = await az(h, f.argv);
  assert.equal(normalise(r.stderr), normalise(f.stderr), `${name}: stderr`);
  assert.equal(normalise(r.stdout), normalise(f.stdout), `${name}: stdout`);
  assert.equal(r.exitCode, f.exitCode, `${name}: exit code`);
  return r;
}
const json = <T = any>(r: Result): T => JSON.parse(r.stdout) as T;
const without = (o: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
/** Role assignment names are uuid4s az makes up; times are the stand-in's clock. */
const normaliseAssignment = (s: string) =>
  s
    .replace(/roleAssignments\/[0-9a-f-]{36}/g, 'roleAssignments/<name>')
    .replace(/"name": "[0-9a-f-]{36}"/g, '"name": "<name>"')
    .replace(/"(createdOn|updatedOn)": "[^"]+"/g, '"$1": "<time>"');

/** Every request went to a host the stand-in plays; nothing was left unanswered. */
function assertOnlyAzureHosts(h: RealAz) {
  const allowed = new Set([
    'login.microsoftonline.com',
    'management.azure.com',
    'graph.microsoft.com',
    '169.254.169.254',
    'azure.microsoft.com',
    'raw.githubusercontent.com',
    'app.aladdin.microsoft.com',
  ]);
  const strays = h.requests().filter((r) => !allowed.has(r.host) || r.note === 'unknown host' || r.status >= 500);
  assert.deepEqual(strays, [], 'requests the stand-in could not answer');
}

if (available.ok)
  describe('real az 2.45 against the stand-in', { concurrency: true }, () => {
    describe('signed in as a user', { concurrency: 1 }, () => {
      let h: RealAz;
      before(() => {
        h = createRealAz(
          baseWorld({
            subscriptions: [
              { id: IDS.subscription, name: 'Contoso Dev', tenantId: IDS.tenant, isDefault: true, state: 'Enabled' },
              { id: IDS.subscription2, name: 'Contoso Prod', tenantId: IDS.tenant, isDefault: false, state: 'Enabled' },
            ],
            // The recorded list also has an account created without a custom subdomain (regional endpoint).
            accounts: [
              ...baseWorld().accounts,
              {
                subscriptionId: IDS.subscription,
                resourceGroup: 'rg-aoai',
                name: 'legacy-aoai',
                kind: 'OpenAI',
                location: 'japaneast',
                customSubDomainName: null,
                deployments: [],
              },
            ],
          }),
        );
      });
      after(async () => {
        if (h) {
          assertOnlyAzureHosts(h);
          await h.cleanup();
        }
      });

      it('account show: the recorded user account, without tenantDefaultDomain/tenantDisplayName (2.45 does not store them)', async () => {
        const r = await az(h, ['account', 'show', '-o', 'json']);
        assert.equal(r.exitCode, 0, r.stderr);
        const recorded = JSON.parse(fixture('az_account_list_user').stdout)[0];
        const { cloudName, ...rest } = without(recorded, 'tenantDefaultDomain', 'tenantDisplayName');
        assert.deepEqual(json(r), { environmentName: cloudName, ...rest });
        assert.equal(r.stderr, '');
      });

      it('account list: both subscriptions, environmentName renamed cloudName', async () => {
        const r = await az(h, ['account', 'list', '-o', 'json']);
        assert.equal(r.exitCode, 0, r.stderr);
        const recorded = (JSON.parse(fixture('az_account_list_user').stdout) as Array<Record<string, unknown>>).map(
          (s) => without(s, 'tenantDefaultDomain', 'tenantDisplayName'),
        );
        assert.deepEqual(json(r), recorded);
      });

      it('account get-access-token: ARM token for the signed-in user; 2.45 prints no expires_on', async () => {
        const r = await az(h, ['account', 'get-access-token', '-o', 'json']);
        assert.equal(r.exitCode, 0, r.stderr);
        const t = json(r);
        assert.deepEqual(Object.keys(t).sort(), ['accessToken', 'expiresOn', 'subscription', 'tenant', 'tokenType']);
        assert.equal(t.tokenType, 'Bearer');
        assert.equal(t.subscription, IDS.subscription);
        assert.equal(t.tenant, IDS.tenant);
        assert.match(t.expiresOn, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
        const claims = readClaims(t.accessToken);
        assert.equal(claims?.aud, 'https://management.core.windows.net/');
        assert.equal(claims?.oid, IDS.userObjectId);
        assert.equal(claims?.upn, 'alice@contoso.com');
      });

      it('account get-access-token --resource https://cognitiveservices.azure.com: the data-plane audience', async () => {
        const r = await az(h, [
          'account',
          'get-access-token',
          '--output',
          'json',
          '--resource',
          'https://cognitiveservices.azure.com',
        ]);
        assert.equal(r.exitCode, 0, r.stderr);
        const t = json(r);
        assert.equal(readClaims(t.accessToken)?.aud, 'https://cognitiveservices.azure.com');
        assert.equal(readClaims(t.accessToken)?.oid, IDS.userObjectId);
        // expiresOn is local time without a zone (profile/custom.py): @azure/identity parses it with new Date().
        const expires = new Date(t.expiresOn).getTime();
        assert.ok(
          Math.abs(expires - (Date.now() + 3599_000)) < 120_000,
          `expiresOn ${t.expiresOn} is about an hour ahead`,
        );
      });

      it('cognitiveservices account show -n/-g: the recorded account, byte for byte', async () => {
        await matches(h, 'az_cs_account_show_custom_subdomain');
      });

      it('cognitiveservices account list: every account of the subscription, as recorded (one without a custom subdomain)', async () => {
        const r = await matches(h, 'az_cs_account_list');
        assert.deepEqual(
          json<any[]>(r).map((a) => [
            a.properties.customSubDomainName,
            a.properties.disableLocalAuth,
            a.properties.endpoint,
          ]),
          [
            ['contoso-aoai', true, 'https://contoso-aoai.openai.azure.com/'],
            [null, null, 'https://japaneast.api.cognitive.microsoft.com/'],
          ],
        );
      });

      it('cognitiveservices account show --ids: not supported by az 2.45 (usage error, exit 2): use -n/-g', async () => {
        // cognitiveservices/_params.py registers account_name without id_part, so show gets no --ids argument.
        const byId = await az(h, ['cognitiveservices', 'account', 'show', '--ids', SCOPE, '-o', 'json']);
        assert.equal(byId.exitCode, 2);
        assert.equal(byId.stdout, '');
        assert.match(byId.stderr, /^ERROR: the following arguments are required: --resource-group\/-g, --name\/-n\n/);
      });

      it('cognitiveservices account deployment list: the recorded chat deployment, then the embedding one', async () => {
        const r = await az(h, [
          'cognitiveservices',
          'account',
          'deployment',
          'list',
          '-n',
          'contoso-aoai',
          '-g',
          'rg-aoai',
          '-o',
          'json',
        ]);
        assert.equal(r.exitCode, 0, r.stderr);
        const list = json<Array<Record<string, any>>>(r);
        assert.deepEqual(list[0], JSON.parse(fixture('az_cs_deployment_list').stdout)[0]);
        assert.deepEqual(
          list.map((d) => [d.name, d.properties.model.name, d.sku.name]),
          [
            ['gpt-4o-mini', 'gpt-4o-mini', 'GlobalStandard'],
            ['embed', 'text-embedding-3-small', 'GlobalStandard'],
          ],
        );
      });

      it('cognitiveservices account show: missing account and missing resource group exit 3 with ARM texts', async () => {
        await matches(h, 'az_cs_account_show_not_found');
        await matches(h, 'az_cs_account_show_rg_not_found');
      });

      it('identity show: clientId and principalId of the user-assigned identity; missing one exits 3', async () => {
        const r = await az(h, ['identity', 'show', '-n', 'id-app', '-g', 'rg-app', '-o', 'json']);
        assert.equal(r.exitCode, 0, r.stderr);
        assert.deepEqual(without(json(r), 'id', 'systemData'), {
          clientId: IDS.miClientId,
          location: 'eastus',
          name: 'id-app',
          principalId: IDS.miPrincipalId,
          resourceGroup: 'rg-app',
          tags: {},
          tenantId: IDS.tenant,
          type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        });
        const missing = await az(h, ['identity', 'show', '-n', 'nope', '-g', 'rg-app', '-o', 'json']);
        assert.equal(missing.exitCode, 3);
        assert.match(
          missing.stderr,
          /^ERROR: \(ResourceNotFound\) The Resource 'Microsoft\.ManagedIdentity\/userAssignedIdentities\/nope' under resource group 'rg-app' was not found\./,
        );
      });

      it('ad signed-in-user show: the Graph user, as recorded', async () => {
        await matches(h, 'az_ad_signed_in_user_show_user');
      });

      it('unknown flag: exit 2 and the usage text', async () => {
        await matches(h, 'az_err_unrecognized_argument');
      });

      it('role assignment list/create/create again: empty, created, then exit 0 with the existing one', async () => {
        const list = [
          'role',
          'assignment',
          'list',
          '--scope',
          SCOPE,
          '--role',
          OPENAI_USER,
          '--include-inherited',
          '-o',
          'json',
        ];
        const create = [
          'role',
          'assignment',
          'create',
          '--assignee-object-id',
          IDS.userObjectId,
          '--assignee-principal-type',
          'User',
          '--role',
          OPENAI_USER,
          '--scope',
          SCOPE,
          '-o',
          'json',
        ];
        const empty = await az(h, list);
        assert.deepEqual([empty.exitCode, empty.stdout, empty.stderr], [0, '[]\n', '']);

        const first = await az(h, create);
        assert.equal(first.exitCode, 0, first.stderr);
        assert.equal(
          normaliseAssignment(first.stdout),
          normaliseAssignment(fixture('az_role_assignment_create_ok').stdout),
        );
        const created = json(first);
        const stored = h.world().roleAssignments;
        assert.equal(stored.length, 1);
        assert.equal(stored[0]?.principalId, IDS.userObjectId);
        assert.equal(stored[0]?.name, created.name);

        // ARM answers 409 RoleAssignmentExists; az turns it into the existing assignment (role/custom.py).
        const again = await az(h, create);
        assert.equal(again.exitCode, 0, again.stderr);
        assert.equal(again.stderr, '');
        assert.equal(
          normaliseAssignment(again.stdout),
          normaliseAssignment(fixture('az_role_assignment_create_already_exists_is_idempotent').stdout),
        );
        assert.equal(json(again).id, created.id);
        assert.equal(h.world().roleAssignments.length, 1);
        const conflicts = h.requests().filter((q) => q.method === 'PUT' && q.status === 409);
        assert.equal(conflicts.length, 1);

        const listed = await az(h, list);
        assert.equal(listed.exitCode, 0, listed.stderr);
        assert.equal(
          normaliseAssignment(listed.stdout),
          normaliseAssignment(fixture('az_role_assignment_list_match').stdout),
        );
      });

      it('role assignment list --include-inherited: an assignment on the resource group shows at the account scope', async () => {
        h.update((w) => {
          w.roleAssignments.push({
            id: `/subscriptions/${IDS.subscription}/resourceGroups/rg-aoai/providers/Microsoft.Authorization/roleAssignments/0c0c0c0c-0000-4000-8000-00000000000c`,
            name: '0c0c0c0c-0000-4000-8000-00000000000c',
            scope: `/subscriptions/${IDS.subscription}/resourceGroups/rg-aoai`,
            roleDefinitionId: ROLE_IDS[OPENAI_USER],
            principalId: IDS.groupObjectId,
            principalType: 'Group',
            createdOn: new Date().toISOString(),
          });
        });
        const inherited = await az(h, [
          'role',
          'assignment',
          'list',
          '--scope',
          SCOPE,
          '--role',
          OPENAI_USER,
          '--include-inherited',
          '-o',
          'json',
        ]);
        assert.equal(inherited.exitCode, 0, inherited.stderr);
        assert.deepEqual(
          json<any[]>(inherited)
            .map((a) => [a.principalId, a.principalType, a.principalName, a.scope.split('/').length])
            .sort(),
          [
            [IDS.userObjectId, 'User', 'alice@contoso.com', 9],
            [IDS.groupObjectId, 'Group', 'aoai-users', 5],
          ].sort(),
        );
        const exact = await az(h, [
          'role',
          'assignment',
          'list',
          '--scope',
          SCOPE,
          '--role',
          OPENAI_USER,
          '-o',
          'json',
        ]);
        assert.deepEqual(
          json<any[]>(exact).map((a) => a.principalId),
          [IDS.userObjectId],
        );
      });

      it("role assignment create --assignee-object-id that already holds the role: exit 0, but with the FIRST assignment of that role at the scope, maybe another principal's", async () => {
        // az 2.45 role/custom.py create_role_assignment: on 409 it returns list_role_assignments(cmd, assignee, role, ...)[0],
        // and `assignee` is None when --assignee-object-id was given, so the list is not filtered by principal.
        const group = '0a0a0a0a-0000-4000-8000-00000000000a';
        h.update((w) => {
          w.roleAssignments.unshift({
            id: `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${group}`,
            name: group,
            scope: SCOPE,
            roleDefinitionId: ROLE_IDS[OPENAI_USER],
            principalId: IDS.groupObjectId,
            principalType: 'Group',
            createdOn: new Date().toISOString(),
          });
        });
        const r = await az(h, [
          'role',
          'assignment',
          'create',
          '--assignee-object-id',
          IDS.userObjectId,
          '--assignee-principal-type',
          'User',
          '--role',
          OPENAI_USER,
          '--scope',
          SCOPE,
          '-o',
          'json',
        ]);
        assert.equal(r.exitCode, 0, r.stderr);
        assert.deepEqual([json(r).principalId, json(r).name], [IDS.groupObjectId, group]);
        h.update((w) => {
          w.roleAssignments = w.roleAssignments.filter((a) => a.name !== group);
        });
      });

      it('role assignment create for an object id the directory does not know: PrincipalNotFound, exit 1', async () => {
        const unknown = 'abababab-abab-abab-abab-abababababab';
        const r = await az(h, [
          'role',
          'assignment',
          'create',
          '--assignee-object-id',
          unknown,
          '--assignee-principal-type',
          'ServicePrincipal',
          '--role',
          OPENAI_USER,
          '--scope',
          SCOPE,
        ]);
        const f = fixture('az_role_assignment_create_principal_not_found');
        assert.equal(r.stderr, f.stderr.replaceAll('77777777777777777777777777777777', unknown.replaceAll('-', '')));
        assert.equal(r.exitCode, 1);
      });

      it('role assignment create without the right to write: the AuthorizationFailed text, exit 1', async () => {
        h.update((w) => {
          w.canWriteRoleAssignments = false;
          w.roleAssignments = [];
        });
        const f = fixture('az_role_assignment_create_authorization_failed');
        const r = await az(h, f.argv);
        assert.equal(r.exitCode, 1);
        assert.equal(r.stdout, '');
        assert.equal(normaliseAssignment(r.stderr), normaliseAssignment(f.stderr));
        assert.equal(h.world().roleAssignments.length, 0);
      });

      it('Debian packaging bug is still there without the shim patch (otherwise the patch can go)', async (t) => {
        const r = await az(h, ['role', 'assignment', 'list', '--scope', SCOPE, '-o', 'json'], {
          REAL_AZ_SHIM_NO_CONFIG_PATCH: '1',
        });
        if (r.exitCode === 0) {
          t.diagnostic('az role assignment works without the Operations.config patch: realaz_shim.py can drop it');
          return;
        }
        assert.equal(r.exitCode, 1);
        assert.match(
          r.stderr,
          /^ERROR: The command failed with an unexpected error\. Here is the traceback:\nERROR: 'RoleDefinitionsOperations' object has no attribute 'config'\n/,
        );
        assert.match(r.stderr, /AttributeError: 'RoleDefinitionsOperations' object has no attribute 'config'/);
      });

      it("@azure/identity AzureCliCredential gets the stand-in's token through the real az", async () => {
        const require = createRequire(import.meta.url);
        const identity = require.resolve('@azure/identity');
        const script = `const { AzureCliCredential } = require(${JSON.stringify(identity)});
        new AzureCliCredential().getToken('https://cognitiveservices.azure.com/.default')
          .then((t) => console.log(JSON.stringify(t)), (e) => { console.error(e.name + ': ' + e.message); process.exit(1); });`;
        const before = h.calls().length;
        const out = await new Promise<Result>((done) => {
          execFile(
            process.execPath,
            ['-e', script],
            { env: h.env(), encoding: 'utf8', timeout: 60_000 },
            (err, stdout, stderr) => done({ exitCode: err ? 1 : 0, stdout, stderr }),
          );
        });
        assert.equal(out.exitCode, 0, out.stderr);
        const token = JSON.parse(out.stdout) as { token: string; expiresOnTimestamp: number };
        const claims = readClaims(token.token);
        assert.equal(claims?.aud, 'https://cognitiveservices.azure.com');
        assert.equal(claims?.oid, IDS.userObjectId);
        assert.equal(claims?.iss, `https://sts.windows.net/${IDS.tenant}/`);
        assert.ok(token.expiresOnTimestamp > Date.now() + 30 * 60_000);
        // 4.13.1 runs `az account get-access-token --output json --resource <r>` through a shell (child_process.exec).
        assert.deepEqual(
          h
            .calls()
            .slice(before)
            .map((c) => [c.argv, c.exitCode]),
          [
            [
              ['account', 'get-access-token', '--output', 'json', '--resource', 'https://cognitiveservices.azure.com'],
              0,
            ],
          ],
        );
      });

      it('az calls cost one Python start-up each', (t) => {
        const d = h
          .calls()
          .map((c) => c.end - c.start)
          .sort((a, b) => a - b);
        t.diagnostic(`${d.length} az calls, median ${d[Math.floor(d.length / 2)]} ms, slowest ${d[d.length - 1]} ms`);
        assert.ok(d.length > 10);
      });

      it('expired sign-in: get-access-token prints AADSTS700082 and the az login --scope hint, exit 1', async () => {
        h.update((w) => {
          w.signInExpired = true;
        });
        await matches(h, 'az_err_user_refresh_token_expired_get_access_token');
        // account show reads the profile only: still fine (A.1).
        const show = await az(h, ['account', 'show', '-o', 'json']);
        assert.equal(show.exitCode, 0, show.stderr);
      });
    });

    describe('not signed in', { concurrency: 1 }, () => {
      let h: RealAz;
      before(() => {
        h = createRealAz(baseWorld({ signedIn: null }));
      });
      after(async () => {
        if (h) {
          assert.deepEqual(
            h.requests().filter((r) => r.host !== 'app.aladdin.microsoft.com'),
            [],
            'no sign-in, no Azure traffic',
          );
          await h.cleanup();
        }
      });
      it('account show, get-access-token, cognitiveservices list: "Please run \'az login\'", exit 1', async () => {
        await matches(h, 'az_err_not_logged_in_account_show');
        await matches(h, 'az_err_not_logged_in_get_access_token');
        await matches(h, 'az_err_not_logged_in_other_commands');
      });
      it('account list: [] and a warning, exit 0', async () => {
        await matches(h, 'az_account_list_not_logged_in');
      });
      it('the FAKE_AZ_LOG has every call, arguments verbatim, with exit codes', () => {
        assert.deepEqual(
          h.calls().map((c) => [c.argv.join(' '), c.exitCode]),
          [
            ['account show', 1],
            ['account get-access-token --output json --resource https://cognitiveservices.azure.com', 1],
            ['cognitiveservices account list', 1],
            ['account list', 0],
          ],
        );
        for (const c of h.calls()) assert.ok(c.end >= c.start && c.start > Date.now() - 120_000);
      });
    });

    describe('signed in as a service principal', { concurrency: 1 }, () => {
      let h: RealAz;
      before(() => {
        h = createRealAz(
          baseWorld({
            signedIn: {
              type: 'servicePrincipal',
              objectId: IDS.spObjectId,
              name: IDS.spAppId,
              appId: IDS.spAppId,
              displayName: 'aoai-wizard-ci',
            },
          }),
        );
      });
      after(async () => {
        if (h) {
          assertOnlyAzureHosts(h);
          await h.cleanup();
        }
      });
      it('account show: user.name is the appId, type servicePrincipal (as recorded)', async () => {
        const r = await az(h, ['account', 'show']);
        assert.equal(r.stdout, fixture('az_account_show_service_principal').stdout);
        assert.equal(r.exitCode, 0);
      });
      it('ad signed-in-user show: Graph refuses /me for an app, exit 1', async () => {
        await matches(h, 'az_ad_signed_in_user_show_sp_error');
      });
      it('ad sp show --id <appId>: the Graph service principal', async () => {
        const r = await az(h, ['ad', 'sp', 'show', '--id', IDS.spAppId]);
        assert.equal(r.exitCode, 0, r.stderr);
        assert.deepEqual(json(r), JSON.parse(fixture('az_ad_sp_show').stdout));
      });
      it('role assignment create for itself, then a cognitiveservices token with its appid', async () => {
        const r = await az(h, [
          'role',
          'assignment',
          'create',
          '--assignee-object-id',
          IDS.spObjectId,
          '--assignee-principal-type',
          'ServicePrincipal',
          '--role',
          OPENAI_USER,
          '--scope',
          SCOPE,
          '-o',
          'json',
        ]);
        assert.equal(r.exitCode, 0, r.stderr);
        assert.equal(json(r).principalType, 'ServicePrincipal');
        const t = await az(h, [
          'account',
          'get-access-token',
          '--resource',
          'https://cognitiveservices.azure.com',
          '--query',
          'accessToken',
          '-o',
          'tsv',
        ]);
        assert.equal(t.exitCode, 0, t.stderr);
        const claims = readClaims(t.stdout.trim());
        assert.deepEqual(
          [claims?.aud, claims?.oid, claims?.appid, claims?.idtyp],
          ['https://cognitiveservices.azure.com', IDS.spObjectId, IDS.spAppId, 'app'],
        );
      });
      it('expired client secret: AADSTS7000222 and a bare "az login" hint, exit 1', async () => {
        h.update((w) => {
          w.signInExpired = true;
        });
        await matches(h, 'az_err_sp_secret_expired_get_access_token');
      });
    });

    describe('signed in with a user-assigned managed identity', { concurrency: 1 }, () => {
      let h: RealAz;
      before(() => {
        h = createRealAz(
          baseWorld({
            signedIn: { type: 'managedIdentity', objectId: IDS.miPrincipalId, name: 'id-app', appId: IDS.miClientId },
          }),
        );
      });
      after(async () => {
        if (h) {
          assertOnlyAzureHosts(h);
          await h.cleanup();
        }
      });
      it('account show: userAssignedIdentity, MSIClient-<clientId>', async () => {
        const r = await az(h, ['account', 'show', '-o', 'json']);
        assert.equal(r.exitCode, 0, r.stderr);
        assert.deepEqual(json(r).user, {
          assignedIdentityInfo: `MSIClient-${IDS.miClientId}`,
          name: 'userAssignedIdentity',
          type: 'servicePrincipal',
        });
        assert.ok(
          h.requests().some((q) => q.host === '169.254.169.254' && q.url.includes(`client_id=${IDS.miClientId}`)),
          'az login --identity asked IMDS',
        );
      });
      it('get-access-token --resource cognitiveservices: an IMDS token for the identity', async () => {
        const r = await az(h, [
          'account',
          'get-access-token',
          '--resource',
          'https://cognitiveservices.azure.com',
          '-o',
          'json',
        ]);
        assert.equal(r.exitCode, 0, r.stderr);
        const claims = readClaims(json(r).accessToken);
        assert.deepEqual(
          [claims?.aud, claims?.oid, claims?.appid],
          ['https://cognitiveservices.azure.com', IDS.miPrincipalId, IDS.miClientId],
        );
        assert.match(String(claims?.xms_mirid), /userAssignedIdentities\/id-app$/);
      });
    });

    describe('a user signed in without MFA writes a role assignment (mandatory MFA on Resource Manager writes)', {
      concurrency: 1,
    }, () => {
      let h: RealAz;
      before(() => {
        h = createRealAz(baseWorld({ mfaForWrites: true }));
      });
      after(async () => {
        if (h) await h.cleanup();
      });
      const create = [
        'role',
        'assignment',
        'create',
        '--assignee-object-id',
        IDS.userObjectId,
        '--assignee-principal-type',
        'User',
        '--role',
        ROLE_IDS[OPENAI_USER],
        '--scope',
        SCOPE,
        '--output',
        'json',
      ];
      for (const [id, extra] of [
        ['mfa-write-2.45', []],
        ['mfa-write-2.45-only-show-errors', ['--only-show-errors']],
      ] as const) {
        it(`prints exactly the sign-in text of fixture ${id} (test/fixtures/az-sign-in-texts.json), exit 1`, async () => {
          const r = await az(h, [...create, ...extra]);
          assert.equal(r.exitCode, 1);
          assert.equal(r.stderr, signInText(id));
        });
      }
    });
  });
