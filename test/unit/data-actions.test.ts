// How Azure RBAC matches an action against a role's permissions: `*` matches any characters, case does not
// matter, everything else is literal, and notActions / notDataActions subtract within their own block only
// (Learn "Understand Azure role definitions"; the permissions API returns one block per role: AZURE-FACTS E.3).
// Blocks as ARM's permissions API returns them (GET .../providers/Microsoft.Authorization/permissions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionMatches, allows, toPermission } from '../../src/azure/data-actions.ts';

const CHAT = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';

test('patterns: * for any characters (slashes included), any case, the rest literal', () => {
  const table: Array<[string, string, boolean]> = [
    [CHAT, CHAT, true],
    [CHAT.toUpperCase(), CHAT, true],
    ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/*', CHAT, true],
    ['Microsoft.CognitiveServices/*/chat/completions/action', CHAT, true],
    ['*/action', CHAT, true],
    ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat', CHAT, false],
    ['accounts/OpenAI/deployments/chat/completions/action', CHAT, false],
    // Regex characters in a pattern are literal: '.' is a dot, not any character
    [
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
      CHAT.replace('Microsoft.', 'MicrosoftX'),
      false,
    ],
    ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/actio?', CHAT, false],
    ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/(chat)/completions/action', CHAT, false],
    ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/[ch]hat/completions/action', CHAT, false],
    ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat|x', CHAT, false],
    ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action+', CHAT, false],
    ['^Microsoft.CognitiveServices/*', CHAT, false],
    ['Microsoft.CognitiveServices/*$', CHAT, false],
    ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action\\', CHAT, false],
    ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/{x}', CHAT, false],
  ];
  for (const [pattern, action, match] of table)
    assert.equal(actionMatches(pattern, action), match, `${pattern} ~ ${action}`);
  assert.equal(actionMatches('a/b+', 'a/b+'), true, 'a literal + matches itself');
  assert.equal(actionMatches('a/(b)', 'a/(b)'), true, 'literal parentheses match themselves');
  assert.equal(actionMatches('a/[b]', 'a/[b]'), true, 'literal brackets match themselves');
});

test('data actions and control-plane actions are separate lists; a block excludes only for itself', () => {
  const block = toPermission({
    actions: ['Microsoft.CognitiveServices/*/read'],
    notActions: [],
    dataActions: ['Microsoft.CognitiveServices/*'],
    notDataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/*'],
  });
  assert.equal(allows([block], CHAT, 'data'), false, 'notDataActions removes chat');
  assert.equal(
    allows([block], 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action', 'data'),
    true,
  );
  assert.equal(allows([block], CHAT, 'action'), false, 'a data action is not a control-plane action');
  assert.equal(allows([block], 'Microsoft.CognitiveServices/accounts/read', 'action'), true);
  assert.equal(
    allows([block], 'Microsoft.CognitiveServices/accounts/read', 'data'),
    true,
    'the data list grants */read too',
  );
  const other = toPermission({ dataActions: [CHAT] });
  assert.equal(allows([block, other], CHAT, 'data'), true, 'another block grants what this one excludes');
  assert.equal(allows([], CHAT, 'data'), false, 'no blocks, nothing allowed');
  const reader = toPermission({ actions: ['*/read'], notActions: ['Microsoft.CognitiveServices/accounts/read'] });
  assert.equal(allows([reader], 'Microsoft.CognitiveServices/accounts/read', 'action'), false, 'notActions subtract');
  assert.equal(allows([reader], 'Microsoft.Resources/subscriptions/read', 'action'), true);
  const dataOnlyExclusion = toPermission({ actions: ['*'], notDataActions: ['*'] });
  assert.equal(
    allows([dataOnlyExclusion], 'Microsoft.Resources/subscriptions/read', 'action'),
    true,
    'notDataActions leave actions alone',
  );
});

test('an ARM permission block with missing or odd lists reads as empty lists of strings', () => {
  assert.deepEqual(toPermission({}), { actions: [], notActions: [], dataActions: [], notDataActions: [] });
  assert.deepEqual(
    toPermission({ actions: ['a', 1, null], notActions: 'b', dataActions: ['c'], notDataActions: ['d'] }),
    { actions: ['a'], notActions: [], dataActions: ['c'], notDataActions: ['d'] },
  );
});
