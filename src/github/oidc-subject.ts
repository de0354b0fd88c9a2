// The `sub` claim GitHub Actions puts in a job's OIDC token, which a federated identity credential must
// match exactly (Entra ID compares the strings; a mismatch is AADSTS70021). Sources:
// - default subject: `repo:OWNER/REPO:ref:refs/heads/BRANCH`, `...:environment:NAME`, `...:pull_request`
//   (docs.github.com/actions/reference/security/oidc, "Example subject claims");
// - immutable form, the default for repositories created or renamed from 2026-07-15:
//   `repo:OWNER@<owner id>/REPO@<repo id>:...` (github/docs#45221; learn.microsoft.com/entra/workload-id/
//   workload-identities-github-immutable-subjects). It applies to the default subject only;
// - a custom template: `include_claim_keys` joined as `key:value` with `:`, where `context` stands for the
//   trigger part above and `repo` for `repo:OWNER/REPO` (docs.github.com "Customizing the subject claims";
//   REST `GET /repos/{o}/{r}/actions/oidc/customization/sub`: `use_default`, `include_claim_keys`; with
//   use_default false and no keys, the organisation's template applies: GitHub REST docs).
import type { SubjectTemplate, Trigger } from '../contract/documents.ts';
import { UsageError } from '../errors.ts';

export type { Trigger };

export interface RepositoryIds {
  owner: string;
  name: string;
  ownerId: number;
  id: number;
  visibility?: string | undefined;
}

/** Which template GitHub applies: its default (names or immutable ids), or a list of claim keys. */
export type { SubjectTemplate };

export interface Customization {
  useDefault: boolean;
  claimKeys: readonly string[] | undefined;
  useImmutableSubject: boolean | undefined;
}

/** The template that applies: the repository's own keys, else (use_default false, no keys) the organisation's, else the default. */
export function subjectTemplate(
  repo: Customization,
  org: readonly string[] | undefined,
  immutable: boolean,
): SubjectTemplate {
  if (!repo.useDefault && repo.claimKeys && repo.claimKeys.length > 0)
    return { kind: 'custom', claimKeys: repo.claimKeys, from: 'repository' };
  if (!repo.useDefault && org && org.length > 0) return { kind: 'custom', claimKeys: org, from: 'organization' };
  return { kind: 'default', immutable };
}

export function contextPart(t: Trigger): string {
  if (t.kind === 'environment') return `environment:${t.environment}`;
  if (t.kind === 'pull-request') return 'pull_request';
  return `ref:refs/heads/${t.branch}`;
}

/** The subject of a job of `repo` run for `trigger` under `template`. */
export function deriveSubject(repo: RepositoryIds, trigger: Trigger, template: SubjectTemplate): string {
  if (template.kind === 'default') {
    const prefix = template.immutable
      ? `${repo.owner}@${repo.ownerId}/${repo.name}@${repo.id}`
      : `${repo.owner}/${repo.name}`;
    return `repo:${prefix}:${contextPart(trigger)}`;
  }
  return template.claimKeys.map((key) => claimPart(key, repo, trigger)).join(':');
}

/** One `key:value` of a custom template; keys whose value depends on the run (actor, sha, workflow) cannot be trusted ahead. */
function claimPart(key: string, repo: RepositoryIds, trigger: Trigger): string {
  const known: Record<string, string | undefined> = {
    repo: `${repo.owner}/${repo.name}`,
    repository: `${repo.owner}/${repo.name}`,
    repository_owner: repo.owner,
    repository_owner_id: String(repo.ownerId),
    repository_id: String(repo.id),
    repository_visibility: repo.visibility,
    environment: trigger.kind === 'environment' ? trigger.environment : undefined,
    ref: trigger.kind === 'branch' ? `refs/heads/${trigger.branch}` : undefined,
    ref_type: trigger.kind === 'branch' ? 'branch' : undefined,
    event_name: trigger.kind === 'pull-request' ? 'pull_request' : undefined,
  };
  if (key === 'context') return contextPart(trigger);
  const value = known[key];
  if (value === undefined) {
    throw new UsageError(
      `The repository's OIDC subject template includes the claim '${key}', whose value is only known when a job runs.`,
      {
        code: 'subject-not-derivable',
        hint: 'Pass the exact subject with --subject, or reset the template (gh api -X PUT repos/OWNER/REPO/actions/oidc/customization/sub -F use_default=true).',
      },
    );
  }
  return `${key}:${value}`;
}

/** The old name-only form of a default subject: what a job sends before immutable subjects are on (verify's diagnosis). */
export function describeTrigger(t: Trigger): string {
  return t.kind === 'environment'
    ? `environment ${t.environment}`
    : t.kind === 'pull-request'
      ? 'pull requests'
      : `branch ${t.branch}`;
}
