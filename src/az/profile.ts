// The subscription names the Azure CLI keeps locally: azureProfile.json in its config folder
// (AZURE_CONFIG_DIR, else ~/.azure; azure-cli-core _profile.py writes it, UTF-8 with a BOM). Reading it
// costs no az call, so the name reaches the summary and --json without `az account show`. Best effort:
// an unreadable or unfamiliar file only means no name.
//
// az rewrites the file in place while other az processes may run (_session.py Session.save: open(..., 'w'),
// then json.dump: truncated first, the text written later), so a read can meet an empty or half-written file.
// A parse failure is therefore read again a few times, briefly, before it counts as "no name".
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AZURE_CONFIG_DIR } from '../contract/env-vars.ts';

export interface ProfileIo {
  readFile(path: string): Promise<string>;
  sleep(ms: number): Promise<void>;
}

const realIo: ProfileIo = {
  readFile: (path) => fs.readFile(path, 'utf8'),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** Reads after a parse failure, and the pause before each: enough for az to finish one save. */
export const PROFILE_REREADS = 4;
export const PROFILE_REREAD_MS = 25;

type ProfileEntry = { id?: unknown; name?: unknown; tenantId?: unknown; isDefault?: unknown };
type Profile = { subscriptions?: ProfileEntry[] };

/**
 * The subscription names as the profile holds them now. Read it before our own az processes start: each of them
 * may rewrite the file in place while it runs, so a read made meanwhile can meet it empty or half-written (the
 * re-reads of readProfile only narrow that window, on a loaded machine not enough).
 */
export async function profileNames(
  env: NodeJS.ProcessEnv,
  io: ProfileIo = realIo,
): Promise<(subscriptionId: string) => string | undefined> {
  const profile = await readProfile(env, io);
  return (subscriptionId) => (profile ? nameOf(profile, subscriptionId) : undefined);
}

/**
 * The tenant az signs in to for a subscription (an id or a name, else the default one): what a re-sign-in for
 * MFA must name, since MFA is per tenant (Azure/azure-cli#31742) and az before 2.76 leaves it out of its command.
 */
export async function tenantFromProfile(
  env: NodeJS.ProcessEnv,
  subscription: string | undefined,
  io: ProfileIo = realIo,
): Promise<string | undefined> {
  const subs = (await readProfile(env, io))?.subscriptions ?? [];
  const wanted = subscription?.toLowerCase();
  const match = subs.find((s) =>
    wanted ? [s.id, s.name].some((v) => typeof v === 'string' && v.toLowerCase() === wanted) : s.isDefault === true,
  );
  return typeof match?.tenantId === 'string' && match.tenantId !== '' ? match.tenantId : undefined;
}

async function readProfile(env: NodeJS.ProcessEnv, io: ProfileIo): Promise<Profile | undefined> {
  const path = join(env[AZURE_CONFIG_DIR] || join(homedir(), '.azure'), 'azureProfile.json');
  for (let read = 0; ; read++) {
    const text = await io.readFile(path).catch(() => undefined);
    if (text === undefined) return undefined;
    const profile = parseProfile(text);
    if (profile) return profile;
    if (read >= PROFILE_REREADS) return undefined;
    await io.sleep(PROFILE_REREAD_MS);
  }
}

function parseProfile(text: string): Profile | undefined {
  try {
    const p = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    return typeof p === 'object' && p !== null ? (p as Profile) : undefined;
  } catch {
    return undefined;
  }
}

function nameOf(profile: Profile, subscriptionId: string): string | undefined {
  const match = profile.subscriptions?.find(
    (s) => typeof s.id === 'string' && s.id.toLowerCase() === subscriptionId.toLowerCase(),
  );
  return typeof match?.name === 'string' && match.name !== '' ? match.name : undefined;
}

/** The subscription `az account set` made current (isDefault), as az itself would use it. */
export async function defaultSubscriptionFromProfile(
  env: NodeJS.ProcessEnv,
  io: ProfileIo = realIo,
): Promise<{ id: string; name: string | null; tenantId: string } | undefined> {
  const s = (await readProfile(env, io))?.subscriptions?.find((x) => x.isDefault === true);
  if (typeof s?.id !== 'string' || typeof s.tenantId !== 'string') return undefined;
  return { id: s.id, name: typeof s.name === 'string' && s.name !== '' ? s.name : null, tenantId: s.tenantId };
}
