// Which accounts serve Azure OpenAI with Entra ID tokens, at which endpoint, and which deployments are chat
// models. Accounts are az's (test/fixtures/azure-fixtures.json az_cs_account_list: contoso-aoai with its custom
// subdomain, legacy-aoai on the regional japaneast.api.cognitive.microsoft.com); the AIServices endpoints map is
// the fake az's (test/fake-az/cognitiveservices.mjs); deployment capabilities as ARM lists them (az recording
// test_cognitiveservices_deployment.yaml via az_cs_deployment_list; dall-e-3's from the ansible
// azure_rm_cognitiveservicesmodel_info sample).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  customDomainCommand,
  deploymentLabel,
  hasCustomSubdomain,
  hostsOpenAI,
  isChatDeployment,
  matchAccount,
  openAIEndpoint,
} from '../../src/azure/openai-account.ts';
import type { CognitiveAccount } from '../../src/az/az.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const account = (name: string, over: Partial<CognitiveAccount> = {}): CognitiveAccount => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/${name}`,
  name,
  resourceGroup: 'rg-aoai',
  subscriptionId: SUB,
  kind: 'OpenAI',
  location: 'eastus',
  endpoint: `https://${name}.openai.azure.com/`,
  endpoints: {
    'Azure OpenAI Legacy API - Latest moniker': `https://${name}.openai.azure.com/`,
    'OpenAI Language Model Instance API': `https://${name}.openai.azure.com/`,
    'Token Service API': `https://${name}.openai.azure.com/`,
  },
  customSubDomainName: name,
  disableLocalAuth: true,
  publicNetworkAccess: 'Enabled',
  networkDefaultAction: undefined,
  provisioningState: 'Succeeded',
  ...over,
});
const REGIONAL = 'https://japaneast.api.cognitive.microsoft.com/';
const legacy = account('legacy-aoai', {
  location: 'japaneast',
  endpoint: REGIONAL,
  endpoints: { 'Azure OpenAI Legacy API - Latest moniker': REGIONAL, 'OpenAI Language Model Instance API': REGIONAL },
  customSubDomainName: undefined,
});
const aiServices = account('contoso-ai', {
  kind: 'AIServices',
  endpoint: 'https://contoso-ai.cognitiveservices.azure.com/',
  endpoints: {
    'OpenAI Language Model Instance API': 'https://contoso-ai.openai.azure.com/',
    'Azure AI Model Inference API': 'https://contoso-ai.services.ai.azure.com/',
  },
});

test('the kinds that host Azure OpenAI models: OpenAI and AIServices, in any case', () => {
  const table: Array<[string, boolean]> = [
    ['OpenAI', true],
    ['AIServices', true],
    ['openai', true],
    ['aiservices', true],
    ['CognitiveServices', false],
    ['TextAnalytics', false],
    ['', false],
  ];
  for (const [kind, hosts] of table) assert.equal(hostsOpenAI({ kind }), hosts, kind);
});

test('regional endpoints (API keys only) in each cloud; a custom subdomain is needed for tokens', () => {
  const table: Array<[string, boolean]> = [
    [REGIONAL, true],
    ['https://usgovvirginia.api.cognitive.microsoft.us/', true],
    ['https://chinaeast2.api.cognitive.azure.cn/', true],
    ['https://contoso-aoai.openai.azure.com/', false],
    ['https://contoso-ai.cognitiveservices.azure.com/', false],
    ['https://eastus.api.cognitive.microsoft.com.example.net/', false],
    ['https://api.cognitive.microsoft.com.contoso.com/', false],
    ['not a url', false],
  ];
  // With a custom subdomain set, only a regional endpoint still means "no subdomain to sign in to".
  for (const [endpoint, regional] of table)
    assert.equal(hasCustomSubdomain({ customSubDomainName: 'contoso-aoai', endpoint }), !regional, endpoint);

  const subdomain: Array<[string, Partial<CognitiveAccount>, boolean]> = [
    ['contoso-aoai', {}, true],
    ['legacy-aoai: no subdomain, regional endpoint', { customSubDomainName: undefined, endpoint: REGIONAL }, false],
    ['no subdomain, whatever the endpoint', { customSubDomainName: undefined }, false],
    ['an empty subdomain is none', { customSubDomainName: '' }, false],
    ['a subdomain, yet az still shows the regional endpoint', { endpoint: REGIONAL }, false],
    ['a subdomain and no endpoint shown: the subdomain decides', { endpoint: undefined }, true],
  ];
  for (const [why, over, has] of subdomain) assert.equal(hasCustomSubdomain(account('contoso-aoai', over)), has, why);
});

