// Named az calls. Each passes an argument array (never a shell string), asks for JSON, checks the shape
// of what it reads, and turns failures into typed errors. Nothing here prints; nothing returns a token.
import { ACCOUNT_TYPE, parseResourceId, parseResourceIdOf, resourceGroupOf } from '../contract/azure-ids.ts';
import type { ProcessRunner } from '../context.ts';
import { classifyAzFailure } from './classify.ts';
import { asArray, asObject, optObject, optString, parseJson, reqString, type Json, type JsonObject } from './json.ts';
import { decodeTokenClaims, type TokenClaims } from '../entra/token-claims.ts';
import { InternalError } from '../errors.ts';

export const AZ = 'az';
/** az answers most calls within seconds; a hung proxy or device-code login should not hang CI forever. */
const AZ_TIMEOUT_MS = 120_000;

export interface Subscription {
  id: string;
  name: string;
  tenantId: string;
  isDefault: boolean;
  state: string | undefined;
  cloudName: string | undefined;
  user: { name: string | undefined; type: string | undefined };
}

export interface SignedInPrincipal {
  claims: TokenClaims;
  /** The subscription az used for the token (absent with --tenant). */
  subscriptionId: string | undefined;
  tenantId: string | undefined;
}

export interface CognitiveAccount {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  kind: string;
  location: string;
  endpoint: string | undefined;
  endpoints: Record<string, string>;
  customSubDomainName: string | undefined;
  disableLocalAuth: boolean | undefined;
  publicNetworkAccess: string | undefined;
  /** properties.networkAcls.defaultAction: Allow, or Deny (only the listed networks get through). */
  networkDefaultAction: string | undefined;
  provisioningState: string | undefined;
}

export interface Deployment {
  name: string;
  model: string | undefined;
  modelVersion: string | undefined;
  format: string | undefined;
  capabilities: Record<string, string>;
  skuName: string | undefined;
  provisioningState: string | undefined;
}

export interface RoleAssignment {
  id: string;
  name: string;
  scope: string;
  principalId: string;
  principalType: string | undefined;
  principalName: string | undefined;
  roleDefinitionId: string;
  roleDefinitionName: string | undefined;
}

export interface UserAssignedIdentity {
  id: string;
  name: string;
  resourceGroup: string;
  principalId: string;
  clientId: string;
  tenantId: string | undefined;
}

export type PrincipalType = 'User' | 'ServicePrincipal' | 'Group';

export interface AzCallOptions {
  subscription?: string | undefined;
}

export interface Az {
  getAccessToken(opts?: AzCallOptions & { resource?: string; tenant?: string }): Promise<SignedInPrincipal>;
  accountList(): Promise<Subscription[]>;
  /** Runs one `az login ...` / `az logout` that az printed (signInArgv), with the terminal handed over. */
  signInCommand(argv: readonly string[]): Promise<number>;
  cognitiveAccountShow(
    ref: { id: string } | { name: string; resourceGroup: string },
    opts?: AzCallOptions,
  ): Promise<CognitiveAccount>;
  cognitiveAccountList(opts?: AzCallOptions): Promise<CognitiveAccount[]>;
  deploymentList(account: { name: string; resourceGroup: string }, opts?: AzCallOptions): Promise<Deployment[]>;
  roleAssignmentCreate(
    a: { objectId: string; principalType: PrincipalType; role: string; scope: string; tenant?: string | undefined },
    opts?: AzCallOptions,
  ): Promise<RoleAssignment>;
  roleAssignmentDelete(ids: readonly string[], opts?: AzCallOptions): Promise<void>;
  identityShow(
    ref: { id: string } | { name: string; resourceGroup: string },
    opts?: AzCallOptions,
  ): Promise<UserAssignedIdentity>;
  identityList(opts?: AzCallOptions): Promise<UserAssignedIdentity[]>;
  /** `az rest`: a Resource Manager path (az prefixes its endpoint) or a full Graph URL; the parsed body. */
  rest(req: { method: 'get' | 'post' | 'put'; url: string; body?: unknown }): Promise<Json>;
  identityCreate(
    i: { name: string; resourceGroup: string; location: string },
    opts?: AzCallOptions,
  ): Promise<UserAssignedIdentity>;
  federatedCredentialList(
    identity: { name: string; resourceGroup: string },
    opts?: AzCallOptions,
  ): Promise<FederatedCredential[]>;
  federatedCredentialCreate(
    c: FederatedCredential & { identityName: string; resourceGroup: string },
    opts?: AzCallOptions,
  ): Promise<FederatedCredential>;
}

/** A federated identity credential of a user-assigned identity (Microsoft.ManagedIdentity). */
export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

