// A local Azure OpenAI data plane on 127.0.0.1 for the e2e tests. Several accounts share one port, told
// apart by the first path segment: the endpoint of account `a` is http://127.0.0.1:<port>/a/, so openai
// calls /a/openai/deployments/<d>/chat/completions?api-version=... (AzureOpenAI) and
// /a/openai/v1/chat/completions (OpenAI on the v1 API).
//
// It decides like the real service, from the shared pretend-Azure world (world.mjs): the Bearer token's
// audience, expiry and tenant, the account's custom subdomain and network access, the principal's data-plane
// role (dataPlaneAccess: granted / propagating / missing), the deployment (unknown, not chat, reasoning),
// the api-version and the body. Forced behaviours cover what the world cannot express (a throttled quota,
// a private endpoint, a 404 from a wrong path). Bodies and headers are Azure's (shared azure-fixtures.json).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dataPlaneAccess, loadWorld, requiredDataAction, type CognitiveAccount, type World } from './world.mjs';
import { readClaims } from './tokens.mjs';

export type ForcedBehaviour =
  /** 401 with the gateway's unwrapped body, whatever the token. */
  | { kind: 'bad-token' }
  /** 400 "Token tenant ... does not match resource tenant." */
  | { kind: 'wrong-tenant' }
  /** 429 with retry-after for the next `times` requests (default: all), then normal answers. */
  | { kind: 'throttle'; times?: number; retryAfterSeconds?: number }
  /** 403 from the account's network rules. */
  | { kind: 'network-blocked'; variant?: 'public-disabled' | 'private-endpoint' }
  /** 404 {"error":{"code":"404","message":"Resource not found"}}. */
  | { kind: 'resource-not-found' }
  /** 500, for "unexpected" answers. */
  | { kind: 'server-error' }
  /** 401 PermissionDenied for the next `times` requests whatever the world says: a propagation delay counted in requests. */
  | { kind: 'permission-denied'; times: number };

export interface FakeAoaiBehaviour {
  force?: ForcedBehaviour | null;
  /** Limit `force` to this account (default: every account). */
  account?: string;
  /** The service's own answer time, added to every response. */
  latencyMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Request headers with authorization redacted to `Bearer <redacted>`. */
  headers: Record<string, string>;
  body: unknown;
  status: number;
  /** The decoded claims of the Bearer token, if any (the token itself is in `tokens` only). */
  claims: Record<string, unknown> | null;
  /** Time the fake spent answering, from the end of the request body to the end of the response. */
  serviceMs: number;
}

export interface FakeAoai {
  url: string;
  port: number;
  endpointFor(accountName: string): string;
  requests: RecordedRequest[];
  /** Raw bearer tokens seen, so tests can prove no output contains one. Test double only. */
  tokens: string[];
  setBehaviour(b: FakeAoaiBehaviour): void;
  close(): Promise<void>;
}

export interface FakeAoaiOptions {
  /** The world file the fake az writes (read fresh for every request, so new role assignments count). */
  worldPath?: string;
  /** Or a world held in memory (unit tests without the fake az). */
  world?: World | (() => World);
  behaviour?: FakeAoaiBehaviour;
}

const FIXTURES = JSON.parse(
  readFileSync(new URL('../fixtures/azure-fixtures.json', import.meta.url), 'utf8'),
) as Record<string, { body: unknown; headers?: Record<string, string> }>;

