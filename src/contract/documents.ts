// The --json documents: what each command prints on stdout with --json, success or failure. These types are
// the contract: scripts/json-schema.mjs turns them into schema/<command>.schema.json, and every document the
// e2e tests see is checked against its schema. A field is added freely; it is never renamed, dropped or given
// another type without a major version (then `schemaVersion` goes up).
//
// Shared shapes: every command names a principal with `Principal` and a role assignment with `RoleAssignment`
// (a command's own fields come on top of those).
import type { ErrorCode } from './error-codes.ts';

/** The version of every document's shape: 1 until a field is renamed, dropped or retyped. */
export const SCHEMA_VERSION = 1;

export type CommandName = 'setup' | 'verify' | 'snippet' | 'revoke' | 'ci github';

/** How a step of a command's pipeline ended (src/steps/pipeline.ts). */
export type StepStatus = 'done' | 'skipped' | 'planned' | 'failed';

/** One step of a command's pipeline: its id, how it ended, and how long it took. */
export interface StepRecord {
  id: string;
  status: StepStatus;
  ms: number;
}

/** Why the command failed: there only when `ok` is false. */
export interface ErrorInfo {
  /** A stable kebab-case code (src/contract/error-codes.ts; README: exit codes and "Why verify fails"). */
  code: ErrorCode;
  message: string;
  /** The one next step; null when there is none. */
  hint: string | null;
  /** Extra lines: a hand-off for an admin, the sign-in commands, the deployments that exist. */
  details?: string[];
  /** verify's diagnosis: the HTTP status Azure answered with, when it answered. */
  status?: number;
}

/** What every document starts with. */
export interface DocumentBase<C extends CommandName> {
  schemaVersion: 1;
  ok: boolean;
  command: C;
  /** The steps the command ran, in order (commands built as a pipeline of steps). */
  steps?: StepRecord[];
  error?: ErrorInfo;
}

/**
 * A failure before the command had anything to report (a bad flag, a missing input): the base and the error
 * only. Commands that got further print their partial document with `ok: false` and `error`.
 */
export interface EarlyFailureDocument<C extends CommandName> {
  schemaVersion: 1;
  ok: false;
  command: C;
  error: ErrorInfo;
}

export type PrincipalType = 'User' | 'ServicePrincipal' | 'Group';

/** Who gets (or has) access: the same shape in every document. */
export interface Principal {
  /** The Entra object id (a service principal's, never an app's client id). */
  objectId: string | null;
  type: PrincipalType | null;
  /** A user's sign-in name, a service principal's display name or app id; null when unknown. */
  name: string | null;
  /** The directory (tenant) the principal is in. */
  tenantId: string | null;
  /** A managed identity's client id: what DefaultAzureCredential needs as AZURE_CLIENT_ID. */
  clientId?: string;
}

/** What setup and ci github did about the role assignment. */
export type AssignStatus = 'created' | 'existing' | 'planned' | 'denied' | 'eligible' | 'activated' | 'mfa-required';

/** What revoke did to it. */
export type RevokeStatus = 'deleted' | 'nothing-to-revoke' | 'planned' | 'kept';

export type RoleAssignmentStatus = AssignStatus | RevokeStatus;

/** A role assignment: the same fields in every document. */
export interface RoleAssignment {
  /** Its resource id; null when there is none (planned, denied) or several. */
  id: string | null;
  /** The role's name, e.g. "Cognitive Services OpenAI User"; null when nothing was looked up (a proven re-run). */
  role: string | null;
  /** The role definition GUID. */
  roleId: string | null;
  /** The scope it is (or would be) at; null when nothing was looked up. */
  scope: string | null;
  status: RoleAssignmentStatus;
}

/** One route access comes through: a direct assignment or a group's. */
export interface AccessFrom {
  role: string;
  roleId: string;
  scope: string;
  via: 'direct' | 'group';
  groupId?: string;
  groupName?: string | null;
  assignmentId: string;
  description: string;
}

/** setup's and ci github's role assignment: the shared fields, why this role, and where access comes from. */
export interface RoleAssignmentOutcome extends RoleAssignment {
  role: string;
  roleId: string;
  scope: string;
  status: AssignStatus;
  /** Why this role: the deployment's model format, or --role. */
  reason: string;
  dataAction: string;
  /** Set when an assignment at a parent scope (or through a group, or a broader role) already grants access. */
  inheritedFrom?: string;
  heldRole?: string;
  accessFrom?: AccessFrom[];
  checkedWith?: 'permissions' | 'role-assignments';
  notChecked?: string[];
  eligible?: Array<{ role: string; roleId: string; scope: string; endDateTime: string | null }>;
}

/** A configured re-run proven by the data plane: no lookup, so no role or scope, only the proof. */
export interface ProvenRoleAssignment extends RoleAssignment {
  status: 'existing';
  checkedWith: 'data-plane';
  id: null;
  role: null;
  roleId: null;
  scope: null;
  accessFrom: [];
}

export interface Subscription {
  id: string;
  name: string | null;
  tenantId: string;
}

// ---- verify ----

export type Api = 'v1' | 'classic';

export type ValueSource = 'flag' | 'environment' | 'env-file' | 'default' | 'azure' | 'prompt';

export interface VerifySources {
  endpoint: ValueSource;
  deployment: ValueSource;
  apiVersion: ValueSource;
  scope: ValueSource;
}

