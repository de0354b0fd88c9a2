// The roles of Azure OpenAI by GUID and what each grants, --role and --scope as users type them, and how a
// scope is told back. Role definitions: learn.microsoft.com/azure/role-based-access-control/built-in-roles
// (ai-machine-learning: Cognitive Services OpenAI User / Contributor, Cognitive Services User; general: Owner,
// Contributor) and Learn "Role-based access control for Microsoft Foundry" (Azure AI User, renamed Foundry User).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AZURE_AI_USER,
  COGNITIVE_SERVICES_USER,
  KNOWN_ROLES,
  MAAS_CHAT_ACTION,
  OPENAI_CHAT_ACTION,
  OPENAI_CONTRIBUTOR,
  OPENAI_USER,
  SCOPE_LEVELS,
  builtInPermissions,
  builtInRole,
  dataActionFor,
  describeScope,
  isManagementGroupScope,
  isOpenAIFormat,
  parseRole,
  parseScopeLevel,
  roleForModel,
  roleGrants,
  roleGuidOf,
  scopeFor,
  scopeIncludes,
} from '../../src/azure/roles.ts';
import { UsageError } from '../../src/errors.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-aoai`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;
const DEFINITION = (guid: string) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const EMBEDDINGS = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action';

test('the built-in roles, by GUID in any form of their id, and the data actions each grants', () => {
  const table: Array<[string, string | undefined, boolean, boolean, boolean]> = [
    // GUID, name, OpenAI chat, MaaS chat, OpenAI embeddings
    // The GUIDs of Learn's built-in roles page (and Foundry's RBAC page for Azure AI User)
    ['5e0bd9bd-7b93-4f28-af87-19fc36ad61bd', 'Cognitive Services OpenAI User', true, false, true],
    ['a001fd3d-188f-4b5d-821b-7da978bf7442', 'Cognitive Services OpenAI Contributor', true, false, true],
    ['a97b65f3-24c7-4388-baec-2e87135dc908', 'Cognitive Services User', true, true, true],
    ['53ca6127-db72-4b80-b1b0-d745d6d5456d', 'Azure AI User', true, true, true],
    [OWNER, 'Owner', false, false, false],
    [CONTRIBUTOR, 'Contributor', false, false, false],
    ['d0000000-0000-4000-8000-0000000000ff', undefined, false, false, false],
  ];
  for (const [guid, name, chat, maas, embeddings] of table) {
    for (const form of [guid, guid.toUpperCase(), DEFINITION(guid)]) {
      assert.equal(builtInRole(form)?.name, name, form);
      const permissions = builtInPermissions(form);
      assert.equal(permissions === undefined, name === undefined, form);
      assert.equal(roleGrants(permissions, OPENAI_CHAT_ACTION), chat, `${name}: OpenAI chat`);
      assert.equal(roleGrants(permissions, MAAS_CHAT_ACTION), maas, `${name}: MaaS chat`);
      assert.equal(roleGrants(permissions, EMBEDDINGS), embeddings, `${name}: embeddings`);
    }
  }
  // Each OpenAI User data action, as Learn's built-in role definition lists it, is granted.
  for (const action of [
    'Microsoft.CognitiveServices/accounts/OpenAI/engines/completions/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/engines/search/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/engines/generate/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/search/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/completions/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/extensions/chat/completions/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/images/generations/action',
  ])
    assert.ok(roleGrants(builtInPermissions(OPENAI_USER.id), action), action);
  for (const guid of [OWNER, CONTRIBUTOR])
    assert.deepEqual(builtInPermissions(guid)?.[0]?.dataActions, [], 'Owner and Contributor: no data actions at all');
  assert.ok(
    roleGrants(builtInPermissions(OPENAI_USER.id), 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/read'),
  );
  assert.deepEqual(
    builtInPermissions(OPENAI_CONTRIBUTOR.id),
    [
      {
        actions: [],
        notActions: [],
        dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'],
        notDataActions: [],
      },
    ],
    'data actions only: the control plane is not judged here',
  );
  assert.equal(roleGrants(undefined, OPENAI_CHAT_ACTION), false, 'a role whose permissions are unknown grants nothing');
  assert.equal(roleGuidOf(DEFINITION(OPENAI_USER.id.toUpperCase())), OPENAI_USER.id);
  assert.deepEqual(
    KNOWN_ROLES.map((r) => r.name),
    [
      'Cognitive Services OpenAI User',
      'Cognitive Services OpenAI Contributor',
      'Cognitive Services User',
      'Azure AI User',
    ],
    'Owner and Contributor are not roles for --role',
  );
});

test('the data action of a chat: OpenAI models (format OpenAI or none) take the OpenAI one, others the MaaS one', () => {
  const table: Array<[string | undefined, boolean]> = [
    ['OpenAI', true],
    ['openai', true],
    [undefined, true],
    ['', true],
    ['DeepSeek', false],
    ['Meta', false],
    ['Mistral AI', false],
    ['xAI', false],
  ];
  for (const [format, openai] of table) {
    assert.equal(isOpenAIFormat(format), openai, String(format));
    assert.equal(dataActionFor(format), openai ? OPENAI_CHAT_ACTION : MAAS_CHAT_ACTION, String(format));
  }
});

test('the reason given for the role chosen names the model kind and the role', () => {
  assert.equal(
    roleForModel('OpenAI').reason,
    'an OpenAI model: Cognitive Services OpenAI User is the least role whose data actions call it',
  );
  assert.equal(
    roleForModel('DeepSeek').reason,
    `a DeepSeek model (not OpenAI's) needs ${MAAS_CHAT_ACTION}, which the OpenAI roles lack; Cognitive Services User is the least-privileged built-in role that grants it`,
  );
  const override = roleForModel('OpenAI', { name: 'Cognitive Services OpenAI Contributor', id: OPENAI_CONTRIBUTOR.id });
  assert.deepEqual(override, {
    role: { name: 'Cognitive Services OpenAI Contributor', id: OPENAI_CONTRIBUTOR.id },
    reason: '--role',
    dataAction: OPENAI_CHAT_ACTION,
  });
});

test('--role: a known role by name or former name in any case, or a GUID; always kept as the GUID', () => {
  const table: Array<[string, { name: string; id: string }]> = [
    ['Cognitive Services OpenAI User', { name: OPENAI_USER.name, id: OPENAI_USER.id }],
    ['  cognitive services openai user ', { name: OPENAI_USER.name, id: OPENAI_USER.id }],
    ['COGNITIVE SERVICES USER', { name: COGNITIVE_SERVICES_USER.name, id: COGNITIVE_SERVICES_USER.id }],
    ['Azure AI User', { name: AZURE_AI_USER.name, id: AZURE_AI_USER.id }],
    ['foundry user', { name: AZURE_AI_USER.name, id: AZURE_AI_USER.id }],
    [OPENAI_CONTRIBUTOR.id.toUpperCase(), { name: OPENAI_CONTRIBUTOR.name, id: OPENAI_CONTRIBUTOR.id }],
    // A built-in role's GUID outside the list keeps its name; an unknown GUID is named by itself.
    [OWNER, { name: 'Owner', id: OWNER }],
    [
      'D0000000-0000-4000-8000-0000000000FF',
      { name: 'd0000000-0000-4000-8000-0000000000ff', id: 'd0000000-0000-4000-8000-0000000000ff' },
    ],
  ];
  for (const [value, want] of table) assert.deepEqual(parseRole(value), want, value);
  for (const value of [
    'Owner',
    'OpenAI User',
    '',
    'd0000000-0000-4000-8000-0000000000f',
    `x${OPENAI_USER.id}`,
    `${OPENAI_USER.id}0`,
  ])
    assert.throws(
      () => parseRole(value),
      (e: unknown) =>
        e instanceof UsageError &&
        e.code === 'bad-role' &&
        e.message === `--role '${value}' is not a role for Azure OpenAI.` &&
        e.hint ===
          'Use one of: "Cognitive Services OpenAI User", "Cognitive Services OpenAI Contributor", "Cognitive Services User", "Azure AI User", or a role definition GUID.',
      value,
    );
});

test('--scope: resource (the default), resource-group or subscription, in any case', () => {
  const table: Array<[string | undefined, string]> = [
    [undefined, 'resource'],
    ['resource', 'resource'],
    [' Resource-Group ', 'resource-group'],
    ['SUBSCRIPTION', 'subscription'],
  ];
  for (const [value, level] of table) assert.equal(parseScopeLevel(value), level, String(value));
  assert.deepEqual(SCOPE_LEVELS, ['resource', 'resource-group', 'subscription']);
  for (const value of ['tenant', 'management-group', ''])
    assert.throws(
      () => parseScopeLevel(value),
      (e: unknown) =>
        e instanceof UsageError &&
        e.code === 'bad-scope' &&
        e.message === `--scope '${value}' is not one of resource, resource-group, subscription.` &&
        /least privilege/.test(e.hint ?? ''),
      value,
    );
  const account = { id: ACCOUNT, subscriptionId: SUB, resourceGroup: 'rg-aoai' };
  assert.deepEqual(
    SCOPE_LEVELS.map((l) => scopeFor(l, account)),
    [ACCOUNT, RG, `/subscriptions/${SUB}`],
  );
});

test('management groups and the root contain every subscription; other scopes contain only their own paths', () => {
  const MG = '/providers/Microsoft.Management/managementGroups/mg-corp';
  const table: Array<[string, boolean, boolean]> = [
    // scope, is a management group, includes the account
    [MG, true, true],
    [`${MG}/`, true, true],
    ['/providers/microsoft.management/managementgroups/MG-CORP', true, true],
    [`${MG}/subscriptions/${SUB}`, false, false],
    ['/providers/Microsoft.Management/managementGroups/', false, false],
    [`x${MG}`, false, false],
    ['/', false, true],
    ['', false, true],
    [`${RG}/`, false, true],
    [`${RG}//`, false, true],
    ['/providers/Microsoft.Management/managementGroups/mg-corp//', true, true],
    [ACCOUNT.toUpperCase(), false, true],
    [`/subscriptions/${SUB.replace(/1/g, '2')}`, false, false],
  ];
  for (const [scope, mg, includes] of table) {
    assert.equal(isManagementGroupScope(scope), mg, scope);
    assert.equal(scopeIncludes(scope, ACCOUNT), includes, scope);
  }
  assert.ok(scopeIncludes(RG, `${ACCOUNT}/`), 'the target with its slash');
  assert.ok(!scopeIncludes(ACCOUNT, RG), 'an assignment on the account does not reach its group');
});

test('scopes told back: the resource, a resource group, a subscription, a management group, the root', () => {
  const table: Array<[string, string, string]> = [
    [ACCOUNT, ACCOUNT, 'the resource'],
    [`${ACCOUNT}/`, ACCOUNT.toLowerCase(), 'the resource'],
    [RG, ACCOUNT, 'resource group rg-aoai'],
    [`${RG}/`, ACCOUNT, 'resource group rg-aoai'],
    [`${RG}//`, ACCOUNT, 'resource group rg-aoai'],
    // Only a path that is a resource group or a subscription is told as one
    [`/x${RG}`, ACCOUNT, `/x${RG}`],
    [`/x/subscriptions/${SUB}`, ACCOUNT, `/x/subscriptions/${SUB}`],
    [
      '/x/providers/Microsoft.Management/managementGroups/mg-corp',
      ACCOUNT,
      '/x/providers/Microsoft.Management/managementGroups/mg-corp',
    ],
    [`/subscriptions/${SUB}/`, ACCOUNT, `subscription ${SUB}`],
    ['/providers/Microsoft.Management/managementGroups/mg-corp/', ACCOUNT, 'management group mg-corp'],
    ['/', ACCOUNT, 'the root management group'],
    // Another resource is told by its id; so is a group-level scope compared as the target
    [ACCOUNT.replace('contoso-aoai', 'other'), ACCOUNT, ACCOUNT.replace('contoso-aoai', 'other')],
    [RG, RG, 'resource group rg-aoai'],
    [
      '/providers/Microsoft.Management/managementGroups/mg-corp/x',
      ACCOUNT,
      '/providers/Microsoft.Management/managementGroups/mg-corp/x',
    ],
  ];
  for (const [scope, target, words] of table) assert.equal(describeScope(scope, target), words, scope);
});
