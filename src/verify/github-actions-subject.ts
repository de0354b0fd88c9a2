// Inside a GitHub Actions job whose sign-in failed: which subject GitHub put in the job's OIDC token, beside
// the subjects the identity trusts, so an AADSTS70021 ("No matching federated identity record found") says
// why. The token is requested as azure/login does (actions/toolkit packages/core/src/oidc-utils.ts: GET
// $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud> with `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`,
// answer {"value": "<jwt>"}); only its iss, sub and aud claims are kept: the token itself is never printed,
// logged or returned. The trusted subjects come from the workflow `ci github` wrote (AOAI_KEYLESS_TRUSTED_SUBJECTS).
import { ACTIONS_ID_TOKEN, TRUSTED_SUBJECTS_VARIABLE } from '../contract/env-vars.ts';
import { TOKEN_EXCHANGE_AUDIENCE } from '../azure/federated-credential.ts';
import type { VerifyFailureInfo } from './report.ts';

export { TRUSTED_SUBJECTS_VARIABLE };

export interface JobSubject {
  subject: string | null;
  issuer: string | null;
  audience: string | null;
  trustedSubjects: string[];
  /** Why the subject could not be read (the request failed). */
  error?: string;
}

type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export function inGitHubActionsWithIdToken(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env[ACTIONS_ID_TOKEN.url] && env[ACTIONS_ID_TOKEN.token]);
}

export function trustedSubjectsOf(env: NodeJS.ProcessEnv): string[] {
  return (env[TRUSTED_SUBJECTS_VARIABLE] ?? '').split(/\s+/).filter(Boolean);
}

/** The claims GitHub would put in the token azure/login exchanges. */
export async function requestJobSubject(
  env: NodeJS.ProcessEnv,
  fetchImpl: FetchLike = fetch as unknown as FetchLike,
): Promise<JobSubject> {
  const trustedSubjects = trustedSubjectsOf(env);
  const none = { subject: null, issuer: null, audience: null, trustedSubjects };
  try {
    const url = `${env[ACTIONS_ID_TOKEN.url]}&audience=${encodeURIComponent(TOKEN_EXCHANGE_AUDIENCE)}`;
    const res = await fetchImpl(url, {
      headers: { Authorization: `Bearer ${env[ACTIONS_ID_TOKEN.token]}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return { ...none, error: `the job's token request answered HTTP ${res.status}` };
    const value = ((await res.json()) as { value?: unknown }).value;
    const payload = typeof value === 'string' ? value.split('.')[1] : undefined;
    if (!payload) return { ...none, error: "the job's token request returned no token" };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      sub?: unknown;
      iss?: unknown;
      aud?: unknown;
    };
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : null);
    return { subject: str(claims.sub), issuer: str(claims.iss), audience: str(claims.aud), trustedSubjects };
  } catch (e) {
    return { ...none, error: `the job's token could not be read (${e instanceof Error ? e.name : 'error'})` };
  }
}

/** repo:OWNER@1/REPO@2:rest -> repo:OWNER/REPO:rest: the same job in the old, name-only form. */
function namesOnly(subject: string): string {
  return subject.replace(/^repo:([^@/:]+)@\d+\/([^@/:]+)@\d+:/, 'repo:$1/$2:');
}

/** The ci github flag that trusts the subject GitHub sent. */
function trustCommand(sent: string): string {
  const m = /:(ref:refs\/heads\/(.+)|environment:(.+)|pull_request)$/.exec(sent);
  const flag = m?.[2]
    ? `--branch ${m[2]}`
    : m?.[3]
      ? `--environment ${m[3]}`
      : m?.[1] === 'pull_request'
        ? '--pull-request'
        : `--subject '${sent}'`;
  return `npx aoai-keyless ci github ${flag}`;
}

/** The diagnosis when the sent subject is not one the identity trusts; undefined when it is (or is unknown). */
export function subjectMismatch(job: JobSubject): VerifyFailureInfo | undefined {
  const sent = job.subject;
  if (!sent || job.trustedSubjects.length === 0 || job.trustedSubjects.includes(sent)) return undefined;
  const formOnly = job.trustedSubjects.some((t) => namesOnly(t) === namesOnly(sent));
  return {
    code: 'federated-subject-mismatch',
    message: formOnly
      ? `GitHub sent the subject ${sent}, the ${sent === namesOnly(sent) ? 'old name-only' : 'immutable-id'} form of a subject the identity trusts in the other form: Entra ID compares them exactly (AADSTS70021).`
      : `GitHub sent the subject ${sent}, which the identity does not trust: Entra ID refuses the sign-in (AADSTS70021).`,
    hint: formOnly
      ? `Trust the form GitHub sends: ${trustCommand(sent)} --subject-format ${sent === namesOnly(sent) ? 'names' : 'immutable'} (on a machine signed in to az).`
      : `Trust it: ${trustCommand(sent)} (on a machine signed in to az), or run the job where the identity trusts it.`,
    details: [
      `GitHub sent:          ${sent}`,
      ...job.trustedSubjects.map((t, i) => `${i === 0 ? 'identity trusts:     ' : '                     '} ${t}`),
    ],
  };
}
