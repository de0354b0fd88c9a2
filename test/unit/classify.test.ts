// Every az failure the tool meets, from the recorded outputs of the real CLI, maps to its exit code and code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyAzFailure, parseAzFailure } from '../../src/az/classify.ts';

type Fixture = { stdout: string; stderr: string; exitCode: number };
const fixtures = JSON.parse(
  readFileSync(new URL('../fixtures/azure-fixtures.json', import.meta.url), 'utf8'),
) as Record<string, Fixture>;
const f = (id: string): Fixture => {
  const x = fixtures[id];
  if (!x) throw new Error(`no fixture ${id}`);
  return x;
};

const cases: Array<[fixture: string, exitCode: number, code: string]> = [
  ['az_err_not_logged_in_account_show', 3, 'not-signed-in'],
  ['az_err_not_logged_in_get_access_token', 3, 'not-signed-in'],
  ['az_err_user_refresh_token_expired_get_access_token', 3, 'sign-in-expired'],
  ['az_err_sp_secret_expired_get_access_token', 3, 'sign-in-expired'],
  ['az_role_assignment_create_authorization_failed', 4, 'authorization-failed'],
  ['az_role_assignment_create_principal_not_found', 5, 'principal-not-found'],
  ['az_role_assignment_create_assignee_not_in_graph', 5, 'principal-not-found'],
  ['az_cs_account_show_not_found', 5, 'not-found'],
  ['az_cs_account_show_rg_not_found', 5, 'not-found'],
  ['az_ad_sp_show_not_found_guid', 5, 'not-found'],
  ['az_err_unrecognized_argument', 1, 'az-arguments'],
];

for (const [id, exitCode, code] of cases) {
  test(`${id} -> exit ${exitCode} (${code})`, () => {
    const e = classifyAzFailure(f(id), { command: 'az test', ci: false });
    assert.equal(e.exitCode, exitCode);
    assert.equal(e.code, code);
    assert.ok(e.hint && e.hint.length > 0, 'every failure has a next step');
  });
}

test('the sign-in hint is the command az itself suggests', () => {
  const e = classifyAzFailure(f('az_err_user_refresh_token_expired_get_access_token'), {
    command: 'az account get-access-token',
    ci: false,
  });
  assert.match(e.hint ?? '', /az login --scope https:\/\/cognitiveservices\.azure\.com\/\.default/);
  const inCi = classifyAzFailure(f('az_err_not_logged_in_get_access_token'), {
    command: 'az account get-access-token',
    ci: true,
  });
  assert.match(inCi.hint ?? '', /azure\/login/);
});

test('the ARM code and message are read from the three-line error', () => {
  const p = parseAzFailure(f('az_role_assignment_create_authorization_failed'));
  assert.equal(p.armCode, 'AuthorizationFailed');
  assert.match(
    p.message,
    /^The client .* does not have authorization to perform action 'Microsoft\.Authorization\/roleAssignments\/write'/,
  );
});

test('an az crash (Debian 2.45 role module) is a prerequisite with an update hint', () => {
  const e = classifyAzFailure(
    {
      exitCode: 1,
      stdout: '',
      stderr:
        "The command failed with an unexpected error. Here is the traceback:\nAttributeError: 'RoleAssignmentsOperations' object has no attribute 'config'\n",
    },
    { command: 'az role assignment list', ci: false },
  );
  assert.equal(e.exitCode, 3);
  assert.equal(e.code, 'az-crashed');
  assert.match(e.hint ?? '', /Update the Azure CLI/);
});
