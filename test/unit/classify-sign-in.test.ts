// Every sign-in and subscription failure text of az 2.45 and of current az (test/fixtures/az-sign-in-texts.json,
// each naming its release and source) maps to its exit code, its code and the exact next step az gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyAzFailure } from '../../src/az/classify.ts';
import { buildReSignIn, reSignInFromAzText, signInArgv } from '../../src/az/re-sign-in.ts';

interface SignInText {
  id: string;
  azRelease: string;
  source: string;
  command: string;
  tenant?: string;
  ci?: boolean;
  stderr: string;
  exitCode: number;
  expect: { exit: number; code: string; commands?: string[]; hint?: string };
}
const { texts } = JSON.parse(readFileSync(new URL('../fixtures/az-sign-in-texts.json', import.meta.url), 'utf8')) as {
  texts: SignInText[];
};

test('every fixture names its az release and its source', () => {
  assert.ok(texts.length >= 15);
  for (const t of texts) {
    assert.ok(t.azRelease.length > 0 && t.source.length > 20, t.id);
  }
});

for (const t of texts) {
  test(`${t.id} (az ${t.azRelease}) -> exit ${t.expect.exit} ${t.expect.code}`, () => {
    const e = classifyAzFailure(
      { exitCode: t.exitCode, stdout: '', stderr: t.stderr },
      { command: t.command, ci: t.ci === true, tenant: t.tenant },
    );
    assert.equal(e.exitCode, t.expect.exit, e.message);
    assert.equal(e.code, t.expect.code, e.message);
    assert.ok(e.hint, 'every failure has a next step');
    if (t.expect.commands)
      assert.deepEqual(e.details.length > 0 ? e.details : [/`(az [^`]+)`/.exec(e.hint)?.[1]], t.expect.commands);
    if (t.expect.hint) assert.ok(e.hint.includes(t.expect.hint), `${e.hint} should include ${t.expect.hint}`);
    // A sign-in problem never falls back to a bare `az login` when az named the tenant or scope.
    if (/--tenant|--scope/.test(t.stderr) && t.expect.code !== 'wrong-tenant') {
      assert.match([...e.details, e.hint].join('\n'), /--scope/);
    }
  });
}

test('the lines after the lead-in are read exactly, and stop at the first line that is not an az command', () => {
  const text =
    'WARNING: Run the command below to authenticate interactively; additional arguments may be added as needed:\naz logout\naz login --tenant "t" --scope "s"\nERROR: (X) y\n';
  assert.deepEqual(reSignInFromAzText(text), ['az logout', 'az login --tenant "t" --scope "s"']);
  assert.equal(reSignInFromAzText('ERROR: something else\naz login\n'), undefined);
});

test('a rebuilt re-sign-in quotes like az and base64-encodes the claims (util.py _generate_login_command)', () => {
  const claims = '{"access_token":{"acrs":{"essential":true,"values":["p1"]}}}';
  assert.deepEqual(buildReSignIn({ tenant: 't', scope: 's', claims }), [
    'az logout',
    'az login --tenant "t" --scope "s" --claims-challenge "eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlcyI6WyJwMSJdfX19"',
  ]);
  assert.deepEqual(buildReSignIn({ tenant: 't', scope: 's', claims, claimsFlag: false }), [
    'az logout',
    'az login --tenant "t" --scope "s"',
  ]);
});

test('a printed sign-in command is run only when it is az login / az logout, its quotes removed as a shell would', () => {
  assert.deepEqual(
    signInArgv(
      'az login --tenant "t" --scope "https://management.core.windows.net//.default" --claims-challenge "eyJ+/="',
    ),
    [
      'login',
      '--tenant',
      't',
      '--scope',
      'https://management.core.windows.net//.default',
      '--claims-challenge',
      'eyJ+/=',
    ],
  );
  assert.deepEqual(signInArgv('az logout'), ['logout']);
  for (const other of ['az role assignment delete --ids x', 'rm -rf /', 'az logout; rm -rf /', 'azlogin'])
    assert.equal(signInArgv(other), undefined, other);
});

test('an Azure Policy deny that is not about MFA is not a sign-in problem', () => {
  const msg =
    'Resource \'x\' was disallowed by policy. Policy identifiers: \'[{"policyAssignment":{"name":"Allowed locations"}}]\'.';
  const e = classifyAzFailure(
    {
      exitCode: 1,
      stdout: '',
      stderr: `ERROR: (RequestDisallowedByPolicy) ${msg}\nCode: RequestDisallowedByPolicy\nMessage: ${msg}\n`,
    },
    { command: 'az x', ci: false },
  );
  assert.equal(e.exitCode, 5);
});
