// What a verification takes and what it proves. The report is the --json document of `verify` and the
// `verify` field of `setup --json`; nothing in it is secret: the token's claims are, its text is not.
import type { DiagnosisCode } from '../contract/error-codes.ts';
import type { ValueSource, VerifyDocument, VerifySources } from '../contract/documents.ts';

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

export type { ValueSource, VerifySources };

/** verify's --json document (src/contract/documents.ts), with the diagnosis as its error. */
export type VerifyReport = Omit<VerifyDocument, 'error'> & { error?: VerifyFailureInfo };

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
