// Whether an account can take the signed-in developer's Microsoft Entra ID token at all, told before
// anyone picks it: the pick list shows every Azure OpenAI account, the ones that cannot work greyed out
// with the reason and the fix, and warnings beside the ones whose network rules may refuse the caller.
import type { CognitiveAccount } from '../az/az.ts';
import { customDomainCommand, hasCustomSubdomain } from './openai-account.ts';

export interface AccountReadiness {
  /** Why it cannot be chosen, and the fix (a sentence, then the command); undefined when it can. */
  blocked: { reason: string; fix: string } | undefined;
  /** It can be chosen, but calls may be refused. */
  warnings: string[];
}

export function accountReadiness(a: CognitiveAccount): AccountReadiness {
  const warnings: string[] = [];
  // publicNetworkAccess and networkAcls.defaultAction (ARM account properties; az prints them as is).
  if (a.publicNetworkAccess?.toLowerCase() === 'disabled')
    warnings.push('public network access is disabled: calls must come through its private endpoint');
  else if (a.networkDefaultAction?.toLowerCase() === 'deny')
    warnings.push('its network rules deny by default: only the networks and IP addresses it lists get through');
  return { blocked: blockedBecause(a), warnings };
}

function blockedBecause(a: CognitiveAccount): AccountReadiness['blocked'] {
  if (!hasCustomSubdomain(a)) {
    // Regional endpoints take API keys only: local (key) auth is the only way in
    // (learn.microsoft.com/azure/ai-services/authentication#authenticate-with-microsoft-entra-id).
    return {
      reason: 'no custom subdomain, so its regional endpoint takes API keys only, not Entra ID tokens',
      fix: `Give it a custom subdomain (this cannot be undone; the endpoint URL changes): ${customDomainCommand(a)}`,
    };
  }
  const state = a.provisioningState;
  if (state !== undefined && state.toLowerCase() !== 'succeeded') {
    return {
      reason: `Azure reports it as ${state}, not Succeeded`,
      fix: 'Wait until Azure has finished with it, then run this again.',
    };
  }
  return undefined;
}

/** One line for a list or an error: the reason, then the fix. */
export function blockedText(b: NonNullable<AccountReadiness['blocked']>): string {
  return `not selectable: ${b.reason}. ${b.fix}`;
}
