// What a verification attempt really throws, built cheaply: openai's own error classes from `openai/error` (the
// client, with its transports, stays unloaded), @azure/identity's errors as recorded in the fixtures, and Node's
// system errors. The rule tests of the diagnosis construct their failures here, so a Stryker run that re-runs
// them for every mutant pays milliseconds, not the load of openai and @azure/identity.
import { readFileSync } from 'node:fs';
import { APIConnectionError, APIError, OpenAIError } from 'openai/error';
import type { RawResponse } from '../../src/verify/failure.ts';

export interface AnswerFixture {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  source: string;
}

export interface IdentityFixture {
  cause: { name: string; message: string; errors: Array<{ name: string; message: string }> };
  source: string;
}

const FIXTURES = JSON.parse(
  readFileSync(new URL('../fixtures/azure-fixtures.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

export function fixture<T = AnswerFixture>(id: string): T {
  const f = FIXTURES[id];
  if (!f) throw new Error(`no fixture ${id} in test/fixtures/azure-fixtures.json`);
  return f as T;
}

/** The body as the wire carries it: a JSON text (the gateway's 401 is stored as its raw text already). */
export function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/**
 * What openai 7 throws for an HTTP answer (src/client.ts): the text parsed as JSON when it is JSON, else kept as
 * the message; a body without an `error` key wrapped as {error: body} (makeStatusError); then APIError.generate,
 * which picks the subclass by status and reads `error`. The raw response is what verify's fetch wrapper keeps.
 */
export function thrownForAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): { error: APIError; raw: RawResponse } {
  const text = bodyText(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const normalized =
    json && typeof json === 'object' && (json as { error?: unknown }).error == null ? { error: json } : json;
  const error = APIError.generate(
    status,
    normalized as object | undefined,
    json === undefined ? text : undefined,
    new Headers(headers),
  );
  return { error, raw: { status, body: text } };
}

/** openai src/client.ts (_callApiKey): a token provider's error, wrapped with the original as its cause. */
export function thrownForTokenError(cause: Error): OpenAIError {
  return new OpenAIError(`Failed to get token from 'apiKey' function: ${cause.message}`, { cause } as never);
}

/**
 * @azure/identity's AggregateAuthenticationError as the fixture recorded it (name, message, errors[] of
 * CredentialUnavailableError): the same own properties, which is all failure.ts reads (duck-typed on purpose).
 */
export function identityError(id: string): Error {
  const { cause } = fixture<IdentityFixture>(id);
  const errors = cause.errors.map((e) => Object.assign(new Error(e.message), { name: e.name }));
  return Object.assign(new Error(cause.message), { name: cause.name, errors });
}

/** undici's fetch rejects with TypeError('fetch failed') and the system error as its cause; openai wraps that. */
export function thrownForConnection(systemError: Error): APIConnectionError {
  return new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause: systemError }) });
}

/** A Node system error as libuv and node:tls report it: `code`, and the message Node builds from it. */
export function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
