// The role assignment: decided by effective access (effective-access.ts), created only when access is truly
// missing. A re-run makes no write, a user who holds the role through a group gets "existing" with the group
// named, and one who is eligible through PIM is told to activate rather than to ask an admin.
import type { AccessFrom, RoleAssignmentOutcome as RoleAssignmentDocument } from '../contract/documents.ts';
import type { Az, CognitiveAccount, Deployment } from '../az/az.ts';
import type { IdentityOutcome } from './federated-identity.ts';
import { InternalError, NotAllowedError, PrerequisiteError } from '../errors.ts';
import {
  builtInRole,
  roleForModel,
  roleGuidOf,
  scopeFor,
  scopeIncludes,
  type RoleChoice,
  type RoleDefinition,
  type ScopeLevel,
} from '../azure/roles.ts';
import { commandLine } from './actions-variables.ts';
import { identityAsPrincipal } from './principal.ts';
import { describeRoute, type AccessRoute } from '../azure/effective-access.ts';
import type { Eligibility } from '../azure/pim.ts';
import { checkAccess, listAssignmentsFor, type AccessCheck } from './effective-access.ts';
import type { Principal } from './principal.ts';
import type { Context } from '../context.ts';
import type { ChosenSubscription } from './subscription.ts';
import { need, type Step } from './pipeline.ts';
import { azCliCommand, type HandoffRequest } from '../azure/handoff.ts';
import { activateEligibility } from './pim-activation.ts';
import { reSignIn } from './sign-in.ts';

export type { AccessFrom };

/** The document's role assignment (src/contract/documents.ts), and the re-sign-in an 'mfa-required' write needs. */
export interface RoleAssignmentOutcome extends RoleAssignmentDocument {
  /** Set with status 'mfa-required': the re-sign-in az asks for before Resource Manager accepts the write. */
  signIn?: PrerequisiteError;
}

/** The outcome as --json gives it: the re-sign-in a refused write needs is an error for the exit, not data. */
export function roleAssignmentDocument(role: RoleAssignmentOutcome): RoleAssignmentDocument {
  const { signIn: _signIn, ...document } = role;
  return document;
}

export function accessFrom(r: AccessRoute): AccessFrom {
  return {
    role: r.roleName,
    roleId: r.roleId,
    scope: r.scope,
    via: r.via,
    ...(r.via === 'group' ? { groupId: r.principalId, groupName: r.groupName ?? null } : {}),
    assignmentId: r.assignmentId,
    description: describeRoute(r),
  };
}

/** The outcome before any change: what the check found, for the role chosen at the scope. */
export function outcomeOf(check: AccessCheck, choice: RoleChoice, scope: string): RoleAssignmentOutcome {
  const base = {
    role: choice.role.name,
    roleId: choice.role.id,
    scope,
    reason: choice.reason,
    dataAction: choice.dataAction,
    checkedWith: check.checkedWith,
    notChecked: check.notChecked,
  };
  if (check.covered) {
    const first = check.routes[0];
    return {
      ...base,
      id: first?.assignmentId ?? null,
      status: 'existing',
      ...(first && first.scope.toLowerCase() !== scope.toLowerCase() && scopeIncludes(first.scope, scope)
        ? { inheritedFrom: first.scope }
        : {}),
      ...(first && first.roleId !== choice.role.id ? { heldRole: first.roleName } : {}),
      accessFrom: check.routes.map(accessFrom),
    };
  }
  if (check.eligible.length > 0)
    return { ...base, id: null, status: 'eligible', eligible: check.eligible.map(eligibleEntry) };
  return { ...base, id: null, status: check.canWriteRoleAssignments === false ? 'denied' : 'planned' };
}

function eligibleEntry(e: Eligibility): NonNullable<RoleAssignmentOutcome['eligible']>[number] {
  const guid = (e.roleDefinitionId.split('/').pop() ?? '').toLowerCase();
  return { role: builtInRole(guid)?.name ?? guid, roleId: guid, scope: e.scope, endDateTime: e.endDateTime };
}

/** "Access exists: Cognitive Services OpenAI User through group ai-team, at resource group rg-aoai." */
export function describeAccess(o: RoleAssignmentOutcome): string {
  const routes = o.accessFrom ?? [];
  if (routes.length === 0) return 'your effective permissions already include it (the route could not be listed)';
  return routes.map((r) => r.description).join('; ');
}

interface CreateRequest {
  principal: Principal;
  choice: RoleChoice;
  scope: string;
  subscription: string;
  planned: RoleAssignmentOutcome;
  tenant?: string | undefined;
}

