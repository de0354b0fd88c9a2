// What the in-process tests share of the pretend Azure (test/support/fake-az.ts, world.mjs).
import { ACCOUNT_SCOPE, scenarios } from '../../support/fake-az.ts';
import { ROLE_IDS } from '../../support/world.mjs';

export const ACCOUNT_ID = ACCOUNT_SCOPE;
export const OPENAI_USER = ROLE_IDS['Cognitive Services OpenAI User'];
/** baseWorld() where Alice holds "Cognitive Services OpenAI User" on contoso-aoai, assigned well before the test. */
export const aliceHoldsTheRole = scenarios.roleAssignmentExists;
