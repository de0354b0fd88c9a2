// The credential's environment (src/verify/credential-env.ts): what dotenv gives the app, and process.env
// holding exactly it while DefaultAzureCredential runs, then what it held before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enterEnvironment, withDotenvDefaults } from '../../src/verify/credential-env.ts';

test("dotenv's rule: the .env adds the variables the environment lacks and never overrides a set one", () => {
  const env = { AZURE_TENANT_ID: 'mine', PATH: '/bin' };
  const merged = withDotenvDefaults(env, { AZURE_TENANT_ID: 'file', AZURE_CLIENT_ID: 'file' });
  assert.deepEqual(merged, { AZURE_TENANT_ID: 'mine', PATH: '/bin', AZURE_CLIENT_ID: 'file' });
  assert.deepEqual(env, { AZURE_TENANT_ID: 'mine', PATH: '/bin' }, 'the environment given is not changed');
});

test('while entered, the target holds exactly the given environment; leaving puts back every variable', () => {
  const target: NodeJS.ProcessEnv = { PATH: '/usr/bin', HOME: '/home/me', AZURE_CLIENT_ID: 'old' };
  const leave = enterEnvironment({ PATH: '/fake/bin', AZURE_CLIENT_ID: 'new', AZURE_TOKEN_CREDENTIALS: 'dev' }, target);
  assert.deepEqual(target, { PATH: '/fake/bin', AZURE_CLIENT_ID: 'new', AZURE_TOKEN_CREDENTIALS: 'dev' });
  leave();
  assert.deepEqual(target, { PATH: '/usr/bin', HOME: '/home/me', AZURE_CLIENT_ID: 'old' });
});

test('entered twice (a second audience) and left in reverse order: the first environment is back', () => {
  const target: NodeJS.ProcessEnv = { A: '1' };
  const leaveOuter = enterEnvironment({ A: '2', B: '2' }, target);
  const leaveInner = enterEnvironment({ A: '2', B: '2' }, target);
  leaveInner();
  assert.deepEqual(target, { A: '2', B: '2' });
  leaveOuter();
  assert.deepEqual(target, { A: '1' });
});