export async function createAssignment(az: Az, p: CreateRequest): Promise<RoleAssignmentOutcome> {
  try {
    // Always by role definition GUID: role names get renamed (Azure AI User -> Foundry User).
    const a = await az.roleAssignmentCreate(
      {
        objectId: p.principal.objectId,
        principalType: p.principal.type,
        role: p.choice.role.id,
        scope: p.scope,
        tenant: p.tenant,
      },
      { subscription: p.subscription },
    );
    if (isFor(a, p)) return { ...p.planned, id: a.id, status: 'created' };
    return { ...p.planned, id: await ownExisting(az, p), status: 'existing' };
  } catch (e) {
    if (e instanceof NotAllowedError) return { ...p.planned, id: null, status: 'denied' };
    // Mandatory MFA on Resource Manager writes (2025): the .env is still written, as for a denied write.
    if (e instanceof PrerequisiteError && e.code === 'mfa-required')
      return { ...p.planned, id: null, status: 'mfa-required', signIn: e };
    throw e;
  }
}

/** Is `a` this principal's assignment of this role at this scope? */
function isFor(a: { principalId: string; roleDefinitionId: string; scope: string }, p: CreateRequest): boolean {
  const same = (x: string, y: string): boolean => x.toLowerCase() === y.toLowerCase();
  return (
    same(a.principalId, p.principal.objectId) &&
    roleGuidOf(a.roleDefinitionId) === p.choice.role.id.toLowerCase() &&
    same(a.scope, p.scope)
  );
}

/**
 * On a 409 RoleAssignmentExists az answers with the first assignment of the role at the scope, re-listed without
 * the assignee when given --assignee-object-id (role/custom.py create_role_assignment): possibly another
 * principal's. Ours is then looked up by object id, so `revoke` later removes ours and no one else's.
 */
async function ownExisting(az: Az, p: CreateRequest): Promise<string> {
  const list = await listAssignmentsFor(az, p.principal.objectId, p.scope);
  const mine = list.find((x) => isFor(x, p));
  if (!mine)
    throw new InternalError(
      `\`az role assignment create\` answered with another principal's assignment at ${p.scope}, and none is ${p.principal.objectId}'s.`,
      { code: 'az-output' },
    );
  return mine.id;
}

/**
 * Effective access first, then a new assignment only when access is truly missing (planned on a dry run): the
 * whole role step in one call, for commands other than setup (ci github). The rules stay here and in
 * effective-access.ts, so a change to how existing access is found applies to every command.
 */
export async function ensureRoleAssignment(
  az: Az,
  p: {
    principal: Principal;
    me: Principal;
    choice: RoleChoice;
    resource: string;
    scope: string;
    subscription: string;
    tenant?: string | undefined;
  },
  opts: { dryRun: boolean },
): Promise<RoleAssignmentOutcome> {
  const check = await checkAccess(az, {
    principal: p.principal,
    me: p.me,
    resource: p.resource,
    scope: p.scope,
    dataAction: p.choice.dataAction,
  });
  const planned = outcomeOf(check, p.choice, p.scope);
  if (planned.status !== 'planned' || opts.dryRun) return planned;
  return createAssignment(az, {
    principal: p.principal,
    choice: p.choice,
    scope: p.scope,
    subscription: p.subscription,
    planned,
    tenant: p.tenant,
  });
}

/** What setup's role-assignment step reads: the access check's verdict and who, what and where. */
export interface RoleAssignmentState {
  principal?: Principal;
  account?: CognitiveAccount;
  subscription?: ChosenSubscription;
  choice?: RoleChoice;
  scope?: string;
  check?: AccessCheck;
  planned?: RoleAssignmentOutcome;
  handoff?: HandoffRequest;
  /** What the step did (or, on a dry run, would do). */
  role?: RoleAssignmentOutcome;
}

export type RoleAssignmentContext = Context & {
  az: Az;
  flags: { scope: string };
  options: { activate?: boolean | undefined; justification?: string | undefined };
};

/**
 * setup's one write in Azure: the role assignment the access check found missing (or the PIM activation of an
 * eligible one). Refused until the user signs in with MFA, the wizard offers az's re-sign-in and writes again.
 */
export function roleAssignmentStep(): Step<RoleAssignmentContext, RoleAssignmentState> {
  return {
    id: 'role-assignment',
    title: 'Create the role assignment',
    change: true,
    plan(_ctx, s) {
      const planned = need(s.planned, 'access check');
      return { lines: [plannedRoleLine(planned, need(s.handoff, 'hand-off'))], patch: { role: planned } };
    },
    async run(ctx, s) {
      const planned = need(s.planned, 'access check');
      if (planned.status === 'existing') {
        ctx.out.success(`Access exists, nothing to create: ${describeAccess(planned)}.`);
        return { role: planned };
      }
      if (planned.status === 'eligible') {
        const role = await activateEligibility(ctx, ctx.az, {
          check: need(s.check, 'access check'),
          principal: need(s.principal, 'principal'),
          outcome: planned,
          activate: ctx.options.activate === true,
          justification: ctx.options.justification,
        });
        return { role };
      }
      if (planned.status !== 'planned') return { role: planned };
      return { role: await createWithSignIn(ctx, s, planned) };
    },
  };
}

