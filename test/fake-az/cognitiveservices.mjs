// `az cognitiveservices account list|show` and `... deployment list|show`: Microsoft.CognitiveServices accounts
// and their deployments as az 2.45 prints the SDK models.
import { accountEndpoint, accountId, same } from '../support/world.mjs';
import { float } from './output.mjs';
import { NAME, RESOURCE_GROUP, list } from './args.mjs';
import { azureSession } from './profile.mjs';
import { nulls, parseResourceId, requireResourceGroup, resourceNotFound, systemData } from './arm.mjs';

/** @typedef {import('../support/world.mjs').CognitiveAccount} CognitiveAccount */
/** @typedef {import('./args.mjs').Ctx} Ctx */
/** @typedef {import('./args.mjs').Command} Command */

/** The account's endpoints map. An AIServices account serves OpenAI from <sub>.openai.azure.com beside its cognitiveservices endpoint (layout unverified). @param {CognitiveAccount} a */
function accountEndpoints(a) {
  const endpoint = accountEndpoint(a);
  const aiServices = a.kind === 'AIServices' && a.customSubDomainName && !a.endpoint;
  const openai = aiServices ? `https://${a.customSubDomainName}.openai.azure.com/` : endpoint;
  /** @type {Record<string, string>} */
  const endpoints = Object.fromEntries(
    [
      'Azure OpenAI Legacy API - Latest moniker',
      'OpenAI Dall-E API',
      'OpenAI Language Model Instance API',
      'OpenAI Realtime API',
      'OpenAI Whisper API',
    ].map((k) => [k, openai]),
  );
  endpoints['Token Service API'] = endpoint;
  if (aiServices) {
    endpoints['Azure AI Model Inference API'] = `https://${a.customSubDomainName}.services.ai.azure.com/`;
    endpoints['Content Safety'] = endpoint;
  }
  return endpoints;
}

/** The SDK model az 2.45 prints: every attribute present, missing ones null (recording test_cognitiveservices_deployment.yaml). @param {CognitiveAccount} a */
function accountJson(a) {
  const rule = (/** @type {string} */ key, /** @type {string} */ path) => ({
    count: float(30),
    dynamicThrottlingEnabled: null,
    key,
    matchPatterns: [{ method: '*', path }],
    minCount: null,
    renewalPeriod: float(1),
  });
  return {
    etag: '"5c02bc5b-0000-2300-0000-6900d7b60000"',
    id: accountId(a),
    identity: null,
    kind: a.kind,
    location: a.location,
    name: a.name,
    properties: {
      allowProjectManagement: false,
      allowedFqdnList: null,
      apiProperties: nulls([
        'aadClientId',
        'aadTenantId',
        'additionalProperties',
        'eventHubConnectionString',
        'qnaAzureSearchEndpointId',
        'qnaAzureSearchEndpointKey',
        'qnaRuntimeEndpoint',
        'statisticsEnabled',
        'storageAccountConnectionString',
        'superUser',
        'websiteName',
      ]),
      callRateLimit: { count: null, renewalPeriod: null, rules: [rule('openai', 'openai/*'), rule('default', '*')] },
      capabilities: [
        { name: 'VirtualNetworks', value: null },
        { name: 'CustomerManagedKey', value: null },
        { name: 'MaxFineTuneCount', value: '500' },
      ],
      commitmentPlanAssociations: null,
      customSubDomainName: a.customSubDomainName ?? null,
      dateCreated: '2025-10-28T14:48:21.7749336Z',
      deletionDate: null,
      // ARM omits disableLocalAuth for an account created without it, which az prints as null.
      disableLocalAuth: a.disableLocalAuth !== undefined ? a.disableLocalAuth : a.customSubDomainName ? true : null,
      dynamicThrottlingEnabled: null,
      encryption: null,
      endpoint: accountEndpoint(a),
      endpoints: accountEndpoints(a),
      internalId: 'cf714d22a3c34a0ea5f5ed6bdde25ee1',
      isMigrated: false,
      ...nulls(['locations', 'migrationToken', 'networkAcls']),
      privateEndpointConnections: [],
      provisioningState: 'Succeeded',
      publicNetworkAccess: a.publicNetworkAccess ?? 'Enabled',
      ...nulls([
        'quotaLimit',
        'restore',
        'restrictOutboundNetworkAccess',
        'scheduledPurgeDate',
        'skuChangeInfo',
        'userOwnedStorage',
      ]),
    },
    sku: { capacity: null, family: null, name: 'S0', size: null, tier: null },
    systemData: systemData('2025-10-28T14:48:20.805895+00:00'),
    tags: null,
    type: 'Microsoft.CognitiveServices/accounts',
  };
}

