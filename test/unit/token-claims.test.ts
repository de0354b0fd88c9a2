// What an access token says about its principal: who signed in (user, service principal, managed identity),
// under which name, and until when. Tokens are the pretend Azure's (test/support/tokens.mjs: the claims Entra ID
// issues in a v1 access token) or payloads with the claims Learn's "Access token claims reference"
// (learn.microsoft.com/entra/identity-platform/access-token-claims-reference) lists: idtyp is an optional claim
// ("app" or "user"), scp is only in delegated (user) tokens, exp is a NumericDate in seconds (RFC 7519 4.1.4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTokenClaims } from '../../src/entra/token-claims.ts';
import { mintToken } from '../support/tokens.mjs';

const TENANT = '22222222-2222-2222-2222-222222222222';
const OID = '55555555-5555-5555-5555-555555555555';
const AUD = 'https://cognitiveservices.azure.com';
/** Azure CLI's public client id: the appid of every token az gets for a user. */
const AZ_CLI_APP = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const MI_ID =
  '/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-ci/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app';

/** A token with exactly these claims (header and signature as Entra ID's shape; the signature is never checked). */
const tokenWith = (claims: Record<string, unknown>): string =>
  `${Buffer.from('{"typ":"JWT","alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

test('a user, a service principal and a managed identity, as their tokens say', () => {
  const now = 1_767_000_000;
  const user = mintToken({
    audience: AUD,
    tenantId: TENANT,
    objectId: OID,
    type: 'user',
    name: 'alice@contoso.com',
    nowSeconds: now,
  });
  const sp = mintToken({
    audience: AUD,
    tenantId: TENANT,
    objectId: OID,
    type: 'servicePrincipal',
    appId: 'a1b2c3d4-0000-4000-8000-000000000001',
    nowSeconds: now,
  });
  const mi = mintToken({
    audience: AUD,
    tenantId: TENANT,
    objectId: OID,
    type: 'managedIdentity',
    appId: 'a1b2c3d4-0000-4000-8000-000000000002',
    miResourceId: MI_ID,
    nowSeconds: now,
  });
  assert.deepEqual(decodeTokenClaims(user.token), {
    objectId: OID,
    tenantId: TENANT,
    name: 'alice@contoso.com',
    appId: AZ_CLI_APP,
    audience: AUD,
    expiresAt: new Date((now + 3600) * 1000),
    principalType: 'User',
    managedIdentityResourceId: undefined,
  });
  assert.deepEqual(decodeTokenClaims(sp.token), {
    objectId: OID,
    tenantId: TENANT,
    name: 'a1b2c3d4-0000-4000-8000-000000000001',
    appId: 'a1b2c3d4-0000-4000-8000-000000000001',
    audience: AUD,
    expiresAt: new Date((now + 3600) * 1000),
    principalType: 'ServicePrincipal',
    managedIdentityResourceId: undefined,
  });
  const m = decodeTokenClaims(mi.token);
  assert.equal(m?.principalType, 'ServicePrincipal');
  assert.equal(m?.managedIdentityResourceId, MI_ID);
  assert.equal(m?.name, 'a1b2c3d4-0000-4000-8000-000000000002', 'an identity is named by its app (client) id');
});

test('exp is seconds since the epoch: a token valid for another hour is not called expired', () => {
  const now = Math.floor(Date.now() / 1000);
  const t = mintToken({ audience: AUD, tenantId: TENANT, objectId: OID, type: 'user', name: 'a@b', nowSeconds: now });
  const exp = decodeTokenClaims(t.token)?.expiresAt;
  assert.ok(exp instanceof Date);
  assert.equal(exp.getTime(), t.expiresOn * 1000);
  assert.ok(exp.getTime() > Date.now(), 'still valid');
  assert.equal(decodeTokenClaims(tokenWith({ oid: OID, exp: '1767000000' }))?.expiresAt, undefined, 'a non-number exp');
  assert.equal(decodeTokenClaims(tokenWith({ oid: OID }))?.expiresAt, undefined, 'no exp');
});

test('user or application: idtyp when the token has it, else scp (only delegated tokens carry scopes)', () => {
  const table: Array<[string, Record<string, unknown>, 'User' | 'ServicePrincipal']> = [
    ['idtyp user', { idtyp: 'user', scp: 'user_impersonation' }, 'User'],
    ['idtyp user without scp', { idtyp: 'user' }, 'User'],
    ['idtyp app', { idtyp: 'app' }, 'ServicePrincipal'],
    ['idtyp app beside scp: idtyp decides', { idtyp: 'app', scp: 'user_impersonation' }, 'ServicePrincipal'],
    // v1 tokens without the optional idtyp claim (AzureAD/microsoft-authentication-library-for-js#3819 shows one with it)
    ['no idtyp, scp', { scp: 'user_impersonation' }, 'User'],
    ['no idtyp, no scp (app-only)', { roles: ['Task.Read'] }, 'ServicePrincipal'],
    ['an empty idtyp is no idtyp', { idtyp: '', scp: 'user_impersonation' }, 'User'],
    ['an empty scp is no scopes', { scp: '' }, 'ServicePrincipal'],
  ];
  for (const [why, claims, type] of table)
    assert.equal(decodeTokenClaims(tokenWith({ oid: OID, ...claims }))?.principalType, type, why);
});

test("a user's name: upn, else unique_name, else preferred_username, else email; an app's: appid, else azp", () => {
  const user = { idtyp: 'user', scp: 'user_impersonation' };
  const app = { idtyp: 'app' };
  const table: Array<[string, Record<string, unknown>, string | undefined, string | undefined]> = [
    // why, claims, name, appId
    [
      'upn first',
      { ...user, upn: 'u@x', unique_name: 'n@x', preferred_username: 'p@x', email: 'e@x' },
      'u@x',
      undefined,
    ],
    ['unique_name (guests have no upn)', { ...user, unique_name: 'n@x', preferred_username: 'p@x' }, 'n@x', undefined],
    ['preferred_username (v2 tokens)', { ...user, preferred_username: 'p@x', email: 'e@x' }, 'p@x', undefined],
    ['email last', { ...user, email: 'e@x' }, 'e@x', undefined],
    ['an empty upn is no upn', { ...user, upn: '', email: 'e@x' }, 'e@x', undefined],
    ['a user is not named by its client app', { ...user, appid: AZ_CLI_APP }, undefined, AZ_CLI_APP],
    ['appid (v1)', { ...app, appid: 'app-1', azp: 'app-2', upn: 'u@x' }, 'app-1', 'app-1'],
    ['azp (v2)', { ...app, azp: 'app-2' }, 'app-2', 'app-2'],
    ['nothing to name it by', { ...app }, undefined, undefined],
  ];
  for (const [why, claims, name, appId] of table) {
    const c = decodeTokenClaims(tokenWith({ oid: OID, ...claims }));
    assert.equal(c?.name, name, why);
    assert.equal(c?.appId, appId, why);
  }
});

test('claims of the wrong type or empty are absent, not shown', () => {
  const c = decodeTokenClaims(tokenWith({ oid: 42, tid: '', aud: ['x'], xms_mirid: null, idtyp: 'app' }));
  assert.deepEqual(
    [c?.objectId, c?.tenantId, c?.audience, c?.managedIdentityResourceId],
    [undefined, undefined, undefined, undefined],
  );
});

test('what is not a JWT decodes to nothing (never an exception)', () => {
  for (const token of ['', 'opaque-token', 'a..c', `x.${Buffer.from('not json').toString('base64url')}.y`])
    assert.equal(decodeTokenClaims(token), undefined, JSON.stringify(token));
});
