// A failed verification -> one of the known causes, its message and the one next step. Pure: what az
// knows (the account, its deployments) is looked up by the caller and passed in.
// Classification is by status and error code, never by openai's message text: the gateway's 401 has no
// `error` wrapper, so openai only says "401 status code (no body)" (openai src/core/error.ts).
import type { TokenClaims } from '../entra/token-claims.ts';
import { cloudOfEndpoint } from '../entra/clouds.ts';
import { azCliCommand } from '../azure/handoff.ts';
import { OPENAI_USER } from '../azure/roles.ts';
import { customDomainCommand } from '../azure/openai-account.ts';
import type { Failure } from './failure.ts';
import type { Api, VerifyCode, VerifyFailureInfo } from './report.ts';
import { formatDuration } from '../duration.ts';
import { DEFAULT_API_VERSION } from '../azure/api-version.ts';

export interface AccountFacts {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  endpoint: string | undefined;
}

export interface DeploymentFacts {
  name: string;
  model: string | undefined;
  chat: boolean;
}

export interface DiagnoseContext {
  endpoint: string;
  deployment: string;
  scope: string;
  api: Api;
  justAssigned: boolean;
  /** How long --wait retried before giving up (0: no waiting). */
  waitedMs: number;
  claims: TokenClaims | undefined;
  roleAssignmentCommand: string | undefined;
  account?: AccountFacts | undefined;
  deployments?: readonly DeploymentFacts[] | undefined;
}

const PERMISSION_DENIED = /lacks the required data action|Principal does not have access to API\/Operation/i;
const WRONG_TENANT = /Token tenant \S* ?does not match resource tenant|Tenant provided in token does not match/i;
const NEEDS_SUBDOMAIN = /custom subdomain for token authentication/i;
// Azure's 400 for a model newer than the classic route's api-version, placeholder unfilled as Azure sends it:
// "Model {modelName} is enabled only for api versions 2024-12-01-preview and later"
// (Azure/azure-sdk-for-java#43923, Azure/azure-sdk-for-python#40759).
const API_VERSION_TOO_OLD = /enabled only for api versions (\S+) and later/i;
const NETWORK_RULES =
  /Public access is disabled|approved private endpoint|Virtual Network is configured|Firewall rules|not allowed by the network/i;

/** The code alone, for deciding what to retry and what az should be asked before the full diagnosis. */
export function codeOf(f: Failure, justAssigned: boolean): VerifyCode {
  switch (f.kind) {
    case 'credential':
    case 'credential-config':
      return 'no-credential';
    case 'network':
      return 'unreachable';
  }
  // Stryker disable next-line StringLiteral: a missing code stands in as text no rule below matches, whatever text it is
  const { status, code = '', message } = f;
  if (code === 'PermissionDenied' || PERMISSION_DENIED.test(message))
    return justAssigned ? 'role-propagating' : 'role-missing';
  if (WRONG_TENANT.test(message) || WRONG_TENANT.test(code)) return 'wrong-tenant';
  if (NEEDS_SUBDOMAIN.test(message)) return 'regional-endpoint';
  if (status === 401) return 'bad-token';
  if (status === 404) return code === 'DeploymentNotFound' ? 'deployment-not-found' : 'wrong-endpoint';
  if (status === 400 && code === 'OperationNotSupported') return 'not-a-chat-model';
  if (status === 400 && API_VERSION_TOO_OLD.test(message)) return 'api-version-too-old';
  if (status === 429) return 'throttled';
  if (status === 403 && code !== 'AuthenticationTypeDisabled') return 'network-blocked';
  // Every network-rule text users have pasted came with a 403, taken above; this catches one under another status.
  if (NETWORK_RULES.test(message)) return 'network-blocked';
  return 'unexpected-response';
}

/** Which diagnoses get better with what az knows about the account. */
export function wantsAzureFacts(code: VerifyCode, hasRoleCommand: boolean): boolean {
  switch (code) {
    case 'role-missing':
    case 'role-propagating':
      return !hasRoleCommand;
    case 'deployment-not-found':
    case 'not-a-chat-model':
    case 'wrong-endpoint':
    case 'regional-endpoint':
    case 'network-blocked':
      return true;
    default:
      return false;
  }
}

/** What a diagnosis says: the message, the one next step, and lines to show under it. */
type Explanation = Omit<VerifyFailureInfo, 'code' | 'status'>;

export function diagnose(f: Failure, ctx: DiagnoseContext): VerifyFailureInfo {
  const code = codeOf(f, ctx.justAssigned);
  const status = f.kind === 'http' ? { status: f.status } : {};
  switch (code) {
    case 'no-credential':
      return { code, ...noCredential(f, ctx) };
    case 'unreachable':
      return { code, ...unreachable(f, ctx) };
    default: {
      const explain = EXPLANATIONS[code];
      return explain
        ? { code, ...status, ...explain(f, ctx) }
        : { code: 'unexpected-response', ...status, ...unexpectedResponse(f, ctx) };
    }
  }
}

