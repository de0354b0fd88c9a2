// The coverage rules, table-driven: which role assignment grants which model at which scope, judged by the
// role's data actions (built-in roles by GUID, custom roles by their definition), never by the role's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessRoutes,
  describeRoute,
  parseArmRoleAssignments,
  unknownRoleIds,
  type ArmRoleAssignment,
} from '../../src/azure/effective-access.ts';
import { actionMatches, allows, type Permission } from '../../src/azure/data-actions.ts';
import {
  AZURE_AI_USER,
  COGNITIVE_SERVICES_USER,
  MAAS_CHAT_ACTION,
  OPENAI_CHAT_ACTION,
  OPENAI_CONTRIBUTOR,
  OPENAI_USER,
  dataActionFor,
  describeScope,
  roleForModel,
  scopeIncludes,
} from '../../src/azure/roles.ts';
import { activationRequest, coveringEligibilities, parseEligibilities } from '../../src/azure/pim.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const ME = '55555555-5555-5555-5555-555555555555';
const GROUP = '99999999-9999-9999-9999-999999999999';
const RG = `/subscriptions/${SUB}/resourceGroups/rg(dev)`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;
const MG = '/providers/Microsoft.Management/managementGroups/mg-corp';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const CUSTOM_MAAS = 'c0000000-0000-4000-8000-00000000000a';
const CUSTOM_NO_CHAT = 'c0000000-0000-4000-8000-00000000000b';
const definitions = new Map<string, { name: string; permissions: Permission[] }>([
  [
    CUSTOM_MAAS,
    {
      name: 'Models caller',
      permissions: [
        {
          actions: [],
          notActions: [],
          dataActions: [
            'Microsoft.CognitiveServices/accounts/MaaS/*',
            'Microsoft.CognitiveServices/accounts/OpenAI/deployments/*/action',
          ],
          notDataActions: [],
        },
      ],
    },
  ],
  [
    CUSTOM_NO_CHAT,
    {
      name: 'Reader of everything',
      permissions: [
        {
          actions: [],
          notActions: [],
          dataActions: ['Microsoft.CognitiveServices/*'],
          notDataActions: ['Microsoft.CognitiveServices/accounts/*/chat/completions/action'],
        },
      ],
    },
  ],
]);

