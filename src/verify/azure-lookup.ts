// What az can add to a diagnosis: the account behind the endpoint (its resource id for the role
// assignment command, the endpoint az reports) and its deployments. Best effort only: verify must work
// where az is absent or signed in elsewhere (a managed identity in Azure, a CI job with only a token),
// so every failure here just means a less specific hint.
import type { Az, CognitiveAccount, Subscription } from '../az/az.ts';
import { isChatDeployment, matchAccount, openAIEndpoint } from '../azure/openai-account.ts';
import type { AccountFacts, DeploymentFacts } from './diagnose.ts';

export interface AzureLookup {
  accountForEndpoint(endpoint: string): Promise<AccountFacts | undefined>;
  deployments(account: AccountFacts): Promise<DeploymentFacts[] | undefined>;
}

/** At most this many other subscriptions are searched, concurrently, when the default one lacks the account. */
const MAX_OTHER_SUBSCRIPTIONS = 8;

export function createAzureLookup(az: Az): AzureLookup {
  let accounts: Promise<CognitiveAccount[] | undefined> | undefined;
  let subscriptions: Promise<Subscription[]> | undefined;
  return {
    async accountForEndpoint(endpoint) {
      // The profile's subscriptions are read alongside (no Azure call): the endpoint's account is often
      // in another subscription than the default one, and the diagnosis needs its resource id.
      subscriptions ??= az.accountList().catch(() => []);
      accounts ??= az.cognitiveAccountList().catch(() => undefined);
      const list = await accounts;
      const match =
        (list ? matchAccount(list, endpoint) : undefined) ??
        (await inOtherSubscriptions(az, await subscriptions, endpoint));
      return match ? toFacts(match) : undefined;
    },
    async deployments(account) {
      try {
        const ds = await az.deploymentList(account, { subscription: account.subscriptionId });
        return ds.map((d) => ({ name: d.name, model: d.model, chat: isChatDeployment(d) }));
      } catch {
        return undefined;
      }
    },
  };
}

/** The endpoint's account in the other enabled subscriptions az can see, each listed concurrently. */
async function inOtherSubscriptions(
  az: Az,
  subscriptions: readonly Subscription[],
  endpoint: string,
): Promise<CognitiveAccount | undefined> {
  const others = subscriptions
    .filter((s) => !s.isDefault && (s.state ?? 'Enabled') === 'Enabled')
    .slice(0, MAX_OTHER_SUBSCRIPTIONS);
  const lists = await Promise.all(others.map((s) => az.cognitiveAccountList({ subscription: s.id }).catch(() => [])));
  return matchAccount(lists.flat(), endpoint);
}

function toFacts(a: CognitiveAccount): AccountFacts {
  return {
    id: a.id,
    name: a.name,
    resourceGroup: a.resourceGroup,
    subscriptionId: a.subscriptionId,
    endpoint: openAIEndpoint(a),
  };
}
