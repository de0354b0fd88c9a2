// The proof that keyless access works: a real chat completion with a Microsoft Entra ID token, exactly
// as the app will make it, and when it fails, which of the known causes it is and the one next step.
// Used by `verify` and as the last step of `setup` (with justAssigned and the role command it ran).
import { SCHEMA_VERSION } from '../contract/documents.ts';
import { codeOf, diagnose, wantsAzureFacts, type AccountFacts, type DeploymentFacts } from './diagnose.ts';
import type { AzureLookup } from './azure-lookup.ts';
import type { Failure } from './failure.ts';
import type { VerifyCode, VerifyInput, VerifyReport } from './report.ts';
import { validateEndpoint } from './settings.ts';
import { otherAudienceScope } from '../entra/audience.ts';
import type { AttemptResult, ConnectOptions, Connection, MaxTokensParam } from './verify-chat.ts';
import { DEFAULT_BACKOFF_MS, realClock, retryUntil, type Clock } from './wait.ts';
import { withDotenvDefaults } from './credential-env.ts';

export interface VerifyDeps {
  /** The connection to the endpoint; tests hand in a stub. Default: verify-chat.ts (lazy-loaded). */
  connect?: (opts: ConnectOptions) => Promise<Connection>;
  clock?: Clock;
  /** Pauses between --wait attempts. Tests use a tiny schedule. */
  backoffMs?: readonly number[];
  /** A 429's retry-after is honoured once if it is at most this long; a longer one is reported at once. */
  maxRetryAfterMs?: number;
  /** az, to name the account in hints. Without it, hints use placeholders. */
  azure?: AzureLookup | undefined;
  /**
   * The environment the app runs in (the context's; default process.env). The credential gets it with the
   * .env's identity variables added as dotenv adds them; it is never changed.
   */
  env?: NodeJS.ProcessEnv;
}

const RETRY_AFTER_CAP_MS = 30_000;
/** A 429 without retry-after: one short pause before the second try. */
const DEFAULT_RETRY_AFTER_MS = 2_000;

/** What one verification counts as it goes: the attempts, the time in requests and waits, the last latency. */
interface Tally {
  attempts: number;
  requestMs: number;
  sleptMs: number;
  lookupMs: number;
  latencyMs: number | null;
  /** max_tokens until a reasoning model refuses it. */
  param: MaxTokensParam;
  honouredRetryAfter: boolean;
}

/** One verification's inputs and its tally, shared by the parts below. */
interface VerifyRun {
  input: VerifyInput;
  deps: VerifyDeps;
  clock: Clock;
  started: number;
  endpoint: string;
  justAssigned: boolean;
  /** The credential's environment: the run's, with the .env's identity variables as dotenv adds them. */
  env: NodeJS.ProcessEnv;
  tally: Tally;
}

/** Where the verification ended: the last answer, the scope it was for, and the connection that got it. */
interface Settled {
  result: AttemptResult;
  scope: string;
  conn: Connection;
  audience: VerifyReport['audience'];
}

export async function verifyKeyless(input: VerifyInput, deps: VerifyDeps = {}): Promise<VerifyReport> {
  const clock = deps.clock ?? realClock;
  const run: VerifyRun = {
    input,
    deps,
    clock,
    started: clock.now(),
    endpoint: validateEndpoint(input.endpoint, 'endpoint'),
    justAssigned: input.justAssigned === true,
    env: withDotenvDefaults(deps.env ?? process.env, input.credentialEnv ?? {}),
    tally: {
      attempts: 0,
      requestMs: 0,
      sleptMs: 0,
      lookupMs: 0,
      latencyMs: null,
      param: 'max_tokens',
      honouredRetryAfter: false,
    },
  };
  const opened: Connection[] = [];
  try {
    const connectFn = deps.connect ?? (await import('./verify-chat.ts')).connect;
    const conn = await connectFn({
      endpoint: run.endpoint,
      deployment: input.deployment,
      apiVersion: input.apiVersion,
      api: input.api,
      scope: input.scope,
      env: run.env,
    });
    opened.push(conn);
    const outcome = await retryUntil({
      attempt: () => attemptOnce(run, conn),
      retryable: (r) => !r.ok && isRoleCode(codeOf(r.failure, run.justAssigned)),
      waitMs: input.waitMs,
      schedule: deps.backoffMs ?? DEFAULT_BACKOFF_MS,
      clock,
      onRetry: (retry) => reportRetry(run, conn, retry),
    });
    run.tally.sleptMs += outcome.sleptMs;
    const settled = await withOtherAudience(
      run,
      { result: outcome.value, scope: input.scope, conn, audience: undefined },
      connectFn,
      opened,
    );
    const error = settled.result.ok ? undefined : await diagnosis(run, conn, settled, outcome.gaveUp);
    return reportOf(run, settled, error);
  } finally {
    // Last opened, first closed: each connection restores the logger as it found it.
    for (const c of opened.reverse()) c.close();
  }
}

