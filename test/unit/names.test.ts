// What Azure accepts as names and ids, checked before any az call: a bad value is exit 2 naming the flag, the
// value and the rule. Rules: learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
// (Microsoft.Resources resourcegroups 1-90, Microsoft.CognitiveServices accounts 2-64 and deployments,
// Microsoft.ManagedIdentity userAssignedIdentities 3-128). Ids as az prints them (test/fixtures/azure-fixtures.json
// az_cs_account_list .id; the fake az's identity ids, test/fake-az/identity.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkApiVersion,
  checkDeploymentName,
  checkObjectId,
  checkResourceGroup,
  checkSubscription,
  parseAccountRef,
  parseAssigneeType,
  parseIdentityRef,
} from '../../src/azure/names.ts';
import { UsageError } from '../../src/errors.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const RG_ID = `/subscriptions/${SUB}/resourceGroups/rg-aoai`;
const ACCOUNT_ID = `${RG_ID}/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;
const IDENTITY_ID = `${RG_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`;

/** The usage error of a bad value: exit 2, naming the flag and the value, with the rule. */
const badValue =
  (flag: string, value: string, rule: RegExp) =>
  (e: unknown): boolean => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.code, 'bad-value');
    assert.ok(e.message.startsWith(`${flag} ${JSON.stringify(value)} is not valid: `), e.message);
    assert.match(e.message, rule);
    assert.equal(e.hint, `Check the value of ${flag}.`);
    return true;
  };

test('resource group names: 1-90 letters, digits, underscores, hyphens, periods or parentheses, no final period', () => {
  const table: Array<[string, boolean]> = [
    ['rg-aoai', true],
    ['My_RG.(1)', true],
    ['rg-ünïcode', true],
    ['a', true],
    ['a'.repeat(90), true],
    ['a'.repeat(91), false],
    ['', false],
    ['rg.', false],
    ['rg aoai', false],
    ['rg/aoai', false],
  ];
  for (const [name, ok] of table) {
    if (ok) assert.equal(checkResourceGroup(name), name, name);
    else
      assert.throws(() => checkResourceGroup(name), badValue('--resource-group', name, /1-90 letters.*period/), name);
  }
  assert.throws(() => checkResourceGroup('rg.', '--group'), badValue('--group', 'rg.', /resource group name/));
});

test('deployment names: up to 64 letters, digits, hyphens, underscores or periods, starting with a letter or digit', () => {
  const table: Array<[string, boolean]> = [
    ['gpt-4o-mini', true],
    ['gpt-4.1_chat', true],
    ['DeepSeek-R1', true],
    ['a', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['-gpt', false],
    ['.gpt', false],
    ['', false],
    ['gpt 4o', false],
  ];
  for (const [name, ok] of table) {
    if (ok) assert.equal(checkDeploymentName(name), name, name);
    else assert.throws(() => checkDeploymentName(name), badValue('--deployment', name, /up to 64 letters/), name);
  }
  assert.throws(() => checkDeploymentName('-x', '--model'), badValue('--model', '-x', /deployment name/));
});

test('subscriptions: an id (kept in lower case) or an exact display name without shell metacharacters', () => {
  const table: Array<[string, string | undefined]> = [
    [SUB, SUB],
    [SUB.toUpperCase().replace(/1/g, 'A'), SUB.replace(/1/g, 'a')],
    ['Contoso Dev', 'Contoso Dev'],
    ['Pay-As-You-Go (2)', 'Pay-As-You-Go (2)'],
    ['s'.repeat(64), 's'.repeat(64)],
    ['s'.repeat(65), undefined],
    ['', undefined],
    [' Contoso Dev', undefined],
    ['Contoso Dev ', undefined],
    ['a\tb', undefined],
    ['"quoted"', undefined],
    ["it's", undefined],
    ['`id`', undefined],
    ['$HOME', undefined],
    ['a;b', undefined],
    ['a|b', undefined],
    ['a&b', undefined],
    ['a<b', undefined],
    ['a>b', undefined],
    ['a\\b', undefined],
  ];
  for (const [value, want] of table) {
    if (want !== undefined) assert.equal(checkSubscription(value), want, value);
    else
      assert.throws(
        () => checkSubscription(value),
        badValue('--subscription', value, /subscription id \(GUID\) or its exact name/),
        value,
      );
  }
});

test('--resource: an account name (2-64, letters or digits at both ends) or its resource id', () => {
  const names: Array<[string, boolean]> = [
    ['contoso-aoai', true],
    ['ab', true],
    ['a.b_c-d', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['-contoso', false],
    ['contoso-', false],
    ['contoso.', false],
    ['', false],
    ['contoso aoai', false],
    ['-', false],
    ['_', false],
  ];
  for (const [name, ok] of names) {
    if (ok) assert.deepEqual(parseAccountRef(name), { kind: 'name', name }, name);
    else assert.throws(() => parseAccountRef(name), badValue('--resource', name, /an account name has 2-64/), name);
  }
  const ids: Array<[string, ReturnType<typeof parseAccountRef> | RegExp]> = [
    [ACCOUNT_ID, { kind: 'id', id: ACCOUNT_ID, subscriptionId: SUB, resourceGroup: 'rg-aoai', name: 'contoso-aoai' }],
    [
      `${ACCOUNT_ID}//`,
      { kind: 'id', id: ACCOUNT_ID, subscriptionId: SUB, resourceGroup: 'rg-aoai', name: 'contoso-aoai' },
    ],
    [
      ACCOUNT_ID.replace(SUB, SUB.toUpperCase().replace(/1/g, 'A')).replace(
        'Microsoft.CognitiveServices',
        'microsoft.cognitiveservices',
      ),
      {
        kind: 'id',
        id: ACCOUNT_ID.replace(SUB, SUB.toUpperCase().replace(/1/g, 'A')).replace(
          'Microsoft.CognitiveServices',
          'microsoft.cognitiveservices',
        ),
        subscriptionId: SUB.replace(/1/g, 'a'),
        resourceGroup: 'rg-aoai',
        name: 'contoso-aoai',
      },
    ],
    [RG_ID, /a resource id looks like \/subscriptions\/<guid>/],
    [IDENTITY_ID, /a resource id looks like/],
    [`${ACCOUNT_ID}/deployments/gpt`, /a resource id looks like/],
    [ACCOUNT_ID.replace(SUB, 'not-a-guid'), /a resource id looks like/],
    [`x${ACCOUNT_ID}`, /an account name has/],
    [`/x${ACCOUNT_ID}`, /a resource id looks like/],
    [ACCOUNT_ID.replace('contoso-aoai', 'contoso-'), /the account name part has 2-64/],
  ];
  for (const [id, want] of ids) {
    if (want instanceof RegExp) assert.throws(() => parseAccountRef(id), badValue('--resource', id, want), id);
    else assert.deepEqual(parseAccountRef(id), want, id);
  }
  // The group part follows the resource group rule, named as such.
  assert.throws(
    () => parseAccountRef(ACCOUNT_ID.replace('rg-aoai', 'rg.')),
    badValue('--resource (resource group part)', 'rg.', /resource group name/),
  );
});

