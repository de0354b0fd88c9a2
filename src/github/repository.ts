// The repository a workflow runs in, read from GitHub: its names and immutable ids, default branch and the
// subject template its OIDC tokens use. JSON fields from GitHub's REST docs (`GET /repos/{owner}/{repo}`:
// id, name, owner.login, owner.id, owner.type, default_branch, visibility, created_at; `GET
// .../actions/oidc/customization/sub`: use_default, include_claim_keys, and on newer readbacks
// use_immutable_subject; `GET /orgs/{org}/actions/oidc/customization/sub`: include_claim_keys).
import { UsageError, AzureError } from '../errors.ts';
import type { JsonObject } from '../az/json.ts';
import { optObject, optString } from '../az/json.ts';
import type { Gh } from './gh.ts';
import { subjectTemplate, type Customization, type RepositoryIds, type SubjectTemplate } from './oidc-subject.ts';

export interface GitHubRepository extends RepositoryIds {
  fullName: string;
  defaultBranch: string;
  ownerType: string;
  createdAt: string | undefined;
}

/** GitHub turned immutable subjects on by default for repositories created (or renamed) from this day (github/docs#45221). */
export const IMMUTABLE_SUBJECTS_DEFAULT_FROM = '2026-07-15';

const OWNER_REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

export function parseRepoFlag(value: string): string {
  const m = OWNER_REPO.exec(value.trim());
  if (!m || m[2]?.endsWith('.git'))
    throw new UsageError(`--repo '${value}' is not OWNER/REPO.`, {
      code: 'bad-value',
      hint: 'Pass --repo contoso/payments-api.',
    });
  return `${m[1]}/${m[2]}`;
}

/** OWNER/REPO of a github.com remote URL (https, ssh or scp-like); undefined for another host. */
export function repoOfRemote(url: string): string | undefined {
  const m =
    /^(?:https:\/\/(?:[^@/]+@)?github\.com\/|ssh:\/\/git@github\.com\/|git@github\.com:)([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  return m?.[1];
}

export function toRepository(o: JsonObject): GitHubRepository {
  const owner = optObject(o, 'owner');
  const id = o['id'];
  const ownerId = owner?.['id'];
  const login = optString(owner, 'login');
  const name = optString(o, 'name');
  if (typeof id !== 'number' || typeof ownerId !== 'number' || !login || !name) {
    throw new AzureError('GitHub answered for the repository without its ids.', {
      code: 'github-output',
      hint: 'Run `gh api repos/OWNER/REPO` to see what GitHub returns.',
    });
  }
  return {
    owner: login,
    name,
    ownerId,
    id,
    fullName: `${login}/${name}`,
    defaultBranch: optString(o, 'default_branch') ?? 'main',
    ownerType: optString(owner, 'type') ?? 'User',
    visibility: optString(o, 'visibility'),
    createdAt: optString(o, 'created_at'),
  };
}

export function toCustomization(o: JsonObject | undefined): Customization {
  const keys = o?.['include_claim_keys'];
  const immutable = o?.['use_immutable_subject'];
  return {
    useDefault: o?.['use_default'] !== false,
    claimKeys: Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : undefined,
    useImmutableSubject: typeof immutable === 'boolean' ? immutable : undefined,
  };
}

/** The repository, and the subject template its tokens use. `format` overrides what GitHub reports about immutable subjects. */
export async function readRepository(
  gh: Gh,
  fullName: string,
  format: 'immutable' | 'names' | undefined,
): Promise<{ repository: GitHubRepository; template: SubjectTemplate }> {
  const [repoJson, customJson] = await Promise.all([
    gh.get(`repos/${fullName}`),
    gh.get(`repos/${fullName}/actions/oidc/customization/sub`),
  ]);
  if (!repoJson)
    throw new AzureError(`GitHub has no repository ${fullName} (or you may not see it).`, {
      code: 'github-repo-not-found',
      hint: 'Check --repo, and `gh auth status` for the account.',
    });
  const repository = toRepository(repoJson);
  const custom = toCustomization(customJson);
  // The organisation's template matters only when the repository opted out of the default without keys of its own.
  const orgJson =
    !custom.useDefault && !custom.claimKeys?.length && repository.ownerType === 'Organization'
      ? await gh.get(`orgs/${repository.owner}/actions/oidc/customization/sub`)
      : undefined;
  const org = toCustomization(orgJson).claimKeys;
  const immutable = format
    ? format === 'immutable'
    : (custom.useImmutableSubject ??
      (repository.createdAt !== undefined && repository.createdAt >= IMMUTABLE_SUBJECTS_DEFAULT_FROM));
  return { repository, template: subjectTemplate(custom, org, immutable) };
}
