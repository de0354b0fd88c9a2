// The data-plane roles of Azure OpenAI and Foundry, known by role definition GUID (names get renamed:
// "Azure AI User" became "Foundry User" in 2026, same GUID), and the scopes a role assignment can have.
// Role definitions: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning
// (Cognitive Services OpenAI User / Contributor, Cognitive Services User) and Learn "Role-based access control for
// Microsoft Foundry" (the Azure AI User JSON: actions as Cognitive Services User's plus Microsoft.Resources/deployments/*,
// dataActions Microsoft.CognitiveServices/*).
import { isGuid, parseResourceId, resourceGroupId, subscriptionId } from '../contract/azure-ids.ts';
import { UsageError } from '../errors.ts';
import { allows, type Permission } from './data-actions.ts';

export interface RoleDefinition {
  name: string;
  id: string;
}

interface BuiltInRole extends RoleDefinition {
  /** Other names the same GUID has had. */
  aliases?: readonly string[];
  dataActions: readonly string[];
}

export const OPENAI_USER: BuiltInRole = {
  name: 'Cognitive Services OpenAI User',
  id: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  dataActions: [
    'Microsoft.CognitiveServices/accounts/OpenAI/*/read',
    'Microsoft.CognitiveServices/accounts/OpenAI/engines/completions/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/engines/search/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/engines/generate/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/search/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/completions/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/extensions/chat/completions/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action',
    'Microsoft.CognitiveServices/accounts/OpenAI/images/generations/action',
  ],
};
export const OPENAI_CONTRIBUTOR: BuiltInRole = {
  name: 'Cognitive Services OpenAI Contributor',
  id: 'a001fd3d-188f-4b5d-821b-7da978bf7442',
  dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'],
};
export const COGNITIVE_SERVICES_USER: BuiltInRole = {
  name: 'Cognitive Services User',
  id: 'a97b65f3-24c7-4388-baec-2e87135dc908',
  dataActions: ['Microsoft.CognitiveServices/*'],
};
export const AZURE_AI_USER: BuiltInRole = {
  name: 'Azure AI User',
  aliases: ['Foundry User'],
  id: '53ca6127-db72-4b80-b1b0-d745d6d5456d',
  dataActions: ['Microsoft.CognitiveServices/*'],
};
/** Control-plane roles with no data actions: holding one never calls a model (the common surprise). */
const OWNER: BuiltInRole = { name: 'Owner', id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', dataActions: [] };
const CONTRIBUTOR: BuiltInRole = { name: 'Contributor', id: 'b24988ac-6180-42a0-ab88-20f7382dd24c', dataActions: [] };

export const KNOWN_ROLES: readonly BuiltInRole[] = [
  OPENAI_USER,
  OPENAI_CONTRIBUTOR,
  COGNITIVE_SERVICES_USER,
  AZURE_AI_USER,
];
const BUILT_IN: readonly BuiltInRole[] = [...KNOWN_ROLES, OWNER, CONTRIBUTOR];

/** The data action a chat completion on a deployment needs, by its `properties.model.format`. */
export const OPENAI_CHAT_ACTION = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';
/** Models that are not OpenAI's are served as Models-as-a-Service: the data plane's 401 names this action (AZURE-FACTS E.5). */
export const MAAS_CHAT_ACTION = 'Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action';

export function isOpenAIFormat(format: string | undefined): boolean {
  return format === undefined || format === '' || format.toLowerCase() === 'openai';
}

export function dataActionFor(format: string | undefined): string {
  return isOpenAIFormat(format) ? OPENAI_CHAT_ACTION : MAAS_CHAT_ACTION;
}

export interface RoleChoice {
  role: RoleDefinition;
  /** Why this role: shown in the output and in --json. */
  reason: string;
  dataAction: string;
}

/**
 * The least-privileged built-in role that calls the model. OpenAI models: Cognitive Services OpenAI User. Other
 * formats need the MaaS data actions, which no OpenAI role has; of the built-in roles that grant them (dataActions
 * Microsoft.CognitiveServices/*), Cognitive Services User has the fewest actions: Azure AI User / Foundry User adds
 * Microsoft.Resources/deployments/* (ARM template deployments). Learn's Foundry Entra ID guide recommends it too.
 */
export function roleForModel(format: string | undefined, override?: RoleDefinition): RoleChoice {
  const dataAction = dataActionFor(format);
  if (override) return { role: override, reason: '--role', dataAction };
  if (isOpenAIFormat(format)) {
    return {
      role: OPENAI_USER,
      dataAction,
      reason: `an OpenAI model: ${OPENAI_USER.name} is the least role whose data actions call it`,
    };
  }
  return {
    role: COGNITIVE_SERVICES_USER,
    dataAction,
    reason: `a ${format} model (not OpenAI's) needs ${MAAS_CHAT_ACTION}, which the OpenAI roles lack; ${COGNITIVE_SERVICES_USER.name} is the least-privileged built-in role that grants it`,
  };
}

export { isGuid };

/** --role: a known role's name or former name (any case), or a role definition GUID. Always kept as the GUID. */
export function parseRole(value: string | undefined): RoleDefinition | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  // Stryker disable next-line ArrayDeclaration: the mutant only gives a role without former names Stryker's placeholder as one
  const known = KNOWN_ROLES.find((r) => [r.name, ...(r.aliases ?? [])].some((n) => n.toLowerCase() === v));
  if (known) return { name: known.name, id: known.id };
  // A GUID, a known role's included: named by the built-in role it is.
  if (isGuid(v)) return { name: builtInRole(v)?.name ?? v, id: v };
  throw new UsageError(`--role '${value}' is not a role for Azure OpenAI.`, {
    code: 'bad-role',
    hint: `Use one of: ${KNOWN_ROLES.map((r) => `"${r.name}"`).join(', ')}, or a role definition GUID.`,
  });
}

