// The diagnosis table of README "verify": each answer Azure, the network or the credential chain gives (one
// fixture each, with its source in test/fixtures/azure-fixtures.json) -> its code, the HTTP status it carries,
// what the message tells the user and the one next step. Every verify failure exits 6 (cli.ts: ok false); the
// code and the next step are what tell them apart, so they are asserted word for word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APIConnectionTimeoutError } from 'openai/error';
import { codeOf, diagnose, wantsAzureFacts, type DiagnoseContext } from '../../src/verify/diagnose.ts';
import { toFailure, type Failure, type NetworkReason } from '../../src/verify/failure.ts';
import type { VerifyCode } from '../../src/verify/report.ts';
import type { TokenClaims } from '../../src/entra/token-claims.ts';
import {
  fixture,
  identityError,
  systemError,
  thrownForAnswer,
  thrownForConnection,
  thrownForTokenError,
} from '../support/thrown.ts';

const OID = '55555555-5555-5555-5555-555555555555';
const TID = '22222222-2222-2222-2222-222222222222';
const SUB = '11111111-1111-1111-1111-111111111111';
const ACCOUNT_ID = `/subscriptions/${SUB}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;
const ENDPOINT = 'https://contoso-aoai.openai.azure.com/';
const SCOPE = 'https://cognitiveservices.azure.com/.default';
const ROLE_ID = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd';
const HOUR_AHEAD = new Date(Date.now() + 3_600_000);

const alice: TokenClaims = {
  objectId: OID,
  tenantId: TID,
  name: 'alice@contoso.com',
  appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
  audience: 'https://cognitiveservices.azure.com',
  expiresAt: HOUR_AHEAD,
  principalType: 'User',
  managedIdentityResourceId: undefined,
};
const ciApp: TokenClaims = {
  ...alice,
  objectId: '66666666-6666-6666-6666-666666666666',
  name: '44444444-4444-4444-4444-444444444444',
  appId: '44444444-4444-4444-4444-444444444444',
  principalType: 'ServicePrincipal',
};
const vmIdentity: TokenClaims = {
  ...ciApp,
  managedIdentityResourceId: `/subscriptions/${SUB}/resourcegroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`,
};

const account = {
  id: ACCOUNT_ID,
  name: 'contoso-aoai',
  resourceGroup: 'rg-aoai',
  subscriptionId: SUB,
  endpoint: ENDPOINT,
};

const ctx = (over: Partial<DiagnoseContext> = {}): DiagnoseContext => ({
  endpoint: ENDPOINT,
  deployment: 'gpt-4o-mini',
  scope: SCOPE,
  api: 'v1',
  justAssigned: false,
  waitedMs: 0,
  claims: alice,
  roleAssignmentCommand: undefined,
  ...over,
});

/** A fixture's answer as openai 7 throws it, read as verify reads it (with the raw body it kept). */
function answer(id: string, headers?: Record<string, string>): Failure {
  const fx = fixture(id);
  const { error, raw } = thrownForAnswer(fx.status, fx.body, headers ?? fx.headers);
  const f = toFailure(error, { response: raw, nowMs: Date.now() });
  assert.ok(f, id);
  return f;
}

function noToken(id: string): Failure {
  const f = toFailure(thrownForTokenError(identityError(id)), { nowMs: Date.now() });
  assert.ok(f, id);
  return f;
}

function unreachable(code: string, message: string): Failure {
  const f = toFailure(thrownForConnection(systemError(code, message)), { connection: 'error', nowMs: Date.now() });
  assert.ok(f, code);
  return f;
}

const SIGN_IN =
  'Sign in: `az login` (in CI: the azure/login action before this step; on Azure with a user-assigned managed identity: set AZURE_CLIENT_ID to its client id).';
const NO_TOKEN = `No credential of the DefaultAzureCredential chain could get a token for ${SCOPE}.`;
const ROLE_COMMAND = `az role assignment create --assignee-object-id ${OID} --assignee-principal-type User --role ${ROLE_ID}`;
const GIVE_ROLE =
  'Give it the "Cognitive Services OpenAI User" role (an Owner or User Access Administrator can run this):';
const AFTER_ROLE = 'Once the role is assigned, run `aoai-keyless verify --wait 5m`.';
const BAD_TOKEN_HINT = `Check the scope: ${SCOPE} (AZURE_OPENAI_SCOPE, or the endpoint's cloud) must be the audience of contoso-aoai.openai.azure.com; then sign in again (\`az login\`) and run this again.`;
const TENANT_HINT =
  "Sign in to the account's tenant: `az login --tenant <resource tenant id>`, or set AZURE_TENANT_ID to it (in the environment or the .env) for a service principal or managed identity.";
const LIST_DEPLOYMENTS =
  'List the deployments: `az cognitiveservices account deployment list --name <account> --resource-group <resource-group> -o table`.';
const SHOW_ENDPOINT =
  'Use the endpoint az reports for the account: `az cognitiveservices account show --name <account> --resource-group <resource-group> --query properties.endpoint -o tsv` (just scheme and host, no /openai path).';
const NETWORK_HINT =
  "Run this from a network the account allows (the virtual network of its private endpoint, or VPN), or allow this client's IP address as shown.";
const NETWORK_RULE = [
  "Allow this client's IP address in the account's networking rules:",
  'az cognitiveservices account network-rule add --name <account> --resource-group <resource-group> --ip-address <your public IP>',
];
const CHECK_NETWORK =
  'Check the endpoint (AZURE_OPENAI_ENDPOINT or --endpoint) and the network: VPN, proxy, DNS for a private endpoint.';
const OUTAGE = 'Run again with --debug; if it persists, check https://azure.status.microsoft for an outage.';

interface Row {
  name: string;
  failure: () => Failure;
  ctx?: Partial<DiagnoseContext>;
  code: VerifyCode;
  status: number | undefined;
  message: RegExp | string;
  hint: RegExp | string;
  details?: Array<RegExp | string>;
}

const rows: Row[] = [
  // --- no credential: nothing reached Azure OpenAI --------------------------------------------------------
  {
    name: 'az not signed in',
    failure: () => noToken('identity_err_az_not_logged_in'),
    code: 'no-credential',
    status: undefined,
    message: NO_TOKEN,
    hint: SIGN_IN,
    details: [
      "CredentialUnavailableError: Please run 'az login' from a command prompt to authenticate before using this credential.",
    ],
  },
  {
    name: 'az not installed',
    failure: () => noToken('identity_err_az_missing'),
    code: 'no-credential',
    status: undefined,
    message: NO_TOKEN,
    hint: SIGN_IN,
    details: [/^CredentialUnavailableError: Azure CLI could not be found\. Please visit https:\/\/aka\.ms\/azure-cli /],
  },
  {
    name: "az's sign-in expired: az's own command, with the scope",
    failure: () => noToken('identity_err_az_refresh_expired_passthrough'),
    code: 'no-credential',
    status: undefined,
    message: NO_TOKEN,
    hint: 'Sign in again: `az login --scope https://cognitiveservices.azure.com/.default`.',
    // The first line of az's text only, cut at 240 characters.
    details: [
      /^CredentialUnavailableError: ERROR: AADSTS700082: The refresh token has expired due to inactivity\. The token was issued on 2025-01-01T00:00:00\.0000000Z and was inactive for 90\.00:00:00\. Trace ID: 0{8}-0{4}-0{4}-0{4}-0{12} Corre\.\.\.$/,
    ],
  },
  {
    name: 'az printed something that is not JSON',
    failure: () => noToken('identity_err_az_bad_json'),
    code: 'no-credential',
    status: undefined,
    message: NO_TOKEN,
    hint: SIGN_IN,
    details: ["CredentialUnavailableError: Unexpected token 'o', \"not json"],
  },
  {
    name: 'the whole chain unavailable: one line per credential, long ones cut',
    failure: () => noToken('identity_err_full_chain_all_unavailable'),
    code: 'no-credential',
    status: undefined,
    message: NO_TOKEN,
    hint: SIGN_IN,
    details: [
      /^CredentialUnavailableError: EnvironmentCredential is unavailable\. .*environmentcredential\/troubleshoot\.$/,
      /^CredentialUnavailableError: ManagedIdentityCredential: Authentication failed\. .{150,}\.\.\.$/,
      /^CredentialUnavailableError: Visual Studio Code Authentication is not available\. .{150,}\.\.\.$/,
      "CredentialUnavailableError: Please run 'az login' from a command prompt to authenticate before using this credential.",
      /^CredentialUnavailableError: Error: Unable to execute PowerShell\. /,
      /^CredentialUnavailableError: Azure Developer CLI couldn't be found\. /,
    ],
  },
  {
    name: 'a bad AZURE_TOKEN_CREDENTIALS stops DefaultAzureCredential before it starts',
    failure: () => ({
      kind: 'credential-config',
      message: fixture<{ thrown: string }>('identity_err_invalid_AZURE_TOKEN_CREDENTIALS').thrown.replace(
        /^Error: /,
        '',
      ),
    }),
    code: 'no-credential',
    status: undefined,
    message:
      /^DefaultAzureCredential could not start: Invalid value for AZURE_TOKEN_CREDENTIALS = bogus\. Valid values/,
    hint: 'Fix AZURE_TOKEN_CREDENTIALS (in the environment or the .env): "dev", "prod" or one credential name such as AzureCliCredential, or unset it.',
  },

  // --- the role ------------------------------------------------------------------------------------------
  {
    name: '401 PermissionDenied: the exact command for this principal, scope unknown',
    failure: () => answer('aoai_401_permission_denied_missing_role'),
    code: 'role-missing',
    status: 401,
    message: `User alice@contoso.com (object id ${OID}) may not call this Azure OpenAI account: it holds no data-plane role there (401 PermissionDenied: The principal \`${OID}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action\` to perform \`POST /openai/deployments/{deployment-id}/chat/completions\` operation.)`,
    hint: AFTER_ROLE,
    details: [GIVE_ROLE, `${ROLE_COMMAND} --scope "<resource-id>"`],
  },
  {
    name: '401 PermissionDenied, the account found through az: its id is the scope',
    failure: () => answer('aoai_401_permission_denied_missing_role'),
    ctx: { account },
    code: 'role-missing',
    status: 401,
    message: /^User alice@contoso\.com \(object id 5{8}-.*\) may not call this Azure OpenAI account/,
    hint: AFTER_ROLE,
    details: [GIVE_ROLE, `${ROLE_COMMAND} --scope "${ACCOUNT_ID}"`],
  },
  {
    name: '401 PermissionDenied for a CI service principal',
    failure: () => answer('aoai_401_permission_denied_missing_role'),
    ctx: { claims: ciApp },
    code: 'role-missing',
    status: 401,
    message:
      /^Service principal 4{8}-4{4}-4{4}-4{4}-4{12} \(object id 6{8}-6{4}-6{4}-6{4}-6{12}\) may not call this Azure OpenAI account/,
    hint: AFTER_ROLE,
    details: [
      GIVE_ROLE,
      `az role assignment create --assignee-object-id ${ciApp.objectId} --assignee-principal-type ServicePrincipal --role ${ROLE_ID} --scope "<resource-id>"`,
    ],
  },
  {
    name: '401 PermissionDenied for a managed identity',
    failure: () => answer('aoai_401_permission_denied_missing_role'),
    ctx: { claims: vmIdentity },
    code: 'role-missing',
    status: 401,
    message: /^Managed identity 4{8}-4{4}-4{4}-4{4}-4{12} \(object id 6{8}-/,
    hint: AFTER_ROLE,
    details: [GIVE_ROLE, /--assignee-principal-type ServicePrincipal /],
  },
  {
    name: '401 PermissionDenied, no token claims to name anyone',
    failure: () => answer('aoai_401_permission_denied_missing_role'),
    ctx: { claims: undefined },
    code: 'role-missing',
    status: 401,
    message: /^The signed-in principal may not call this Azure OpenAI account/,
    hint: AFTER_ROLE,
    details: [
      GIVE_ROLE,
      `az role assignment create --assignee-object-id <object-id> --assignee-principal-type User --role ${ROLE_ID} --scope "<resource-id>"`,
    ],
  },
  {
    name: '401 PermissionDenied after --wait: how long it waited',
    failure: () => answer('aoai_401_permission_denied_missing_role'),
    ctx: { waitedMs: 125_000, roleAssignmentCommand: 'az role assignment create --assignee-object-id X' },
    code: 'role-missing',
    status: 401,
    message: /operation\.\) Still denied after waiting 2m5s\.$/,
    hint: AFTER_ROLE,
    details: [GIVE_ROLE, 'az role assignment create --assignee-object-id X'],
  },
  {
    name: '401 PermissionDenied right after setup created the assignment: wait',
    failure: () => answer('aoai_401_permission_denied_missing_role'),
    ctx: { justAssigned: true, roleAssignmentCommand: 'az role assignment create --assignee-object-id X' },
    code: 'role-propagating',
    status: 401,
    message: `User alice@contoso.com (object id ${OID}) was just given its role on this account, and Azure is not applying it yet (401 PermissionDenied).`,
    hint: 'A new role assignment takes up to 5 minutes, sometimes more, to reach Azure OpenAI: run `aoai-keyless verify --wait 10m`.',
    details: ['The role assignment: az role assignment create --assignee-object-id X'],
  },
  {
    name: 'still propagating after --wait, the command rebuilt from the claims',
    failure: () => answer('aoai_401_permission_denied_missing_role'),
    ctx: { justAssigned: true, waitedMs: 600_000, account },
    code: 'role-propagating',
    status: 401,
    message: /\(401 PermissionDenied\)\. Still denied after waiting 10m\.$/,
    hint: /verify --wait 10m/,
    details: [`The role assignment: ${ROLE_COMMAND} --scope "${ACCOUNT_ID}"`],
  },

  // --- the token -----------------------------------------------------------------------------------------
  {
    name: "the gateway's 401 (no error wrapper), nothing wrong with the token that it can tell",
    failure: () => answer('aoai_401_audience_or_expired_token'),
    code: 'bad-token',
    status: 401,
    message: 'Azure OpenAI rejected the token as missing, invalid, for the wrong audience or expired (401).',
    hint: BAD_TOKEN_HINT,
  },
  {
    name: "the gateway's 401 with no claims to read: no guess at the reason",
    failure: () => answer('aoai_401_audience_or_expired_token'),
    ctx: { claims: undefined },
    code: 'bad-token',
    status: 401,
    message: 'Azure OpenAI rejected the token as missing, invalid, for the wrong audience or expired (401).',
    hint: BAD_TOKEN_HINT,
  },
  {
    name: "a scope written with management's '//.default' is the same audience as the token's",
    failure: () => answer('aoai_401_audience_or_expired_token'),
    ctx: { endpoint: 'http://127.0.0.1:8443/aoai/', scope: 'https://cognitiveservices.azure.com//.default' },
    code: 'bad-token',
    status: 401,
    message: 'Azure OpenAI rejected the token as missing, invalid, for the wrong audience or expired (401).',
    hint: /^Check the scope: https:\/\/cognitiveservices\.azure\.com\/\/\.default /,
  },
  {
    name: "the gateway's 401 for a Government token on a public-cloud endpoint",
    failure: () => answer('aoai_401_audience_or_expired_token'),
    ctx: { claims: { ...alice, audience: 'https://cognitiveservices.azure.us' } },
    code: 'bad-token',
    status: 401,
    message:
      'Azure OpenAI rejected the token as missing, invalid, for the wrong audience or expired (401): the token is for https://cognitiveservices.azure.us, not https://cognitiveservices.azure.com.',
    hint: BAD_TOKEN_HINT,
  },
  {
    name: "the gateway's 401 for an expired token",
    failure: () => answer('aoai_401_audience_or_expired_token'),
    ctx: {
      claims: {
        ...alice,
        audience: 'https://cognitiveservices.azure.com/',
        expiresAt: new Date('2026-01-01T00:00:00Z'),
      },
    },
    code: 'bad-token',
    status: 401,
    message:
      'Azure OpenAI rejected the token as missing, invalid, for the wrong audience or expired (401): the token expired at 2026-01-01T00:00:00.000Z.',
    hint: BAD_TOKEN_HINT,
  },
  {
    name: "the gateway's 401 for an expired token of another cloud: both reasons",
    failure: () => answer('aoai_401_audience_or_expired_token'),
    ctx: {
      claims: { ...alice, audience: 'https://cognitiveservices.azure.cn', expiresAt: new Date('2026-01-01T00:00:00Z') },
    },
    code: 'bad-token',
    status: 401,
    message:
      /\(401\): the token is for https:\/\/cognitiveservices\.azure\.cn, not https:\/\/cognitiveservices\.azure\.com; the token expired at 2026-01-01T00:00:00\.000Z\.$/,
    hint: BAD_TOKEN_HINT,
  },
  {
    name: "a Government endpoint's 401: its own cloud's audience is the one expected, whatever the scope said",
    failure: () => answer('aoai_401_audience_or_expired_token'),
    ctx: { endpoint: 'https://contoso-gov.openai.azure.us/' },
    code: 'bad-token',
    status: 401,
    message:
      /: the token is for https:\/\/cognitiveservices\.azure\.com, not https:\/\/cognitiveservices\.azure\.us\.$/,
    hint: /must be the audience of contoso-gov\.openai\.azure\.us;/,
  },
  {
    name: "an endpoint of no known cloud (a proxy): the scope's audience is the one expected",
    failure: () => answer('aoai_401_audience_or_expired_token'),
    ctx: { endpoint: 'http://127.0.0.1:8443/aoai/', scope: 'https://ai.azure.com/.default' },
    code: 'bad-token',
    status: 401,
    message: /: the token is for https:\/\/cognitiveservices\.azure\.com, not https:\/\/ai\.azure\.com\.$/,
    hint: "Check the scope: https://ai.azure.com/.default (AZURE_OPENAI_SCOPE, or the endpoint's cloud) must be the audience of 127.0.0.1:8443; then sign in again (`az login`) and run this again.",
  },
  {
    name: 'wrong tenant (400): the tenant of the token, from its claims',
    failure: () => answer('aoai_400_wrong_tenant'),
    code: 'wrong-tenant',
    status: 400,
    message: `The token is from tenant ${TID}, but the Azure OpenAI account belongs to another tenant.`,
    hint: TENANT_HINT,
  },
  {
    name: 'wrong tenant (400) with no claims: the tenant Azure named',
    failure: () => answer('aoai_400_wrong_tenant'),
    ctx: { claims: undefined },
    code: 'wrong-tenant',
    status: 400,
    message:
      'The token is from tenant 33e01921-4d64-4f8c-a055-5bdaffd5e33d, but the Azure OpenAI account belongs to another tenant.',
    hint: TENANT_HINT,
  },

  // --- the endpoint and the deployment -------------------------------------------------------------------
  {
    name: 'a regional endpoint (400 custom subdomain), the account known: its --custom-domain command',
    failure: () => answer('aoai_400_regional_endpoint_token_auth'),
    ctx: { endpoint: 'https://eastus.api.cognitive.microsoft.com/', account: { ...account, endpoint: undefined } },
    code: 'regional-endpoint',
    status: 400,
    message:
      "https://eastus.api.cognitive.microsoft.com/ is a regional endpoint: Microsoft Entra ID tokens need the account's own (custom subdomain) endpoint, such as https://<account>.openai.azure.com/.",
    hint: 'Then use its new endpoint (AZURE_OPENAI_ENDPOINT, or run `aoai-keyless setup` again).',
    details: [
      'Give the account a custom subdomain (it cannot be undone, so aoai-keyless only shows the command):',
      `az cognitiveservices account update --name contoso-aoai --resource-group rg-aoai --subscription ${SUB} --custom-domain contoso-aoai`,
    ],
  },
  {
    name: 'a regional endpoint, the account unknown: the command with placeholders',
    failure: () => answer('aoai_400_regional_endpoint_token_auth'),
    code: 'regional-endpoint',
    status: 400,
    message: /is a regional endpoint/,
    hint: /new endpoint/,
    details: [
      /^Give the account a custom subdomain/,
      'az cognitiveservices account update --name <account> --resource-group <resource-group> --custom-domain <account>',
    ],
  },
  {
    name: '404 DeploymentNotFound: the deployments that exist, chat ones first',
    failure: () => answer('aoai_404_deployment_not_found'),
    ctx: {
      deployment: 'gpt4o',
      deployments: [
        { name: 'embed', model: 'text-embedding-3-small', chat: false },
        { name: 'gpt-4o', model: 'gpt-4o', chat: true },
        { name: 'custom', model: undefined, chat: false },
        { name: 'o4-mini', model: 'o4-mini', chat: true },
      ],
    },
    code: 'deployment-not-found',
    status: 404,
    message: `The account at ${ENDPOINT} has no deployment named 'gpt4o' (404 DeploymentNotFound). One created in the last 5 minutes may not be ready yet.`,
    hint: 'Pass --deployment (or set AZURE_OPENAI_DEPLOYMENT) to one that exists: gpt-4o (gpt-4o), o4-mini (o4-mini), embed (text-embedding-3-small, not chat), custom.',
  },
  {
    name: '404 DeploymentNotFound, the account known but none listed: the list command for it',
    failure: () => answer('aoai_404_deployment_not_found'),
    ctx: { account, deployments: [] },
    code: 'deployment-not-found',
    status: 404,
    message: /has no deployment named 'gpt-4o-mini'/,
    hint: 'List the deployments: `az cognitiveservices account deployment list --name contoso-aoai --resource-group rg-aoai -o table`.',
  },
  {
    name: '404 DeploymentNotFound, nothing known: the list command with placeholders',
    failure: () => answer('aoai_404_deployment_not_found'),
    code: 'deployment-not-found',
    status: 404,
    message: /has no deployment named 'gpt-4o-mini'/,
    hint: LIST_DEPLOYMENTS,
  },
  {
    name: '404 Resource not found on the classic route, az knows the right endpoint',
    failure: () => answer('aoai_404_resource_not_found_generic'),
    ctx: { endpoint: 'https://contoso-aoai.openai.azure.com/openai/', api: 'classic', account },
    code: 'wrong-endpoint',
    status: 404,
    message:
      'https://contoso-aoai.openai.azure.com/openai/ answered 404 Resource not found: it is not the Azure OpenAI endpoint of an account, or the api version is wrong.',
    hint: `az reports the endpoint ${ENDPOINT} for account contoso-aoai: set AZURE_OPENAI_ENDPOINT (or --endpoint) to it.`,
  },
  {
    name: '404 Resource not found on v1 at the endpoint az reports (case and slash aside): the generic hint',
    failure: () => answer('aoai_404_resource_not_found_generic'),
    ctx: { endpoint: ' HTTPS://Contoso-AOAI.openai.azure.com', account },
    code: 'wrong-endpoint',
    status: 404,
    message:
      ' HTTPS://Contoso-AOAI.openai.azure.com answered 404 Resource not found: it is not the Azure OpenAI endpoint of an account.',
    hint: SHOW_ENDPOINT,
  },
  {
    name: '404 Resource not found at the endpoint az reports with a slash too many: the generic hint',
    failure: () => answer('aoai_404_resource_not_found_generic'),
    ctx: { endpoint: `${ENDPOINT}/`, account },
    code: 'wrong-endpoint',
    status: 404,
    message: /answered 404 Resource not found/,
    hint: SHOW_ENDPOINT,
  },
  {
    name: '404 Resource not found, the account unknown',
    failure: () => answer('aoai_404_resource_not_found_generic'),
    code: 'wrong-endpoint',
    status: 404,
    message: /answered 404 Resource not found: it is not the Azure OpenAI endpoint of an account\.$/,
    hint: SHOW_ENDPOINT,
  },
  {
    name: '400 OperationNotSupported (an embedding model): the chat deployments to pick from',
    failure: () => answer('aoai_400_operation_not_supported_embedding'),
    ctx: {
      deployment: 'embed',
      deployments: [
        { name: 'embed', model: 'text-embedding-3-large', chat: false },
        { name: 'gpt-4o-mini', model: 'gpt-4o-mini', chat: true },
        { name: 'gpt-5', model: 'gpt-5', chat: true },
      ],
    },
    code: 'not-a-chat-model',
    status: 400,
    message:
      "Deployment 'embed' serves a model that does not do chat completions (400 OperationNotSupported: The chatCompletion operation does not work with the specified model, text-embedding-3-large. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.)",
    hint: 'Pick a chat deployment with --deployment (or AZURE_OPENAI_DEPLOYMENT): gpt-4o-mini, gpt-5.',
  },
  {
    name: '400 OperationNotSupported, no chat deployment known',
    failure: () => answer('aoai_400_operation_not_supported_embedding'),
    ctx: { deployment: 'embed', deployments: [{ name: 'embed', model: 'text-embedding-3-large', chat: false }] },
    code: 'not-a-chat-model',
    status: 400,
    message: /^Deployment 'embed' serves a model that does not do chat completions/,
    hint: 'Pick a chat deployment (gpt-4o-mini, gpt-4.1, gpt-5...) with --deployment, or deploy one.',
  },
  {
    name: '400 OperationNotSupported, the deployments unknown',
    failure: () => answer('aoai_400_operation_not_supported_embedding'),
    code: 'not-a-chat-model',
    status: 400,
    message: /^Deployment 'gpt-4o-mini' serves a model that does not do chat completions/,
    hint: 'Pick a chat deployment (gpt-4o-mini, gpt-4.1, gpt-5...) with --deployment, or deploy one.',
  },
  {
    name: '400 "enabled only for api versions X and later" (classic route): v1, or X, never the version that failed',
    failure: () => answer('aoai_400_api_version_too_old_reasoning'),
    ctx: { deployment: 'o3-mini', api: 'classic' },
    code: 'api-version-too-old',
    status: 400,
    message:
      "Deployment 'o3-mini' serves a model that this api version does not (400: Model {modelName} is enabled only for api versions 2024-12-01-preview and later).",
    hint: 'Use the v1 API, which takes no api version: --api v1 (the default). Or keep the classic route with 2024-12-01-preview or later: --api-version 2024-12-01-preview (or OPENAI_API_VERSION).',
  },
  {
    name: '400 "API version not supported" is no model problem: v1, or the default api version',
    failure: () => answer('aoai_400_api_version_not_supported'),
    ctx: { api: 'classic' },
    code: 'unexpected-response',
    status: 400,
    message: 'Azure OpenAI answered 400 BadRequest: API version not supported',
    hint: 'Use the v1 API, which takes no api version: --api v1. Or a supported api version: --api-version 2025-04-01-preview.',
  },

  // --- quota and network rules ---------------------------------------------------------------------------
  {
    name: '429 with retry-after: auth works, the quota does not',
    failure: () => answer('aoai_429_rate_limited'),
    code: 'throttled',
    status: 429,
    message:
      "Azure OpenAI answered 429 Too Many Requests. Keyless authentication and the role work; the deployment's quota is used up. Azure asks to retry after 1s.",
    hint: "Run this again later, or raise the deployment's tokens-per-minute quota (https://aka.ms/oai/quotaincrease).",
  },
  {
    name: '429 without retry-after',
    failure: () => answer('aoai_429_rate_limited', {}),
    code: 'throttled',
    status: 429,
    message: /the deployment's quota is used up\.$/,
    hint: /quota/,
  },
  {
    name: '403 public access disabled: the network rules',
    failure: () => answer('aoai_403_public_access_disabled'),
    code: 'network-blocked',
    status: 403,
    message:
      "The account's network rules refused this client (403: Public access is disabled. Please configure private endpoint.).",
    hint: NETWORK_HINT,
    details: NETWORK_RULE,
  },
  {
    name: '403 Virtual Network/Firewall rules, the account known: its network-rule command',
    failure: () => answer('aoai_403_firewall_rules'),
    ctx: { account },
    code: 'network-blocked',
    status: 403,
    message: /\(403: Access denied due to Virtual Network\/Firewall rules\.\)\.$/,
    hint: NETWORK_HINT,
    details: [
      NETWORK_RULE[0]!,
      'az cognitiveservices account network-rule add --name contoso-aoai --resource-group rg-aoai --ip-address <your public IP>',
    ],
  },
  {
    name: '403 "A Virtual Network is configured" without an error wrapper',
    failure: () => answer('aoai_403_virtual_network_unwrapped'),
    code: 'network-blocked',
    status: 403,
    message: /\(403: A Virtual Network is configured for this resource\./,
    hint: NETWORK_HINT,
    details: NETWORK_RULE,
  },
  {
    name: '403 key authentication disabled is no network rule',
    failure: () => answer('aoai_403_key_auth_disabled'),
    code: 'unexpected-response',
    status: 403,
    message:
      'Azure OpenAI answered 403 AuthenticationTypeDisabled: Key based authentication is disabled for this resource.',
    hint: OUTAGE,
  },
  {
    name: '500 server error',
    failure: () => answer('aoai_500_server_error'),
    code: 'unexpected-response',
    status: 500,
    message: 'Azure OpenAI answered 500: The server had an error while processing your request. Sorry about that!',
    hint: OUTAGE,
  },

  // --- the network: the reason is named --------------------------------------------------------------------
  {
    name: 'DNS: the host does not resolve',
    failure: () => unreachable('ENOTFOUND', 'getaddrinfo ENOTFOUND contoso-aoai.openai.azure.com'),
    code: 'unreachable',
    status: undefined,
    message: `Could not reach ${ENDPOINT}: the host name contoso-aoai.openai.azure.com does not resolve (getaddrinfo ENOTFOUND contoso-aoai.openai.azure.com).`,
    hint: CHECK_NETWORK,
  },
  {
    name: 'refused',
    failure: () => unreachable('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.4:443'),
    code: 'unreachable',
    status: undefined,
    message: `Could not reach ${ENDPOINT}: contoso-aoai.openai.azure.com refused the connection (connect ECONNREFUSED 10.0.0.4:443).`,
    hint: CHECK_NETWORK,
  },
  {
    name: 'connect timeout',
    failure: () => unreachable('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'),
    code: 'unreachable',
    status: undefined,
    message: `Could not reach ${ENDPOINT}: contoso-aoai.openai.azure.com did not answer in time (Connect Timeout Error).`,
    hint: CHECK_NETWORK,
  },
  {
    name: "openai's request timeout",
    failure: () => toFailure(new APIConnectionTimeoutError(), { connection: 'timeout', nowMs: 0 })!,
    code: 'unreachable',
    status: undefined,
    message: `Could not reach ${ENDPOINT}: contoso-aoai.openai.azure.com did not answer in time (The request timed out.).`,
    hint: CHECK_NETWORK,
  },
  {
    name: 'reset',
    failure: () => unreachable('ECONNRESET', 'read ECONNRESET'),
    code: 'unreachable',
    status: undefined,
    message: `Could not reach ${ENDPOINT}: the connection to contoso-aoai.openai.azure.com was reset (read ECONNRESET).`,
    hint: CHECK_NETWORK,
  },
  {
    name: 'TLS: a proxy that inspects TLS',
    failure: () => unreachable('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
    code: 'unreachable',
    status: undefined,
    message: `Could not reach ${ENDPOINT}: the TLS certificate of contoso-aoai.openai.azure.com is not trusted (a proxy that inspects TLS? set NODE_EXTRA_CA_CERTS to its CA) (self-signed certificate in certificate chain).`,
    hint: CHECK_NETWORK,
  },
  {
    name: 'no route to the host',
    failure: () => unreachable('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.4:443'),
    code: 'unreachable',
    status: undefined,
    message: `Could not reach ${ENDPOINT}: the connection to contoso-aoai.openai.azure.com failed (connect EHOSTUNREACH 10.0.0.4:443).`,
    hint: CHECK_NETWORK,
  },
];

for (const row of rows) {
  test(`diagnosis: ${row.name} -> ${row.code}`, () => {
    const d = diagnose(row.failure(), ctx(row.ctx));
    assert.equal(d.code, row.code);
    assert.equal(d.status, row.status);
    assert.equal('status' in d, row.status !== undefined, 'a status only where Azure answered');
    const check = (actual: string, expected: RegExp | string, what: string) =>
      typeof expected === 'string' ? assert.equal(actual, expected, what) : assert.match(actual, expected, what);
    check(d.message, row.message, 'message');
    check(d.hint, row.hint, 'hint');
    if (row.details) {
      assert.equal(d.details?.length, row.details.length, 'details');
      for (const [i, expected] of row.details.entries()) check(d.details![i]!, expected, `details[${i}]`);
    } else {
      assert.equal(d.details, undefined);
    }
  });
}

test('not every 400 is "not a chat model": only OperationNotSupported is', () => {
  const tooOld = fixture('aoai_400_api_version_too_old_reasoning');
  for (const [id, code] of [
    ['aoai_400_operation_not_supported_embedding', 'not-a-chat-model'],
    ['aoai_400_api_version_too_old_reasoning', 'api-version-too-old'],
    ['aoai_400_api_version_not_supported', 'unexpected-response'],
    ['aoai_400_regional_endpoint_token_auth', 'regional-endpoint'],
    ['aoai_400_wrong_tenant', 'wrong-tenant'],
  ] as const)
    assert.equal(codeOf(answer(id), false), code, id);
  // The same codes on another status are not these diagnoses.
  const as = (status: number, body: unknown) => {
    const { error, raw } = thrownForAnswer(status, body);
    return codeOf(toFailure(error, { response: raw, nowMs: 0 })!, false);
  };
  assert.equal(as(404, fixture('aoai_400_operation_not_supported_embedding').body), 'wrong-endpoint');
  assert.equal(as(500, tooOld.body), 'unexpected-response');
  assert.equal(as(409, fixture('aoai_404_deployment_not_found').body), 'unexpected-response');
  assert.equal(as(500, fixture('aoai_400_operation_not_supported_embedding').body), 'unexpected-response');
  assert.equal(codeOf(answer('aoai_400_on_your_data_numeric_code'), false), 'unexpected-response');
});

test('every 403 but key authentication is the network rules, whatever its words (or none)', () => {
  const { error, raw } = thrownForAnswer(403, '');
  assert.equal(codeOf(toFailure(error, { response: raw, nowMs: 0 })!, false), 'network-blocked');
  assert.equal(codeOf(answer('aoai_403_key_auth_disabled'), false), 'unexpected-response');
});

test('a token that expires this very millisecond is expired', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-12-02T10:00:00Z') });
  const d = diagnose(
    answer('aoai_401_audience_or_expired_token'),
    ctx({ claims: { ...alice, expiresAt: new Date('2026-12-02T10:00:00Z') } }),
  );
  assert.match(d.message, /: the token expired at 2026-12-02T10:00:00\.000Z\.$/);
  const later = diagnose(
    answer('aoai_401_audience_or_expired_token'),
    ctx({ claims: { ...alice, expiresAt: new Date('2026-12-02T10:00:00.001Z') } }),
  );
  assert.doesNotMatch(later.message, /expired at/);
});

test('the role is missing whichever of code and message says so; Azure rewords messages, and proxies drop codes', () => {
  const fx = fixture('aoai_401_permission_denied_missing_role');
  const message = (fx.body as { error: { message: string } }).error.message;
  const generic = 'Principal does not have access to API/Operation.'; // microsoft/semantic-kernel#10020 (fixture note)
  const http = (code: string | undefined, text: string): Failure => ({
    kind: 'http',
    status: 401,
    code,
    param: undefined,
    message: text,
    retryAfterMs: undefined,
  });
  assert.equal(codeOf(http(undefined, message), false), 'role-missing', 'the data-action text alone');
  assert.equal(codeOf(http(undefined, generic), false), 'role-missing', 'the generic text alone');
  assert.equal(codeOf(http('PermissionDenied', 'HTTP 401'), false), 'role-missing', 'the code alone');
  assert.equal(codeOf(http(undefined, message), true), 'role-propagating');
  assert.equal(codeOf(http(undefined, 'HTTP 401'), true), 'bad-token', 'a plain 401 is the token, even after setup');
});

test("the wrong tenant shows in Azure's message or in its code", () => {
  const fx = fixture('aoai_400_wrong_tenant');
  const { code, message } = (fx.body as { error: { code: string; message: string } }).error;
  const http = (c: string | undefined, text: string): Failure => ({
    kind: 'http',
    status: 400,
    code: c,
    param: undefined,
    message: text,
    retryAfterMs: undefined,
  });
  assert.equal(codeOf(http(undefined, message), false), 'wrong-tenant', 'the message alone');
  assert.equal(codeOf(http(code, 'HTTP 400'), false), 'wrong-tenant', 'the code alone');
  // arbs-io/vscode-openai#321 and Azure-Samples/azure-search-openai-demo#85 quote it without the code.
  assert.equal(
    codeOf(http(undefined, 'Token tenant 50e5a815-5d7a-4cfc-af9a-d6ab3d6641de does not match resource tenant'), false),
    'wrong-tenant',
  );
  assert.equal(codeOf(http('BadRequest', 'Token tenant does not match resource tenant.'), false), 'wrong-tenant');
  const unknown = diagnose(http(code, 'HTTP 400'), ctx({ claims: undefined }));
  assert.equal(
    unknown.message,
    'The token is from tenant (unknown), but the Azure OpenAI account belongs to another tenant.',
  );
});

test('a token failure or a network failure is never read as an HTTP answer, and carries no status', () => {
  assert.equal(codeOf(noToken('identity_err_az_not_logged_in'), true), 'no-credential');
  assert.equal(codeOf({ kind: 'credential-config', message: 'x' }, false), 'no-credential');
  assert.equal(codeOf(unreachable('ENOTFOUND', 'getaddrinfo ENOTFOUND x'), true), 'unreachable');
});

test('the principal is named by its upn or app id, and its object id when both are known', () => {
  const label = (claims: TokenClaims) =>
    diagnose(answer('aoai_401_permission_denied_missing_role'), ctx({ claims, justAssigned: true })).message.split(
      ' was just given',
    )[0];
  assert.equal(label({ ...alice, name: undefined }), `User ${OID}`);
  assert.equal(label({ ...alice, name: undefined, objectId: undefined }), 'User (unknown)');
  assert.equal(label({ ...alice, objectId: undefined }), 'User alice@contoso.com');
  assert.equal(label({ ...ciApp, name: undefined, objectId: undefined }), 'Service principal (unknown)');
});

test('an endpoint that is no URL is shown as given', () => {
  const d = diagnose(unreachable('ENOTFOUND', 'getaddrinfo ENOTFOUND contoso'), ctx({ endpoint: 'contoso' }));
  assert.equal(
    d.message,
    'Could not reach contoso: the host name contoso does not resolve (getaddrinfo ENOTFOUND contoso).',
  );
});

test("a credential's line of 240 characters is shown whole; a longer one is cut to 240", () => {
  const line = (n: number) => `CredentialUnavailableError: ${'x'.repeat(n - 'CredentialUnavailableError: '.length)}`;
  const chain = (n: number) =>
    toFailure(
      thrownForTokenError(
        Object.assign(new Error('chain'), {
          name: 'AggregateAuthenticationError',
          errors: [Object.assign(new Error(line(n).slice(28)), { name: 'CredentialUnavailableError' })],
        }),
      ),
      { nowMs: 0 },
    )!;
  assert.deepEqual(diagnose(chain(240), ctx()).details, [line(240)]);
  assert.deepEqual(diagnose(chain(241), ctx()).details, [`${line(241).slice(0, 237)}...`]);
});

test('a chain of more than eight credentials shows the first eight', () => {
  const errors = Array.from({ length: 10 }, (_, i) =>
    Object.assign(new Error(`credential ${i} unavailable`), { name: 'CredentialUnavailableError' }),
  );
  const f = toFailure(
    thrownForTokenError(Object.assign(new Error('chain'), { name: 'AggregateAuthenticationError', errors })),
    {
      nowMs: 0,
    },
  )!;
  const d = diagnose(f, ctx());
  assert.deepEqual(
    d.details,
    errors.slice(0, 8).map((e) => `CredentialUnavailableError: ${e.message}`),
  );
});

test('az is asked about the account only where its answer makes the next step better', () => {
  const wants: Array<[VerifyCode, boolean, boolean]> = [
    // A role diagnosis needs the account's id for the command, unless setup already has the command.
    ['role-missing', false, true],
    ['role-missing', true, false],
    ['role-propagating', false, true],
    ['role-propagating', true, false],
    // These name deployments, the account's endpoint or its name.
    ['deployment-not-found', true, true],
    ['not-a-chat-model', true, true],
    ['wrong-endpoint', true, true],
    ['regional-endpoint', true, true],
    ['network-blocked', true, true],
    // These are decided without the account.
    ['no-credential', false, false],
    ['bad-token', false, false],
    ['wrong-tenant', false, false],
    ['api-version-too-old', false, false],
    ['throttled', false, false],
    ['unreachable', false, false],
    ['unexpected-response', false, false],
  ];
  for (const [code, hasCommand, expected] of wants) assert.equal(wantsAzureFacts(code, hasCommand), expected, code);
});

// The rows above name every reason a connection can fail for.
test('every network reason has its own words', () => {
  const reasons: NetworkReason[] = ['dns', 'refused', 'timeout', 'reset', 'tls', 'other'];
  const said = new Set(
    reasons.map(
      (reason) => diagnose({ kind: 'network', reason, message: 'm' }, ctx()).message.split(': ')[1]!.split(' (m)')[0],
    ),
  );
  assert.equal(said.size, reasons.length);
});
