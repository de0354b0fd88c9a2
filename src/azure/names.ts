// What Azure accepts as names and ids, checked before any az call so a bad value fails fast with exit 2.
// Rules: learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
// (Microsoft.CognitiveServices accounts, resource groups, userAssignedIdentities, deployments).
import { UsageError } from '../errors.ts';
import { isGuid } from './roles.ts';

const RESOURCE_GROUP = /^[\p{L}\p{N}._()-]{1,90}$/u;
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}[A-Za-z0-9]$|^[A-Za-z0-9]$/;
const IDENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/;
const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// Subscription display names may hold spaces; never control characters or shell metacharacters.
const SUBSCRIPTION_NAME = /^[^\u0000-\u001f"'`$;|&<>\\]{1,64}$/;

export const ACCOUNT_RESOURCE_ID =
  /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([^/]+)\/providers\/Microsoft\.CognitiveServices\/accounts\/([^/]+)$/i;
export const IDENTITY_RESOURCE_ID =
  /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;

function bad(flag: string, value: string, rule: string): UsageError {
  return new UsageError(`${flag} ${JSON.stringify(value)} is not valid: ${rule}.`, {
    code: 'bad-value',
    hint: `Check the value of ${flag}.`,
  });
}

export function checkResourceGroup(value: string, flag = '--resource-group'): string {
  if (!RESOURCE_GROUP.test(value) || value.endsWith('.'))
    throw bad(
      flag,
      value,
      'a resource group name has 1-90 letters, digits, underscores, hyphens, periods or parentheses, and does not end in a period',
    );
  return value;
}

export function checkDeploymentName(value: string, flag = '--deployment'): string {
  if (!DEPLOYMENT_NAME.test(value))
    throw bad(flag, value, 'a deployment name has up to 64 letters, digits, hyphens, underscores or periods');
  return value;
}

export function checkSubscription(value: string): string {
  if (isGuid(value)) return value.toLowerCase();
  if (!SUBSCRIPTION_NAME.test(value) || value.trim() !== value)
    throw bad('--subscription', value, 'pass a subscription id (GUID) or its exact name');
  return value;
}

export type AccountRef =
  | { kind: 'id'; id: string; subscriptionId: string; resourceGroup: string; name: string }
  | { kind: 'name'; name: string };

export function parseAccountRef(value: string): AccountRef {
  if (value.startsWith('/')) {
    const m = ACCOUNT_RESOURCE_ID.exec(value.replace(/\/+$/, ''));
    if (!m)
      throw bad(
        '--resource',
        value,
        'a resource id looks like /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>',
      );
    // Stryker disable next-line StringLiteral: the id matched, so every group is set; the defaults only satisfy the type checker
    const [, sub = '', rg = '', name = ''] = m;
    checkResourceGroup(rg, '--resource (resource group part)');
    if (!ACCOUNT_NAME.test(name))
      throw bad('--resource', value, 'the account name part has 2-64 letters, digits, hyphens, underscores or periods');
    return { kind: 'id', id: value.replace(/\/+$/, ''), subscriptionId: sub.toLowerCase(), resourceGroup: rg, name };
  }
  if (!ACCOUNT_NAME.test(value))
    throw bad(
      '--resource',
      value,
      'an account name has 2-64 letters, digits, hyphens, underscores or periods (or pass its resource id)',
    );
  return { kind: 'name', name: value };
}

export type IdentityRef = { kind: 'id'; id: string } | { kind: 'name'; name: string };

export function parseIdentityRef(value: string): IdentityRef {
  if (value.startsWith('/')) {
    const id = value.replace(/\/+$/, '');
    const m = IDENTITY_RESOURCE_ID.exec(id);
    if (!m)
      throw bad(
        '--managed-identity',
        value,
        'a resource id looks like /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>',
      );
    // Stryker disable next-line StringLiteral: the id matched, so its group part is set
    checkResourceGroup(m[2] ?? '', '--managed-identity (resource group part)');
    return { kind: 'id', id };
  }
  if (!IDENTITY_NAME.test(value))
    throw bad(
      '--managed-identity',
      value,
      'an identity name has 3-128 letters, digits, hyphens or underscores (or pass its resource id)',
    );
  return { kind: 'name', name: value };
}

export function checkObjectId(value: string, flag = '--assignee'): string {
  if (!isGuid(value)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not an object id (a GUID).`, {
      code: 'bad-value',
      hint: 'Find it with `az ad user show --id <upn> --query id -o tsv`, `az ad sp show --id <app id> --query id -o tsv` or `az ad group show --group <name> --query id -o tsv`.',
    });
  }
  return value.toLowerCase();
}

export type AssigneeType = 'User' | 'ServicePrincipal' | 'Group';

export function parseAssigneeType(value: string): AssigneeType {
  const v = value.trim().toLowerCase();
  if (v === 'user') return 'User';
  if (v === 'serviceprincipal' || v === 'service-principal' || v === 'sp') return 'ServicePrincipal';
  if (v === 'group') return 'Group';
  throw new UsageError(`--assignee-type '${value}' is not one of User, ServicePrincipal, Group.`, {
    code: 'bad-value',
    hint: 'A managed identity or an app is a ServicePrincipal; pass --managed-identity <name> for a user-assigned identity.',
  });
}

export function checkApiVersion(value: string, flag = '--api-version'): string {
  if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(value))
    throw bad(flag, value, 'an api version looks like 2024-10-21 or 2025-04-01-preview');
  return value;
}
