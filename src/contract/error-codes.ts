// Every `error.code` of a --json failure document (and of AppError.code): a closed union, so a new code is a
// deliberate edit here and a typo does not compile. Codes are stable: scripts and tests match on them, so one
// is never renamed without a major version. Several "not found" codes coexist on purpose: `not-found` is what
// az reported for a name it was given, the others name what the tool itself looked for and missed.

/** Why `verify` failed: the diagnosis table of the README ("Why verify fails"), exit 6. */
export const DIAGNOSIS_CODES = [
  'no-credential',
  'role-missing',
  'role-propagating',
  'bad-token',
  'wrong-tenant',
  'regional-endpoint',
  'deployment-not-found',
  'wrong-endpoint',
  'not-a-chat-model',
  'api-version-too-old',
  'throttled',
  'network-blocked',
  'unreachable',
  'unexpected-response',
  'federated-subject-mismatch',
] as const;
export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];

/** A flag or a value the user gave (exit 2). */
export type UsageCode =
  | 'usage'
  | 'bad-value'
  | 'bad-api'
  | 'bad-api-version'
  | 'bad-duration'
  | 'bad-endpoint'
  | 'bad-lang'
  | 'bad-resource-id'
  | 'bad-role'
  | 'bad-scope'
  | 'bad-subscription'
  | 'missing-input'
  | 'file-exists'
  | 'out-unusable'
  | 'principal-type-mismatch'
  | 'subject-not-derivable'
  | 'subscription-ambiguous'
  | 'managed-identity-ambiguous'
  | 'env-file-unusable'
  | 'env-file-unmergeable'
  | 'env-file-busy';

/** The tools and the sign-in (exit 3). */
export type PrerequisiteCode =
  | 'az-not-installed'
  | 'gh-not-installed'
  | 'git-not-installed'
  | 'az-timeout'
  | 'az-crashed'
  | 'not-signed-in'
  | 'sign-in-expired'
  | 'mfa-required'
  | 'wrong-tenant'
  | 'no-subscription'
  | 'gh-not-allowed'
  | 'gh-failed';

/** What Azure or GitHub refused or could not find (exits 4 and 5). */
export type AzureCode =
  | 'authorization-failed'
  | 'pim-activation-needed'
  | 'pim-activation-failed'
  | 'not-found'
  | 'resource-not-found'
  | 'account-not-found'
  | 'subscription-not-found'
  | 'principal-not-found'
  | 'managed-identity-not-found'
  | 'github-not-found'
  | 'github-repo-not-found'
  | 'not-an-openai-account'
  | 'no-openai-account'
  | 'no-usable-account'
  | 'no-endpoint'
  | 'no-chat-deployment'
  | 'federated-credential-limit'
  | 'azure-unreachable'
  | 'unexpected-response'
  | 'az-failed';

/** A bug, or az or gh answering what they should not (exit 1); Ctrl-C (exit 130). */
export type InternalCode = 'bug' | 'az-arguments' | 'az-output' | 'github-output' | 'cancelled';

/**
 * Resource Manager's own error code for a failure the tool has no word for, kebab-cased
 * (AuthorizationFailed -> authorization-failed): the one open member, made only by armErrorCode().
 * @pattern ^[a-z0-9][a-z0-9._-]*$
 */
export type ArmErrorCode = string & { readonly __armErrorCode: true };

export type ErrorCode = UsageCode | PrerequisiteCode | AzureCode | InternalCode | DiagnosisCode | ArmErrorCode;

export function armErrorCode(armCode: string): ArmErrorCode {
  return armCode.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase() as ArmErrorCode;
}

/** The programs the tool runs: az, gh and git. Any other would be a bug, and is reported as one. */
export function notInstalledCode(cmd: string): PrerequisiteCode | 'bug' {
  return cmd === 'az' || cmd === 'gh' || cmd === 'git' ? `${cmd}-not-installed` : 'bug';
}
