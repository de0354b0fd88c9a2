// The data-plane roles of Azure OpenAI and the scopes a role assignment can have.
// Role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning
import { UsageError } from '../errors.ts';

export interface RoleDefinition {
  name: string;
  id: string;
}

export const OPENAI_USER: RoleDefinition = { name: 'Cognitive Services OpenAI User', id: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd' };
export const OPENAI_CONTRIBUTOR: RoleDefinition = { name: 'Cognitive Services OpenAI Contributor', id: 'a001fd3d-188f-4b5d-821b-7da978bf7442' };
/** Its data actions are Microsoft.CognitiveServices/*, which include chat completions. */
const COGNITIVE_SERVICES_USER: RoleDefinition = { name: 'Cognitive Services User', id: 'a97b65f3-24c7-4388-baec-2e87135dc908' };

export const KNOWN_ROLES: readonly RoleDefinition[] = [OPENAI_USER, OPENAI_CONTRIBUTOR];

/** Roles whose data actions include everything the given role grants, so holding one means nothing to create. */
const COVERED_BY: Record<string, readonly string[]> = {
  [OPENAI_USER.id]: [OPENAI_USER.id, OPENAI_CONTRIBUTOR.id, COGNITIVE_SERVICES_USER.id],
  [OPENAI_CONTRIBUTOR.id]: [OPENAI_CONTRIBUTOR.id],
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(s: string): boolean {
  return GUID.test(s);
}

/** --role: a known role's name (any case) or a role definition GUID. */
export function parseRole(value: string | undefined): RoleDefinition {
  if (value === undefined) return OPENAI_USER;
  const v = value.trim();
  const known = KNOWN_ROLES.find((r) => r.name.toLowerCase() === v.toLowerCase() || r.id === v.toLowerCase());
  if (known) return known;
  if (isGuid(v)) return { name: v.toLowerCase(), id: v.toLowerCase() };
  throw new UsageError(`--role '${value}' is not a role for Azure OpenAI.`, {
    code: 'bad-role',
    hint: `Use one of: ${KNOWN_ROLES.map((r) => `"${r.name}"`).join(', ')}, or a role definition GUID.`,
  });
}

export function roleGuidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.split('/').pop() ?? '').toLowerCase();
}

export function roleCovers(held: string, wanted: RoleDefinition): boolean {
  const guid = roleGuidOf(held);
  return (COVERED_BY[wanted.id] ?? [wanted.id]).includes(guid);
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

export function scopeFor(level: ScopeLevel, account: { id: string; subscriptionId: string; resourceGroup: string }): string {
  switch (level) {
    case 'resource':
      return account.id;
    case 'resource-group':
      return `/subscriptions/${account.subscriptionId}/resourceGroups/${account.resourceGroup}`;
    case 'subscription':
      return `/subscriptions/${account.subscriptionId}`;
  }
}

/** Is `held` the target scope or one of its parents (an assignment there is inherited)? */
export function scopeIncludes(held: string, target: string): boolean {
  const h = held.toLowerCase().replace(/\/+$/, '');
  const t = target.toLowerCase().replace(/\/+$/, '');
  return t === h || t.startsWith(`${h}/`) || h === '';
}