test('--managed-identity: an identity name (3-128 letters, digits, hyphens or underscores) or its resource id', () => {
  const names: Array<[string, boolean]> = [
    ['id-app', true],
    ['id_app-2', true],
    ['abc', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['ab', false],
    ['-id-app', false],
    ['_id-app', false],
    ['id.app', false],
    ['', false],
  ];
  for (const [name, ok] of names) {
    if (ok) assert.deepEqual(parseIdentityRef(name), { kind: 'name', name }, name);
    else
      assert.throws(
        () => parseIdentityRef(name),
        badValue('--managed-identity', name, /an identity name has 3-128/),
        name,
      );
  }
  assert.deepEqual(parseIdentityRef(IDENTITY_ID), { kind: 'id', id: IDENTITY_ID });
  assert.deepEqual(parseIdentityRef(`${IDENTITY_ID}/`), { kind: 'id', id: IDENTITY_ID });
  assert.deepEqual(parseIdentityRef(`${IDENTITY_ID}//`), { kind: 'id', id: IDENTITY_ID });
  for (const id of [ACCOUNT_ID, `${IDENTITY_ID}/federatedIdentityCredentials/c`, RG_ID, `/x${IDENTITY_ID}`])
    assert.throws(() => parseIdentityRef(id), badValue('--managed-identity', id, /userAssignedIdentities\/<name>/), id);
  assert.throws(
    () => parseIdentityRef(IDENTITY_ID.replace('rg-aoai', 'rg.')),
    badValue('--managed-identity (resource group part)', 'rg.', /resource group name/),
  );
});

test('object ids are GUIDs, kept in lower case; anything else says how to look one up', () => {
  assert.equal(checkObjectId('55555555-AAAA-5555-5555-555555555555'), '55555555-aaaa-5555-5555-555555555555');
  for (const [value, flag] of [
    ['alice@contoso.com', '--assignee'],
    ['55555555-5555-5555-5555-55555555555', '--principal'],
  ] as const) {
    assert.throws(
      () => (flag === '--assignee' ? checkObjectId(value) : checkObjectId(value, flag)),
      (e: unknown) =>
        e instanceof UsageError &&
        e.code === 'bad-value' &&
        e.message === `${flag} ${JSON.stringify(value)} is not an object id (a GUID).` &&
        /az ad user show --id <upn> --query id -o tsv/.test(e.hint ?? ''),
    );
  }
});

test('--assignee-type: User, ServicePrincipal (also service-principal, sp) or Group, in any case', () => {
  const table: Array<[string, string | undefined]> = [
    ['User', 'User'],
    [' user ', 'User'],
    ['ServicePrincipal', 'ServicePrincipal'],
    ['service-principal', 'ServicePrincipal'],
    ['SP', 'ServicePrincipal'],
    ['group', 'Group'],
    ['ManagedIdentity', undefined],
    ['', undefined],
  ];
  for (const [value, want] of table) {
    if (want) assert.equal(parseAssigneeType(value), want, value);
    else
      assert.throws(
        () => parseAssigneeType(value),
        (e: unknown) =>
          e instanceof UsageError &&
          e.code === 'bad-value' &&
          e.message === `--assignee-type '${value}' is not one of User, ServicePrincipal, Group.` &&
          /--managed-identity/.test(e.hint ?? ''),
        value,
      );
  }
});

test('api versions are dated, optionally -preview', () => {
  const table: Array<[string, boolean]> = [
    ['2024-10-21', true],
    ['2025-04-01-preview', true],
    ['2024-10-21-beta', false],
    ['latest', false],
    ['v1', false],
    ['2024-1-21', false],
    ['x2024-10-21', false],
    ['2024-10-21-previewx', false],
    ['', false],
  ];
  for (const [value, ok] of table) {
    if (ok) assert.equal(checkApiVersion(value), value);
    else
      assert.throws(
        () => checkApiVersion(value),
        badValue('--api-version', value, /looks like 2024-10-21 or 2025-04-01-preview/),
        value,
      );
  }
  assert.throws(() => checkApiVersion('v1', '--classic-version'), badValue('--classic-version', 'v1', /api version/));
});
