// Every az failure text other than sign-in (test/fixtures/az-failure-texts.json, each naming its az release and
// source; the recorded outputs of test/fixtures/azure-fixtures.json) maps to the exit code, the code, the message
// and the one next step a user gets. The sign-in texts are test/unit/classify-sign-in.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyAzFailure, parseAzFailure } from '../../src/az/classify.ts';

interface FailureText {
  id: string;
  azRelease: string;
  source: string;
  command: string;
  stderr: string;
  exitCode: number;
  expect: { exit: number; code: string; armCode?: string; message?: string };
}
const { texts } = JSON.parse(readFileSync(new URL('../fixtures/az-failure-texts.json', import.meta.url), 'utf8')) as {
  texts: FailureText[];
};
type Recorded = { stdout: string; stderr: string; exitCode: number };
const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/azure-fixtures.json', import.meta.url), 'utf8'),
) as Record<string, Recorded>;
const rec = (id: string): Recorded => {
  const r = recorded[id];
  if (!r) throw new Error(`no fixture ${id}`);
  return r;
};

/** The one next step for each code: the words a user acts on. */
const HINTS: Record<string, RegExp> = {
  'subscription-not-found':
    /^List the subscriptions you can use with `az account list -o table`; sign in to another tenant with `az login --tenant <tenant>`\.$/,
  'principal-type-mismatch':
    /^Pass the right --assignee-type \(User, ServicePrincipal or Group\) for that object id\.$/,
  'az-arguments':
    /^If your Azure CLI is old, update it \(`az upgrade`\); otherwise this is a bug in aoai-keyless: please report it\.$/,
  'az-crashed':
    /^Update the Azure CLI \(`az upgrade`, or reinstall it from https:\/\/aka\.ms\/azure-cli\): old packaged builds such as Debian's 2\.45 crash in `az role assignment`\.$/,
  'azure-unreachable': /^Check your network connection or proxy \(HTTPS_PROXY\), then run this again\.$/,
  'authorization-failed': /^Ask an Owner or User Access Administrator of this scope to run the command for you\.$/,
  'not-found': /^Check the name, the resource group and the subscription\.$/,
};

test('every fixture names its az release and its source', () => {
  assert.ok(texts.length >= 10);
  for (const t of texts) assert.ok(t.azRelease.length > 0 && t.source.length > 40, t.id);
});

for (const t of texts) {
  test(`${t.id} (az ${t.azRelease}) -> exit ${t.expect.exit} ${t.expect.code}`, () => {
    const e = classifyAzFailure(
      { exitCode: t.exitCode, stdout: '', stderr: t.stderr },
      { command: t.command, ci: false },
    );
    assert.equal(e.exitCode, t.expect.exit, e.message);
    assert.equal(e.code, t.expect.code, e.message);
    if (t.expect.message !== undefined) assert.equal(e.message, t.expect.message);
    if (t.expect.armCode !== undefined) assert.equal(parseAzFailure({ ...t, stdout: '' }).armCode, t.expect.armCode);
    assert.match(e.hint ?? '', HINTS[t.expect.code] ?? /^$/, `${t.id}: the next step for ${t.expect.code}`);
  });
}

