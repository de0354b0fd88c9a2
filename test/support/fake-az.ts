// A fake Azure CLI for a test: a temp dir whose bin/ holds test/fake-az/az, the pretend-Azure world file it
// reads and writes, and the log of its calls. `env()` gives a child process an environment in which that az
// wins over any real one (Debian's /usr/bin/az) and nothing inherited points at real Azure.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDS, ROLE_IDS, accountId, baseWorld, loadWorld, newRoleAssignment, saveWorld } from './world.mjs';
import { writeProfile } from '../fake-az/profile.mjs';
import type { RoleAssignment, World } from './world.mjs';
import { INHERITED_AZURE_VARIABLES, applyExtra, type AzCall, type AzHarness } from './az-harness.ts';

/** The fake az script itself. */
export const FAKE_AZ_PATH = fileURLToPath(new URL('../fake-az/az', import.meta.url));

export type { AzCall } from './az-harness.ts';

export type FakeAz = AzHarness;

/** A fake az over `world` (a whole World, or overrides of baseWorld()). */
export function createFakeAz(world: World | Partial<World> = {}): FakeAz {
  const dir = mkdtempSync(join(tmpdir(), 'fake-az-'));
  const binDir = join(dir, 'bin');
  const worldPath = join(dir, 'world.json');
  const logPath = join(dir, 'az-calls.jsonl');
  for (const sub of ['bin', 'home', 'azure-config']) mkdirSync(join(dir, sub));
  // A link, not a copy: node resolves it to the real file, whose relative imports find test/support.
  symlinkSync(FAKE_AZ_PATH, join(binDir, 'az'));
  const configDir = join(dir, 'azure-config');
  // A signed-in az has its profile before any command runs (az login wrote it): tools may read it first.
  const saveAll = (w: World): void => {
    saveWorld(worldPath, w);
    writeProfile(w, configDir);
  };
  saveAll(baseWorld(world));

  return {
    dir,
    binDir,
    worldPath,
    logPath,
    env(extra = {}) {
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const name of INHERITED_AZURE_VARIABLES) delete env[name];
      const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
      const inheritedPath = env[pathKey];
      delete env[pathKey];
      Object.assign(env, {
        // The fake's `#!/usr/bin/env node` must find this node even if PATH does not have it.
        PATH: [binDir, dirname(process.execPath), inheritedPath].filter(Boolean).join(delimiter),
        FAKE_AZ_WORLD: worldPath,
        FAKE_AZ_LOG: logPath,
        AZURE_CONFIG_DIR: configDir,
        HOME: join(dir, 'home'),
        NO_COLOR: '1',
        // One AzureCliCredential instead of DefaultAzureCredential's chain, whose managed-identity probe
        // would go to 169.254.169.254 (@azure/identity >= 4.11).
        AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
      });
      return applyExtra(env, extra);
    },
    calls() {
      if (!existsSync(logPath)) return [];
      return readFileSync(logPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AzCall);
    },
    world: () => loadWorld(worldPath),
    update(fn) {
      const w = loadWorld(worldPath);
      fn(w);
      saveAll(w);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios of the e2e suite, each a World built from baseWorld()
// ---------------------------------------------------------------------------------------------

const OPENAI_USER = ROLE_IDS['Cognitive Services OpenAI User'];

const [baseAccount] = baseWorld().accounts;
if (!baseAccount) throw new Error('baseWorld() has no account');
/** The scope of baseWorld()'s account, contoso-aoai, and of its resource group. */
export const ACCOUNT_SCOPE = accountId(baseAccount);
export const RESOURCE_GROUP_SCOPE = `/subscriptions/${baseAccount.subscriptionId}/resourceGroups/${baseAccount.resourceGroup}`;

/** Alice's "Cognitive Services OpenAI User" assignment at `scope`, created well before the test. */
function aliceCanUse(scope: string): RoleAssignment {
  return newRoleAssignment({
    scope,
    roleDefinitionGuid: OPENAI_USER,
    principalId: IDS.userObjectId,
    principalType: 'User',
    name: '8a2b3c4d-0000-4000-8000-000000000001',
    createdOn: '2025-11-01T10:00:00.123456+00:00',
    createdBy: IDS.userObjectId,
  });
}

/** Contoso Prod: a second subscription of the tenant, not the default one. */
const PROD_SUBSCRIPTION = {
  id: IDS.subscription2,
  name: 'Contoso Prod',
  tenantId: IDS.tenant,
  isDefault: false,
  state: 'Enabled',
} as const;

/** baseWorld()'s account with other properties. */
function withAccount(patch: Partial<World['accounts'][number]>): World {
  const w = baseWorld();
  w.accounts = w.accounts.map((a) => ({ ...a, ...patch }));
  return w;
}

export const scenarios = {
  /** Alice is signed in; one subscription, one OpenAI account (custom subdomain) with a chat and an embedding deployment. */
  user: (): World => baseWorld(),
  /** Signed in with `az login --service-principal` as the app aoai-wizard-ci. */
  servicePrincipal: (): World =>
    baseWorld({
      signedIn: {
        type: 'servicePrincipal',
        objectId: IDS.spObjectId,
        name: IDS.spAppId,
        appId: IDS.spAppId,
        displayName: 'aoai-wizard-ci',
      },
    }),
  /** Signed in with `az login --identity -u <client id>` as the user-assigned identity id-app. */
  managedIdentitySignedIn: (): World =>
    baseWorld({
      signedIn: {
        type: 'managedIdentity',
        objectId: IDS.miPrincipalId,
        name: 'userAssignedIdentity',
        appId: IDS.miClientId,
        displayName: 'id-app',
      },
    }),
  notSignedIn: (): World => baseWorld({ signedIn: null }),
  /** az still shows the account, but every token request fails (AADSTS700082). */
  expiredSignIn: (): World => baseWorld({ signInExpired: true }),
  /** A second subscription, Contoso Prod, with an OpenAI account of its own. */
  severalSubscriptions: (): World => {
    const w = baseWorld();
    w.subscriptions.push({ ...PROD_SUBSCRIPTION });
    w.accounts.push({
      ...baseAccount,
      deployments: [...baseAccount.deployments],
      subscriptionId: IDS.subscription2,
      resourceGroup: 'rg-prod',
      name: 'contoso-aoai-prod',
      customSubDomainName: 'contoso-aoai-prod',
    });
    return w;
  },
  /** Two subscriptions, and two accounts in the current one with two chat deployments each: the wizard asks everything. */
  twoOfEverything: (): World => {
    const w = baseWorld();
    w.subscriptions.push({ ...PROD_SUBSCRIPTION });
    w.accounts.push({ ...structuredClone(w.accounts[0]!), name: 'second-aoai', customSubDomainName: 'second-aoai' });
    w.accounts[0]!.deployments.push({ name: 'gpt-4o', model: 'gpt-4o', version: '2024-11-20', chat: true });
    w.accounts[1]!.deployments.push({ name: 'o3-mini', model: 'o3-mini', version: '2025-01-31', chat: true });
    return w;
  },
  noOpenAIAccount: (): World => baseWorld({ accounts: [] }),
  /** The only account has no custom subdomain: a regional endpoint, which takes no Entra tokens. */
  regionalEndpoint: (): World => withAccount({ name: 'legacy-aoai', location: 'japaneast', customSubDomainName: null }),
  /** Alice may not write role assignments (ARM answers 403 AuthorizationFailed). */
  authorizationFailed: (): World => baseWorld({ canWriteRoleAssignments: false }),
  /** Alice already holds Cognitive Services OpenAI User on the account. */
  roleAssignmentExists: (): World => baseWorld({ roleAssignments: [aliceCanUse(ACCOUNT_SCOPE)] }),
  /** Alice holds Cognitive Services OpenAI User on the account's resource group, so the account inherits it. */
  inheritedAssignment: (): World => baseWorld({ roleAssignments: [aliceCanUse(RESOURCE_GROUP_SCOPE)] }),
  /** The managed identity 7777... is unknown to the directory (PrincipalNotFound, as just after its creation). */
  principalNotFound: (): World =>
    baseWorld({ identities: [], directoryObjectIds: [IDS.groupObjectId, IDS.spObjectId] }),
  /** An AIServices (Foundry) account: endpoint on cognitiveservices.azure.com, OpenAI on openai.azure.com. */
  aiServicesAccount: (): World =>
    withAccount({ name: 'contoso-ais', kind: 'AIServices', customSubDomainName: 'contoso-ais' }),
  /** A new role assignment takes `seconds` before the data plane honours it. */
  propagation: (seconds: number): World => baseWorld({ propagationSeconds: seconds }),
};