test("the endpoint the openai client uses: an AIServices account's OpenAI entry, else the account's endpoint", () => {
  const table: Array<[string, CognitiveAccount, string | undefined]> = [
    ['OpenAI kind: its endpoint', account('contoso-aoai'), 'https://contoso-aoai.openai.azure.com/'],
    [
      'OpenAI kind: its endpoint, even where the map says otherwise',
      account('a', { endpoints: { 'OpenAI Language Model Instance API': 'https://other.openai.azure.com/' } }),
      'https://a.openai.azure.com/',
    ],
    [
      'OpenAI kind without an endpoint: the map',
      account('a', { endpoint: undefined, endpoints: { 'Azure OpenAI Legacy API - Latest moniker': 'https://m/' } }),
      'https://m/',
    ],
    ['AIServices: the OpenAI Language Model Instance API entry', aiServices, 'https://contoso-ai.openai.azure.com/'],
    ['aiservices in any case', { ...aiServices, kind: 'aiservices' }, 'https://contoso-ai.openai.azure.com/'],
    [
      'AIServices: else the legacy moniker',
      { ...aiServices, endpoints: { 'Azure OpenAI Legacy API - Latest moniker': 'https://legacy/' } },
      'https://legacy/',
    ],
    [
      'AIServices: the instance API before the legacy moniker',
      {
        ...aiServices,
        endpoints: {
          'Azure OpenAI Legacy API - Latest moniker': 'https://legacy/',
          'OpenAI Language Model Instance API': 'https://instance/',
        },
      },
      'https://instance/',
    ],
    [
      'AIServices with neither: its endpoint',
      { ...aiServices, endpoints: {} },
      'https://contoso-ai.cognitiveservices.azure.com/',
    ],
    ['nothing at all', account('a', { endpoint: undefined, endpoints: {} }), undefined],
  ];
  for (const [why, a, want] of table) assert.equal(openAIEndpoint(a), want, why);
});

test('the custom-domain command names the account, its group and subscription, and uses its name as the subdomain', () => {
  assert.equal(
    customDomainCommand(legacy),
    `az cognitiveservices account update --name legacy-aoai --resource-group rg-aoai --subscription ${SUB} --custom-domain legacy-aoai`,
  );
});

test('chat deployments: the chatCompletion capability decides when ARM gives it, true or false', () => {
  const table: Array<[Record<string, string>, string | undefined, boolean]> = [
    // az_cs_deployment_list
    [
      { assistants: 'true', chatCompletion: 'true', maxContextToken: '128000', maxOutputToken: '16384' },
      'gpt-4o-mini',
      true,
    ],
    [{ chatCompletion: 'false' }, 'gpt-4o-mini', false],
    [{ chatCompletion: 'false', completion: 'true' }, 'gpt-35-turbo-instruct', false],
    // chatCompletion true outweighs the name and other flags
    [{ chatCompletion: 'true', audio: 'true' }, 'gpt-4o-audio-preview', true],
  ];
  for (const [capabilities, model, chat] of table)
    assert.equal(isChatDeployment({ capabilities, model }), chat, `${model} ${JSON.stringify(capabilities)}`);
});

test('chat deployments: without chatCompletion, any non-chat capability says no, whatever the model is called', () => {
  for (const flag of ['embeddings', 'imageGenerations', 'audio', 'realtime', 'speechToText', 'textToSpeech']) {
    assert.equal(isChatDeployment({ capabilities: { [flag]: 'true' }, model: 'partner-model-1' }), false, flag);
    assert.equal(
      isChatDeployment({ capabilities: { [flag]: 'false' }, model: 'partner-model-1' }),
      true,
      `${flag} false`,
    );
  }
});

test('chat deployments: with no capability flags, the model family decides', () => {
  const notChat = [
    'text-embedding-3-small',
    'Cohere-rerank-v3.5',
    'whisper',
    'tts-hd',
    'dall-e-3',
    'gpt-image-1',
    'FLUX.1-Kontext-pro-image',
    'sora',
    'gpt-4o-realtime-preview',
    'gpt-4o-audio-preview',
    'gpt-4o-transcribe',
    'text-ada-001',
    'babbage-002',
    'davinci-002',
    'text-curie-001',
    'text-moderation-latest',
    'computer-use-preview',
    'TEXT-EMBEDDING-ADA-002',
  ];
  const chat = [
    'gpt-4o',
    'o3-mini',
    'gpt-5',
    'DeepSeek-R1',
    'Llama-3.3-70B-Instruct',
    'Mistral-Large-2411',
    'grok-3',
    'Phi-4',
  ];
  for (const model of notChat) assert.equal(isChatDeployment({ capabilities: {}, model }), false, model);
  for (const model of chat) assert.equal(isChatDeployment({ capabilities: {}, model }), true, model);
  assert.equal(isChatDeployment({ capabilities: {}, model: undefined }), false, 'no model, no flags: not offered');
});