// The recorded outputs of real az (test/fixtures/azure-fixtures.json), with the message a user reads.
const RECORDED: Array<[id: string, exit: number, code: string, message: string]> = [
  [
    'az_role_assignment_create_authorization_failed',
    4,
    'authorization-failed',
    "Azure refused `az role assignment create`: The client 'alice@contoso.com' with object id '55555555-5555-5555-5555-555555555555' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope",
  ],
  [
    'az_role_assignment_create_principal_not_found',
    5,
    'principal-not-found',
    'Azure does not know the principal yet: Principal 77777777777777777777777777777777 does not exist in the directory 22222222-2222-2222-2222-222222222222.',
  ],
  [
    'az_role_assignment_create_assignee_not_in_graph',
    5,
    'principal-not-found',
    "Cannot find user or service principal in graph database for 'bob@contoso.com'.",
  ],
  [
    'az_cs_account_show_not_found',
    5,
    'not-found',
    "The Resource 'Microsoft.CognitiveServices/accounts/missing-acct' under resource group 'rg-aoai' was not found.",
  ],
  ['az_cs_account_show_rg_not_found', 5, 'not-found', "Resource group 'no-such-rg' could not be found."],
  ['az_ad_sp_show_not_found_name', 5, 'not-found', "Service principal 'non-exist-sp-name' doesn't exist"],
  [
    'az_ad_sp_show_not_found_guid',
    5,
    'not-found',
    "Resource '00000000-0000-0000-0000-000000000000' does not exist or one of its queried reference-property objects are not present.",
  ],
  [
    'az_err_unrecognized_argument',
    1,
    'az-arguments',
    'The Azure CLI rejected the arguments of `az role assignment create`: unrecognized arguments: --bogus',
  ],
  // A failure with no rule of its own keeps az's words, under the command that failed.
  [
    'az_ad_signed_in_user_show_sp_error',
    5,
    'az-failed',
    '`az role assignment create` failed: /me request is only valid with delegated authentication flow.',
  ],
];
for (const [id, exit, code, message] of RECORDED) {
  test(`recorded ${id} -> exit ${exit} ${code}`, () => {
    const e = classifyAzFailure(rec(id), { command: 'az role assignment create', ci: false });
    assert.equal(e.exitCode, exit);
    assert.equal(e.code, code);
    assert.ok(e.message.startsWith(message), `${e.message}\nshould start with\n${message}`);
    if (HINTS[code]) assert.match(e.hint ?? '', HINTS[code]);
  });
}

test('an ARM code with no rule of its own becomes the error code, in kebab case', () => {
  const msg = "Resource 'x' was disallowed by policy. Policy identifiers: 'y'.";
  const e = classifyAzFailure(
    {
      exitCode: 1,
      stdout: '',
      stderr: `ERROR: (RequestDisallowedByPolicy) ${msg}\nCode: RequestDisallowedByPolicy\nMessage: ${msg}\n`,
    },
    { command: 'az x', ci: false },
  );
  assert.equal(e.code, 'request-disallowed-by-policy');
  assert.equal(e.message, `\`az x\` failed: ${msg}`);
});

test('the crash message names the command that crashed', () => {
  const t = texts.find((x) => x.id === 'crash-role-module-2.45');
  assert.ok(t);
  const e = classifyAzFailure({ ...t, stdout: '' }, { command: t.command, ci: false });
  assert.ok(e.message.startsWith('The Azure CLI crashed in `az role definition list`: '), e.message);
});

// How az's stderr is read: the ERROR line (or the last line that is not a WARNING), the ARM code from the
// `(Code)` lead, a `Code:` line or an AADSTS number, CRLF as LF.
const PARSES: Array<[name: string, stderr: string, armCode: string | undefined, message: string]> = [
  ['an ERROR line with a (Code) lead', 'ERROR: (NotFound) Gone.\nCode: NotFound\n', 'NotFound', 'Gone.'],
  [
    'a Code: line without a lead',
    'ERROR: Operation returned an invalid status\nCode: Conflict\n',
    'Conflict',
    'Operation returned an invalid status',
  ],
  [
    'an AADSTS number',
    'ERROR: AADSTS50173: The provided grant has expired.\n',
    'AADSTS50173',
    'AADSTS50173: The provided grant has expired.',
  ],
  [
    'no code at all',
    "ERROR: Please run 'az login' to setup account.\n",
    undefined,
    "Please run 'az login' to setup account.",
  ],
  ['the first ERROR line, trimmed', 'WARNING: w\nERROR:   first  \nERROR: second\n', undefined, 'first'],
  ['CRLF endings', 'ERROR: (ResourceNotFound) Gone.\r\nCode: ResourceNotFound\r\n', 'ResourceNotFound', 'Gone.'],
  [
    'no ERROR line: the last line that is not a WARNING',
    'WARNING: a\n  /bin/sh: 1: az: not found  \n\nWARNING: b\n',
    undefined,
    '/bin/sh: 1: az: not found',
  ],
  ['white space after the last line is no line', 'az: not found\n   \n', undefined, 'az: not found'],
  ['nothing on stderr', '', undefined, 'az failed without an error message'],
  ['only warnings', 'WARNING: something\n', undefined, 'az failed without an error message'],
];
for (const [name, stderr, armCode, message] of PARSES) {
  test(`parse: ${name}`, () => {
    const f = parseAzFailure({ exitCode: 7, stdout: '', stderr });
    assert.deepEqual(f, { armCode, message, exitCode: 7, stderr: stderr.replace(/\r\n/g, '\n') });
  });
}