export function createAz(runner: ProcessRunner, env: { ci: boolean }): Az {
  const json = azJson(runner, env);
  return {
    ...signInCalls(runner, json),
    ...openAICalls(json),
    ...roleAssignmentCalls(json),
    ...identityLookups(json),
    ...restCall(json),
    ...workloadIdentityCalls(json),
  };
}

type AzJson = (
  args: readonly string[],
  opts?: AzCallOptions,
  how?: { warnings?: boolean; tenant?: string | undefined },
) => Promise<Json>;

/** Runs one az command with -o json and parses its output; a failure is classified (classify.ts). */
function azJson(runner: ProcessRunner, env: { ci: boolean }): AzJson {
  /** `warnings`: keep az's warnings on stderr (no --only-show-errors), for a failure whose next step az prints only as one. */
  async function json(
    args: readonly string[],
    opts: AzCallOptions = {},
    how: { warnings?: boolean; tenant?: string | undefined } = {},
  ): Promise<Json> {
    const full = [
      ...args,
      ...(opts.subscription ? ['--subscription', opts.subscription] : []),
      '--output',
      'json',
      ...(how.warnings ? [] : ['--only-show-errors']),
    ];
    const firstFlag = args.findIndex((a) => a.startsWith('-'));
    const command = `az ${(firstFlag < 0 ? args : args.slice(0, firstFlag)).join(' ')}`;
    const result = await runner.run(AZ, full, { timeoutMs: AZ_TIMEOUT_MS });
    if (result.exitCode !== 0) {
      throw classifyAzFailure(result, { command, ci: env.ci, tenant: how.tenant });
    }
    return parseJson(result.stdout, command);
  }
  return json;
}

/** The calls of the groups below; the sign-in's are the rest of Az. */
type OtherCalls =
  | 'cognitiveAccountShow'
  | 'cognitiveAccountList'
  | 'deploymentList'
  | 'roleAssignmentCreate'
  | 'roleAssignmentDelete'
  | 'identityShow'
  | 'identityList'
  | 'rest'
  | 'identityCreate'
  | 'federatedCredentialList'
  | 'federatedCredentialCreate';

/** The sign-in: the token (its claims, subscription and tenant), the subscriptions, az's own sign-in commands. */
function signInCalls(runner: ProcessRunner, json: AzJson): Omit<Az, OtherCalls> {
  return {
    async getAccessToken(opts = {}) {
      const args = ['account', 'get-access-token'];
      if (opts.resource) args.push('--resource', opts.resource);
      if (opts.tenant) args.push('--tenant', opts.tenant);
      const o = asObject(await json(args, opts), 'az account get-access-token');
      // The token is decoded for its claims and dropped here: it is never returned, logged or written.
      const claims = decodeTokenClaims(reqString(o, 'accessToken', 'token'));
      if (!claims?.objectId) {
        throw new InternalError('The access token from `az account get-access-token` has no object id (oid) claim.', {
          code: 'az-output',
        });
      }
      return {
        claims,
        subscriptionId: optString(o, 'subscription'),
        tenantId: optString(o, 'tenant') ?? claims.tenantId,
      };
    },

    async accountList() {
      return asArray(await json(['account', 'list']), 'az account list').map((s) =>
        toSubscription(asObject(s, 'subscription')),
      );
    },

    async signInCommand(argv) {
      const args = argv[0] === 'login' ? [...argv, '--output', 'none'] : [...argv];
      return (await runner.run(AZ, args, { stdio: 'inherit' })).exitCode;
    },
  };
}

/** The Azure OpenAI accounts and their deployments. */
function openAICalls(json: AzJson): Pick<Az, 'cognitiveAccountShow' | 'cognitiveAccountList' | 'deploymentList'> {
  return {
    async cognitiveAccountShow(ref, opts = {}) {
      // By name, group and subscription even for an id: `cognitiveservices account show` has no --ids
      // before az 2.5x (2.45 exits 2 "the following arguments are required: --resource-group/-g, --name/-n").
      const named = 'id' in ref ? splitResourceId(ref.id) : { ...ref, subscription: opts.subscription };
      const args = [
        'cognitiveservices',
        'account',
        'show',
        '--name',
        named.name,
        '--resource-group',
        named.resourceGroup,
      ];
      return toCognitiveAccount(
        asObject(await json(args, { subscription: named.subscription }), 'az cognitiveservices account show'),
      );
    },

    async cognitiveAccountList(opts = {}) {
      return asArray(
        await json(['cognitiveservices', 'account', 'list'], opts),
        'az cognitiveservices account list',
      ).map((a) => toCognitiveAccount(asObject(a, 'account')));
    },

    async deploymentList(account, opts = {}) {
      const args = [
        'cognitiveservices',
        'account',
        'deployment',
        'list',
        '--name',
        account.name,
        '--resource-group',
        account.resourceGroup,
      ];
      return asArray(await json(args, opts), 'az cognitiveservices account deployment list').map((d) =>
        toDeployment(asObject(d, 'deployment')),
      );
    },
  };
}

