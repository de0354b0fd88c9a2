// PIM for Azure resources: which of the caller's eligible roles would let it call the model once activated, and
// the self-activation request. Bodies: azure-rest-api-specs Authorization stable/2020-10-01 examples
// GetRoleEligibilityScheduleInstancesByScope.json (the instance below, as listed) and
// PutRoleAssignmentScheduleRequest.json (requestType SelfActivate, linkedRoleEligibilityScheduleId, AfterDuration PT8H).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACTIVATION_DURATION,
  PIM_API_VERSION,
  PIM_PORTAL_URL,
  activationCommand,
  activationRequest,
  coveringEligibilities,
  eligibilitiesUrl,
  parseEligibilities,
  type Eligibility,
} from '../../src/azure/pim.ts';
import { COGNITIVE_SERVICES_USER, MAAS_CHAT_ACTION, OPENAI_CHAT_ACTION, OPENAI_USER } from '../../src/azure/roles.ts';
import type { Permission } from '../../src/azure/data-actions.ts';

const SUB = 'dfa2a084-766f-4003-8ae1-c4aeb893a99f';
const PRINCIPAL = 'a3bb8764-cb92-4276-9d2a-ca1e895e55ea';
const SCHEDULE = `/subscriptions/${SUB}/providers/Microsoft.Authorization/RoleEligibilitySchedules/b1477448-2cc6-4ceb-93b4-54a202a89413`;
const DEFINITION = (guid: string) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;