export function roleGuidOf(roleDefinitionId: string): string {
  // Stryker disable next-line StringLiteral: split() returns at least one element, so pop() always has one
  return (roleDefinitionId.split('/').pop() ?? '').toLowerCase();
}

export function builtInRole(guidOrId: string): BuiltInRole | undefined {
  const guid = roleGuidOf(guidOrId);
  return BUILT_IN.find((r) => r.id === guid);
}

/** The permissions of a built-in role as the role definition lists them (data actions only matter here). */
export function builtInPermissions(guidOrId: string): Permission[] | undefined {
  const r = builtInRole(guidOrId);
  return r ? [{ actions: [], notActions: [], dataActions: [...r.dataActions], notDataActions: [] }] : undefined;
}

/** Does a role (by its permissions) grant the data action? Unknown permissions: no. */
export function roleGrants(permissions: readonly Permission[] | undefined, dataAction: string): boolean {
  return permissions !== undefined && allows(permissions, dataAction, 'data');
}

export type ScopeLevel = 'resource' | 'resource-group' | 'subscription';
export const SCOPE_LEVELS: readonly ScopeLevel[] = ['resource', 'resource-group', 'subscription'];

export function parseScopeLevel(value: string | undefined): ScopeLevel {
  if (value === undefined) return 'resource';
  const v = value.trim().toLowerCase();
  if ((SCOPE_LEVELS as readonly string[]).includes(v)) return v as ScopeLevel;
  throw new UsageError(`--scope '${value}' is not one of ${SCOPE_LEVELS.join(', ')}.`, {
    code: 'bad-scope',
    hint: '--scope resource (the default) grants access to this one account: least privilege.',
  });
}

export function scopeFor(
  level: ScopeLevel,
  account: { id: string; subscriptionId: string; resourceGroup: string },
): string {
  switch (level) {
    case 'resource':
      return account.id;
    case 'resource-group':
      return resourceGroupId(account.subscriptionId, account.resourceGroup);
    case 'subscription':
      return subscriptionId(account.subscriptionId);
  }
}

// Stryker disable next-line MethodExpression: both sides of every comparison go through it; upper case compares the same
const trim = (s: string): string => s.toLowerCase().replace(/\/+$/, '');

/**
 * Is `held` the target scope or one of its parents (an assignment there is inherited)? A plain string comparison
 * on path segments: az's `re.match(assignment.scope, scope)` treats `rg(dev)` as a pattern. A management group
 * (or the root "/") contains every subscription below it: ARM's atScope() list only returns those above the target.
 */
export function scopeIncludes(held: string, target: string): boolean {
  const h = trim(held);
  const t = trim(target);
  // The root ("/", trimmed to "") is the prefix of every path.
  return t === h || t.startsWith(`${h}/`) || isManagementGroupScope(h);
}

const MANAGEMENT_GROUP = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/i;

export function isManagementGroupScope(scope: string): boolean {
  return MANAGEMENT_GROUP.test(scope.replace(/\/+$/, ''));
}

/** "the resource", "resource group rg-aoai", "subscription <id>", "management group mg-corp", "the root". */
export function describeScope(scope: string, target: string): string {
  const s = scope.replace(/\/+$/, '');
  if (s === '') return 'the root management group';
  const mg = MANAGEMENT_GROUP.exec(s);
  if (mg) return `management group ${mg[1]}`;
  if (trim(s) === trim(target) && /\/providers\//i.test(s)) return 'the resource';
  const id = parseResourceId(s);
  if (id?.resourceGroup !== undefined && id.name === undefined) return `resource group ${id.resourceGroup}`;
  if (id && id.resourceGroup === undefined) return `subscription ${id.subscriptionId}`;
  return s;
}
