// Which token audience an Azure OpenAI endpoint takes. Resource endpoints take tokens for
// https://cognitiveservices.azure.com; Foundry's docs and samples issue them for https://ai.azure.com
// (learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle samples; Foundry project endpoints
// need it: microsoft/agent-framework#7201). The gateway's 401 names what it wanted, e.g.
// "audience is incorrect (https://cognitiveservices.azure.com/ or https://ai.azure.com/)"
// (Azure/azure-sdk-for-net#50872) or "(https://ai.azure.com)" (Azure/azure-sdk-for-net#55036).
import { PUBLIC_CLOUD } from './clouds.ts';

export const FOUNDRY_SCOPE = 'https://ai.azure.com/.default';

const NAMED = /audience is incorrect \(([^)]*)\)/i;

// Stryker disable MethodExpression,Regex: both sides of every comparison go through it (upper case compares the same);
// '/.default' only ever ends a scope, and no scope ends in more than one slash
const resourceOf = (scope: string): string =>
  scope
    .replace(/\/\.default$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
// Stryker restore MethodExpression,Regex

/** The audiences a 401 body names, as scopes ("https://ai.azure.com/.default"); empty when it names none. */
export function audiencesNamed(message: string): string[] {
  const m = NAMED.exec(message);
  if (!m?.[1]) return [];
  return m[1]
    .split(/\s+or\s+|,\s*/)
    .map((a) => a.trim().replace(/\/+$/, ''))
    .filter((a) => /^https:\/\/\S+$/.test(a))
    .map((a) => `${a}/.default`);
}

/**
 * The other scope worth one more try after a 401 that names the audience: one the body names and the token
 * was not for, else the other of the public cloud's pair (cognitiveservices <-> ai.azure.com). Undefined
 * when the body names no audience (a 401 for another reason) or nothing else is left to try.
 */
export function otherAudienceScope(scope: string, message: string): string | undefined {
  const named = audiencesNamed(message);
  if (named.length === 0) return undefined;
  const current = resourceOf(scope);
  const different = named.find((s) => resourceOf(s) !== current);
  if (different) return different;
  const pair = [PUBLIC_CLOUD.scope, FOUNDRY_SCOPE];
  if (!pair.some((s) => resourceOf(s) === current)) return undefined;
  return pair.find((s) => resourceOf(s) !== current);
}