/** The denied role: just assigned (propagating) or missing, with the command that assigns it. */
function roleDenied(f: Failure, ctx: DiagnoseContext, propagating: boolean): Explanation {
  const said = f.message;
  const who = principalLabel(ctx.claims);
  const command = ctx.roleAssignmentCommand ?? roleCommand(ctx);
  const waited = ctx.waitedMs > 0 ? ` Still denied after waiting ${formatDuration(ctx.waitedMs)}.` : '';
  if (propagating) {
    return {
      message: `${who} was just given its role on this account, and Azure is not applying it yet (401 PermissionDenied).${waited}`,
      hint: `A new role assignment takes up to 5 minutes, sometimes more, to reach Azure OpenAI: run \`aoai-keyless verify --wait 10m\`.`,
      details: [`The role assignment: ${command}`],
    };
  }
  return {
    message: `${who} may not call this Azure OpenAI account: it holds no data-plane role there (401 PermissionDenied: ${said})${waited}`,
    hint: 'Once the role is assigned, run `aoai-keyless verify --wait 5m`.',
    details: [`Give it the "${OPENAI_USER.name}" role (an Owner or User Access Administrator can run this):`, command],
  };
}

/** 401: a token Azure OpenAI does not take, and why when the claims show it. */
function badToken(_f: Failure, ctx: DiagnoseContext): Explanation {
  const host = hostOf(ctx.endpoint);
  const why: string[] = [];
  // The endpoint's own cloud knows the audience it wants better than a (possibly stale) AZURE_OPENAI_SCOPE.
  // Stryker disable next-line Regex: a scope names /.default at its end only
  const expected = (cloudOfEndpoint(ctx.endpoint)?.scope ?? ctx.scope).replace(/\/\.default$/, '');
  const aud = ctx.claims?.audience;
  if (aud && aud.replace(/\/+$/, '') !== expected.replace(/\/+$/, ''))
    why.push(`the token is for ${aud}, not ${expected}`);
  const exp = ctx.claims?.expiresAt;
  if (exp && exp.getTime() <= Date.now()) why.push(`the token expired at ${exp.toISOString()}`);
  return {
    message: `Azure OpenAI rejected the token as missing, invalid, for the wrong audience or expired (401)${why.length ? `: ${why.join('; ')}` : ''}.`,
    hint: `Check the scope: ${ctx.scope} (AZURE_OPENAI_SCOPE, or the endpoint's cloud) must be the audience of ${host}; then sign in again (\`az login\`) and run this again.`,
  };
}

/** The token's tenant is not the account's. */
function wrongTenant(f: Failure, ctx: DiagnoseContext): Explanation {
  const said = f.message;
  const tid = ctx.claims?.tenantId ?? /Token tenant (\S+)/.exec(said)?.[1];
  return {
    message: `The token is from tenant ${tid ?? '(unknown)'}, but the Azure OpenAI account belongs to another tenant.`,
    hint: "Sign in to the account's tenant: `az login --tenant <resource tenant id>`, or set AZURE_TENANT_ID to it (in the environment or the .env) for a service principal or managed identity.",
  };
}

/** An endpoint without a custom subdomain, which Entra tokens cannot use. */
function regionalEndpoint(_f: Failure, ctx: DiagnoseContext): Explanation {
  const cmd = ctx.account
    ? customDomainCommand(ctx.account)
    : 'az cognitiveservices account update --name <account> --resource-group <resource-group> --custom-domain <account>';
  return {
    message: `${ctx.endpoint} is a regional endpoint: Microsoft Entra ID tokens need the account's own (custom subdomain) endpoint, such as https://<account>.openai.azure.com/.`,
    hint: 'Then use its new endpoint (AZURE_OPENAI_ENDPOINT, or run `aoai-keyless setup` again).',
    details: [
      'Give the account a custom subdomain (it cannot be undone, so aoai-keyless only shows the command):',
      cmd,
    ],
  };
}

/** 404 DeploymentNotFound, with the deployments that exist. */
function deploymentNotFound(_f: Failure, ctx: DiagnoseContext): Explanation {
  const list = deploymentList(ctx.deployments);
  return {
    message: `The account at ${ctx.endpoint} has no deployment named '${ctx.deployment}' (404 DeploymentNotFound). One created in the last 5 minutes may not be ready yet.`,
    hint: list
      ? `Pass --deployment (or set AZURE_OPENAI_DEPLOYMENT) to one that exists: ${list}.`
      : ctx.account
        ? `List the deployments: \`az cognitiveservices account deployment list --name ${ctx.account.name} --resource-group ${ctx.account.resourceGroup} -o table\`.`
        : 'List the deployments: `az cognitiveservices account deployment list --name <account> --resource-group <resource-group> -o table`.',
  };
}

