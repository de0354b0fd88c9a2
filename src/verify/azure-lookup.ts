// What az can add to a diagnosis: the account behind the endpoint (its resource id for the role
// assignment command, the endpoint az reports) and its deployments. Best effort only: verify must work
// where az is absent or signed in elsewhere (a managed identity in Azure, a CI job with only a token),
// so every failure here just means a less specific hint.
import type { Az, CognitiveAccount } from '../az/az.ts';
import { isChatDeployment, matchAccount, openAIEndpoint } from '../azure/openai-account.ts';
import type { AccountFacts, DeploymentFacts } from './diagnose.ts';

export interface AzureLookup {
  accountForEndpoint(endpoint: string): Promise<AccountFacts | undefined>;
  deployments(account: AccountFacts): Promise<DeploymentFacts[] | undefined>;
}

export function createAzureLookup(az: Az): AzureLookup {
  let accounts: Promise<CognitiveAccount[] | undefined> | undefined;
  return {
    async accountForEndpoint(endpoint) {
      accounts ??= az.cognitiveAccountList().catch(() => undefined);
      const list = await accounts;
      const match = list ? matchAccount(list, endpoint) : undefined;
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

function toFacts(a: CognitiveAccount): AccountFacts {
  return { id: a.id, name: a.name, resourceGroup: a.resourceGroup, subscriptionId: a.subscriptionId, endpoint: openAIEndpoint(a) };
}
