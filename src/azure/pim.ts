// Privileged Identity Management for Azure resources (api-version 2020-10-01). An eligible assignment is not a
// role assignment (it is not in `az role assignment list`) until its holder activates it: a
// roleAssignmentScheduleRequest with requestType SelfActivate, linked to the eligibility schedule.
// Sources: azure-rest-api-specs Authorization 2020-10-01 examples GetRoleEligibilityScheduleInstancesByScope.json and
// PutRoleAssignmentScheduleRequest.json; Learn "Activate my Azure resource roles in PIM" (Activate a role with ARM API)
// and "Understand PIM APIs" (asTarget(): the caller's own eligibilities).
import { builtInPermissions, roleGrants, roleGuidOf, scopeIncludes } from './roles.ts';
import type { Permission } from './data-actions.ts';

export const PIM_API_VERSION = '2020-10-01';
/** The portal's "My roles > Azure resources" blade, where an eligible role is activated by hand. */
export const PIM_PORTAL_URL =
  'https://portal.azure.com/#view/Microsoft_Azure_PIMCommon/ActivationMenuBlade/~/azurerbac';
/** The longest activation most PIM policies allow by default (Learn: role settings, "Activation maximum duration" 8 hours). */
export const ACTIVATION_DURATION = 'PT8H';

export interface Eligibility {
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  roleEligibilityScheduleId: string;
  endDateTime: string | null;
}

export function eligibilitiesUrl(scope: string): string {
  return `${scope}/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?api-version=${PIM_API_VERSION}&$filter=asTarget()`;
}

export function parseEligibilities(body: unknown): Eligibility[] {
  const value = (body as { value?: unknown })?.value;
  if (!Array.isArray(value)) return [];
  return value.flatMap((v): Eligibility[] => {
    const p = (v as { properties?: Record<string, unknown> }).properties ?? {};
    const str = (k: string): string | null => (typeof p[k] === 'string' ? (p[k] as string) : null);
    const scope = str('scope');
    const roleDefinitionId = str('roleDefinitionId');
    const scheduleId = str('roleEligibilityScheduleId');
    if (!scope || !roleDefinitionId || !scheduleId || (str('status') ?? 'Provisioned') !== 'Provisioned') return [];
    return [
      {
        scope,
        roleDefinitionId,
        principalId: str('principalId') ?? '',
        roleEligibilityScheduleId: scheduleId,
        endDateTime: str('endDateTime'),
      },
    ];
  });
}

/** The eligibilities whose role grants the data action at the target scope (built-in roles by GUID, others by definition). */
export function coveringEligibilities(
  all: readonly Eligibility[],
  target: string,
  dataAction: string,
  definitions: ReadonlyMap<string, Permission[]> = new Map(),
): Eligibility[] {
  return all.filter(
    (e) =>
      scopeIncludes(e.scope, target) &&
      roleGrants(builtInPermissions(e.roleDefinitionId) ?? definitions.get(roleGuidOf(e.roleDefinitionId)), dataAction),
  );
}

export interface ActivationRequest {
  url: string;
  body: { properties: Record<string, unknown> };
}

/** The PUT that activates an eligibility for the caller (a new GUID names the request). */
export function activationRequest(
  e: Eligibility,
  principalId: string,
  justification: string,
  requestId: string,
): ActivationRequest {
  return {
    url: `${e.scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${requestId}?api-version=${PIM_API_VERSION}`,
    body: {
      properties: {
        principalId,
        roleDefinitionId: e.roleDefinitionId,
        requestType: 'SelfActivate',
        linkedRoleEligibilityScheduleId: e.roleEligibilityScheduleId,
        justification,
        scheduleInfo: { startDateTime: null, expiration: { type: 'AfterDuration', duration: ACTIVATION_DURATION } },
      },
    },
  };
}

/** The same activation as one `az rest` command a person can paste (single quotes around the JSON body). */
export function activationCommand(
  e: Eligibility,
  principalId: string,
  justification: string,
  requestId: string,
): string {
  const r = activationRequest(e, principalId, justification, requestId);
  return `az rest --method put --url "${r.url}" --body '${JSON.stringify(r.body).replace(/'/g, "'\\''")}'`;
}