/** The spec example's instance (Contributor, eligible at the subscription), with the given properties changed. */
const instance = (over: Record<string, unknown> = {}) => ({
  properties: {
    scope: `/subscriptions/${SUB}`,
    roleDefinitionId: DEFINITION('b24988ac-6180-42a0-ab88-20f7382dd24c'),
    principalId: PRINCIPAL,
    principalType: 'User',
    status: 'Provisioned',
    roleEligibilityScheduleId: SCHEDULE,
    startDateTime: '2020-09-10T00:32:36.86Z',
    endDateTime: '2021-09-10T00:31:41.477Z',
    memberType: 'Direct',
    ...over,
  },
  name: '21e4b59a-0499-4fe0-a3c3-43a3055b773a',
  id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/RoleEligibilityScheduleInstances/21e4b59a-0499-4fe0-a3c3-43a3055b773a`,
  type: 'Microsoft.Authorization/RoleEligibilityScheduleInstances',
});

test("the caller's own eligibilities at a scope (asTarget()), on api-version 2020-10-01", () => {
  assert.equal(
    eligibilitiesUrl(ACCOUNT),
    `${ACCOUNT}/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?api-version=2020-10-01&$filter=asTarget()`,
  );
  assert.equal(PIM_API_VERSION, '2020-10-01');
  // Where a person activates by hand (My roles > Azure resources), shown when self-activation is refused.
  assert.equal(
    PIM_PORTAL_URL,
    'https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/ActivationMenuBlade/~/azurerbac',
  );
});

test('eligibilities as listed: provisioned ones with a scope, a role and a schedule; the rest are skipped', () => {
  assert.deepEqual(parseEligibilities({ value: [instance()] }), [
    {
      scope: `/subscriptions/${SUB}`,
      roleDefinitionId: DEFINITION('b24988ac-6180-42a0-ab88-20f7382dd24c'),
      principalId: PRINCIPAL,
      roleEligibilityScheduleId: SCHEDULE,
      endDateTime: '2021-09-10T00:31:41.477Z',
    },
  ]);
  const table: Array<[string, unknown, number]> = [
    ['no status: taken as provisioned', { value: [instance({ status: undefined })] }, 1],
    ['a permanent eligibility (no end)', { value: [instance({ endDateTime: null })] }, 1],
    ['status other than Provisioned', { value: [instance({ status: 'PendingApproval' })] }, 0],
    ['no scope', { value: [instance({ scope: undefined })] }, 0],
    ['a scope that is no string', { value: [instance({ scope: 42 })] }, 0],
    ['empty scope', { value: [instance({ scope: '' })] }, 0],
    ['no role', { value: [instance({ roleDefinitionId: undefined })] }, 0],
    ['no schedule', { value: [instance({ roleEligibilityScheduleId: undefined })] }, 0],
    ['no properties', { value: [{ name: 'x' }] }, 0],
    ['value is no list', { value: {} }, 0],
    ['no body', undefined, 0],
  ];
  for (const [why, body, n] of table) assert.equal(parseEligibilities(body).length, n, why);
  const [permanent] = parseEligibilities({ value: [instance({ endDateTime: null, principalId: undefined })] });
  assert.equal(permanent?.endDateTime, null, 'no end date: null');
  assert.equal(permanent?.principalId, '', 'no principal id: empty');
});

test('the eligibilities that would cover the call: scope at or above the account, a role that grants the action', () => {
  const custom = 'c0000000-0000-4000-8000-00000000000a';
  const definitions = new Map<string, Permission[]>([
    [
      custom,
      [
        {
          actions: [],
          notActions: [],
          dataActions: ['Microsoft.CognitiveServices/accounts/MaaS/*'],
          notDataActions: [],
        },
      ],
    ],
  ]);
  const e = (scope: string, guid: string): Eligibility => ({
    scope,
    roleDefinitionId: DEFINITION(guid),
    principalId: PRINCIPAL,
    roleEligibilityScheduleId: SCHEDULE,
    endDateTime: null,
  });
  const table: Array<[string, Eligibility, string, boolean]> = [
    [
      'Contributor (the spec example) calls no model',
      e(`/subscriptions/${SUB}`, 'b24988ac-6180-42a0-ab88-20f7382dd24c'),
      OPENAI_CHAT_ACTION,
      false,
    ],
    ['OpenAI User at the subscription', e(`/subscriptions/${SUB}`, OPENAI_USER.id), OPENAI_CHAT_ACTION, true],
    ['OpenAI User at the account', e(ACCOUNT, OPENAI_USER.id), OPENAI_CHAT_ACTION, true],
    [
      'OpenAI User in another group',
      e(`/subscriptions/${SUB}/resourceGroups/other`, OPENAI_USER.id),
      OPENAI_CHAT_ACTION,
      false,
    ],
    ['OpenAI User for a DeepSeek model', e(ACCOUNT, OPENAI_USER.id), MAAS_CHAT_ACTION, false],
    ['Cognitive Services User for a DeepSeek model', e(ACCOUNT, COGNITIVE_SERVICES_USER.id), MAAS_CHAT_ACTION, true],
    ['a custom role by its definition', e(ACCOUNT, custom), MAAS_CHAT_ACTION, true],
    ['a custom role by its definition, GUID in upper case', e(ACCOUNT, custom.toUpperCase()), MAAS_CHAT_ACTION, true],
    ['a custom role by its definition, not granting', e(ACCOUNT, custom), OPENAI_CHAT_ACTION, false],
    [
      'a custom role whose definition is unknown',
      e(ACCOUNT, 'd0000000-0000-4000-8000-0000000000ff'),
      MAAS_CHAT_ACTION,
      false,
    ],
  ];
  for (const [why, eligibility, action, covers] of table)
    assert.equal(coveringEligibilities([eligibility], ACCOUNT, action, definitions).length === 1, covers, why);
  assert.deepEqual(coveringEligibilities([e(ACCOUNT, custom)], ACCOUNT, MAAS_CHAT_ACTION), [], 'no definitions given');
});

test('self-activation: a SelfActivate request linked to the eligibility schedule, for 8 hours, as a pasteable az rest', () => {
  const eligibility: Eligibility = {
    scope: `/subscriptions/${SUB}`,
    roleDefinitionId: DEFINITION(OPENAI_USER.id),
    principalId: PRINCIPAL,
    roleEligibilityScheduleId: SCHEDULE,
    endDateTime: null,
  };
  const requestId = 'fea7a502-9a96-4806-a26f-eee560e52045';
  const r = activationRequest(eligibility, PRINCIPAL, "Bob's ticket 42", requestId);
  assert.equal(
    r.url,
    `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${requestId}?api-version=2020-10-01`,
  );
  assert.deepEqual(r.body, {
    properties: {
      principalId: PRINCIPAL,
      roleDefinitionId: DEFINITION(OPENAI_USER.id),
      requestType: 'SelfActivate',
      linkedRoleEligibilityScheduleId: SCHEDULE,
      justification: "Bob's ticket 42",
      scheduleInfo: { startDateTime: null, expiration: { type: 'AfterDuration', duration: 'PT8H' } },
    },
  });
  assert.equal(ACTIVATION_DURATION, 'PT8H');
  const command = activationCommand(eligibility, PRINCIPAL, "Bob's ticket 42", requestId);
  assert.equal(
    command,
    `az rest --method put --url "${r.url}" --body '${JSON.stringify(r.body).replace("Bob's", "Bob'\\''s")}'`,
    'single quotes around the body, a quote inside it closed, escaped and reopened (POSIX sh)',
  );
});
