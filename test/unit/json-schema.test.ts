// The committed schema/<command>.schema.json files are what scripts/json-schema.mjs makes of
// src/contract/documents.ts today: a changed document type without a regenerated schema fails here. And the
// schemas hold the contract's rules: schemaVersion 1, the shared principal and role assignment, closed codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COMMANDS, renderSchemas, schemaPath } from '../../scripts/json-schema.mjs';
import { schemaErrors } from '../support/json-schema.ts';

test('the committed JSON Schemas are up to date with src/contract/documents.ts (node scripts/json-schema.mjs)', () => {
  const rendered = renderSchemas();
  assert.deepEqual(
    rendered.map((r) => r.command),
    COMMANDS.map((c) => c.command),
  );
  for (const { file, text } of rendered)
    assert.equal(readFileSync(schemaPath(file), 'utf8'), text, `schema/${file}.schema.json is stale`);
});

const early = (command: string, code: string) => ({
  schemaVersion: 1,
  ok: false,
  command,
  error: { code, message: 'm', hint: null },
});

test('every command takes the early-failure document: schemaVersion, ok false, command and a known error code', () => {
  for (const command of ['setup', 'verify', 'snippet', 'revoke', 'ci github']) {
    assert.deepEqual(schemaErrors(early(command, 'usage')), [], command);
    // An ARM code the tool has no word for comes through kebab-cased.
    assert.deepEqual(schemaErrors(early(command, 'authorization-failed')), [], command);
    assert.notDeepEqual(schemaErrors({ ...early(command, 'usage'), schemaVersion: 2 }), [], command);
    assert.notDeepEqual(schemaErrors(early(command, 'Not Kebab')), [], command);
  }
});

test('a snippet document: the code and its install line; no field the contract does not name', () => {
  const doc = { schemaVersion: 1, ok: true, command: 'snippet', lang: 'js', install: 'npm i openai', code: 'x' };
  assert.deepEqual(schemaErrors(doc), []);
  assert.deepEqual(schemaErrors({ ...doc, steps: [{ id: 'render', status: 'done', ms: 1 }] }), []);
  assert.notDeepEqual(schemaErrors({ ...doc, surprise: true }), []);
  assert.notDeepEqual(schemaErrors({ ...doc, install: undefined }), []);
});

test('revoke: the shared principal and role assignment shapes', () => {
  const doc = {
    schemaVersion: 1,
    ok: true,
    command: 'revoke',
    dryRun: false,
    status: 'deleted',
    principal: { objectId: 'o', type: 'User', name: 'alice', tenantId: 't' },
    role: { name: 'Cognitive Services OpenAI User', id: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd' },
    scope: '/subscriptions/s',
    roleAssignment: {
      id: '/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/a',
      role: 'Cognitive Services OpenAI User',
      roleId: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
      scope: '/subscriptions/s',
      status: 'deleted',
    },
    matched: ['a'],
    deleted: ['a'],
    untouched: [],
    accessRemains: [],
    notChecked: [],
  };
  assert.deepEqual(schemaErrors(doc), []);
  const { tenantId: _, ...withoutTenant } = doc.principal;
  assert.notDeepEqual(schemaErrors({ ...doc, principal: withoutTenant }), []);
  assert.notDeepEqual(schemaErrors({ ...doc, principal: { ...doc.principal, type: 'Robot' } }), []);
  const { roleId: __, ...withoutRoleId } = doc.roleAssignment;
  assert.notDeepEqual(schemaErrors({ ...doc, roleAssignment: withoutRoleId }), []);
});