/** verify's principal: who the token says signed in (a user or a service principal, never a group). */
export interface TokenPrincipal extends Principal {
  type: 'User' | 'ServicePrincipal' | null;
}

// A type alias, not an interface: it stays assignable to Record<string, unknown> (setup's result field).
export type VerifyDocument = DocumentBase<'verify'> & {
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
  principal: TokenPrincipal;
  /** The token's claims, decoded locally (the signature is not checked; the token is never kept). */
  claims: {
    aud: string | null;
    exp: string | null;
    /** @deprecated The same as principal.objectId: read that. Kept until a major version. */
    oid: string | null;
    /** @deprecated The same as principal.tenantId: read that. Kept until a major version. */
    tid: string | null;
    /** @deprecated The same as principal.name: read that. Kept until a major version. */
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
};

// ---- setup ----

export interface EnvFileOutcome {
  path: string;
  keys: string[];
  removed: string[];
  status: 'written' | 'unchanged' | 'planned';
  apiKeysCommentedOut: string[];
  gitignoreUpdated: string | null;
}

export interface SetupDocument extends DocumentBase<'setup'> {
  dryRun: boolean;
  subscription: Subscription | null;
  principal: Principal | null;
  resource: {
    id: string;
    name: string;
    resourceGroup: string;
    kind: string;
    location: string;
    endpoint: string;
  } | null;
  deployment: { name: string; model: string | null; format: string | null } | null;
  roleAssignment: RoleAssignmentOutcome | ProvenRoleAssignment | null;
  envFile: EnvFileOutcome | null;
  /** verify's document, or null when verification was skipped. */
  verify: VerifyDocument | null;
  /** --dry-run: the az commands it would run and the .env lines it would write. */
  plan?: { commands: string[]; envFile: string[] };
  next?: string;
}

// ---- revoke ----

export interface RevokeDocument extends DocumentBase<'revoke'> {
  /** --dry-run: nothing was deleted (status 'planned'). */
  dryRun: boolean;
  status: RevokeStatus;
  principal: Principal | null;
  role: { name: string; id: string };
  scope: string | null;
  /** The shared shape: the role and scope above, the status, and the assignment's id when exactly one matched. */
  roleAssignment: RoleAssignment;
  matched: string[];
  deleted: string[];
  /** Assignments that still grant access from a parent scope, a group or a broader role: never touched. */
  untouched: Array<{ id: string; scope: string; role: string | undefined }>;
  /** Where access still comes from after the deletion (empty: none that could be read). */
  accessRemains: AccessFrom[];
  notChecked: string[];
}

// ---- snippet ----

export interface SnippetDocument extends DocumentBase<'snippet'> {
  ok: true;
  lang: string;
  /** The command that installs the snippet's packages; null when it needs none. */
  install: string | null;
  code: string;
}

// ---- ci github ----

export type GhState = 'ready' | 'not-installed' | 'signed-out';
export type ChangeStatus = 'created' | 'existing' | 'planned';
export type VariableStatus = 'set' | 'unchanged' | 'planned' | 'manual';
export type WorkflowStatus = 'written' | 'unchanged' | 'exists' | 'planned';

export type Trigger =
  | { kind: 'branch'; branch: string }
  | { kind: 'environment'; environment: string }
  | { kind: 'pull-request' };

export type SubjectTemplate =
  | { kind: 'default'; immutable: boolean }
  | { kind: 'custom'; claimKeys: readonly string[]; from: 'repository' | 'organization' };

export interface CiGithubDocument extends DocumentBase<'ci github'> {
  dryRun: boolean;
  gh: GhState | null;
  repository: { fullName: string; id: number | null; ownerId: number | null; defaultBranch: string | null } | null;
  subject: {
    value: string;
    trigger: Trigger;
    /** How the subject was found: GitHub's settings, --subject, or the names alone (no gh). */
    source: 'github' | 'flag' | 'names';
    template: SubjectTemplate | null;
  } | null;
  identity: {
    id: string | null;
    name: string;
    resourceGroup: string;
    clientId: string | null;
    principalId: string | null;
    status: ChangeStatus;
  } | null;
  /** The identity as a principal (the shared shape): its principal id, ServicePrincipal, its client id. */
  principal: Principal | null;
  federatedCredential: {
    name: string;
    issuer: string;
    subject: string;
    audiences: string[];
    status: ChangeStatus;
    trustedSubjects: string[];
  } | null;
  roleAssignment: RoleAssignmentOutcome | null;
  variables: {
    level: 'repository' | 'environment';
    environment: string | null;
    values: Record<string, string>;
    status: Record<string, VariableStatus>;
    /** The gh commands run, or to run by hand. */
    commands: string[];
  } | null;
  workflow: { path: string; status: WorkflowStatus } | null;
  plan?: { commands: string[]; workflow: string };
  next?: string;
}

/** What each command prints with --json: its document, or the early failure. */
export interface Documents {
  setup: SetupDocument | EarlyFailureDocument<'setup'>;
  verify: VerifyDocument | EarlyFailureDocument<'verify'>;
  snippet: SnippetDocument | EarlyFailureDocument<'snippet'>;
  revoke: RevokeDocument | EarlyFailureDocument<'revoke'>;
  'ci github': CiGithubDocument | EarlyFailureDocument<'ci github'>;
}

export type SetupOutput = Documents['setup'];
export type VerifyOutput = Documents['verify'];
export type SnippetOutput = Documents['snippet'];
export type RevokeOutput = Documents['revoke'];
export type CiGithubOutput = Documents['ci github'];
