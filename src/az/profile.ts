// The subscriptions the Azure CLI keeps locally: azureProfile.json in its config folder (AZURE_CONFIG_DIR, else
// ~/.azure; azure-cli-core _profile.py writes it, UTF-8 with a BOM). Reading it costs no az call, so the name
// reaches the summary and --json without `az account show`. Best effort: an unreadable or unfamiliar file only
// means no answer.
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

interface ProfileSubscription {
  id?: unknown;
  name?: unknown;
  tenantId?: unknown;
  isDefault?: unknown;
}

async function readProfile(env: NodeJS.ProcessEnv): Promise<ProfileSubscription[]> {
  const dir = env['AZURE_CONFIG_DIR'] || join(homedir(), '.azure');
  try {
    const text = await fs.readFile(join(dir, 'azureProfile.json'), 'utf8');
    return (JSON.parse(text.replace(/^\uFEFF/, '')) as { subscriptions?: ProfileSubscription[] }).subscriptions ?? [];
  } catch {
    return [];
  }
}

export async function subscriptionNameFromProfile(env: NodeJS.ProcessEnv, subscriptionId: string): Promise<string | undefined> {
  const match = (await readProfile(env)).find((s) => typeof s.id === 'string' && s.id.toLowerCase() === subscriptionId.toLowerCase());
  return typeof match?.name === 'string' && match.name !== '' ? match.name : undefined;
}

/** The subscription `az account set` made current (isDefault), as az itself would use it. */
export async function defaultSubscriptionFromProfile(env: NodeJS.ProcessEnv): Promise<{ id: string; name: string | null; tenantId: string } | undefined> {
  const s = (await readProfile(env)).find((x) => x.isDefault === true);
  if (typeof s?.id !== 'string' || typeof s.tenantId !== 'string') return undefined;
  return { id: s.id, name: typeof s.name === 'string' && s.name !== '' ? s.name : null, tenantId: s.tenantId };
}
