// One connection to the endpoint, built the way the app will build it (the recipe aoai-keyless writes):
//   new DefaultAzureCredential() -> getBearerTokenProvider(credential, scope)
//   -> new AzureOpenAI({ endpoint, deployment, apiVersion, azureADTokenProvider })   (--api classic)
//   -> new OpenAI({ baseURL: <endpoint>/openai/v1/, apiKey: tokenProvider })         (--api v1)
// and one tiny chat completion per send(). @azure/identity and openai load here, lazily, so `--help`
// never pays for them. The token passes through the provider below and is decoded for its claims; it is
// never stored, returned, logged or printed.
import type { TokenCredential } from '@azure/identity';
import type { OpenAI as OpenAIClient } from 'openai';
import { decodeTokenClaims, type TokenClaims } from '../entra/token-claims.ts';
import { captureCredentialLog, type AzureLoggerModule } from './credential-log.ts';
import { enterEnvironment } from './credential-env.ts';
import { redactTokens, toFailure, type Failure, type RawResponse } from './failure.ts';
import type { Api } from './report.ts';

export type MaxTokensParam = 'max_tokens' | 'max_completion_tokens';

export type AttemptResult =
  | { ok: true; model: string | null; requestMs: number; status: number }
  | { ok: false; failure: Failure; requestMs: number };

export interface Connection {
  send(param: MaxTokensParam): Promise<AttemptResult>;
  claims(): TokenClaims | undefined;
  credential(): string | undefined;
  /** Total time spent in the token provider (first call: az or IMDS; later calls hit its cache). */
  tokenMs(): number;
  close(): void;
}

export interface ConnectOptions {
  endpoint: string;
  deployment: string;
  apiVersion: string;
  api: Api;
  scope: string;
  /** The environment DefaultAzureCredential works in (credential-env.ts). Default: process.env as it is. */
  env?: NodeJS.ProcessEnv;
  /** Per request. A tiny completion answers in about a second; reasoning models take longer. */
  timeoutMs?: number;
  now?: () => number;
  /** Tests: a credential in place of DefaultAzureCredential (its name is reported as `credentialName`). */
  credential?: TokenCredential;
  credentialName?: string;
  /** Tests: a fetch in place of the global one. */
  fetch?: typeof fetch;
}

// 204/205/304 may not have a body (fetch spec); the Response constructor throws if given one.
const NULL_BODY = new Set([101, 204, 205, 304]);

/** Small answer sizes: enough for any chat model to say something, cheap enough to never matter. */
const MAX_TOKENS = 5;
// Reasoning models spend hidden tokens before the first visible one.
const MAX_COMPLETION_TOKENS = 32;

type OpenAIModule = typeof import('openai');

export async function connect(opts: ConnectOptions): Promise<Connection> {
  // DefaultAzureCredential (and openai) read process.env: it holds the credential's environment while the
  // connection lives, and what it held before once it is closed or could not be opened.
  const leaveEnvironment = opts.env ? enterEnvironment(opts.env) : () => undefined;
  try {
    const conn = await open(opts);
    return {
      ...conn,
      close: () => {
        conn.close();
        leaveEnvironment();
      },
    };
  } catch (e) {
    leaveEnvironment();
    throw e;
  }
}

async function open(opts: ConnectOptions): Promise<Connection> {
  const now = opts.now ?? (() => performance.now());
  const given = opts.credential;
  const [identity, logger] = await Promise.all([
    given ? undefined : import('@azure/identity'),
    import('@azure/logger'),
  ]);
  const capture = captureCredentialLog(logger as unknown as AzureLoggerModule);

  let credential: TokenCredential;
  try {
    // No options that change which identity is used: AZURE_CLIENT_ID, AZURE_TENANT_ID and
    // AZURE_TOKEN_CREDENTIALS act exactly as they will in the app. processTimeoutInMs only bounds a hung
    // `az`/`azd`/`pwsh` (AzureCliCredential has no default timeout).
    // biome-ignore lint/style/noNonNullAssertion: @azure/identity is loaded exactly when no credential was given.
    credential = given ?? new identity!.DefaultAzureCredential({ processTimeoutInMs: 60_000 });
  } catch (e) {
    // A bad AZURE_TOKEN_CREDENTIALS makes the constructor throw synchronously (defaultAzureCredential.ts).
    return failedConnection(redactTokens(e instanceof Error ? e.message : String(e)), () => capture.restore());
  }

  const inner = given
    ? async () => (await given.getToken(opts.scope))?.token ?? ''
    : // biome-ignore lint/style/noNonNullAssertion: @azure/identity is loaded exactly when no credential was given.
      identity!.getBearerTokenProvider(credential, opts.scope);
  const tokens = tokenSource(inner, now);
  // Loaded once the first token has been asked for, so it loads while az (or IMDS) works.
  const openai = await import('openai');
  const fetcher = timedFetch(opts.fetch ?? fetch, now);
  const client = createClient(openai, opts, fetcher.fetch, tokens.provider);
  return {
    send: (param) => send(openai, client, opts, { tokens: tokens.state, fetcher }, param),
    claims: () => tokens.state.claims,
    credential: () => (opts.credential ? opts.credentialName : capture.credential()),
    tokenMs: () => tokens.state.ms,
    close: () => capture.restore(),
  };
}

/** A connection whose every send fails with the credential's configuration error. */
function failedConnection(message: string, close: () => void): Connection {
  const failure: Failure = { kind: 'credential-config', message };
  return {
    send: async () => ({ ok: false, failure, requestMs: 0 }),
    claims: () => undefined,
    credential: () => undefined,
    tokenMs: () => 0,
    close,
  };
}

