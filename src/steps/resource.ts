// The Azure OpenAI resource: --resource (name or id), else the endpoint already in the environment or
// .env, else a pick (interactive) or the only candidate. Accounts without a custom subdomain stop here:
// their regional endpoint cannot take Entra tokens.
import type { CognitiveAccount } from '../az/az.ts';
import type { Context } from '../context.ts';
import { AzureError, UsageError } from '../errors.ts';
import {
  customDomainCommand,
  hasCustomSubdomain,
  hostsOpenAI,
  matchAccount,
  openAIEndpoint,
} from '../azure/openai-account.ts';
import type { Resolved } from '../resolve.ts';
import { accountReadiness, blockedText } from '../azure/account-readiness.ts';

export interface ChosenResource {
  account: CognitiveAccount;
  endpoint: string;
}

export function label(a: CognitiveAccount): string {
  return `${a.name}  (${a.resourceGroup}, ${a.location}, ${a.kind})  ${openAIEndpoint(a) ?? ''}`;
}

/** From a list of the subscription's accounts: by name, by a known endpoint, by a pick, or the only one. */
export async function chooseAccount(
  ctx: Pick<Context, 'prompter' | 'out'>,
  accounts: readonly CognitiveAccount[],
  want: { name?: string; endpoint?: Resolved<string> | undefined; subscriptionId: string },
): Promise<{ account: CognitiveAccount; source: 'flag' | 'environment' | 'env-file' | 'prompt' | 'default' }> {
  const candidates = accounts.filter(hostsOpenAI);
  if (want.name !== undefined) {
    const named = accounts.filter((a) => a.name.toLowerCase() === want.name?.toLowerCase());
    if (named.length === 1 && named[0]) return { account: named[0], source: 'flag' };
    if (named.length > 1) {
      const rg = await ctx.prompter.select({
        message: `Several accounts are named ${want.name}; which resource group?`,
        what: `The resource group of ${want.name}`,
        flag: '--resource-group',
        choices: named.map((a) => ({ name: a.resourceGroup, value: a.resourceGroup })),
      });
      const a = named.find((x) => x.resourceGroup === rg);
      if (a) return { account: a, source: 'prompt' };
    }
    throw new AzureError(`No Cognitive Services account named ${want.name} in subscription ${want.subscriptionId}.`, {
      code: 'resource-not-found',
      hint:
        candidates.length > 0
          ? 'Pass one of the accounts listed below with --resource (and --resource-group).'
          : 'Check the name and --subscription.',
      details: candidates.map(label),
    });
  }
  if (want.endpoint) {
    const byEndpoint = matchAccount(candidates, want.endpoint.value);
    if (byEndpoint)
      return { account: byEndpoint, source: want.endpoint.source === 'env-file' ? 'env-file' : 'environment' };
    ctx.out.warn(
      `AZURE_OPENAI_ENDPOINT ${want.endpoint.value} (${want.endpoint.source === 'env-file' ? '.env' : 'environment'}) matches no account in subscription ${want.subscriptionId}; choosing another.`,
    );
  }
  if (candidates.length === 0) {
    throw new AzureError(
      `Subscription ${want.subscriptionId} has no Azure OpenAI account (kind OpenAI or AIServices).`,
      {
        code: 'no-openai-account',
        hint: 'Create one with a custom subdomain, or pass --subscription: `az cognitiveservices account create --name <name> --resource-group <group> --kind AIServices --sku S0 --location <region> --custom-domain <name>`',
      },
    );
  }
  return pickAccount(ctx, candidates, want.subscriptionId);
}

/** The list tells the truth before the choice: accounts that cannot take a token are shown, not selectable. */
async function pickAccount(
  ctx: Pick<Context, 'prompter' | 'out'>,
  candidates: readonly CognitiveAccount[],
  subscriptionId: string,
): Promise<{ account: CognitiveAccount; source: 'prompt' | 'default' }> {
  const rated = candidates.map((a) => ({ account: a, ...accountReadiness(a) }));
  const ready = rated.filter((r) => !r.blocked);
  if (ready.length === 0) {
    const first = rated[0]?.blocked;
    const which =
      candidates.length === 1
        ? 'The only Azure OpenAI account'
        : `None of the ${candidates.length} Azure OpenAI accounts`;
    throw new AzureError(
      `${which} in subscription ${subscriptionId} ${candidates.length === 1 ? 'cannot' : 'can'} take Microsoft Entra ID tokens.`,
      {
        code: 'no-usable-account',
        hint: first ? first.fix : 'Pass another account with --resource, or --subscription.',
        details: rated.map((r) => `${label(r.account)}  ${r.blocked ? blockedText(r.blocked) : ''}`),
      },
    );
  }
  const only = ready[0];
  if (only && (candidates.length === 1 || (ready.length === 1 && !ctx.prompter.interactive))) {
    for (const r of rated.filter((x) => x.blocked))
      ctx.out.warn(`Skipped ${r.account.name}: ${r.blocked ? blockedText(r.blocked) : ''}`);
    return { account: only.account, source: 'default' };
  }
  // The usable ones first, the cursor on the first of them (inquirer starts on the first choice, disabled or not).
  const listed = [...ready, ...rated.filter((r) => r.blocked)];
  const id = await ctx.prompter.select({
    message: 'Azure OpenAI resource',
    what: 'The Azure OpenAI resource',
    flag: '--resource',
    default: only?.account.id,
    choices: listed.map((r) => ({
      name: label(r.account),
      value: r.account.id,
      ...(r.blocked ? { disabled: blockedText(r.blocked) } : {}),
      ...(r.warnings.length > 0 ? { description: `Warning: ${r.warnings.join('; ')}.` } : {}),
    })),
  });
  const picked = ready.find((r) => r.account.id === id);
  if (!picked) throw new UsageError('No resource was chosen.', { code: 'missing-input' });
  return { account: picked.account, source: 'prompt' };
}

/** The rules an account must meet before anything is assigned: right kind, custom subdomain, an endpoint. */
export function checkAccount(account: CognitiveAccount): ChosenResource {
  if (!hostsOpenAI(account)) {
    throw new AzureError(
      `${account.name} is a ${account.kind} account; Azure OpenAI needs kind OpenAI or AIServices.`,
      {
        code: 'not-an-openai-account',
        hint: 'Pass the Azure OpenAI (or Azure AI services) account with --resource.',
      },
    );
  }
  if (!hasCustomSubdomain(account)) {
    throw new AzureError(
      `${account.name} has no custom subdomain: its endpoint ${account.endpoint ?? '(none)'} is a regional one, which accepts only API keys, not Microsoft Entra ID tokens.`,
      {
        code: 'regional-endpoint',
        hint: `Give it a custom subdomain (this cannot be undone, and the endpoint URL changes), then run this again: ${customDomainCommand(account)}`,
      },
    );
  }
  const endpoint = openAIEndpoint(account);
  if (!endpoint)
    throw new AzureError(`Azure reports no endpoint for ${account.name}.`, {
      code: 'no-endpoint',
      hint: `Check the account in the portal: ${account.id}`,
    });
  return { account, endpoint };
}
