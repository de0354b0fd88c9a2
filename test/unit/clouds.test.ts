// Which cloud an endpoint belongs to decides the token audience and the portal link: a token for the wrong
// cloud is a 401 "audience is incorrect". Hosts per cloud: learn.microsoft.com "Azure OpenAI in Azure Government"
// (openai.azure.us, cognitiveservices.azure.us) and "Azure OpenAI in Azure China" (openai.azure.cn); the public
// cloud's endpoints as ARM lists them (test/fixtures/azure-fixtures.json az_cs_account_list: *.openai.azure.com,
// the regional https://japaneast.api.cognitive.microsoft.com/; AIServices: *.cognitiveservices.azure.com and
// *.services.ai.azure.com). Cloud names: `az cloud list` (AzureCloud, AzureUSGovernment, AzureChinaCloud).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOUDS, PUBLIC_CLOUD, cloudByAzName, cloudOfEndpoint, tokenScope } from '../../src/entra/clouds.ts';

const PUBLIC = ['AzureCloud', 'https://cognitiveservices.azure.com/.default', 'https://portal.azure.com'];
const GOV = ['AzureUSGovernment', 'https://cognitiveservices.azure.us/.default', 'https://portal.azure.us'];
const CHINA = ['AzureChinaCloud', 'https://cognitiveservices.azure.cn/.default', 'https://portal.azure.cn'];

test('the cloud of an endpoint, by its host: its az name, token scope and portal', () => {
  const table: Array<[string, string[] | undefined]> = [
    ['https://contoso-aoai.openai.azure.com/', PUBLIC],
    ['https://contoso.cognitiveservices.azure.com/', PUBLIC],
    ['https://contoso.services.ai.azure.com/api/projects/p1', PUBLIC],
    ['https://japaneast.api.cognitive.microsoft.com/', PUBLIC],
    ['https://contoso.openai.azure.us/', GOV],
    ['https://contoso.cognitiveservices.azure.us/', GOV],
    ['https://usgovvirginia.api.cognitive.microsoft.us/', GOV],
    ['https://contoso.openai.azure.cn/', CHINA],
    ['https://contoso.cognitiveservices.azure.cn/', CHINA],
    ['https://chinaeast2.api.cognitive.azure.cn/', CHINA],
    // Hosts of no cloud: the local test server, a gateway, a look-alike, no host at all.
    ['http://127.0.0.1:5000/contoso-aoai/', undefined],
    ['https://gateway.contoso.com/openai/', undefined],
    ['https://contoso.openai.azure.com.example.net/', undefined],
    ['https://openai.azure.com/', undefined],
    ['contoso-aoai.openai.azure.com', undefined],
    ['', undefined],
  ];
  for (const [endpoint, want] of table) {
    const c = cloudOfEndpoint(endpoint);
    assert.deepEqual(c && [c.azName, c.scope, c.portal], want, endpoint);
  }
});

test("the cloud az is signed in to, by az's name for it, in any case", () => {
  const table: Array<[string | undefined, string[] | undefined]> = [
    ['AzureCloud', PUBLIC],
    ['azurecloud', PUBLIC],
    ['AzureUSGovernment', GOV],
    ['AZURECHINACLOUD', CHINA],
    ['AzureGermanCloud', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [name, want] of table) {
    const c = cloudByAzName(name);
    assert.deepEqual(c && [c.azName, c.scope, c.portal], want, String(name));
  }
  assert.equal(PUBLIC_CLOUD, CLOUDS[0]);
  assert.equal(PUBLIC_CLOUD.azName, 'AzureCloud');
});

test('the token scope: an explicit one, else the endpoint’s cloud, else the cloud az is in, else the public cloud', () => {
  const table: Array<[Parameters<typeof tokenScope>[0], string]> = [
    [
      { explicit: 'api://custom/.default', endpoint: 'https://x.openai.azure.us/', azCloudName: 'AzureChinaCloud' },
      'api://custom/.default',
    ],
    [{ explicit: '', endpoint: 'https://x.openai.azure.us/' }, GOV[1]!],
    [{ endpoint: 'https://x.openai.azure.us/', azCloudName: 'AzureChinaCloud' }, GOV[1]!],
    [{ endpoint: 'https://x.openai.azure.com/', azCloudName: 'AzureUSGovernment' }, PUBLIC[1]!],
    [{ endpoint: 'http://127.0.0.1:5000/x/', azCloudName: 'AzureChinaCloud' }, CHINA[1]!],
    [{ endpoint: 'http://127.0.0.1:5000/x/' }, PUBLIC[1]!],
    [{ azCloudName: 'AzureUSGovernment' }, GOV[1]!],
    [{ azCloudName: 'AzureGermanCloud' }, PUBLIC[1]!],
    [{}, PUBLIC[1]!],
  ];
  for (const [opts, scope] of table) assert.equal(tokenScope(opts), scope, JSON.stringify(opts));
});