/** @param {CognitiveAccount} a @param {import('../support/world.mjs').Deployment} d */
function deploymentJson(a, d) {
  const capacity = 10;
  // A world deployment may carry the capabilities ARM lists for its model (an image model, a partner model).
  const capabilities =
    d.capabilities ??
    (d.chat === false
      ? { embeddings: 'true', embeddingsMaxInputs: '2048' }
      : { assistants: 'true', chatCompletion: 'true', maxContextToken: '128000', maxOutputToken: '16384' });
  return {
    etag: '"21313ed5-3ec9-497d-ad67-93abe1fbf1bd"',
    id: `${accountId(a)}/deployments/${d.name}`,
    name: d.name,
    properties: {
      callRateLimit: null,
      capabilities,
      currentCapacity: capacity,
      model: { callRateLimit: null, format: d.format ?? 'OpenAI', name: d.model, version: d.version ?? '1' },
      provisioningState: 'Succeeded',
      raiPolicyName: null,
      rateLimits: [
        { count: capacity, key: 'request', renewalPeriod: 10 },
        { count: capacity * 1000, key: 'token', renewalPeriod: 60 },
      ],
      scaleSettings: null,
      versionUpgradeOption: 'OnceNewDefaultVersionAvailable',
    },
    sku: { capacity, name: d.sku ?? 'GlobalStandard' },
    systemData: systemData('2025-10-28T14:48:25.393632+00:00'),
    type: 'Microsoft.CognitiveServices/accounts/deployments',
  };
}

/** @param {Ctx} ctx */
function csAccountList(ctx) {
  const sub = azureSession(ctx);
  const rg = ctx.opts.resourceGroup;
  if (rg) requireResourceGroup(ctx.world, sub.id, rg, 1);
  return ctx.world.accounts
    .filter((a) => same(a.subscriptionId, sub.id) && (!rg || same(a.resourceGroup, rg)))
    .map(accountJson);
}

/**
 * The account a show/deployment command names, by -n/-g or --ids (a resource id carries its own subscription).
 * @param {Ctx} ctx @param {number} exitCode 3 for show commands (commands/arm.py show_exception_handler), 1 otherwise
 */
function namedAccount(ctx, exitCode) {
  const o = ctx.opts;
  const ref = o.ids
    ? parseResourceId(o.ids[0], 'Microsoft.CognitiveServices/accounts')
    : { subscription: undefined, resourceGroup: o.resourceGroup, name: o.name };
  const sub = azureSession(ctx, 'arm', ref.subscription ?? o.subscription);
  requireResourceGroup(ctx.world, sub.id, ref.resourceGroup, exitCode);
  const account = ctx.world.accounts.find(
    (a) => same(a.subscriptionId, sub.id) && same(a.resourceGroup, ref.resourceGroup) && same(a.name, ref.name),
  );
  if (!account) return resourceNotFound('Microsoft.CognitiveServices/accounts', ref.name, ref.resourceGroup, exitCode);
  return account;
}

/** @param {Ctx} ctx */
const csAccountShow = (ctx) => accountJson(namedAccount(ctx, 3));
/** @param {Ctx} ctx */
const deploymentList = (ctx) => {
  const account = namedAccount(ctx, 1);
  return account.deployments.map((d) => deploymentJson(account, d));
};

/** Help examples of az 2.45 (the *_help.py files), which parser errors recommend. */
const EXAMPLES = {
  cognitiveservicesShow: [
    {
      command: 'az cognitiveservices account show --name myresource --resource-group cognitive-services-resource-group',
      description: 'Show account information.',
    },
  ],
  cognitiveservicesList: [
    {
      command: 'az cognitiveservices account list -g MyResourceGroup',
      description: 'List all the Cognitive Services accounts in a resource group.',
    },
  ],
  deploymentList: [
    {
      command: 'az cognitiveservices account deployment list -g yuanyang-test-sdk -n yytest-oai',
      description: 'Show all deployments for Azure Cognitive Services account.',
    },
  ],
};

/** @type {Command[]} (options in az's order: the "required" message lists them so) */
export const COGNITIVESERVICES_COMMANDS = [
  {
    name: 'cognitiveservices account list',
    options: [RESOURCE_GROUP],
    run: csAccountList,
    arm: true,
    examples: EXAMPLES.cognitiveservicesList,
  },
  // az 2.45 has no --ids here (the option arrived later); the fake takes it, as newer az does.
  {
    name: 'cognitiveservices account show',
    options: [{ ...RESOURCE_GROUP, required: true }, { ...NAME, required: true }, list('ids', ['--ids'])],
    requiredUnless: 'ids',
    run: csAccountShow,
    arm: true,
    examples: EXAMPLES.cognitiveservicesShow,
  },
  {
    name: 'cognitiveservices account deployment list',
    options: [
      { ...RESOURCE_GROUP, required: true },
      { ...NAME, required: true },
    ],
    run: deploymentList,
    arm: true,
    examples: EXAMPLES.deploymentList,
  },
];