function diagnoseContext(run: VerifyRun, conn: Connection) {
  const { input } = run;
  return {
    endpoint: run.endpoint,
    deployment: input.deployment,
    scope: input.scope,
    api: input.api,
    justAssigned: run.justAssigned,
    claims: conn.claims(),
    roleAssignmentCommand: input.roleAssignmentCommand,
  };
}

/**
 * One attempt as the user sees it: with the switch to max_completion_tokens for a reasoning model and one
 * retry-after for a 429 folded in.
 */
async function attemptOnce(run: VerifyRun, c: Connection): Promise<AttemptResult> {
  const { input, tally: t, clock } = run;
  for (;;) {
    t.attempts++;
    input.onProgress?.({ type: 'attempt', attempt: t.attempts, elapsedMs: clock.now() - run.started });
    const r = await c.send(t.param);
    t.requestMs += r.requestMs;
    if (r.ok || r.failure.kind === 'http') t.latencyMs = Math.round(r.requestMs);
    if (r.ok) return r;
    const f = r.failure;
    if (t.param === 'max_tokens' && rejectsMaxTokens(f)) {
      // gpt-5 and the o-series take max_completion_tokens only (400 unsupported_parameter).
      t.param = 'max_completion_tokens';
      input.onProgress?.({ type: 'max-completion-tokens', attempt: t.attempts });
      continue;
    }
    if (f.kind === 'http' && f.status === 429 && !t.honouredRetryAfter) {
      const delay = f.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
      if (delay <= (run.deps.maxRetryAfterMs ?? RETRY_AFTER_CAP_MS)) {
        t.honouredRetryAfter = true;
        input.onProgress?.({ type: 'retry-after', attempt: t.attempts, delayMs: delay });
        await clock.sleep(delay);
        t.sleptMs += delay;
        continue;
      }
    }
    return r;
  }
}

function reportRetry(
  run: VerifyRun,
  conn: Connection,
  retry: { value: AttemptResult; delayMs: number; elapsedMs: number; deadlineMs: number },
): void {
  const { value, delayMs, elapsedMs, deadlineMs } = retry;
  if (value.ok) return;
  const info = diagnose(value.failure, { ...diagnoseContext(run, conn), waitedMs: 0 });
  run.input.onProgress?.({
    type: 'retrying',
    attempt: run.tally.attempts,
    code: info.code,
    message: info.message,
    delayMs,
    elapsedMs,
    deadlineMs,
  });
}

/** A 401 that names the audience it wanted: one more try with the other one (resource vs Foundry). */
async function withOtherAudience(
  run: VerifyRun,
  settled: Settled,
  connectFn: (opts: ConnectOptions) => Promise<Connection>,
  opened: Connection[],
): Promise<Settled> {
  const { result } = settled;
  if (result.ok) return settled;
  const { input, endpoint, justAssigned, tally, env } = run;
  const other = await tryOtherAudience(result, {
    ...input,
    endpoint,
    param: tally.param,
    connectFn,
    justAssigned,
    env,
  });
  if (!other) return settled;
  opened.push(other.conn);
  tally.attempts += other.sends;
  tally.requestMs += other.result.requestMs;
  const audience = { refused: input.scope, tried: other.scope, ok: other.result.ok };
  if (!other.result.ok) return { ...settled, audience };
  tally.latencyMs = Math.round(other.result.requestMs);
  return { result: other.result, scope: other.scope, conn: other.conn, audience };
}

/** Which known cause, with what az knows about the account when that makes the hint better. */
async function diagnosis(
  run: VerifyRun,
  conn: Connection,
  settled: Settled,
  gaveUp: boolean,
): Promise<VerifyReport['error']> {
  const { result, audience } = settled;
  if (result.ok) return undefined;
  const { clock, input } = run;
  const waitedMs = gaveUp ? clock.now() - run.started : 0;
  const t = clock.now();
  const hasRoleCommand = input.roleAssignmentCommand !== undefined;
  const facts = await azureFacts(result.failure, run.justAssigned, hasRoleCommand, run.endpoint, run.deps.azure);
  run.tally.lookupMs = clock.now() - t;
  const error = diagnose(result.failure, { ...diagnoseContext(run, conn), waitedMs, ...facts });
  if (audience) error.details = [...(error.details ?? []), `A token for ${audience.tried} was refused too.`];
  return error;
}