/** The writes of role assignments (they are read through az rest: effective-access.ts). */
function roleAssignmentCalls(json: AzJson): Pick<Az, 'roleAssignmentCreate' | 'roleAssignmentDelete'> {
  return {
    async roleAssignmentCreate(a, opts = {}) {
      // --assignee-object-id with --assignee-principal-type skips the Graph lookup, so neither Graph
      // permissions nor replication delay can fail it, and the type never mismatches (UnmatchedPrincipalType).
      const args = [
        'role',
        'assignment',
        'create',
        '--assignee-object-id',
        a.objectId,
        '--assignee-principal-type',
        a.principalType,
        '--role',
        a.role,
        '--scope',
        a.scope,
      ];
      // Warnings stay on: when Resource Manager asks for MFA (a claims challenge), current az prints the exact
      // `az login --tenant --scope --claims-challenge` command only as a WARNING (auth/util.py aad_error_handler),
      // and az 2.45 logs the tenant and claims it retried with.
      return toRoleAssignment(
        asObject(await json(args, opts, { warnings: true, tenant: a.tenant }), 'az role assignment create'),
      );
    },

    async roleAssignmentDelete(ids, opts = {}) {
      await json(['role', 'assignment', 'delete', '--ids', ...ids], opts).catch((e: unknown) => {
        // `delete` prints nothing on success, which is not JSON.
        if (e instanceof InternalError && e.code === 'az-output') return null;
        throw e;
      });
    },
  };
}

/** User-assigned managed identities, by name or id, or all of a subscription. */
function identityLookups(json: AzJson): Pick<Az, 'identityShow' | 'identityList'> {
  return {
    async identityShow(ref, opts = {}) {
      const named = 'id' in ref ? splitResourceId(ref.id) : { ...ref, subscription: opts.subscription };
      const args = ['identity', 'show', '--name', named.name, '--resource-group', named.resourceGroup];
      return toIdentity(asObject(await json(args, { subscription: named.subscription }), 'az identity show'));
    },

    async identityList(opts = {}) {
      return asArray(await json(['identity', 'list'], opts), 'az identity list').map((i) =>
        toIdentity(asObject(i, 'identity')),
      );
    },
  };
}

/** Resource Manager and Graph calls az has no command for. */
function restCall(json: AzJson): Pick<Az, 'rest'> {
  return {
    async rest(req) {
      // util/custom.py rest_call: a url without "://" goes to Resource Manager with an ARM token, a Graph url gets a
      // Graph token; a non-2xx answer is `ERROR: <reason>(<body>)`, exit 1 (core/util.py send_raw_request).
      const args = [
        'rest',
        '--method',
        req.method,
        '--url',
        req.url,
        ...(req.body === undefined ? [] : ['--body', JSON.stringify(req.body)]),
      ];
      return json(args);
    },
  };
}

/** ci github's identity and its federated credentials. */
function workloadIdentityCalls(
  json: AzJson,
): Pick<Az, 'identityCreate' | 'federatedCredentialList' | 'federatedCredentialCreate'> {
  return {
    async identityCreate(i, opts = {}) {
      const args = [
        'identity',
        'create',
        '--name',
        i.name,
        '--resource-group',
        i.resourceGroup,
        '--location',
        i.location,
      ];
      return toIdentity(asObject(await json(args, opts), 'az identity create'));
    },

    async federatedCredentialList(identity, opts = {}) {
      const args = [
        'identity',
        'federated-credential',
        'list',
        '--identity-name',
        identity.name,
        '--resource-group',
        identity.resourceGroup,
      ];
      return asArray(await json(args, opts), 'az identity federated-credential list').map((c) =>
        toFederatedCredential(asObject(c, 'federated credential')),
      );
    },

    async federatedCredentialCreate(c, opts = {}) {
      return toFederatedCredential(
        asObject(await json(federatedCredentialCreateArgs(c), opts), 'az identity federated-credential create'),
      );
    },
  };
}

/**
 * `az identity federated-credential create`, always with --audiences: az 2.74 dropped its default of
 * api://AzureADTokenExchange (Azure/azure-cli#31598), so an omitted flag means different credentials on
 * different az versions. The flags exist from az 2.45 on (`az identity federated-credential create --help`).
 */
export function federatedCredentialCreateArgs(
  c: FederatedCredential & { identityName: string; resourceGroup: string },
): string[] {
  return [
    'identity',
    'federated-credential',
    'create',
    '--name',
    c.name,
    '--identity-name',
    c.identityName,
    '--resource-group',
    c.resourceGroup,
    '--issuer',
    c.issuer,
    '--subject',
    c.subject,
    '--audiences',
    ...c.audiences,
  ];
}

