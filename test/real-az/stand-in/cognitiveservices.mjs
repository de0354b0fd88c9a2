// Microsoft.CognitiveServices on ARM: accounts and their deployments (az cognitiveservices account list|show,
// ... deployment list|show), as ARM sends them.
import { accountEndpoint, accountId, resourceGroupExists, same } from '../../support/world.mjs';
import { notFoundResource, rgNotFound } from './replies.mjs';

/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

// Values copied from the recorded Microsoft.CognitiveServices/accounts bodies in azure-cli's
// command_modules/cognitiveservices/tests/latest/recordings/test_cognitiveservices_deployment.yaml,
// so az's output lines up with recorded transcripts of the same account.
const ACCOUNT_ETAG = '"5c02bc5b-0000-2300-0000-6900d7b60000"';
const DEPLOYMENT_ETAG = '"21313ed5-3ec9-497d-ad67-93abe1fbf1bd"';
/** @param {string} when */
const systemData = (when) => ({
  createdBy: 'alice@contoso.com',
  createdByType: 'User',
  createdAt: when,
  lastModifiedBy: 'alice@contoso.com',
  lastModifiedByType: 'User',
  lastModifiedAt: when,
});

/** @param {import('../../support/world.mjs').CognitiveAccount} a */
function accountBody(a) {
  const endpoint = accountEndpoint(a);
  // A world endpoint (the local Azure OpenAI server) serves every API, as in the fake az (test/fake-az/cognitiveservices.mjs).
  const openAi =
    a.kind === 'AIServices' && a.customSubDomainName && !a.endpoint
      ? `https://${a.customSubDomainName}.openai.azure.com/`
      : endpoint;
  const endpoints = {
    'OpenAI Language Model Instance API': openAi,
    'OpenAI Dall-E API': openAi,
    'OpenAI Whisper API': openAi,
    'OpenAI Realtime API': openAi,
    'Token Service API': endpoint,
    'Azure OpenAI Legacy API - Latest moniker': openAi,
  };
  /** @type {Record<string, unknown>} */
  const properties = {
    endpoint,
    internalId: 'cf714d22a3c34a0ea5f5ed6bdde25ee1',
    dateCreated: '2025-10-28T14:48:21.7749336Z',
    callRateLimit: {
      rules: [
        { key: 'openai', renewalPeriod: 1, count: 30, matchPatterns: [{ path: 'openai/*', method: '*' }] },
        { key: 'default', renewalPeriod: 1, count: 30, matchPatterns: [{ path: '*', method: '*' }] },
      ],
    },
    apiProperties: {},
    allowProjectManagement: false,
    isMigrated: false,
    privateEndpointConnections: [],
    publicNetworkAccess: a.publicNetworkAccess ?? 'Enabled',
    capabilities: [
      { name: 'VirtualNetworks' },
      { name: 'CustomerManagedKey' },
      { name: 'MaxFineTuneCount', value: '500' },
    ],
    endpoints,
    provisioningState: 'Succeeded',
  };
  // An account created without a custom subdomain (the old portal default) has neither key in ARM.
  if (a.customSubDomainName) properties.customSubDomainName = a.customSubDomainName;
  const disableLocalAuth = a.disableLocalAuth !== undefined ? a.disableLocalAuth : a.customSubDomainName ? true : null;
  if (disableLocalAuth !== null) properties.disableLocalAuth = disableLocalAuth;
  return {
    id: accountId(a),
    name: a.name,
    type: 'Microsoft.CognitiveServices/accounts',
    etag: ACCOUNT_ETAG,
    location: a.location,
    sku: { name: 'S0' },
    kind: a.kind,
    systemData: systemData('2025-10-28T14:48:20.805895Z'),
    properties,
  };
}

/** @param {import('../../support/world.mjs').CognitiveAccount} a @param {import('../../support/world.mjs').Deployment} d */
function deploymentBody(a, d) {
  const chat = d.chat !== false;
  return {
    id: `${accountId(a)}/deployments/${d.name}`,
    type: 'Microsoft.CognitiveServices/accounts/deployments',
    name: d.name,
    sku: { name: d.sku ?? 'GlobalStandard', capacity: 10 },
    properties: {
      model: { format: d.format ?? 'OpenAI', name: d.model, ...(d.version ? { version: d.version } : {}) },
      versionUpgradeOption: 'OnceNewDefaultVersionAvailable',
      currentCapacity: 10,
      capabilities:
        d.capabilities ??
        (chat
          ? { chatCompletion: 'true', assistants: 'true', maxContextToken: '128000', maxOutputToken: '16384' }
          : { embeddings: 'true', embeddingsMaxInputs: '2048' }),
      provisioningState: 'Succeeded',
      rateLimits: [
        { key: 'request', renewalPeriod: 10, count: 10 },
        { key: 'token', renewalPeriod: 60, count: 10000 },
      ],
    },
    systemData: systemData('2025-10-28T14:48:25.393632Z'),
    etag: DEPLOYMENT_ETAG,
  };
}

/** GET of accounts and deployments, in a subscription or a resource group; undefined for any other request. @param {Req} r @param {string} path @returns {Reply | undefined} */
export function cognitiveServices(r, path) {
  const g =
    /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.CognitiveServices\/accounts(?:\/([^/]+)(?:\/(deployments)(?:\/([^/]+))?)?)?$/i.exec(
      path,
    );
  if (r.method !== 'GET' || !g) return undefined;
  const world = r.world;
  const [, s, rg, name, deployments, deployment] = g;
  if (rg && !resourceGroupExists(world, s ?? '', rg)) return rgNotFound(rg);
  const inScope = world.accounts.filter((a) => same(a.subscriptionId, s) && (!rg || same(a.resourceGroup, rg)));
  if (!name) return { status: 200, body: { value: inScope.map(accountBody) } };
  const account = inScope.find((a) => same(a.name, name));
  if (!account) return notFoundResource(`Microsoft.CognitiveServices/accounts/${name}`, rg ?? '');
  if (!deployments) return { status: 200, body: accountBody(account) };
  if (!deployment) return { status: 200, body: { value: account.deployments.map((d) => deploymentBody(account, d)) } };
  const d = account.deployments.find((x) => same(x.name, deployment));
  // Approximation: the RP's text for a missing child resource follows ARM's ResourceNotFound wording.
  return d
    ? { status: 200, body: deploymentBody(account, d) }
    : notFoundResource(`Microsoft.CognitiveServices/accounts/${account.name}/deployments/${deployment}`, rg ?? '');
}