function reportOf(run: VerifyRun, settled: Settled, error: VerifyReport['error']): VerifyReport {
  const { input, tally: t } = run;
  const { result, scope, audience, conn: c } = settled;
  const claims = c.claims();
  return {
    schemaVersion: SCHEMA_VERSION,
    ok: result.ok,
    command: 'verify',
    endpoint: run.endpoint,
    deployment: input.deployment,
    apiVersion: input.api === 'v1' ? null : input.apiVersion,
    api: input.api,
    scope,
    ...(audience ? { audience } : {}),
    model: result.ok ? result.model : null,
    credential: claims ? (c.credential() ?? null) : null,
    principal: {
      objectId: claims?.objectId ?? null,
      tenantId: claims?.tenantId ?? null,
      name: claims?.name ?? null,
      type: claims?.principalType ?? null,
    },
    claims: claims
      ? {
          aud: claims.audience ?? null,
          exp: claims.expiresAt?.toISOString() ?? null,
          oid: claims.objectId ?? null,
          tid: claims.tenantId ?? null,
          name: claims.name ?? null,
          appid: claims.appId ?? null,
        }
      : null,
    latencyMs: t.latencyMs,
    attempts: t.attempts,
    timings: timingsOf(run, c.tokenMs()),
    sources: {
      endpoint: input.sources?.endpoint ?? 'azure',
      deployment: input.sources?.deployment ?? 'azure',
      apiVersion: input.sources?.apiVersion ?? 'default',
      scope: input.sources?.scope ?? 'default',
    },
    warnings: [...(input.warnings ?? [])],
    ...(error ? { error } : {}),
  };
}

function timingsOf(run: VerifyRun, tokenMs: number): VerifyReport['timings'] {
  const { requestMs, sleptMs, lookupMs } = run.tally;
  const totalMs = run.clock.now() - run.started;
  return {
    tokenMs: Math.round(tokenMs),
    requestMs: Math.round(requestMs),
    waitMs: Math.round(sleptMs),
    lookupMs: Math.round(lookupMs),
    totalMs: Math.round(totalMs),
    overheadMs: Math.max(0, Math.round(totalMs - tokenMs - requestMs - sleptMs - lookupMs)),
  };
}

/** The second connection, for the other audience the 401 named; undefined when there is none to try. */
async function tryOtherAudience(
  r: Extract<AttemptResult, { ok: false }>,
  o: VerifyInput & {
    endpoint: string;
    param: MaxTokensParam;
    connectFn: (opts: ConnectOptions) => Promise<Connection>;
    justAssigned: boolean;
    env: NodeJS.ProcessEnv;
  },
): Promise<{ scope: string; conn: Connection; result: AttemptResult; sends: number } | undefined> {
  if (r.failure.kind !== 'http' || codeOf(r.failure, o.justAssigned) !== 'bad-token') return undefined;
  const scope = otherAudienceScope(o.scope, r.failure.message);
  if (!scope) return undefined;
  o.onProgress?.({ type: 'other-audience', scope });
  const conn = await o.connectFn({
    endpoint: o.endpoint,
    deployment: o.deployment,
    apiVersion: o.apiVersion,
    api: o.api,
    scope,
    env: o.env,
  });
  let result = await conn.send(o.param);
  let sends = 1;
  // The first 401 came before the body was read: a reasoning model may refuse max_tokens only now.
  if (!result.ok && o.param === 'max_tokens' && rejectsMaxTokens(result.failure)) {
    result = await conn.send('max_completion_tokens');
    sends++;
  }
  return { scope, conn, result, sends };
}

function isRoleCode(code: VerifyCode): boolean {
  return code === 'role-missing' || code === 'role-propagating';
}

function rejectsMaxTokens(f: Failure): boolean {
  return (
    f.kind === 'http' &&
    f.status === 400 &&
    (f.code === 'unsupported_parameter' || /max_completion_tokens/.test(f.message)) &&
    (f.param === 'max_tokens' || /'max_tokens'/.test(f.message))
  );
}

async function azureFacts(
  f: Failure,
  justAssigned: boolean,
  hasRoleCommand: boolean,
  endpoint: string,
  azure: AzureLookup | undefined,
): Promise<{ account?: AccountFacts; deployments?: DeploymentFacts[] }> {
  const code = codeOf(f, justAssigned);
  if (!azure || !wantsAzureFacts(code, hasRoleCommand)) return {};
  const account = await azure.accountForEndpoint(endpoint).catch(() => undefined);
  if (!account) return {};
  if (code !== 'deployment-not-found' && code !== 'not-a-chat-model') return { account };
  const deployments = await azure.deployments(account).catch(() => undefined);
  return deployments ? { account, deployments } : { account };
}
