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

export async function verifyKeyless(input: VerifyInput, deps: VerifyDeps = {}): Promise<VerifyReport> {
  const clock = deps.clock ?? realClock;
  const started = clock.now();
  const endpoint = validateEndpoint(input.endpoint, 'endpoint');
  const justAssigned = input.justAssigned === true;
  const env = withDotenvDefaults(deps.env ?? process.env, input.credentialEnv ?? {});
  let conn: Connection | undefined;
  let extraConn: Connection | undefined;
  try {
    const connectFn = deps.connect ?? (await import('./verify-chat.ts')).connect;
    conn = await connectFn({
      endpoint,
      deployment: input.deployment,
      apiVersion: input.apiVersion,
      api: input.api,
      scope: input.scope,
      env,
    });
    let c = conn;
    const baseCtx = () => ({
      endpoint,
      deployment: input.deployment,
      scope: input.scope,
      api: input.api,
      justAssigned,
      claims: c.claims(),
      roleAssignmentCommand: input.roleAssignmentCommand,
    });

    let attempts = 0;
    let requestMs = 0;
    let sleptMs = 0;
    let latencyMs: number | null = null;
    let param: MaxTokensParam = 'max_tokens';
    let honouredRetryAfter = false;

    // One attempt as the user sees it: with the switch to max_completion_tokens for a reasoning model and
    // one retry-after for a 429 folded in.
    const attempt = async (): Promise<AttemptResult> => {
      for (;;) {
        attempts++;
        input.onProgress?.({ type: 'attempt', attempt: attempts, elapsedMs: clock.now() - started });
        const r = await c.send(param);
        requestMs += r.requestMs;
        if (r.ok || r.failure.kind === 'http') latencyMs = Math.round(r.requestMs);
        if (r.ok) return r;
        const f = r.failure;
        if (param === 'max_tokens' && rejectsMaxTokens(f)) {
          // gpt-5 and the o-series take max_completion_tokens only (400 unsupported_parameter).
          param = 'max_completion_tokens';
          input.onProgress?.({ type: 'max-completion-tokens', attempt: attempts });
          continue;
        }
        if (f.kind === 'http' && f.status === 429 && !honouredRetryAfter) {
          const delay = f.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
          if (delay <= (deps.maxRetryAfterMs ?? RETRY_AFTER_CAP_MS)) {
            honouredRetryAfter = true;
            input.onProgress?.({ type: 'retry-after', attempt: attempts, delayMs: delay });
            await clock.sleep(delay);
            sleptMs += delay;
            continue;
          }
        }
        return r;
      }
    };

    const outcome = await retryUntil({
      attempt,
      retryable: (r) => !r.ok && isRoleCode(codeOf(r.failure, justAssigned)),
      waitMs: input.waitMs,
      schedule: deps.backoffMs ?? DEFAULT_BACKOFF_MS,
      clock,
      onRetry: ({ value, delayMs, elapsedMs, deadlineMs }) => {
        if (value.ok) return;
        const info = diagnose(value.failure, { ...baseCtx(), waitedMs: 0 });
        input.onProgress?.({
          type: 'retrying',
          attempt: attempts,
          code: info.code,
          message: info.message,
          delayMs,
          elapsedMs,
          deadlineMs,
        });
      },
    });
    sleptMs += outcome.sleptMs;

    let result = outcome.value;
    let scope = input.scope;
    let audience: VerifyReport['audience'];
    if (!result.ok) {
      // A 401 that names the audience it wanted: one more try with the other one (resource vs Foundry).
      const other = await tryOtherAudience(result, { ...input, endpoint, param, connectFn, justAssigned, env });
      if (other) {
        attempts += other.sends;
        requestMs += other.result.requestMs;
        audience = { refused: input.scope, tried: other.scope, ok: other.result.ok };
        extraConn = other.conn;
        if (other.result.ok) {
          result = other.result;
          scope = other.scope;
          c = other.conn;
          latencyMs = Math.round(other.result.requestMs);
        }
      }
    }
    let lookupMs = 0;
    let error: VerifyReport['error'];
    if (!result.ok) {
      const waitedMs = outcome.gaveUp ? clock.now() - started : 0;
      const t = clock.now();
      const facts = await azureFacts(
        result.failure,
        justAssigned,
        input.roleAssignmentCommand !== undefined,
        endpoint,
        deps.azure,
      );
      lookupMs = clock.now() - t;
      error = diagnose(result.failure, { ...baseCtx(), waitedMs, ...facts });
      if (audience) error.details = [...(error.details ?? []), `A token for ${audience.tried} was refused too.`];
    }

    const claims = c.claims();
    const totalMs = clock.now() - started;
    const tokenMs = c.tokenMs();
    const report: VerifyReport = {
      schemaVersion: SCHEMA_VERSION,
      ok: result.ok,
      command: 'verify',
      endpoint,
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
      latencyMs,
      attempts,
      timings: {
        tokenMs: Math.round(tokenMs),
        requestMs: Math.round(requestMs),
        waitMs: Math.round(sleptMs),
        lookupMs: Math.round(lookupMs),
        totalMs: Math.round(totalMs),
        overheadMs: Math.max(0, Math.round(totalMs - tokenMs - requestMs - sleptMs - lookupMs)),
      },
      sources: {
        endpoint: input.sources?.endpoint ?? 'azure',
        deployment: input.sources?.deployment ?? 'azure',
        apiVersion: input.sources?.apiVersion ?? 'default',
        scope: input.sources?.scope ?? 'default',
      },
      warnings: [...(input.warnings ?? [])],
      ...(error ? { error } : {}),
    };
    return report;
  } finally {
    // Last opened, first closed: each connection restores the logger as it found it.
    extraConn?.close();
    conn?.close();
  }
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