interface TimedFetch {
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** The last response's status and error body, and the time of the last request. */
  last: { response: RawResponse | undefined; ms: number };
}

/**
 * Our own fetch: it times the request alone (not the token) and keeps the raw error body, which openai drops
 * when it lacks an `error` wrapper (the gateway's 401, some 403s).
 */
function timedFetch(baseFetch: typeof fetch, now: () => number): TimedFetch {
  const last: TimedFetch['last'] = { response: undefined, ms: 0 };
  const timed = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const t0 = now();
    try {
      const res = await baseFetch(input, init);
      const text = await res.text();
      last.response = { status: res.status, body: res.ok ? undefined : text.slice(0, 4000) };
      return new Response(NULL_BODY.has(res.status) ? null : text, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    } finally {
      last.ms = now() - t0;
    }
  };
  return { fetch: timed, last };
}

/** The client the app builds: OpenAI on <endpoint>/openai/v1/ (v1), or AzureOpenAI with an api version (classic). */
function createClient(
  openai: OpenAIModule,
  opts: ConnectOptions,
  fetch: TimedFetch['fetch'],
  tokenProvider: () => Promise<string>,
): OpenAIClient {
  const common = {
    // openai >= 6.26 sleeps for whatever retry-after says, uncapped (a real 429 can say 86400 s): retries
    // are ours (src/client.ts retryRequest).
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 60_000,
    fetch,
    // OPENAI_LOG=debug would print requests to stdout through console; our --debug says what matters.
    logLevel: 'off' as const,
    // Keys for api.openai.com that openai reads from the environment by default: never sent to Azure.
    organization: null,
    project: null,
    adminAPIKey: null,
  };
  if (opts.api === 'v1') {
    return new openai.OpenAI({ ...common, baseURL: `${trimSlashes(opts.endpoint)}/openai/v1/`, apiKey: tokenProvider });
  }
  return new openai.AzureOpenAI({
    ...common,
    endpoint: opts.endpoint,
    deployment: opts.deployment,
    apiVersion: opts.apiVersion,
    azureADTokenProvider: tokenProvider,
    // openai's AzureOpenAI destructures `apiKey = readEnv('AZURE_OPENAI_API_KEY')` and
    // `baseURL = readEnv('OPENAI_BASE_URL')` (src/azure.ts): a default parameter applies to undefined
    // only, so null switches the environment fallback off for this client, and a stale key in the
    // environment can no longer make the constructor throw "mutually exclusive".
    apiKey: null as unknown as undefined,
    baseURL: null,
  });
}

/** One tiny chat completion; a failure the diagnosis knows comes back as one, anything else is thrown. */
async function send(
  openai: OpenAIModule,
  client: OpenAIClient,
  opts: ConnectOptions,
  io: { tokens: TokenState; fetcher: TimedFetch },
  param: MaxTokensParam,
): Promise<AttemptResult> {
  const { tokens, fetcher } = io;
  tokens.error = undefined;
  fetcher.last.response = undefined;
  fetcher.last.ms = 0;
  try {
    const completion = await client.chat.completions.create({
      model: opts.deployment,
      messages: [{ role: 'user', content: 'ping' }],
      ...(param === 'max_tokens' ? { max_tokens: MAX_TOKENS } : { max_completion_tokens: MAX_COMPLETION_TOKENS }),
    });
    return {
      ok: true,
      model: typeof completion.model === 'string' && completion.model !== '' ? completion.model : null,
      requestMs: fetcher.last.ms,
      status: 200,
    };
  } catch (e) {
    const connection =
      e instanceof openai.APIConnectionTimeoutError
        ? 'timeout'
        : e instanceof openai.APIConnectionError
          ? 'error'
          : undefined;
    const failure = toFailure(e, {
      tokenError: tokens.error,
      response: fetcher.last.response,
      connection,
      nowMs: Date.now(),
    });
    if (!failure) throw e;
    return { ok: false, failure, requestMs: fetcher.last.ms };
  }
}

interface TokenState {
  claims: TokenClaims | undefined;
  /** The failure of the token request of the current attempt (send() clears it). */
  error: unknown;
  /** Time spent waiting for tokens, all requests together. */
  ms: number;
}

/**
 * The token provider openai calls for each request: it times each token request and decodes its
 * claims. The first token is asked for at once, before openai has loaded: az (or IMDS) takes half a
 * second or more to answer, openai 7 tens of milliseconds to load, so the load hides behind the
 * token instead of adding to it. The first request gets that token (or its failure).
 */
function tokenSource(
  inner: () => Promise<string>,
  now: () => number,
): { provider: () => Promise<string>; state: TokenState } {
  const state: TokenState = { claims: undefined, error: undefined, ms: 0 };
  const timed = async (): Promise<string> => {
    const t0 = now();
    try {
      const token = await inner();
      state.claims = decodeTokenClaims(token) ?? state.claims;
      return token;
    } finally {
      state.ms += now() - t0;
    }
  };
  let early: Promise<string> | undefined = timed();
  early.catch(() => undefined); // handled: the first request takes it
  const provider = (): Promise<string> => {
    const token = early ?? timed();
    early = undefined;
    return token.catch((e: unknown) => {
      state.error = e;
      throw e;
    });
  };
  return { provider, state };
}

function trimSlashes(s: string): string {
  return s.replace(/\/+$/, '');
}