/** 404 at the endpoint itself: not an account's Azure OpenAI endpoint. */
function wrongEndpoint(_f: Failure, ctx: DiagnoseContext): Explanation {
  const known = ctx.account?.endpoint;
  const sameAsKnown = known !== undefined && normalise(known) === normalise(ctx.endpoint);
  return {
    message: `${ctx.endpoint} answered 404 Resource not found: it is not the Azure OpenAI endpoint of an account${ctx.api === 'classic' ? ', or the api version is wrong' : ''}.`,
    hint:
      known && !sameAsKnown
        ? // Stryker disable next-line OptionalChaining: `known` is the account's endpoint, so the account is there
          `az reports the endpoint ${known} for account ${ctx.account?.name}: set AZURE_OPENAI_ENDPOINT (or --endpoint) to it.`
        : 'Use the endpoint az reports for the account: `az cognitiveservices account show --name <account> --resource-group <resource-group> --query properties.endpoint -o tsv` (just scheme and host, no /openai path).',
  };
}

/** 400 OperationNotSupported: the model does not do chat completions. */
function notAChatModel(f: Failure, ctx: DiagnoseContext): Explanation {
  const said = f.message;
  const chat = ctx.deployments?.filter((d) => d.chat).map((d) => d.name) ?? [];
  return {
    message: `Deployment '${ctx.deployment}' serves a model that does not do chat completions (400 OperationNotSupported: ${said})`,
    hint: chat.length
      ? `Pick a chat deployment with --deployment (or AZURE_OPENAI_DEPLOYMENT): ${chat.join(', ')}.`
      : 'Pick a chat deployment (gpt-4o-mini, gpt-4.1, gpt-5...) with --deployment, or deploy one.',
  };
}

/** 400: a model newer than the classic route's api version. */
function apiVersionTooOld(f: Failure, ctx: DiagnoseContext): Explanation {
  const said = f.message;
  // Stryker disable next-line OptionalChaining: codeOf chose this code because this pattern matched this message
  const needed = API_VERSION_TOO_OLD.exec(said)?.[1];
  return {
    message: `Deployment '${ctx.deployment}' serves a model that this api version does not (400: ${said}).`,
    hint: `Use the v1 API, which takes no api version: --api v1 (the default). Or keep the classic route with ${needed} or later: --api-version ${needed} (or OPENAI_API_VERSION).`,
  };
}

/** 429: authentication works, the quota is used up. */
function throttled(f: Failure, _ctx: DiagnoseContext): Explanation {
  const after =
    f.kind === 'http' && f.retryAfterMs !== undefined
      ? ` Azure asks to retry after ${formatDuration(f.retryAfterMs)}.`
      : '';
  return {
    message: `Azure OpenAI answered 429 Too Many Requests. Keyless authentication and the role work; the deployment's quota is used up.${after}`,
    hint: "Run this again later, or raise the deployment's tokens-per-minute quota (https://aka.ms/oai/quotaincrease).",
  };
}

/** 403 from the account's network rules. */
function networkBlocked(f: Failure, ctx: DiagnoseContext): Explanation {
  const said = f.message;
  const a = ctx.account;
  return {
    message: `The account's network rules refused this client (403: ${said}).`,
    hint: "Run this from a network the account allows (the virtual network of its private endpoint, or VPN), or allow this client's IP address as shown.",
    details: [
      "Allow this client's IP address in the account's networking rules:",
      `az cognitiveservices account network-rule add --name ${a?.name ?? '<account>'} --resource-group ${a?.resourceGroup ?? '<resource-group>'} --ip-address <your public IP>`,
    ],
  };
}

/** No answer: DNS, a refused or reset connection, a timeout, an untrusted certificate. */
function unreachable(f: Failure, ctx: DiagnoseContext): Explanation {
  const said = f.message;
  const host = hostOf(ctx.endpoint);
  const reason = f.kind === 'network' ? f.reason : 'other';
  const what =
    reason === 'dns'
      ? `the host name ${host} does not resolve`
      : reason === 'refused'
        ? `${host} refused the connection`
        : reason === 'timeout'
          ? `${host} did not answer in time`
          : reason === 'reset'
            ? `the connection to ${host} was reset`
            : reason === 'tls'
              ? `the TLS certificate of ${host} is not trusted (a proxy that inspects TLS? set NODE_EXTRA_CA_CERTS to its CA)`
              : `the connection to ${host} failed`;
  return {
    message: `Could not reach ${ctx.endpoint}: ${what} (${said}).`,
    hint: 'Check the endpoint (AZURE_OPENAI_ENDPOINT or --endpoint) and the network: VPN, proxy, DNS for a private endpoint.',
  };
}

