// The role assignment written out for someone who may create it (an Owner or User Access Administrator),
// with every id filled in: as an Azure CLI command, an Azure PowerShell line, a Bicep resource and a portal link.
import { PUBLIC_CLOUD, cloudOfEndpoint } from '../entra/clouds.ts';
import type { RoleDefinition } from './roles.ts';

export interface HandoffRequest {
  principalId: string;
  principalType: 'User' | 'ServicePrincipal' | 'Group';
  principalName: string | undefined;
  role: RoleDefinition;
  scope: string;
  tenantId: string | undefined;
  account: { id: string; name: string; endpoint?: string | undefined };
}

/** By role definition GUID, as PowerShell and Bicep below: a role's name changes (Azure AI User became Foundry User) and `--role "<old name>"` then fails (Azure-Samples/tutor#242). */
export function azCliCommand(r: HandoffRequest): string {
  return [
    'az role assignment create',
    `--assignee-object-id ${r.principalId}`,
    `--assignee-principal-type ${r.principalType}`,
    `--role ${r.role.id}`,
    `--scope "${r.scope}"`,
  ].join(' ');
}

export function powerShellCommand(r: HandoffRequest): string {
  return `New-AzRoleAssignment -ObjectId ${r.principalId} -RoleDefinitionId ${r.role.id} -Scope "${r.scope}"`;
}

/** Deployed at the account's resource group; guid() keeps the assignment's name stable, so re-deploying is idempotent. */
export function bicepResource(r: HandoffRequest): string {
  const atAccount = r.scope.toLowerCase() === r.account.id.toLowerCase();
  return [
    ...(atAccount
      ? [
          `resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {`,
          `  name: '${r.account.name}'`,
          `}`,
          ``,
        ]
      : []),
    `resource openAiUserAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {`,
    `  name: guid(${atAccount ? 'account.id' : 'resourceGroup().id'}, '${r.principalId}', '${r.role.id}')`,
    ...(atAccount ? [`  scope: account`] : []),
    `  properties: {`,
    `    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${r.role.id}')`,
    `    principalId: '${r.principalId}'`,
    `    principalType: '${r.principalType}'`,
    `  }`,
    `}`,
  ].join('\n');
}

export function portalLink(r: HandoffRequest): string {
  const portal = (r.account.endpoint ? cloudOfEndpoint(r.account.endpoint) : undefined)?.portal ?? PUBLIC_CLOUD.portal;
  return `${portal}/#${r.tenantId ? `@${r.tenantId}` : ''}/resource${r.scope}/users`;
}

function who(r: HandoffRequest): string {
  return `${r.principalName ? `${r.principalName} ` : ''}(object id ${r.principalId}, ${r.principalType})`;
}

export function handoffText(r: HandoffRequest): string[] {
  return [
    `Ask an Owner or User Access Administrator of the scope to grant "${r.role.name}" to ${who(r)}:`,
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
  ];
}

export function handoffMarkdown(r: HandoffRequest): string[] {
  return [
    `### Role assignment request: ${r.role.name}`,
    '',
    `Please grant **${r.role.name}** (role id \`${r.role.id}\`) to ${who(r)} at scope:`,
    '',
    `\`${r.scope}\``,
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
  ];
}