const AUDIENCE: Record<string, string> = {
  AzureCloud: 'https://cognitiveservices.azure.com',
  AzureUSGovernment: 'https://cognitiveservices.azure.us',
  AzureChinaCloud: 'https://cognitiveservices.azure.cn',
};
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const CHAT_ACTION = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export async function startFakeAoai(opts: FakeAoaiOptions = {}): Promise<FakeAoai> {
  let behaviour: FakeAoaiBehaviour = opts.behaviour ?? {};
  let throttled = 0;
  let denied = 0;
  const requests: RecordedRequest[] = [];
  const tokens: string[] = [];

  const world = (): World => {
    if (opts.worldPath) return loadWorld(opts.worldPath);
    if (typeof opts.world === 'function') return opts.world();
    if (opts.world) return opts.world;
    throw new Error('startFakeAoai needs worldPath or world');
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const t0 = performance.now();
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const auth = req.headers['authorization'];
      const token = typeof auth === 'string' && /^Bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
      if (token) tokens.push(token);
      const claims = token ? readClaims(token) : null;
      let answer: Answer;
      try {
        answer = decide(req, url, body, token, claims);
      } catch (e) {
        answer = {
          status: 500,
          body: { error: { code: 'InternalServerError', message: `fake-aoai: ${(e as Error).message}` } },
        };
      }
      const send = (): void => {
        reply(res, answer);
        requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: redact(req.headers),
          body,
          status: answer.status,
          claims,
          serviceMs: performance.now() - t0,
        });
      };
      if (behaviour.latencyMs) setTimeout(send, behaviour.latencyMs);
      else send();
    });
  });

  function decide(
    req: IncomingMessage,
    url: URL,
    body: unknown,
    token: string | undefined,
    claims: Record<string, unknown> | null,
  ): Answer {
    // Doubles as the managed-identity endpoint for AZURE_POD_IDENTITY_AUTHORITY_HOST=<url>: a live "no identity
    // here" answer keeps a full DefaultAzureCredential chain on loopback (no probe of 169.254.169.254), and a
    // 400 is not retried, unlike a closed port (@azure/identity imdsMsi.ts, imdsRetryPolicy.ts).
    if (url.pathname.replace(/\/+$/, '') === '/metadata/identity/oauth2/token') {
      return { status: 400, body: { error: 'invalid_request', error_description: 'Identity not found' } };
    }
    const w = world();
    const segments = url.pathname.split('/').filter(Boolean);
    const accountName = segments[0] ?? '';
    const account = w.accounts.find((a) => a.name.toLowerCase() === accountName.toLowerCase());
    const rest = `/${segments.slice(1).join('/')}`;
    const classic = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(rest);
    const v1 = rest === '/openai/v1/chat/completions';
    if (!account || req.method !== 'POST' || (!classic && !v1)) return notFound();

    const force =
      behaviour.force && (!behaviour.account || behaviour.account === account.name) ? behaviour.force : null;
    if (force?.kind === 'resource-not-found') return notFound();

    // The gateway checks the network first: a blocked caller learns nothing else.
    if (force?.kind === 'network-blocked' || account.publicNetworkAccess === 'Disabled') {
      const message =
        force?.kind === 'network-blocked' && force.variant === 'private-endpoint'
          ? 'Traffic is not from an approved private endpoint.'
          : 'Public access is disabled. Please configure private endpoint.';
      return { status: 403, body: { error: { code: '403', message } } };
    }
    if (!account.customSubDomainName) return fixture('aoai_400_regional_endpoint_token_auth', 400);
    const audiences = acceptedAudiences(account, w);
    if (force?.kind === 'bad-token' || !token || !claims) return badToken(audiences);
    if (!audiences.includes(String(claims['aud'] ?? '').replace(/\/+$/, ''))) return badToken(audiences);
    if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= Date.now()) return badToken(audiences);

    const resourceTenant = (account as CognitiveAccount & { tenantId?: string }).tenantId ?? w.tenantId;
    if (force?.kind === 'wrong-tenant' || (claims['tid'] && claims['tid'] !== resourceTenant)) {
      return {
        status: 400,
        body: {
          error: {
            code: 'Tenant provided in token does not match resource token',
            message: `Token tenant ${String(claims['tid'])} does not match resource tenant.`,
          },
        },
      };
    }

    const oid = String(claims['oid'] ?? '');
    // A model that is not OpenAI's needs the MaaS data action, which the OpenAI roles lack: 401 PermissionDenied
    // naming it (a user's pasted 401 for a DeepSeek deployment: "... lacks the required data action
    // `Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action` to perform `POST /models/chat/completions`
    // operation."; AZURE-FACTS E.5). The deployment is looked up by name as the route names it.
    const named = classic
      ? decodeURIComponent(classic[1]!)
      : String(((body && typeof body === 'object' ? body : {}) as Record<string, unknown>)['model'] ?? '');
    const format = account.deployments.find((d) => d.name === named)?.format;
    const access = dataPlaneAccess(w, oid, account, Date.now(), format);
    const deny = force?.kind === 'permission-denied' && denied < force.times;
    if (deny) denied++;
    if (access !== 'granted' || deny) {
      const action = requiredDataAction(format);
      const op =
        action !== CHAT_ACTION
          ? 'POST /models/chat/completions'
          : classic
            ? 'POST /openai/deployments/{deployment-id}/chat/completions'
            : 'POST /openai/v1/chat/completions';
      return {
        status: 401,
        body: {
          error: {
            code: 'PermissionDenied',
            message: `The principal \`${oid}\` lacks the required data action \`${action}\` to perform \`${op}\` operation.`,
          },
        },
      };
    }

    const apiVersion = url.searchParams.get('api-version');
    if (classic && (!apiVersion || !API_VERSION.test(apiVersion))) return notFound();

    if (force?.kind === 'server-error')
      return {
        status: 500,
        body: {
          error: {
            code: 'InternalServerError',
            message: 'The server had an error while processing your request. Sorry about that!',
          },
        },
      };
    if (force?.kind === 'throttle' && (force.times === undefined || throttled < force.times)) {
      throttled++;
      const secs = force.retryAfterSeconds ?? 1;
      const f = FIXTURES['aoai_429_rate_limited']!;
      const message = `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${apiVersion ?? 'v1'} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${secs} second${secs === 1 ? '' : 's'}. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`;
      return {
        status: 429,
        body: { error: { code: '429', message } },
        headers: { ...f.headers, 'retry-after': String(secs), 'retry-after-ms': String(secs * 1000) },
      };
    }

    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const deploymentName = classic ? decodeURIComponent(classic[1]!) : String(b['model'] ?? '');
    const deployment = account.deployments.find((d) => d.name === deploymentName);
    if (!deployment) return fixture('aoai_404_deployment_not_found', 404);
    if (classic && deployment.reasoning && apiVersion !== null && apiVersion.slice(0, 10) < REASONING_SINCE)
      return apiVersionTooOld();
    if (deployment.chat === false) {
      return {
        status: 400,
        body: {
          error: {
            code: 'OperationNotSupported',
            message: `The chatCompletion operation does not work with the specified model, ${deployment.model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
          },
        },
      };
    }
    if (!Array.isArray(b['messages']) || b['messages'].length === 0) {
      return {
        status: 400,
        body: {
          error: {
            message: "Missing required parameter: 'messages'.",
            type: 'invalid_request_error',
            param: 'messages',
            code: 'missing_required_parameter',
          },
        },
      };
    }
    if (b['max_tokens'] !== undefined && b['max_completion_tokens'] !== undefined) {
      return {
        status: 400,
        body: {
          error: {
            message: 'max_tokens and max_completion_tokens cannot both be set. Use max_completion_tokens only.',
            type: 'invalid_request_error',
            param: 'max_tokens',
            code: 'invalid_request_error',
          },
        },
      };
    }
    if (deployment.reasoning && b['max_tokens'] !== undefined) {
      return {
        status: 400,
        body: {
          error: {
            message:
              "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
            type: 'invalid_request_error',
            param: 'max_tokens',
            code: 'unsupported_parameter',
          },
        },
      };
    }
    return success(deployment);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    endpointFor: (name) => `${url}/${name}/`,
    requests,
    tokens,
    setBehaviour(b) {
      behaviour = b;
      throttled = 0;
      denied = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function success(d: { model: string; version?: string; reasoning?: boolean }): Answer {
  const f = FIXTURES['aoai_200_chat_completion']!;
  const body = structuredClone(f.body) as Record<string, unknown> & {
    usage: { completion_tokens_details: Record<string, number> };
  };
  // Azure answers with the model and its version, e.g. gpt-4o-mini-2024-07-18.
  body['model'] = d.version ? `${d.model}-${d.version}` : d.model;
  body['id'] = `chatcmpl-${randomUUID().replace(/-/g, '').slice(0, 29)}`;
  body['created'] = Math.floor(Date.now() / 1000);
  if (d.reasoning) body.usage.completion_tokens_details['reasoning_tokens'] = 16;
  return { status: 200, body, headers: { ...f.headers } };
}

function fixture(name: string, status: number): Answer {
  const f = FIXTURES[name]!;
  return { status, body: structuredClone(f.body) };
}

function notFound(): Answer {
  return fixture('aoai_404_resource_not_found_generic', 404);
}

/**
 * The gateway's 401, with no `error` wrapper, naming the audiences this endpoint takes, as users pasted it:
 * only the resource audience (fixture aoai_401_audience_or_expired_token; run-llama/llama_index#12484),
 * both (`(https://cognitiveservices.azure.com/ or https://ai.azure.com/)`, Azure/azure-sdk-for-net#50872),
 * only Foundry's (`(https://ai.azure.com)`, Azure/azure-sdk-for-net#55036).
 */
function badToken(audiences: readonly string[]): Answer {
  const fixture = FIXTURES['aoai_401_audience_or_expired_token']!.body as string;
  if (audiences.length === 1 && audiences[0] === AUDIENCE['AzureCloud']) return { status: 401, body: fixture };
  const named = audiences.length === 1 ? audiences[0]! : audiences.map((a) => `${a}/`).join(' or ');
  return {
    status: 401,
    body: `{ "statusCode": 401, "message": "Unauthorized. Access token is missing, invalid, audience is incorrect (${named}), or have expired." }`,
  };
}

/** Foundry's audience (Learn api-version-lifecycle samples; microsoft/agent-framework#7201). */
export const FOUNDRY_AUDIENCE = 'https://ai.azure.com';

/** The audiences an account's endpoint takes: its cloud's, unless the world names others (an AIServices endpoint that takes Foundry's too). */
function acceptedAudiences(account: CognitiveAccount & { audiences?: string[] }, w: World): string[] {
  return account.audiences ?? [AUDIENCE[w.cloud ?? 'AzureCloud'] ?? AUDIENCE['AzureCloud']!];
}

// Reasoning models need 2024-12-01-preview or later on the classic route; Azure sends the placeholder
// unfilled (Azure/azure-sdk-for-java#43923, Azure/azure-sdk-for-python#40759).
const REASONING_SINCE = '2024-12-01';
function apiVersionTooOld(): Answer {
  return {
    status: 400,
    body: {
      error: {
        code: 'BadRequest',
        message: 'Model {modelName} is enabled only for api versions 2024-12-01-preview and later',
      },
    },
  };
}

function reply(res: ServerResponse, a: Answer): void {
  const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  const requestId = randomUUID();
  res.writeHead(a.status, {
    'content-type': 'application/json',
    'apim-request-id': requestId,
    'x-request-id': requestId,
    'x-ms-region': 'East US',
    ...a.headers,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function redact(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k] = k === 'authorization' ? 'Bearer <redacted>' : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