test('deployment labels: the model and version, and the format when it is not OpenAI’s', () => {
  const table: Array<[Parameters<typeof deploymentLabel>[0], string]> = [
    [
      { name: 'gpt-4o-mini', model: 'gpt-4o-mini', modelVersion: '2024-07-18', format: 'OpenAI' },
      'gpt-4o-mini (gpt-4o-mini 2024-07-18)',
    ],
    [{ name: 'chat', model: 'gpt-4o', modelVersion: '2024-11-20', format: 'openai' }, 'chat (gpt-4o 2024-11-20)'],
    [
      { name: 'DeepSeek-R1', model: 'DeepSeek-R1', modelVersion: '1', format: 'DeepSeek' },
      'DeepSeek-R1 (DeepSeek-R1 1, DeepSeek)',
    ],
    [{ name: 'chat', model: 'gpt-4o', modelVersion: undefined, format: undefined }, 'chat (gpt-4o)'],
    [{ name: 'chat', model: 'gpt-4o', modelVersion: '', format: '' }, 'chat (gpt-4o)'],
    [{ name: 'chat', model: undefined, modelVersion: '1', format: 'Meta' }, 'chat'],
  ];
  for (const [d, label] of table) assert.equal(deploymentLabel(d), label, JSON.stringify(d));
});

test('the account an endpoint belongs to: by host, in any case, with or without its slash', () => {
  const contoso = account('contoso-aoai');
  const accounts = [legacy, contoso, aiServices];
  const table: Array<[string, CognitiveAccount | undefined]> = [
    ['https://contoso-aoai.openai.azure.com/', contoso],
    ['https://CONTOSO-AOAI.openai.azure.com', contoso],
    ['https://contoso-aoai.openai.azure.com/openai/v1/', contoso],
    // An AIServices account, by its OpenAI endpoint or any other it lists
    ['https://contoso-ai.openai.azure.com/', aiServices],
    ['https://contoso-ai.cognitiveservices.azure.com/', aiServices],
    ['https://contoso-ai.services.ai.azure.com/', aiServices],
    ['https://other.openai.azure.com/', undefined],
    ['not a url', undefined],
  ];
  for (const [endpoint, want] of table) assert.equal(matchAccount(accounts, endpoint)?.name, want?.name, endpoint);
  // A Cognitive Services account of another kind is never the answer, even at the same host.
  const speech = account('speech', {
    kind: 'SpeechServices',
    endpoint: 'https://speech.cognitiveservices.azure.com/',
    endpoints: {},
  });
  assert.equal(matchAccount([speech], 'https://speech.cognitiveservices.azure.com/'), undefined);
});

test('the account an endpoint belongs to where one host serves several: the longest path prefix, whole segments', () => {
  // The local test server (and a gateway) serve each account under its own path.
  const at = (name: string, endpoint: string): CognitiveAccount => account(name, { endpoint, endpoints: {} });
  const root = at('root', 'http://127.0.0.1:5000/');
  const acct = at('acct', 'http://127.0.0.1:5000/acct/');
  const other = at('other', 'http://127.0.0.1:5000/other');
  const table: Array<[CognitiveAccount[], string, string | undefined]> = [
    [[acct, other], 'http://127.0.0.1:5000/acct/', 'acct'],
    [[acct, other], 'http://127.0.0.1:5000/ACCT', 'acct'],
    [[acct, other], 'http://127.0.0.1:5000/acct/openai/v1/', 'acct'],
    [[acct, other], 'http://127.0.0.1:5000/other/', 'other'],
    [[acct, other], 'http://127.0.0.1:5000/acct2/', undefined],
    [[acct, other], 'http://127.0.0.1:5000/', undefined],
    [[acct, other], 'http://127.0.0.1:5001/acct/', undefined],
    [[root, acct], 'http://127.0.0.1:5000/acct/x', 'acct'],
    [[acct, root], 'http://127.0.0.1:5000/acct/x', 'acct'],
    [[acct, root], 'http://127.0.0.1:5000/elsewhere', 'root'],
  ];
  for (const [accounts, endpoint, want] of table)
    assert.equal(matchAccount(accounts, endpoint)?.name, want, `${accounts.map((a) => a.name)} ${endpoint}`);
});
