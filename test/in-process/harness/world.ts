// Worlds the in-process tests share, built from baseWorld() (test/support/world.mjs).
import { IDS, ROLE_IDS, accountId, baseWorld, newRoleAssignment, type World } from '../../support/world.mjs';

export const ACCOUNT_ID = accountId(baseWorld().accounts[0]!);
export const OPENAI_USER = ROLE_IDS['Cognitive Services OpenAI User'];

/** baseWorld() where Alice holds "Cognitive Services OpenAI User" on contoso-aoai, assigned well before the test. */
export function aliceHoldsTheRole(): World {
  const w = baseWorld();
  w.roleAssignments.push(
    newRoleAssignment({
      scope: ACCOUNT_ID,
      roleDefinitionGuid: OPENAI_USER,
      principalId: IDS.userObjectId,
      principalType: 'User',
      name: '8a2b3c4d-0000-4000-8000-000000000001',
      createdOn: '2025-11-01T10:00:00.123456+00:00',
      createdBy: IDS.userObjectId,
    }),
  );
  return w;
}