const assignment = (
  scope: string,
  role: string,
  principalId = ME,
  condition: string | null = null,
): ArmRoleAssignment => ({
  id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${role.slice(0, 8)}-0000-4000-8000-000000000001`,
  scope,
  principalId,
  principalType: principalId === ME ? 'User' : 'Group',
  roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
  condition,
});

const covered = (a: ArmRoleAssignment, format: string): boolean =>
  accessRoutes({ assignments: [a], principalId: ME, scope: ACCOUNT, dataAction: dataActionFor(format), definitions })
    .length > 0;

test('roles x model formats: data actions decide, not names', () => {
  const table: Array<[string, string, boolean, boolean]> = [
    // role, why, OpenAI model, DeepSeek model
    [OPENAI_USER.id, 'OpenAI data actions only', true, false],
    [OPENAI_CONTRIBUTOR.id, 'accounts/OpenAI/*', true, false],
    [COGNITIVE_SERVICES_USER.id, 'Microsoft.CognitiveServices/*', true, true],
    [AZURE_AI_USER.id, 'Azure AI User / Foundry User: Microsoft.CognitiveServices/*', true, true],
    [OWNER, 'control plane only', false, false],
    [CONTRIBUTOR, 'control plane only', false, false],
    [CUSTOM_MAAS, 'custom: MaaS/* and OpenAI deployments/*/action', true, true],
    [CUSTOM_NO_CHAT, 'custom: notDataActions removes chat', false, false],
    ['d0000000-0000-4000-8000-0000000000ff', 'a role whose definition could not be read', false, false],
  ];
  for (const [role, why, openai, deepseek] of table) {
    assert.equal(covered(assignment(ACCOUNT, role), 'OpenAI'), openai, `${why}: OpenAI model`);
    assert.equal(covered(assignment(ACCOUNT, role), 'DeepSeek'), deepseek, `${why}: DeepSeek model`);
  }
});

test('scopes: the account and everything above it, compared as paths (no regular expressions)', () => {
  const table: Array<[string, boolean, string]> = [
    [ACCOUNT, true, 'the resource'],
    [RG, true, 'resource group rg(dev)'],
    [`/subscriptions/${SUB}/resourceGroups/RG(DEV)`, true, 'resource group RG(DEV)'],
    [`/subscriptions/${SUB}`, true, `subscription ${SUB}`],
    [MG, true, 'management group mg-corp'],
    ['/', true, 'the root management group'],
    [`/subscriptions/${SUB}/resourceGroups/rg(de`, false, 'resource group rg(de'],
    [`/subscriptions/${SUB}/resourceGroups/rg`, false, 'resource group rg'],
    [`/subscriptions/${SUB}/resourceGroups/rg(dev)x`, false, 'resource group rg(dev)x'],
    [`${ACCOUNT}/deployments/gpt`, false, `${ACCOUNT}/deployments/gpt`],
  ];
  for (const [scope, inside, words] of table) {
    assert.equal(scopeIncludes(scope, ACCOUNT), inside, scope);
    assert.equal(covered(assignment(scope, OPENAI_USER.id), 'OpenAI'), inside, scope);
    assert.equal(describeScope(scope, ACCOUNT), words, scope);
  }
});

test("routes: the principal's own first, then through a group; the narrowest first; conditions flagged", () => {
  const routes = accessRoutes({
    assignments: [
      assignment(MG, COGNITIVE_SERVICES_USER.id, GROUP),
      assignment(RG, OPENAI_USER.id, GROUP),
      assignment(`/subscriptions/${SUB}`, OPENAI_USER.id, ME, "@Resource[x] StringEquals 'y'"),
      assignment(ACCOUNT, OWNER),
    ],
    principalId: ME,
    scope: ACCOUNT,
    dataAction: OPENAI_CHAT_ACTION,
    definitions,
    groupNames: new Map([[GROUP, 'ai-team']]),
  });
  assert.deepEqual(routes.map(describeRoute), [
    `Cognitive Services OpenAI User directly, at subscription ${SUB} (with a condition)`,
    'Cognitive Services OpenAI User through group ai-team, at resource group rg(dev)',
    'Cognitive Services User through group ai-team, at management group mg-corp',
  ]);
  const unnamed = accessRoutes({
    assignments: [assignment(RG, OPENAI_USER.id, GROUP)],
    principalId: ME,
    scope: ACCOUNT,
    dataAction: OPENAI_CHAT_ACTION,
    definitions,
  });
  assert.equal(
    describeRoute(unnamed[0]!),
    `Cognitive Services OpenAI User through group ${GROUP}, at resource group rg(dev)`,
    'no directory read: the group by object id',
  );
});

test('the role for the model: OpenAI User for OpenAI models, Cognitive Services User (least privilege that covers MaaS) for others; --role overrides', () => {
  const table: Array<[string | undefined, string, string]> = [
    ['OpenAI', OPENAI_USER.id, OPENAI_CHAT_ACTION],
    [undefined, OPENAI_USER.id, OPENAI_CHAT_ACTION],
    ['DeepSeek', COGNITIVE_SERVICES_USER.id, MAAS_CHAT_ACTION],
    ['Meta', COGNITIVE_SERVICES_USER.id, MAAS_CHAT_ACTION],
    ['Mistral AI', COGNITIVE_SERVICES_USER.id, MAAS_CHAT_ACTION],
    ['xAI', COGNITIVE_SERVICES_USER.id, MAAS_CHAT_ACTION],
  ];
  for (const [format, role, action] of table) {
    const c = roleForModel(format);
    assert.equal(c.role.id, role, String(format));
    assert.equal(c.dataAction, action, String(format));
    assert.match(c.reason, /least/);
  }
  assert.equal(roleForModel('DeepSeek', AZURE_AI_USER).role.id, AZURE_AI_USER.id);
  assert.equal(roleForModel('DeepSeek', AZURE_AI_USER).reason, '--role');
});

test('RBAC pattern matching: wildcards, case, and notDataActions within a block', () => {
  const table: Array<[string, string, boolean]> = [
    ['Microsoft.CognitiveServices/*', MAAS_CHAT_ACTION, true],
    ['microsoft.cognitiveservices/accounts/openai/*', OPENAI_CHAT_ACTION, true],
    ['Microsoft.CognitiveServices/accounts/OpenAI/*', MAAS_CHAT_ACTION, false],
    ['Microsoft.CognitiveServices/accounts/OpenAI/*/read', OPENAI_CHAT_ACTION, false],
    ['*', 'Microsoft.Authorization/roleAssignments/write', true],
    ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/roleAssignments/write', true],
  ];
  for (const [pattern, action, match] of table)
    assert.equal(actionMatches(pattern, action), match, `${pattern} ~ ${action}`);
  const contributor: Permission = {
    actions: ['*'],
    notActions: ['Microsoft.Authorization/*/Write'],
    dataActions: [],
    notDataActions: [],
  };
  const userAccessAdmin: Permission = {
    actions: ['Microsoft.Authorization/*'],
    notActions: [],
    dataActions: [],
    notDataActions: [],
  };
  assert.equal(
    allows([contributor], 'Microsoft.Authorization/roleAssignments/write', 'action'),
    false,
    'Contributor may not write role assignments',
  );
  assert.equal(
    allows([contributor, userAccessAdmin], 'Microsoft.Authorization/roleAssignments/write', 'action'),
    true,
    'blocks are not merged: another block grants it',
  );
});

test('PIM: eligibilities that cover the request, and the self-activation body', () => {
  const body = {
    value: [
      {
        properties: {
          scope: RG,
          roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OPENAI_USER.id}`,
          principalId: ME,
          roleEligibilityScheduleId: `${RG}/providers/Microsoft.Authorization/roleEligibilitySchedules/s1`,
          status: 'Provisioned',
          endDateTime: null,
        },
      },
      {
        properties: {
          scope: RG,
          roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
          principalId: ME,
          roleEligibilityScheduleId: 's2',
          status: 'Provisioned',
        },
      },
      {
        properties: {
          scope: `/subscriptions/${SUB}/resourceGroups/other`,
          roleDefinitionId: OPENAI_USER.id,
          principalId: ME,
          roleEligibilityScheduleId: 's3',
          status: 'Provisioned',
        },
      },
    ],
  };
  const covering = coveringEligibilities(parseEligibilities(body), ACCOUNT, OPENAI_CHAT_ACTION);
  assert.equal(covering.length, 1);
  assert.equal(
    coveringEligibilities(parseEligibilities(body), ACCOUNT, MAAS_CHAT_ACTION).length,
    0,
    'the OpenAI role does not cover a DeepSeek model',
  );
  const req = activationRequest(covering[0]!, ME, 'ticket 42', 'r-1');
  assert.equal(
    req.url,
    `${RG}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/r-1?api-version=2020-10-01`,
  );
  assert.deepEqual(req.body.properties['requestType'], 'SelfActivate');
  assert.equal(
    req.body.properties['linkedRoleEligibilityScheduleId'],
    `${RG}/providers/Microsoft.Authorization/roleEligibilitySchedules/s1`,
  );
  assert.equal(req.body.properties['justification'], 'ticket 42');
});

