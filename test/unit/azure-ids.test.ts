// Azure's ids are split in one place (src/contract/azure-ids.ts): a subscription, a resource group and a
// top-level resource, compared without regard to case as ARM does; anything else is not taken apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCOUNT_TYPE,
  IDENTITY_TYPE,
  isGuid,
  parseResourceId,
  parseResourceIdOf,
  resourceGroupId,
  resourceGroupOf,
  resourceId,
  subscriptionId,
} from '../../src/contract/azure-ids.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;

test('a GUID is 8-4-4-4-12 hex digits, in any case, and nothing around it', () => {
  assert.equal(isGuid(SUB), true);
  assert.equal(isGuid('5E0BD9BD-7B93-4F28-AF87-19FC36AD61BD'), true);
  for (const no of ['', `${SUB} `, `{${SUB}}`, SUB.replace(/-/g, ''), '11111111-1111-1111-1111-11111111111g'])
    assert.equal(isGuid(no), false, no);
});

test('a resource id splits into subscription, group, provider type and name; a group or a subscription id too', () => {
  assert.deepEqual(parseResourceId(ACCOUNT), {
    subscriptionId: SUB,
    resourceGroup: 'rg-aoai',
    type: 'Microsoft.CognitiveServices/accounts',
    name: 'contoso-aoai',
  });
  assert.deepEqual(parseResourceId(`/subscriptions/${SUB}/resourceGroups/rg-aoai`), {
    subscriptionId: SUB,
    resourceGroup: 'rg-aoai',
  });
  assert.deepEqual(parseResourceId(`/subscriptions/${SUB}/`), { subscriptionId: SUB });
  // ARM's casing varies between az versions and APIs (resourcegroups, microsoft.cognitiveservices).
  assert.equal(parseResourceId(ACCOUNT.toLowerCase())?.name, 'contoso-aoai');
});

test('what is not a subscription, group or top-level resource id is not taken apart', () => {
  for (const no of [
    '',
    'contoso-aoai',
    `/subscriptions/${SUB}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts`,
    `${ACCOUNT}/deployments/gpt-4o-mini`,
    `/providers/Microsoft.Management/managementGroups/mg-corp`,
    `subscriptions/${SUB}`,
  ])
    assert.equal(parseResourceId(no), undefined, no);
});

test('parseResourceIdOf takes only the type asked for', () => {
  assert.deepEqual(parseResourceIdOf(ACCOUNT, ACCOUNT_TYPE), {
    subscriptionId: SUB,
    resourceGroup: 'rg-aoai',
    name: 'contoso-aoai',
  });
  assert.equal(parseResourceIdOf(ACCOUNT, IDENTITY_TYPE), undefined);
  assert.equal(parseResourceIdOf(`/subscriptions/${SUB}/resourceGroups/rg-aoai`, ACCOUNT_TYPE), undefined);
});

test('resourceGroupOf names the group of a resource or of the group itself, none for a subscription', () => {
  assert.deepEqual(resourceGroupOf(ACCOUNT), { subscriptionId: SUB, resourceGroup: 'rg-aoai' });
  assert.deepEqual(resourceGroupOf(resourceGroupId(SUB, 'rg-aoai')), { subscriptionId: SUB, resourceGroup: 'rg-aoai' });
  assert.equal(resourceGroupOf(subscriptionId(SUB)), undefined);
});

test('the builders and the parser agree', () => {
  const id = resourceId(SUB, 'rg-aoai', ACCOUNT_TYPE, 'contoso-aoai');
  assert.equal(id, ACCOUNT);
  assert.deepEqual(parseResourceIdOf(id, ACCOUNT_TYPE), {
    subscriptionId: SUB,
    resourceGroup: 'rg-aoai',
    name: 'contoso-aoai',
  });
});
