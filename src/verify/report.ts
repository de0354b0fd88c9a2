// What a verification takes and what it proves. The report is the --json document of `verify` and the
// `verify` field of `setup --json`; nothing in it is secret: the token's claims are, its text is not.
import type { Source } from '../resolve.ts';
import type { DiagnosisCode } from '../contract/error-codes.ts';

import type { Api } from '../azure/api-version.ts';

export type { Api };

/** The stable codes of the diagnosis table (README: "Why verify fails"): contract/error-codes.ts. */
export type VerifyCode = DiagnosisCode;

export interface VerifyFailureInfo {
  code: VerifyCode;
  message: string;
  /** The one next step. */
  hint: string;
  /** Extra lines: a command to run, the deployments that exist. */
  details?: string[];
  /** The HTTP status Azure answered with, when it answered. */
  status?: number;
}

export type ValueSource = Extract<Source, 'flag' | 'environment' | 'env-file' | 'default' | 'azure' | 'prompt'>;

export interface VerifySources {
  endpoint: ValueSource;
  deployment: ValueSource;
  apiVersion: ValueSource;
  scope: ValueSource;
}

// A type alias, not an interface: it stays assignable to Record<string, unknown> (setup's result field).
export type VerifyReport = {
  ok: boolean;
  command: 'verify';
  endpoint: string;
  deployment: string;
  /** null with --api v1: that API takes no api-version. */
  apiVersion: string | null;
  api: Api;
  scope: string;
  /** A 401 named another audience: the scope refused, the one tried next, and whether it worked (then `scope` is it). */
  audience?: { refused: string; tried: string; ok: boolean };
  /** The model the service answered with, e.g. gpt-4o-mini-2024-07-18. */
  model: string | null;
  /** The member of the DefaultAzureCredential chain that produced the token, e.g. AzureCliCredential. */
  credential: string | null;
  principal: {
    objectId: string | null;
    tenantId: string | null;
    name: string | null;
    type: 'User' | 'ServicePrincipal' | null;
  };
  /** The token's claims, decoded locally (the signature is not checked; the token is never kept). */
  claims: {
    aud: string | null;
    exp: string | null;
    oid: string | null;
    tid: string | null;
    name: string | null;
    appid: string | null;
  } | null;
  /** The round trip of the request that decided the outcome. */
  latencyMs: number | null;
  /** Chat completion requests sent. */
  attempts: number;
  timings: {
    /** Time spent getting tokens (az, managed identity...): outside aoai-keyless. */
    tokenMs: number;
    /** Time spent in HTTP requests to the endpoint. */
    requestMs: number;
    /** Time spent sleeping between attempts (--wait, retry-after). */
    waitMs: number;
    /** Time spent asking az about the account for a better hint (failures only). */
    lookupMs: number;
    totalMs: number;
    /** totalMs minus the above: what aoai-keyless itself adds (module loading, client set-up). */
    overheadMs: number;
  };
  sources: VerifySources;
  warnings: string[];
  /** In a GitHub Actions job whose sign-in failed: the subject GitHub sent (from its token's claims) and the trusted ones. */
  githubActions?: {
    subject: string | null;
    issuer: string | null;
    audience: string | null;
    trustedSubjects: string[];
    error?: string;
  };
  error?: VerifyFailureInfo;
};

export type VerifyProgress =
  | { type: 'attempt'; attempt: number; elapsedMs: number }
  | {
      type: 'retrying';
      attempt: number;
      code: VerifyCode;
      message: string;
      delayMs: number;
      elapsedMs: number;
      deadlineMs: number;
    }
  | { type: 'retry-after'; attempt: number; delayMs: number }
  | { type: 'max-completion-tokens'; attempt: number }
  | { type: 'other-audience'; scope: string };

export interface VerifyInput {
  endpoint: string;
  deployment: string;
  /** Ignored with api 'v1'. */
  apiVersion: string;
  api: Api;
  scope: string;
  /** 0: one attempt. More: role-missing is retried with backoff until this much time has passed. */
  waitMs: number;
  /** setup created the role assignment moments ago: a PermissionDenied means "propagating", not "missing". */
  justAssigned?: boolean | undefined;
  /**
   * Identity variables from the .env (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_TOKEN_CREDENTIALS...), put in
   * process.env for the duration as dotenv.config() would for the app: never over a variable already set.
   */
  credentialEnv?: Record<string, string> | undefined;
  /** setup knows the exact command (it just ran or planned it); otherwise it is built from the token and az. */
  roleAssignmentCommand?: string | undefined;
  sources?: Partial<VerifySources> | undefined;
  /** Warnings found while resolving values (a stale AZURE_OPENAI_API_KEY...), carried into the report. */
  warnings?: readonly string[] | undefined;
  onProgress?: ((event: VerifyProgress) => void) | undefined;
}