// azure-rest-api-specs Authorization stable/2022-04-01 examples/RoleAssignments_ListForScope.json (one assignment,
// its role definition id in the tenant-level form), with the properties given changed.
const listed = (properties: Record<string, unknown> = {}, id: unknown = LISTED_ID) => ({
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d',
    principalId: 'ce2ce14e-85d7-4629-bdbc-454d0519d987',
    principalType: 'User',
    scope: '/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2',
    ...properties,
  },
  id,
  type: 'Microsoft.Authorization/roleAssignments',
  name: 'b0f43c54-e787-4862-89b1-a653fa9cf747',
});
const LISTED_ID =
  '/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/providers/Microsoft.Authorization/roleAssignments/b0f43c54-e787-4862-89b1-a653fa9cf747';

test('role assignments as ARM lists them; entries without an id, scope, principal or role are skipped', () => {
  assert.deepEqual(parseArmRoleAssignments({ value: [listed()] }), [
    {
      id: LISTED_ID,
      scope: '/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2',
      principalId: 'ce2ce14e-85d7-4629-bdbc-454d0519d987',
      principalType: 'User',
      roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d',
      condition: null,
    },
  ]);
  const [withCondition] = parseArmRoleAssignments({
    value: [listed({ condition: "@Resource[x] StringEquals 'y'", principalType: undefined })],
  });
  assert.equal(withCondition?.condition, "@Resource[x] StringEquals 'y'");
  assert.equal(withCondition?.principalType, '', 'no principal type: empty');
  const table: Array<[string, unknown]> = [
    ['no id', { value: [listed({}, null)] }],
    ['no scope', { value: [listed({ scope: undefined })] }],
    ['no principal', { value: [listed({ principalId: 7 })] }],
    ['no role', { value: [listed({ roleDefinitionId: null })] }],
    ['no properties', { value: [{ id: LISTED_ID }] }],
    ['value is no list', { value: 'x' }],
    ['no body', null],
  ];
  for (const [why, body] of table) assert.deepEqual(parseArmRoleAssignments(body), [], why);
});

test('the role definitions to read: those of roles that are not built in, each once', () => {
  const tenantLevel = '/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d';
  const assignments = [
    assignment(ACCOUNT, OPENAI_USER.id),
    assignment(RG, CUSTOM_MAAS),
    assignment(ACCOUNT, CUSTOM_MAAS),
    assignment(ACCOUNT, OWNER),
    ...parseArmRoleAssignments({ value: [listed()] }),
  ];
  assert.deepEqual(unknownRoleIds(assignments), [
    `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM_MAAS}`,
    tenantLevel,
  ]);
});