/** Any other answer, said as Azure said it. */
function unexpectedResponse(f: Failure, _ctx: DiagnoseContext): Explanation {
  const said = f.message;
  const apiVersion = /api[- ]version/i.test(said);
  return {
    message: `Azure OpenAI answered ${f.kind === 'http' ? f.status : ''}${f.kind === 'http' && f.code ? ` ${f.code}` : ''}: ${said}`,
    hint: apiVersion
      ? `Use the v1 API, which takes no api version: --api v1. Or a supported api version: --api-version ${DEFAULT_API_VERSION}.`
      : 'Run again with --debug; if it persists, check https://azure.status.microsoft for an outage.',
  };
}

/** The diagnoses by code (no-credential and unreachable carry no HTTP status: diagnose handles them). */
const EXPLANATIONS: Partial<Record<VerifyCode, (f: Failure, ctx: DiagnoseContext) => Explanation>> = {
  'role-missing': (f, ctx) => roleDenied(f, ctx, false),
  'role-propagating': (f, ctx) => roleDenied(f, ctx, true),
  'bad-token': badToken,
  'wrong-tenant': wrongTenant,
  'regional-endpoint': regionalEndpoint,
  'deployment-not-found': deploymentNotFound,
  'wrong-endpoint': wrongEndpoint,
  'not-a-chat-model': notAChatModel,
  'api-version-too-old': apiVersionTooOld,
  throttled,
  'network-blocked': networkBlocked,
};

function noCredential(f: Failure, ctx: DiagnoseContext): Omit<VerifyFailureInfo, 'code'> {
  if (f.kind === 'credential-config') {
    return {
      message: `DefaultAzureCredential could not start: ${f.message}`,
      hint: 'Fix AZURE_TOKEN_CREDENTIALS (in the environment or the .env): "dev", "prod" or one credential name such as AzureCliCredential, or unset it.',
    };
  }
  // Stryker disable next-line ArrayDeclaration: only a credential failure gets here (the config one returned above)
  const lines = f.kind === 'credential' ? f.messages : [f.message];
  const all = lines.join('\n');
  // az's own advice for an expired sign-in names the scope to sign in with (azure-cli auth/util.py).
  const scoped = /az login --scope \S+/.exec(all)?.[0];
  const hint = scoped
    ? `Sign in again: \`${scoped}\`.`
    : 'Sign in: `az login` (in CI: the azure/login action before this step; on Azure with a user-assigned managed identity: set AZURE_CLIENT_ID to its client id).';
  return {
    message: `No credential of the DefaultAzureCredential chain could get a token for ${ctx.scope}.`,
    hint,
    details: lines.map((l) => firstLine(l)).slice(0, 8),
  };
}

function roleCommand(ctx: DiagnoseContext): string {
  const c = ctx.claims;
  return azCliCommand({
    principalId: c?.objectId ?? '<object-id>',
    principalType: c?.principalType ?? 'User',
    principalName: c?.name,
    role: OPENAI_USER,
    scope: ctx.account?.id ?? '<resource-id>',
    tenantId: c?.tenantId,
    // Stryker disable next-line ObjectLiteral,LogicalOperator,StringLiteral: the az command reads no account (the Bicep hand-off does)
    account: { id: ctx.account?.id ?? '<resource-id>', name: ctx.account?.name ?? '<account>' },
  });
}

function principalLabel(c: TokenClaims | undefined): string {
  if (!c) return 'The signed-in principal';
  const kind =
    c.principalType === 'User' ? 'User' : c.managedIdentityResourceId ? 'Managed identity' : 'Service principal';
  return `${kind} ${c.name ?? c.objectId ?? '(unknown)'}${c.objectId && c.name ? ` (object id ${c.objectId})` : ''}`;
}

function deploymentList(ds: readonly DeploymentFacts[] | undefined): string | undefined {
  if (!ds?.length) return undefined;
  const sorted = [...ds].sort((a, b) => Number(b.chat) - Number(a.chat));
  return sorted.map((d) => `${d.name}${d.model ? ` (${d.model}${d.chat ? '' : ', not chat'})` : ''}`).join(', ');
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

function normalise(endpoint: string): string {
  return endpoint.trim().toLowerCase().replace(/\/+$/, '');
}

function firstLine(s: string): string {
  // Each line is "Name: message" (credentialFailure), so its first line is never blank.
  const line = s.split('\n')[0] ?? s;
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}
