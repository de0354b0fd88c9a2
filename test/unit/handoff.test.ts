// The role assignment handed to someone who may create it: every id filled in, the role by GUID, in the forms
// an Owner pastes. Forms: az role assignment create (--assignee-object-id, --assignee-principal-type: az 2.45
// role/_params.py), New-AzRoleAssignment (-ObjectId, -RoleDefinitionId, -Scope: Az.Resources reference), Bicep
// (learn.microsoft.com/azure/role-based-access-control/role-assignments-bicep: guid() name, scope: for an
// extension resource, subscriptionResourceId for the definition), and the portal's Access control (IAM) blade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  azCliCommand,
  bicepResource,
  handoffMarkdown,
  handoffText,
  portalLink,
  powerShellCommand,
  type HandoffRequest,
} from '../../src/azure/handoff.ts';
import { OPENAI_USER } from '../../src/azure/roles.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const TENANT = '22222222-2222-2222-2222-222222222222';
const OID = '55555555-5555-5555-5555-555555555555';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-aoai`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;
const ROLE = { name: OPENAI_USER.name, id: OPENAI_USER.id };

const request = (over: Partial<HandoffRequest> = {}): HandoffRequest => ({
  principalId: OID,
  principalType: 'User',
  principalName: 'alice@contoso.com',
  role: ROLE,
  scope: ACCOUNT,
  tenantId: TENANT,
  account: { id: ACCOUNT, name: 'contoso-aoai', endpoint: 'https://contoso-aoai.openai.azure.com/' },
  ...over,
});

test('the az and PowerShell commands name the principal, its type, the role by GUID and the scope', () => {
  const r = request({ principalType: 'ServicePrincipal', scope: RG });
  assert.equal(
    azCliCommand(r),
    `az role assignment create --assignee-object-id ${OID} --assignee-principal-type ServicePrincipal --role ${OPENAI_USER.id} --scope "${RG}"`,
  );
  assert.equal(
    powerShellCommand(r),
    `New-AzRoleAssignment -ObjectId ${OID} -RoleDefinitionId ${OPENAI_USER.id} -Scope "${RG}"`,
  );
});

test('Bicep: at the account, an existing-account reference and scope: account; above it, deployed at the group', () => {
  const assignment = (nameScope: string, scoped: boolean): string[] => [
    `resource openAiUserAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {`,
    `  name: guid(${nameScope}, '${OID}', '${OPENAI_USER.id}')`,
    ...(scoped ? ['  scope: account'] : []),
    '  properties: {',
    `    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${OPENAI_USER.id}')`,
    `    principalId: '${OID}'`,
    `    principalType: 'Group'`,
    '  }',
    '}',
  ];
  const atAccount = [
    `resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {`,
    `  name: 'contoso-aoai'`,
    '}',
    '',
    ...assignment('account.id', true),
  ];
  assert.deepEqual(bicepResource(request({ principalType: 'Group' })).split('\n'), atAccount);
  assert.deepEqual(
    bicepResource(request({ principalType: 'Group', scope: ACCOUNT.toUpperCase() })).split('\n'),
    atAccount,
    'the account scope in any case',
  );
  assert.deepEqual(
    bicepResource(request({ principalType: 'Group', scope: RG })).split('\n'),
    assignment('resourceGroup().id', false),
  );
});

test("the portal link: the endpoint's cloud's portal, the tenant when known, the scope's IAM blade", () => {
  const table: Array<[Partial<HandoffRequest>, string]> = [
    [{}, `https://portal.azure.com/#@${TENANT}/resource${ACCOUNT}/users`],
    [{ tenantId: undefined }, `https://portal.azure.com/#/resource${ACCOUNT}/users`],
    [{ tenantId: '' }, `https://portal.azure.com/#/resource${ACCOUNT}/users`],
    [{ scope: RG }, `https://portal.azure.com/#@${TENANT}/resource${RG}/users`],
    [
      { account: { id: ACCOUNT, name: 'contoso-aoai', endpoint: 'https://contoso-aoai.openai.azure.us/' } },
      `https://portal.azure.us/#@${TENANT}/resource${ACCOUNT}/users`,
    ],
    [
      { account: { id: ACCOUNT, name: 'contoso-aoai', endpoint: 'https://contoso-aoai.openai.azure.cn/' } },
      `https://portal.azure.cn/#@${TENANT}/resource${ACCOUNT}/users`,
    ],
    // No endpoint, or one of no known cloud (the local test server): the public portal.
    [
      { account: { id: ACCOUNT, name: 'contoso-aoai' } },
      `https://portal.azure.com/#@${TENANT}/resource${ACCOUNT}/users`,
    ],
    [
      { account: { id: ACCOUNT, name: 'contoso-aoai', endpoint: 'http://127.0.0.1:5000/contoso-aoai/' } },
      `https://portal.azure.com/#@${TENANT}/resource${ACCOUNT}/users`,
    ],
  ];
  for (const [over, link] of table) assert.equal(portalLink(request(over)), link, JSON.stringify(over));
});

test('the hand-off text: who asks for what, then each form, indented under its heading', () => {
  const r = request();
  assert.deepEqual(handoffText(r), [
    `Ask an Owner or User Access Administrator of the scope to grant "Cognitive Services OpenAI User" to alice@contoso.com (object id ${OID}, User):`,
    '',
    'Azure CLI:',
    `  ${azCliCommand(r)}`,
    '',
    'Azure PowerShell:',
    `  ${powerShellCommand(r)}`,
    '',
    'Bicep:',
    ...bicepResource(r)
      .split('\n')
      .map((l) => `  ${l}`),
    '',
    `Portal (Access control (IAM) > Add role assignment): ${portalLink(r)}`,
  ]);
  assert.match(
    handoffText(request({ principalName: undefined, principalType: 'ServicePrincipal' }))[0] ?? '',
    new RegExp(`to \\(object id ${OID}, ServicePrincipal\\):$`),
    'no name: the object id alone',
  );
});

test('the hand-off as Markdown (for an issue or a ticket): the role, its id, the scope, and fenced commands', () => {
  const r = request();
  assert.deepEqual(handoffMarkdown(r), [
    '### Role assignment request: Cognitive Services OpenAI User',
    '',
    `Please grant **Cognitive Services OpenAI User** (role id \`${OPENAI_USER.id}\`) to alice@contoso.com (object id ${OID}, User) at scope:`,
    '',
    `\`${ACCOUNT}\``,
    '',
    'It allows keyless (Microsoft Entra ID) calls to Azure OpenAI and nothing else (no keys, no management).',
    '',
    '**Azure CLI**',
    '```sh',
    azCliCommand(r),
    '```',
    '',
    '**Azure PowerShell**',
    '```powershell',
    powerShellCommand(r),
    '```',
    '',
    '**Bicep**',
    '```bicep',
    bicepResource(r),
    '```',
    '',
    `**Portal**: [Access control (IAM) > Add role assignment](${portalLink(r)})`,
  ]);
});