test('a route says which assignment, role and principal it is, and where it is held', () => {
  const direct = assignment(ACCOUNT, OPENAI_USER.id, ME.toUpperCase());
  const viaGroup = assignment(RG, CUSTOM_MAAS, GROUP, "@Resource[x] StringEquals 'y'");
  const routes = accessRoutes({
    assignments: [viaGroup, direct],
    principalId: ME,
    scope: ACCOUNT,
    dataAction: OPENAI_CHAT_ACTION,
    definitions,
  });
  assert.deepEqual(routes, [
    {
      assignmentId: direct.id,
      scope: ACCOUNT,
      roleId: OPENAI_USER.id,
      roleName: 'Cognitive Services OpenAI User',
      via: 'direct',
      principalId: ME.toUpperCase(),
      at: 'the resource',
      conditional: false,
    },
    {
      assignmentId: viaGroup.id,
      scope: RG,
      roleId: CUSTOM_MAAS,
      roleName: 'Models caller',
      via: 'group',
      principalId: GROUP,
      groupName: null,
      at: 'resource group rg(dev)',
      conditional: true,
    },
  ]);
  assert.equal(describeRoute(routes[0]!), 'Cognitive Services OpenAI User directly, at the resource');
  assert.equal(
    describeRoute(routes[1]!),
    `Models caller through group ${GROUP}, at resource group rg(dev) (with a condition)`,
  );
  // A custom role whose definition was read but has no name is named by its GUID.
  const nameless = new Map([[CUSTOM_MAAS, { name: '', permissions: definitions.get(CUSTOM_MAAS)!.permissions }]]);
  const [byGuid] = accessRoutes({
    assignments: [viaGroup],
    principalId: ME,
    scope: ACCOUNT,
    dataAction: OPENAI_CHAT_ACTION,
    definitions: nameless,
  });
  assert.equal(byGuid?.roleName, '');
});

test('routes in the order a user fixes them: own before group, unconditional before conditional, narrow before broad', () => {
  const sub = `/subscriptions/${SUB}`;
  const order = (assignments: ArmRoleAssignment[]): string[] =>
    accessRoutes({ assignments, principalId: ME, scope: ACCOUNT, dataAction: OPENAI_CHAT_ACTION, definitions }).map(
      (r) => `${r.via} ${r.at}${r.conditional ? ' if' : ''}`,
    );
  const table: Array<[ArmRoleAssignment[], string[]]> = [
    [
      [assignment('/', OPENAI_USER.id), assignment(MG, OPENAI_USER.id)],
      ['direct management group mg-corp', 'direct the root management group'],
    ],
    [
      [assignment(MG, OPENAI_USER.id), assignment(sub, OPENAI_USER.id)],
      [`direct subscription ${SUB}`, 'direct management group mg-corp'],
    ],
    [
      [assignment(sub, OPENAI_USER.id), assignment(RG, OPENAI_USER.id)],
      ['direct resource group rg(dev)', `direct subscription ${SUB}`],
    ],
    [
      [assignment(RG, OPENAI_USER.id), assignment(ACCOUNT, OPENAI_USER.id)],
      ['direct the resource', 'direct resource group rg(dev)'],
    ],
    [
      [assignment(ACCOUNT, OPENAI_USER.id, ME, 'c'), assignment(MG, OPENAI_USER.id)],
      ['direct management group mg-corp', 'direct the resource if'],
    ],
    [
      [assignment(ACCOUNT, OPENAI_USER.id, GROUP), assignment('/', OPENAI_USER.id, ME, 'c')],
      ['direct the root management group if', 'group the resource'],
    ],
    [
      [assignment(`${RG}/`, OPENAI_USER.id), assignment(`${sub}/`, OPENAI_USER.id)],
      ['direct resource group rg(dev)', `direct subscription ${SUB}`],
    ],
  ];
  for (const [assignments, want] of table) {
    assert.deepEqual(order(assignments), want, want.join(' < '));
    assert.deepEqual(order([...assignments].reverse()), want, `${want.join(' < ')} (listed the other way)`);
  }
});

test("object ids compare in any case: the principal's own assignment, and a group named by its id", () => {
  const me = 'ab5c0e3f-0d1e-4c2b-9a8f-7e6d5c4b3a21';
  const group = 'cd7e9f10-2a3b-4c5d-8e9f-0a1b2c3d4e5f';
  const routes = accessRoutes({
    assignments: [
      assignment(ACCOUNT, OPENAI_USER.id, me.toUpperCase()),
      assignment(RG, OPENAI_USER.id, group.toUpperCase()),
    ],
    principalId: me,
    scope: ACCOUNT,
    dataAction: OPENAI_CHAT_ACTION,
    definitions,
    groupNames: new Map([[group, 'ai-team']]),
  });
  assert.deepEqual(routes.map(describeRoute), [
    'Cognitive Services OpenAI User directly, at the resource',
    'Cognitive Services OpenAI User through group ai-team, at resource group rg(dev)',
  ]);
});
