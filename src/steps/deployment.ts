// The deployment: --deployment, AZURE_OPENAI_DEPLOYMENT (environment, then .env), a pick among the
// chat-capable ones (embedding, audio and image models hidden), or the only chat deployment.
import type { Az, CognitiveAccount, Deployment } from '../az/az.ts';
import type { Context } from '../context.ts';
import { AzureError, MissingInputError } from '../errors.ts';
import { deploymentLabel, isChatDeployment } from '../azure/openai-account.ts';
import type { Resolved, Source } from '../resolve.ts';

export interface ChosenDeployment {
  deployment: Deployment;
  source: Source;
  chat: boolean;
}

export async function chooseDeployment(
  ctx: Pick<Context, 'prompter'>,
  deployments: readonly Deployment[],
  requested: Resolved<string> | undefined,
  accountName: string,
): Promise<ChosenDeployment> {
  const chat = deployments.filter(isChatDeployment);
  if (requested) {
    const found =
      deployments.find((d) => d.name === requested.value) ??
      deployments.find((d) => d.name.toLowerCase() === requested.value.toLowerCase());
    if (found) return { deployment: found, source: requested.source, chat: isChatDeployment(found) };
    throw new AzureError(
      `${accountName} has no deployment named ${requested.value}${requested.source === 'flag' ? '' : ` (from ${requested.source === 'env-file' ? '.env' : 'the environment'})`}.`,
      {
        code: 'deployment-not-found',
        hint:
          deployments.length > 0
            ? 'Pass one of these with --deployment:'
            : `Deploy a chat model first: az cognitiveservices account deployment create --name ${accountName} --resource-group <group> --deployment-name gpt-4o-mini --model-name gpt-4o-mini --model-version 2024-07-18 --model-format OpenAI --sku-name GlobalStandard --sku-capacity 10`,
        details: deployments.map(deploymentLabel),
      },
    );
  }
  if (chat.length === 0) {
    throw new AzureError(
      `${accountName} has no chat deployment${deployments.length > 0 ? ` (only ${deployments.map(deploymentLabel).join(', ')})` : ''}.`,
      {
        code: 'no-chat-deployment',
        hint: `Deploy a chat model, for example: az cognitiveservices account deployment create --name ${accountName} --resource-group <group> --deployment-name gpt-4o-mini --model-name gpt-4o-mini --model-version 2024-07-18 --model-format OpenAI --sku-name GlobalStandard --sku-capacity 10`,
      },
    );
  }
  if (chat.length === 1 && chat[0]) return { deployment: chat[0], source: 'default', chat: true };
  const name = await ctx.prompter.select({
    message: 'Deployment',
    what: 'The deployment',
    flag: '--deployment',
    choices: chat.map((d) => ({ name: deploymentLabel(d), value: d.name })),
  });
  const picked = chat.find((d) => d.name === name);
  if (picked) return { deployment: picked, source: 'prompt', chat: true };
  throw new MissingInputError('--deployment', 'The deployment');
}

/** The account's deployments, listed in its own subscription (when the first wave has not listed them already). */
export function listDeployments(az: Az, account: CognitiveAccount): Promise<Deployment[]> {
  return az.deploymentList(
    { name: account.name, resourceGroup: account.resourceGroup },
    { subscription: account.subscriptionId },
  );
}
