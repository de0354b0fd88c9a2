// Which subscription: --subscription, else AZURE_SUBSCRIPTION_ID, else a pick among several (interactive),
// else az's current one. The id and tenant come from the token response, so no `az account show` is needed.
import type { Subscription } from '../az/az.ts';
import type { Context } from '../context.ts';
import type { Resolved } from '../resolve.ts';

export interface ChosenSubscription {
  id: string;
  name: string | null;
  tenantId: string;
}

/** Interactive and several subscriptions enabled: ask, with az's current one first. Undefined keeps the current. */
export async function pickSubscription(
  ctx: Pick<Context, 'prompter'>,
  subscriptions: readonly Subscription[],
  currentId: string | undefined,
): Promise<Subscription | undefined> {
  const enabled = subscriptions.filter((s) => s.state === undefined || s.state === 'Enabled');
  if (enabled.length < 2) return enabled.find((s) => s.id === currentId) ?? enabled[0];
  const ordered = [...enabled].sort(
    (a, b) => Number(b.id === currentId) - Number(a.id === currentId) || a.name.localeCompare(b.name),
  );
  const id = await ctx.prompter.select({
    message: 'Subscription',
    what: 'The subscription',
    flag: '--subscription',
    choices: ordered.map((s) => ({
      name: `${s.name}  ${s.id}${s.id === currentId ? '  (current)' : ''}`,
      value: s.id,
    })),
    ...(currentId === undefined ? {} : { default: currentId }),
  });
  return enabled.find((s) => s.id === id);
}

export function subscriptionName(
  requested: Resolved<string> | undefined,
  listed: Subscription | undefined,
): string | null {
  if (listed) return listed.name;
  // A name passed as --subscription is the name; a GUID says nothing more.
  if (requested && !/^[0-9a-f-]{36}$/i.test(requested.value)) return requested.value;
  return null;
}
