// Which Cognitive Services accounts can serve Azure OpenAI with Entra tokens, and at which endpoint.
import type { CognitiveAccount, Deployment } from '../az/az.ts';

/** Kinds that host Azure OpenAI models: classic Azure OpenAI and the Foundry (AI services) multi-service kind. */
export const OPENAI_KINDS = ['OpenAI', 'AIServices'] as const;

export function hostsOpenAI(account: Pick<CognitiveAccount, 'kind'>): boolean {
  return OPENAI_KINDS.some((k) => k.toLowerCase() === account.kind.toLowerCase());
}

// Regional endpoints (https://eastus.api.cognitive.microsoft.com/) accept only API keys:
// token auth needs a custom subdomain (learn.microsoft.com/azure/ai-services/authentication#authenticate-with-microsoft-entra-id).
const REGIONAL_HOST = /\.api\.cognitive\.(microsoft\.com|microsoft\.us|azure\.cn)$/i;

export function hasCustomSubdomain(account: Pick<CognitiveAccount, 'customSubDomainName' | 'endpoint'>): boolean {
  if (!account.customSubDomainName) return false;
  try {
    // Stryker disable next-line StringLiteral: any text that is not a URL throws here, as '' does
    return !REGIONAL_HOST.test(new URL(account.endpoint ?? '').hostname);
  } catch {
    return true;
  }
}

/**
 * The endpoint the openai package should use. For AIServices accounts properties.endpoint is the
 * cognitiveservices.azure.com one; the Azure OpenAI API lives at the "OpenAI Language Model Instance API" entry.
 */
export function openAIEndpoint(
  account: Pick<CognitiveAccount, 'kind' | 'endpoint' | 'endpoints' | 'customSubDomainName'>,
): string | undefined {
  const fromMap =
    account.endpoints['OpenAI Language Model Instance API'] ??
    account.endpoints['Azure OpenAI Legacy API - Latest moniker'];
  if (account.kind.toLowerCase() === 'aiservices') return fromMap ?? account.endpoint;
  return account.endpoint ?? fromMap;
}

/** The command that gives an account a custom subdomain. Shown, never run: it cannot be undone. */
export function customDomainCommand(
  account: Pick<CognitiveAccount, 'name' | 'resourceGroup' | 'subscriptionId'>,
): string {
  return `az cognitiveservices account update --name ${account.name} --resource-group ${account.resourceGroup} --subscription ${account.subscriptionId} --custom-domain ${account.name}`;
}

const NON_CHAT_MODEL =
  /(embed|rerank|whisper|tts|dall-e|gpt-image|image|sora|realtime|audio|transcribe|ada|babbage|davinci|curie|moderation|computer-use)/i;

// Capability flags ARM gives deployments of models that do something other than chat, as ARM lists them:
// embeddings (az recording test_cognitiveservices_deployment.yaml), imageGenerations + inference for
// dall-e-3 (ansible azure.azcollection azure_rm_cognitiveservicesmodel_info sample), realtime + audio.
const NON_CHAT_CAPABILITIES = ['embeddings', 'imageGenerations', 'audio', 'realtime', 'speechToText', 'textToSpeech'];

/**
 * Chat-capable, whatever the model's format (OpenAI, DeepSeek, Meta, Mistral, xAI...): the deployment says
 * chatCompletion; or, where it says nothing about chat, it has no non-chat capability and its model is not
 * of a known non-chat family (partner models often carry few flags).
 */
export function isChatDeployment(d: Pick<Deployment, 'capabilities' | 'model'>): boolean {
  const caps = d.capabilities;
  if (caps['chatCompletion'] !== undefined) return caps['chatCompletion'] === 'true';
  if (NON_CHAT_CAPABILITIES.some((c) => caps[c] === 'true')) return false;
  return d.model !== undefined && !NON_CHAT_MODEL.test(d.model);
}

/** "name (model version)", with the model's format when it is not OpenAI's ("DeepSeek-R1 (DeepSeek-R1 1, DeepSeek)"). */
export function deploymentLabel(
  d: Pick<Deployment, 'name' | 'model' | 'modelVersion'> & { format?: string | undefined },
): string {
  const format = d.format && d.format.toLowerCase() !== 'openai' ? `, ${d.format}` : '';
  return d.model ? `${d.name} (${d.model}${d.modelVersion ? ` ${d.modelVersion}` : ''}${format})` : d.name;
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
    // Stryker disable next-line MethodExpression: parse() skips what is not a URL, undefined included
    const candidates = [openAIEndpoint(a), a.endpoint, ...Object.values(a.endpoints)].filter(
      // Stryker disable next-line ConditionalExpression: parse() skips what is not a URL, undefined included
      (e): e is string => typeof e === 'string',
    );
    for (const c of candidates) {
      const e = parse(c);
      if (!e || e.host !== target.host) continue;
      // An account at the host's root (path '') is the prefix of every path.
      if (!(target.path === e.path || target.path.startsWith(`${e.path}/`))) continue;
      // Stryker disable next-line EqualityOperator: two prefixes of one path with the same length are the same path (one account)
      if (!best || e.path.length > best.len) best = { account: a, len: e.path.length };
    }
  }
  return best?.account;
}

function parse(u: string): { host: string; path: string } | undefined {
  try {
    const url = new URL(u);
    // Stryker disable next-line MethodExpression,Regex: both sides go through here (upper case compares the same); ARM's endpoints end in one slash
    return { host: url.host.toLowerCase(), path: url.pathname.replace(/\/+$/, '').toLowerCase() };
    // Stryker disable next-line BlockStatement: an empty catch returns undefined too
  } catch {
    return undefined;
  }
}
