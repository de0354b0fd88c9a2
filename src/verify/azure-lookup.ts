// What az can add to a diagnosis: the account behind the endpoint (its resource id for the role
// assignment command, the endpoint az reports) and its deployments. Best effort only: verify must work
// where az is absent or signed in elsewhere (a managed identity in Azure, a CI job with only a token),
// so every failure here just means a less specific hint.
import type { Az, CognitiveAccount } from '../az/az.ts';
import { hostsOpenAI, isChatDeployment, openAIEndpoint } from '../azure/openai-account.ts';
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

/**
 * The account whose endpoint the given one is, or is under. Hosts decide for real endpoints (the custom
 * subdomain is unique); a path prefix decides where one host serves several accounts (a gateway, the
 * local test server), so https://h/acct/ matches https://h/acct/extra/ but not https://h/other/.
 */
export function matchAccount(accounts: readonly CognitiveAccount[], endpoint: string): CognitiveAccount | undefined {
  const target = parse(endpoint);
  if (!target) return undefined;
  let best: { account: CognitiveAccount; len: number } | undefined;
  for (const a of accounts.filter(hostsOpenAI)) {
    const candidates = [openAIEndpoint(a), a.endpoint, ...Object.values(a.endpoints)].filter((e): e is string => typeof e === 'string');
    for (const c of candidates) {
      const e = parse(c);
      if (!e || e.host !== target.host) continue;
      if (!(target.path === e.path || target.path.startsWith(`${e.path}/`) || e.path === '')) continue;
      if (!best || e.path.length > best.len) best = { account: a, len: e.path.length };
    }
  }
  return best?.account;
}

function parse(u: string): { host: string; path: string } | undefined {
  try {
    const url = new URL(u);
    return { host: url.host.toLowerCase(), path: url.pathname.replace(/\/+$/, '').toLowerCase() };
  } catch {
    return undefined;
  }
}

function toFacts(a: CognitiveAccount): AccountFacts {
  return { id: a.id, name: a.name, resourceGroup: a.resourceGroup, subscriptionId: a.subscriptionId, endpoint: openAIEndpoint(a) };
}
