// What went wrong in one attempt, as plain facts: the thrown value of @azure/identity or openai turned into
// data a pure diagnosis can read. Duck-typed on purpose: the libraries load lazily, so nothing here may
// import them, and their classes are renamed in the minified bundle.

export type NetworkReason = 'dns' | 'refused' | 'timeout' | 'reset' | 'tls' | 'other';

export type Failure =
  /** No credential of the chain produced a token (nothing was sent to Azure OpenAI). */
  | { kind: 'credential'; errorName: string; message: string; messages: string[] }
  /** new DefaultAzureCredential() itself threw: a bad AZURE_TOKEN_CREDENTIALS. */
  | { kind: 'credential-config'; message: string }
  | {
      kind: 'http';
      status: number;
      code: string | undefined;
      param: string | undefined;
      message: string;
      retryAfterMs: number | undefined;
    }
  | { kind: 'network'; reason: NetworkReason; message: string };

// Anything JWT-shaped in a message Azure, a proxy or a credential sent back (a gateway that echoes the
// Authorization header) is cut out before the message can reach output, logs or --json.
const JWT = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*/g;

export function redactTokens(text: string): string {
  return text.replace(JWT, '<redacted token>');
}

interface HeadersLike {
  get(name: string): string | null;
}

/** retry-after-ms first (Azure OpenAI sends both), then retry-after in seconds or as an HTTP date. */
export function retryAfterMs(headers: HeadersLike | undefined, nowMs: number): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  const secs = Number(raw); // Number() ignores the whitespace around a number
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The service's own words from a raw error body. Azure OpenAI wraps most errors as {"error":{code,message}},
 * but the gateway's 401 for a bad token is {"statusCode":401,"message":...} with no wrapper, and openai
 * (src/core/error.ts, APIError.generate reads body.error) then only says "401 status code (no body)".
 */
export function parseErrorBody(text: string | undefined): {
  code: string | undefined;
  message: string | undefined;
  param: string | undefined;
} {
  if (!text) return { code: undefined, message: undefined, param: undefined };
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    const t = text.trim();
    return { code: undefined, message: t === '' ? undefined : t.slice(0, 300), param: undefined };
  }
  const rec = (v: unknown): Record<string, unknown> | undefined =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
  const top = rec(o);
  const inner = rec(top?.['error']) ?? top;
  return { code: str(inner?.['code']), message: str(inner?.['message']), param: str(inner?.['param']) };
}

const ERRNO_REASON: Record<string, NetworkReason> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  EHOSTUNREACH: 'other',
  ENETUNREACH: 'other',
};

function errnoOf(e: unknown, depth = 0): { code: string | undefined; message: string | undefined } {
  // Stryker disable next-line ObjectLiteral: {} reads as no code and no message alike
  if (!e || typeof e !== 'object' || depth > 5) return { code: undefined, message: undefined };
  const o = e as { code?: unknown; message?: unknown; cause?: unknown };
  const inner = errnoOf(o.cause, depth + 1);
  if (inner.code) return inner;
  return {
    code: typeof o.code === 'string' ? o.code : undefined,
    message: typeof o.message === 'string' ? o.message : undefined,
  };
}

export interface RawResponse {
  status: number;
  body: string | undefined;
}

/**
 * The thrown value of one attempt as a Failure; undefined when it is none of the known shapes (a bug:
 * the caller rethrows it). `tokenError` is what the token provider threw, caught before openai wraps it as
 * OpenAIError("Failed to get token from 'apiKey' function: ...") (openai src/client.ts _callApiKey).
 */
export function toFailure(
  e: unknown,
  extra: {
    tokenError?: unknown;
    response?: RawResponse | undefined;
    /** openai's APIConnectionTimeoutError / APIConnectionError, told by instanceof where openai is loaded. */
    connection?: 'timeout' | 'error' | undefined;
    nowMs: number;
  },
): Failure | undefined {
  const tokenError = extra.tokenError ?? tokenErrorFromWrapper(e);
  if (tokenError !== undefined) return credentialFailure(tokenError);

  const o = (e ?? {}) as {
    name?: unknown;
    status?: unknown;
    code?: unknown;
    param?: unknown;
    message?: unknown;
    headers?: unknown;
    error?: unknown;
  };
  if (typeof o.status === 'number' && o.status >= 100) {
    const raw =
      extra.response?.status === o.status
        ? parseErrorBody(extra.response.body)
        : // Stryker disable next-line ObjectLiteral: reading a missing field of {} gives the same undefined
          { code: undefined, message: undefined, param: undefined };
    const code = (typeof o.code === 'string' && o.code !== '' ? o.code : undefined) ?? raw.code;
    const param = (typeof o.param === 'string' ? o.param : undefined) ?? raw.param;
    const message =
      raw.message ?? (typeof o.message === 'string' ? o.message.replace(/^\d{3}\s+/, '') : `HTTP ${o.status}`);
    return {
      kind: 'http',
      status: o.status,
      code,
      param,
      message: redactTokens(message),
      retryAfterMs: retryAfterMs(o.headers as HeadersLike | undefined, extra.nowMs),
    };
  }
  if (extra.connection === 'timeout') {
    return { kind: 'network', reason: 'timeout', message: 'The request timed out.' };
  }
  if (extra.connection === 'error' || (e instanceof TypeError && /fetch failed/i.test(e.message))) {
    const errno = errnoOf(e);
    // Stryker disable next-line StringLiteral: no errno and no certificate name is in the text that stands in for none
    const code = errno.code ?? '';
    const reason: NetworkReason =
      ERRNO_REASON[code] ?? (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) ? 'tls' : 'other');
    return {
      kind: 'network',
      reason,
      message: redactTokens(errno.message ?? (typeof o.message === 'string' ? o.message : 'Connection error.')),
    };
  }
  return undefined;
}

function tokenErrorFromWrapper(e: unknown): unknown {
  const o = e as { message?: unknown; cause?: unknown } | undefined;
  if (o && typeof o.message === 'string' && o.message.startsWith("Failed to get token from 'apiKey' function"))
    return o.cause ?? o;
  return undefined;
}

/** @azure/identity: AggregateAuthenticationError (.errors[]) at the end of the chain, or the one error that stopped it. */
export function credentialFailure(e: unknown): Failure {
  const o = (e ?? {}) as { name?: unknown; message?: unknown; errors?: unknown };
  const name = typeof o.name === 'string' ? o.name : 'Error';
  const message = typeof o.message === 'string' ? o.message : String(e);
  const messages = Array.isArray(o.errors)
    ? o.errors.map((x: unknown) => {
        const m = (x ?? {}) as { name?: unknown; message?: unknown };
        return `${typeof m.name === 'string' ? m.name : 'Error'}: ${typeof m.message === 'string' ? m.message : String(x)}`;
      })
    : [`${name}: ${message}`];
  return { kind: 'credential', errorName: name, message: redactTokens(message), messages: messages.map(redactTokens) };
}
