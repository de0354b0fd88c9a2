// The subscription names the Azure CLI keeps locally: azureProfile.json in its config folder
// (AZURE_CONFIG_DIR, else ~/.azure; azure-cli-core _profile.py writes it, UTF-8 with a BOM). Reading it
// costs no az call, so the name reaches the summary and --json without `az account show`. Best effort:
// an unreadable or unfamiliar file only means no name.
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export async function subscriptionNameFromProfile(env: NodeJS.ProcessEnv, subscriptionId: string): Promise<string | undefined> {
  const dir = env['AZURE_CONFIG_DIR'] || join(homedir(), '.azure');
  try {
    const text = await fs.readFile(join(dir, 'azureProfile.json'), 'utf8');
    const profile = JSON.parse(text.replace(/^\uFEFF/, '')) as { subscriptions?: Array<{ id?: unknown; name?: unknown }> };
    const match = profile.subscriptions?.find((s) => typeof s.id === 'string' && s.id.toLowerCase() === subscriptionId.toLowerCase());
    return typeof match?.name === 'string' && match.name !== '' ? match.name : undefined;
  } catch {
    return undefined;
  }
}