/** /subscriptions/<s>/resourceGroups/<g>/providers/<ns>/<type>/<name> -> its parts. */
function splitResourceId(id: string): { subscription: string | undefined; resourceGroup: string; name: string } {
  const r = parseResourceId(id);
  if (r?.resourceGroup === undefined || r.name === undefined)
    throw new InternalError(`Not a resource id: ${id}`, { code: 'bad-resource-id' });
  return { subscription: r.subscriptionId, resourceGroup: r.resourceGroup, name: r.name };
}

function toSubscription(o: JsonObject): Subscription {
  const user = optObject(o, 'user');
  return {
    id: reqString(o, 'id', 'subscription'),
    name: optString(o, 'name') ?? reqString(o, 'id', 'subscription'),
    tenantId: reqString(o, 'tenantId', 'subscription'),
    isDefault: o['isDefault'] === true,
    state: optString(o, 'state'),
    // `account show` says environmentName, `account list` renames it cloudName (profile/custom.py).
    cloudName: optString(o, 'environmentName') ?? optString(o, 'cloudName'),
    user: { name: optString(user, 'name'), type: optString(user, 'type') },
  };
}

function toCognitiveAccount(o: JsonObject): CognitiveAccount {
  const id = reqString(o, 'id', 'account');
  const m = parseResourceIdOf(id, ACCOUNT_TYPE);
  const props = optObject(o, 'properties');
  const endpoints: Record<string, string> = {};
  for (const [k, v] of Object.entries(optObject(props, 'endpoints') ?? {})) if (typeof v === 'string') endpoints[k] = v;
  const dla = props?.['disableLocalAuth'];
  return {
    id,
    name: optString(o, 'name') ?? m?.name ?? id,
    resourceGroup: optString(o, 'resourceGroup') ?? m?.resourceGroup ?? '',
    subscriptionId: m?.subscriptionId ?? '',
    kind: optString(o, 'kind') ?? '',
    location: optString(o, 'location') ?? '',
    endpoint: optString(props, 'endpoint'),
    endpoints,
    customSubDomainName: optString(props, 'customSubDomainName'),
    disableLocalAuth: typeof dla === 'boolean' ? dla : undefined,
    publicNetworkAccess: optString(props, 'publicNetworkAccess'),
    networkDefaultAction: optString(optObject(props, 'networkAcls'), 'defaultAction'),
    provisioningState: optString(props, 'provisioningState'),
  };
}

function toDeployment(o: JsonObject): Deployment {
  const props = optObject(o, 'properties');
  const model = optObject(props, 'model');
  const capabilities: Record<string, string> = {};
  for (const [k, v] of Object.entries(optObject(props, 'capabilities') ?? {}))
    if (typeof v === 'string') capabilities[k] = v;
  return {
    name: reqString(o, 'name', 'deployment'),
    model: optString(model, 'name'),
    modelVersion: optString(model, 'version'),
    format: optString(model, 'format'),
    capabilities,
    skuName: optString(optObject(o, 'sku'), 'name'),
    provisioningState: optString(props, 'provisioningState'),
  };
}

function toRoleAssignment(o: JsonObject): RoleAssignment {
  return {
    id: reqString(o, 'id', 'role assignment'),
    name: optString(o, 'name') ?? '',
    scope: reqString(o, 'scope', 'role assignment'),
    principalId: reqString(o, 'principalId', 'role assignment'),
    principalType: optString(o, 'principalType'),
    principalName: optString(o, 'principalName'),
    roleDefinitionId: reqString(o, 'roleDefinitionId', 'role assignment'),
    roleDefinitionName: optString(o, 'roleDefinitionName'),
  };
}

function toIdentity(o: JsonObject): UserAssignedIdentity {
  const id = reqString(o, 'id', 'identity');
  return {
    id,
    name: optString(o, 'name') ?? id.split('/').pop() ?? id,
    resourceGroup: optString(o, 'resourceGroup') ?? resourceGroupOf(id)?.resourceGroup ?? '',
    principalId: reqString(o, 'principalId', 'identity'),
    clientId: reqString(o, 'clientId', 'identity'),
    tenantId: optString(o, 'tenantId'),
  };
}

/** az flattens `properties` in its output (2.45's msrest models and current aaz alike); ARM nests them. */
function toFederatedCredential(o: JsonObject): FederatedCredential {
  const p = optObject(o, 'properties') ?? o;
  const audiences = p['audiences'];
  return {
    name: reqString(o, 'name', 'federated credential'),
    issuer: reqString(p, 'issuer', 'federated credential'),
    subject: reqString(p, 'subject', 'federated credential'),
    audiences: Array.isArray(audiences) ? audiences.filter((a): a is string => typeof a === 'string') : [],
  };
}
