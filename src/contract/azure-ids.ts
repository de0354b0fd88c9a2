// Azure's identifiers: GUIDs (subscription, tenant, object, client and role definition ids) and Resource Manager
// ids (/subscriptions/<s>/resourceGroups/<g>/providers/<namespace>/<type>/<name>). The one place that splits or
// builds them; ARM compares both without regard to case.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(s: string): boolean {
  return GUID.test(s);
}

/** The provider types the tool names, as ARM spells them. */
export const ACCOUNT_TYPE = 'Microsoft.CognitiveServices/accounts';
export const IDENTITY_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';

/** A subscription, a resource group in it, or a top-level resource in that group. */
export interface ResourceId {
  subscriptionId: string;
  resourceGroup?: string;
  /** `Microsoft.CognitiveServices/accounts`, as written in the id. */
  type?: string;
  name?: string;
}

// Segments are anything but '/': Azure validates them, the tool only splits. A trailing slash is tolerated.
const RESOURCE_ID =
  /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+)(?:\/providers\/([^/]+\/[^/]+)\/([^/]+))?)?\/*$/i;

/** Splits a subscription, resource group or top-level resource id; undefined for anything else. */
export function parseResourceId(id: string): ResourceId | undefined {
  const m = RESOURCE_ID.exec(id);
  if (!m) return undefined;
  const [, subscriptionId = '', resourceGroup, type, name] = m;
  return {
    subscriptionId,
    ...(resourceGroup !== undefined ? { resourceGroup } : {}),
    ...(type !== undefined && name !== undefined ? { type, name } : {}),
  };
}

/** A resource of one type (e.g. ACCOUNT_TYPE): its subscription, group and name; undefined for any other id. */
export function parseResourceIdOf(
  id: string,
  type: string,
): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const r = parseResourceId(id);
  if (r?.resourceGroup === undefined || r.name === undefined || r.type?.toLowerCase() !== type.toLowerCase())
    return undefined;
  return { subscriptionId: r.subscriptionId, resourceGroup: r.resourceGroup, name: r.name };
}

/** The resource group an id sits in (a group's own id included), or undefined at subscription level. */
export function resourceGroupOf(id: string): { subscriptionId: string; resourceGroup: string } | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)/i.exec(id);
  return m ? { subscriptionId: m[1] ?? '', resourceGroup: m[2] ?? '' } : undefined;
}

export function subscriptionId(subscription: string): string {
  return `/subscriptions/${subscription}`;
}

export function resourceGroupId(subscription: string, resourceGroup: string): string {
  return `${subscriptionId(subscription)}/resourceGroups/${resourceGroup}`;
}

export function resourceId(subscription: string, resourceGroup: string, type: string, name: string): string {
  return `${resourceGroupId(subscription, resourceGroup)}/providers/${type}/${name}`;
}
