// An eligible (PIM) assignment that would grant the access: the user activates it, with a justification,
// rather than asking an admin. In the wizard setup offers to do it; in CI `--activate --justification "..."`.
// The activation is a roleAssignmentScheduleRequest (pim.ts); its policy may refuse it (400
// RoleAssignmentRequestPolicyValidationFailed: JustificationRule, MfaRule, TicketingRule; AZURE-FACTS E.4).
import { randomUUID } from 'node:crypto';
import type { Az } from '../az/az.ts';
import type { Context } from '../context.ts';
import { AppError, NotAllowedError } from '../errors.ts';
import { builtInRole, describeScope } from '../azure/roles.ts';
import { PIM_PORTAL_URL, activationCommand, activationRequest, type Eligibility } from '../azure/pim.ts';
import type { AccessCheck } from './effective-access.ts';
import type { Principal } from './principal.ts';
import type { RoleAssignmentOutcome } from './role-assignment.ts';

function roleName(e: Eligibility): string {
  return builtInRole(e.roleDefinitionId)?.name ?? e.roleDefinitionId.split('/').pop() ?? e.roleDefinitionId;
}

export async function activateEligibility(
  ctx: Context,
  az: Az,
  p: {
    check: AccessCheck;
    principal: Principal;
    outcome: RoleAssignmentOutcome;
    activate: boolean;
    justification: string | undefined;
  },
): Promise<RoleAssignmentOutcome> {
  const e = p.check.eligible[0];
  if (!e) return p.outcome;
  ctx.out.info(
    `You are eligible for ${roleName(e)} at ${describeScope(e.scope, p.outcome.scope)} through Privileged Identity Management (PIM).`,
  );
  let justification = p.justification?.trim();
  if (!p.activate) {
    const yes =
      ctx.interactive &&
      (await ctx.prompter.confirm({ message: `Activate ${roleName(e)} now (for up to 8 hours)?`, default: true }));
    if (!yes) return p.outcome;
    justification ||= (
      await ctx.prompter.input({
        message: 'Justification (PIM records it)',
        flag: '--justification',
        what: 'The justification',
        validate: (v) => (v.trim() ? true : 'PIM needs a reason'),
      })
    ).trim();
  }
  const req = activationRequest(e, p.principal.objectId, justification ?? '', randomUUID());
  try {
    await ctx.out.task(`Activating ${roleName(e)}`, () => az.rest({ method: 'put', url: req.url, body: req.body }));
  } catch (err) {
    if (!(err instanceof AppError) || err.exitCode === 3) throw err;
    throw new NotAllowedError(`PIM refused to activate ${roleName(e)}: ${err.message}`, {
      code: 'pim-activation-failed',
      hint: `Activate it in the portal, where its policy (approval, MFA, ticket) is shown: ${PIM_PORTAL_URL}`,
    });
  }
  ctx.out.success(`Activated ${roleName(e)} at ${e.scope} (PIM): nothing else to create.`);
  return { ...p.outcome, id: req.url.split('?')[0] ?? null, status: 'activated' };
}

/** Exit 4 without an admin hand-off: the user can switch the role on. */
export function activationNeeded(
  check: AccessCheck,
  principal: Principal,
  scope: string,
  envPath: string,
): NotAllowedError {
  const e = check.eligible[0];
  const name = e ? roleName(e) : 'the role';
  return new NotAllowedError(
    `You are eligible for ${name} at ${e ? describeScope(e.scope, scope) : scope} through PIM, but it is not active: nothing was created.`,
    {
      code: 'pim-activation-needed',
      hint: `${envPath} is written. Activate the role, then run \`aoai-keyless verify --wait 10m\` to finish.`,
      details: [
        `Activate it in the portal: ${PIM_PORTAL_URL}`,
        'or let setup do it:',
        '  npx aoai-keyless setup --activate --justification "<why you need it>"',
        ...(e
          ? [
              'or with the Azure CLI:',
              `  ${activationCommand(e, principal.objectId, '<why you need it>', randomUUID())}`,
            ]
          : []),
      ],
    },
  );
}
