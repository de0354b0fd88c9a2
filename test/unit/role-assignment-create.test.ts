// createAssignment on az's answers: a new assignment, a 409 answered with another principal's assignment (az
// re-lists without the assignee: role/custom.py create_role_assignment), a 403, and an MFA claims challenge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Az, RoleAssignment } from '../../src/az/az.ts';
import { createAssignment, type RoleAssignmentOutcome } from '../../src/steps/role-assignment.ts';
import { OPENAI_USER, roleForModel } from '../../src/azure/roles.ts';
import { NotAllowedError, PrerequisiteError } from '../../src/errors.ts';
import type { Principal } from '../../src/steps/principal.ts';

const SCOPE =
  '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai';
const ALICE: Principal = {
  objectId: '55555555-5555-5555-5555-555555555555',
  type: 'User',
  name: 'alice@contoso.com',
  kind: 'signed-in',
};
const GROUP = '99999999-9999-9999-9999-999999999999';

function assignment(principalId: string, name: string): RoleAssignment {
  return {
    id: `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope: SCOPE,
    principalId,
    principalType: principalId === GROUP ? 'Group' : 'User',
    principalName: undefined,
    roleDefinitionId: `/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions/${OPENAI_USER.id}`,
    roleDefinitionName: OPENAI_USER.name,
  };
}

/** An Az whose create answers `created` (or throws it) and whose list answers `listed`; other calls fail the test. */
function az(created: RoleAssignment | Error, listed: RoleAssignment[] = []): Az & { listCalls: number } {
  const stub = {
    listCalls: 0,
    async roleAssignmentCreate() {
      if (created instanceof Error) throw created;
      return created;
    },
    // ownExisting reads the principal's assignments through az rest (ARM's atScope() and assignedTo()).
    async rest() {
      stub.listCalls++;
      return {
        value: listed.map((a) => ({
          id: a.id,
          properties: {
            scope: a.scope,
            principalId: a.principalId,
            principalType: a.principalType,
            roleDefinitionId: a.roleDefinitionId,
          },
        })),
      };
    },
  };
  return new Proxy(stub, {
    get: (t, k) => (k in t ? t[k as keyof typeof t] : () => assert.fail(`unexpected az call ${String(k)}`)),
  }) as unknown as Az & { listCalls: number };
}

const choice = roleForModel('OpenAI', undefined);
const planned: RoleAssignmentOutcome = {
  id: null,
  role: choice.role.name,
  roleId: choice.role.id,
  scope: SCOPE,
  status: 'planned',
  reason: choice.reason,
  dataAction: choice.dataAction,
};
const input = {
  principal: ALICE,
  choice,
  planned,
  scope: SCOPE,
  subscription: '11111111-1111-1111-1111-111111111111',
  tenant: '22222222-2222-2222-2222-222222222222',
};

test('a new assignment for us: created, no second call', async () => {
  const a = az(assignment(ALICE.objectId, 'ours'));
  const r = await createAssignment(a, input);
  assert.deepEqual([r.status, r.id?.split('/').pop(), a.listCalls], ['created', 'ours', 0]);
});

test("a 409 answered with the group's assignment: ours is looked up by object id and reported as existing", async () => {
  const a = az(assignment(GROUP, 'theirs'), [assignment(GROUP, 'theirs'), assignment(ALICE.objectId, 'ours')]);
  const r = await createAssignment(a, input);
  assert.equal(r.status, 'existing');
  assert.equal(r.id?.split('/').pop(), 'ours');
});

test("a 409 answered with another principal's assignment and ours not listed: a bug report, never theirs", async () => {
  const a = az(assignment(GROUP, 'theirs'), [assignment(GROUP, 'theirs')]);
  await assert.rejects(createAssignment(a, input), /another principal's assignment/);
});

test('403: denied; MFA claims challenge: mfa-required with the sign-in error kept for the caller', async () => {
  const denied = await createAssignment(az(new NotAllowedError('no', { code: 'authorization-failed' })), input);
  assert.equal(denied.status, 'denied');
  const mfa = new PrerequisiteError('MFA', { code: 'mfa-required', details: ['az logout', 'az login --tenant "t"'] });
  const r = await createAssignment(az(mfa), input);
  assert.equal(r.status, 'mfa-required');
  assert.equal(r.signIn, mfa);
  await assert.rejects(createAssignment(az(new PrerequisiteError('x', { code: 'sign-in-expired' })), input), /x/);
});