async function createWithSignIn(
  ctx: RoleAssignmentContext,
  s: Readonly<RoleAssignmentState>,
  planned: RoleAssignmentOutcome,
): Promise<RoleAssignmentOutcome> {
  const subscription = need(s.subscription, 'subscription');
  const choice = need(s.choice, 'role');
  const scope = need(s.scope, 'scope');
  const assign = () =>
    ctx.out.task(`Assigning ${choice.role.name} at ${ctx.flags.scope} scope`, () =>
      createAssignment(ctx.az, {
        principal: need(s.principal, 'principal'),
        choice,
        scope,
        subscription: need(s.account, 'resource').subscriptionId,
        planned,
        tenant: subscription.tenantId,
      }),
    );
  let role = await assign();
  // Refused until the user signs in with MFA: in the wizard, az's own re-sign-in now, then the write once more.
  if (role.signIn && (await reSignIn(ctx, ctx.az, role.signIn, subscription.tenantId))) role = await assign();
  if (role.status === 'created')
    ctx.out.success(`Created the role assignment ${role.id?.split('/').pop() ?? ''} at ${scope}`);
  return role;
}

/** The dry run's line for the role: none needed, activate, or the az command that creates it. */
function plannedRoleLine(planned: RoleAssignmentOutcome, handoff: HandoffRequest): string {
  if (planned.status === 'existing') return `Role assignment: none needed, access exists: ${describeAccess(planned)}.`;
  if (planned.status === 'eligible')
    return 'Role assignment: none; activate your eligible PIM assignment (setup --activate --justification "...").';
  return `Run: ${azCliCommand(handoff)}`;
}

/** What ci github's role-assignment step reads: the identity (none yet on a dry run that creates it) and the model. */
export interface IdentityRoleState {
  account?: CognitiveAccount;
  me?: Principal;
  subscription?: ChosenSubscription;
  deployment?: Deployment;
  identity?: IdentityOutcome & { name: string; resourceGroup: string };
  role?: RoleAssignmentOutcome;
}

export type IdentityRoleContext = Pick<Context, 'out'> & {
  az: Az;
  flags: { role: RoleDefinition | undefined; scope: ScopeLevel };
};

/**
 * ci github's write of the role: the role the model needs (or --role) for the managed identity, judged by effective
 * access as setup does. A dry run (or an identity still to be created) stops at the plan: the command that creates it.
 */
export function identityRoleAssignmentStep(): Step<IdentityRoleContext, IdentityRoleState> {
  return {
    id: 'role-assignment',
    title: 'Assign the role to the managed identity',
    change: true,
    async plan(ctx, s) {
      const role = await identityRole(ctx, s, true);
      const principalId = need(s.identity, 'identity').identity?.principalId;
      const name = need(s.identity, 'identity').name;
      const lines = role.status === 'planned' ? [roleCommand(principalId ?? `<principal id of ${name}>`, role)] : [];
      return { lines, patch: { role } };
    },
    async run(ctx, s) {
      return { role: await identityRole(ctx, s, false) };
    },
  };
}

async function identityRole(
  ctx: IdentityRoleContext,
  s: Readonly<IdentityRoleState>,
  dryRun: boolean,
): Promise<RoleAssignmentOutcome> {
  const [account, { identity: mi, name }] = [need(s.account, 'resource'), need(s.identity, 'identity')];
  const scope = scopeFor(ctx.flags.scope, account);
  const choice = roleForModel(need(s.deployment, 'deployment').format, ctx.flags.role);
  if (!mi) return plannedOutcome(choice, scope);
  return ctx.out.task(`${choice.role.name} for ${name} at ${ctx.flags.scope} scope`, () =>
    ensureRoleAssignment(
      ctx.az,
      {
        principal: identityAsPrincipal(mi),
        me: need(s.me, 'me'),
        choice,
        resource: account.id,
        scope,
        subscription: account.subscriptionId,
        tenant: need(s.subscription, 'subscription').tenantId,
      },
      { dryRun },
    ),
  );
}

function plannedOutcome(choice: RoleChoice, scope: string): RoleAssignmentOutcome {
  return {
    id: null,
    role: choice.role.name,
    roleId: choice.role.id,
    scope,
    status: 'planned',
    reason: choice.reason,
    dataAction: choice.dataAction,
  };
}

/** The assignment as ci github creates it: by the role's GUID, to the identity's principal id as a ServicePrincipal. */
export function roleCommand(principalId: string, role: RoleAssignmentOutcome): string {
  return commandLine('az', [
    'role',
    'assignment',
    'create',
    '--assignee-object-id',
    principalId,
    '--assignee-principal-type',
    'ServicePrincipal',
    '--role',
    role.roleId,
    '--scope',
    role.scope,
  ]);
}
