import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAccountRef, checkResourceGroup, checkDeploymentName, checkSubscription, checkObjectId, parseAssigneeType } from '../../src/azure/names.ts';
import { parseRole, parseScopeLevel, scopeFor, scopeIncludes, OPENAI_USER, OPENAI_CONTRIBUTOR, AZURE_AI_USER } from '../../src/azure/roles.ts';
import { hasCustomSubdomain, isChatDeployment, openAIEndpoint } from '../../src/azure/openai-account.ts';
import { parseDuration } from '../../src/duration.ts';
import { tokenScope } from '../../src/entra/clouds.ts';
import { UsageError } from '../../src/errors.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const ID = `/subscriptions/${SUB}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;

test('names Azure does not allow are usage errors, before any az call', () => {
  for (const bad of ['has space', "quo'te", 'semi;colon', '$(whoami)', '`id`', 'new\nline']) {
    assert.throws(() => parseAccountRef(bad), UsageError, bad);
    assert.throws(() => checkResourceGroup(bad), UsageError, bad);
    assert.throws(() => checkDeploymentName(bad), UsageError, bad);
  }
  assert.throws(() => checkSubscription('$(rm -rf /)'), UsageError);
  assert.throws(() => parseAccountRef('/subscriptions/x/resourceGroups/rg'), UsageError);
  assert.throws(() => checkObjectId('alice@contoso.com'), UsageError);
  assert.throws(() => parseAssigneeType('Robot'), UsageError);
});

test('good names pass', () => {
  assert.deepEqual(parseAccountRef(ID), { kind: 'id', id: ID, subscriptionId: SUB, resourceGroup: 'rg-aoai', name: 'contoso-aoai' });
  assert.deepEqual(parseAccountRef('contoso-aoai'), { kind: 'name', name: 'contoso-aoai' });
  assert.equal(checkResourceGroup('My_RG.(1)'), 'My_RG.(1)');
  assert.equal(checkSubscription('Contoso Dev'), 'Contoso Dev');
  assert.equal(checkSubscription(SUB.toUpperCase()), SUB);
  assert.equal(parseAssigneeType('serviceprincipal'), 'ServicePrincipal');
});

test('roles and scopes', () => {
  assert.equal(parseRole(undefined), undefined, 'no --role: the model decides');
  assert.deepEqual(parseRole('cognitive services openai contributor'), { name: OPENAI_CONTRIBUTOR.name, id: OPENAI_CONTRIBUTOR.id });
  assert.deepEqual(parseRole('5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'), { name: OPENAI_USER.name, id: OPENAI_USER.id });
  assert.equal(parseRole('Foundry User')?.id, AZURE_AI_USER.id, 'the 2026 name of Azure AI User, same GUID');
  assert.equal(parseRole('0a000000-0000-4000-8000-000000000000')?.id, '0a000000-0000-4000-8000-000000000000');
  assert.throws(() => parseRole('Owner'), UsageError);
  assert.throws(() => parseScopeLevel('tenant'), UsageError);
  const account = { id: ID, subscriptionId: SUB, resourceGroup: 'rg-aoai' };
  assert.equal(scopeFor('resource', account), ID);
  assert.equal(scopeFor('resource-group', account), `/subscriptions/${SUB}/resourceGroups/rg-aoai`);
  assert.equal(scopeFor('subscription', account), `/subscriptions/${SUB}`);
  assert.ok(scopeIncludes(`/subscriptions/${SUB}/resourceGroups/RG-AOAI`, ID));
  assert.ok(!scopeIncludes(`/subscriptions/${SUB}/resourceGroups/rg-ao`, ID));
});

test('account rules: custom subdomain, the OpenAI endpoint of an AIServices account', () => {
  assert.ok(hasCustomSubdomain({ customSubDomainName: 'contoso-aoai', endpoint: 'https://contoso-aoai.openai.azure.com/' }));
  assert.ok(!hasCustomSubdomain({ customSubDomainName: undefined, endpoint: 'https://eastus.api.cognitive.microsoft.com/' }));
  assert.equal(
    openAIEndpoint({ kind: 'AIServices', endpoint: 'https://x.cognitiveservices.azure.com/', endpoints: { 'OpenAI Language Model Instance API': 'https://x.openai.azure.com/' }, customSubDomainName: 'x' }),
    'https://x.openai.azure.com/',
  );
});

test('chat deployments: by capability, else by model family', () => {
  assert.ok(isChatDeployment({ capabilities: { chatCompletion: 'true' }, model: 'gpt-4o-mini' }));
  assert.ok(!isChatDeployment({ capabilities: { embeddings: 'true' }, model: 'text-embedding-3-small' }));
  assert.ok(!isChatDeployment({ capabilities: {}, model: 'whisper' }));
  assert.ok(isChatDeployment({ capabilities: {}, model: 'o3-mini' }));
});

test('durations and token scopes', () => {
  assert.equal(parseDuration('90s', '--wait'), 90_000);
  assert.equal(parseDuration('10m', '--wait'), 600_000);
  assert.equal(parseDuration('1h30m', '--wait'), 5_400_000);
  assert.throws(() => parseDuration('soon', '--wait'), UsageError);
  assert.equal(tokenScope({ endpoint: 'https://x.openai.azure.us/' }), 'https://cognitiveservices.azure.us/.default');
  assert.equal(tokenScope({ endpoint: 'https://x.openai.azure.cn/' }), 'https://cognitiveservices.azure.cn/.default');
  assert.equal(tokenScope({ endpoint: 'http://127.0.0.1:5000/x/' }), 'https://cognitiveservices.azure.com/.default');
  assert.equal(tokenScope({ explicit: 'api://custom/.default', endpoint: 'https://x.openai.azure.us/' }), 'api://custom/.default');
});
