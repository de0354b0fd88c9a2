// What a failed attempt says, read from what the libraries throw: an HTTP answer's status, Azure's code and
// message (from the raw body when openai could not read it), Azure's retry-after, the network reason under
// undici's "fetch failed", the words of each credential of the chain; and never a token, whole or in part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { APIConnectionTimeoutError } from 'openai/error';
import {
  credentialFailure,
  parseErrorBody,
  redactTokens,
  retryAfterMs,
  toFailure,
  type Failure,
  type NetworkReason,
} from '../../src/verify/failure.ts';
import {
  bodyText,
  fixture,
  identityError,
  systemError,
  thrownForAnswer,
  thrownForConnection,
  thrownForTokenError,
} from '../support/thrown.ts';

const NOW = Date.parse('2026-12-02T10:00:00Z');

function http(f: Failure | undefined): Extract<Failure, { kind: 'http' }> {
  assert.equal(f?.kind, 'http');
  return f as Extract<Failure, { kind: 'http' }>;
}

function network(f: Failure | undefined): Extract<Failure, { kind: 'network' }> {
  assert.equal(f?.kind, 'network');
  return f as Extract<Failure, { kind: 'network' }>;
}

// ---------------------------------------------------------------------------------------------------------
// HTTP answers: each fixture is one row. Azure's code and message come from the body as the wire carried it.

const answers: Array<{ id: string; code: string | undefined; message: RegExp }> = [
  { id: 'aoai_401_audience_or_expired_token', code: undefined, message: /^Unauthorized\. Access token is missing/ },
  { id: 'aoai_401_permission_denied_missing_role', code: 'PermissionDenied', message: /^The principal `5{8}-/ },
  { id: 'aoai_404_deployment_not_found', code: 'DeploymentNotFound', message: /^The API deployment for this/ },
  { id: 'aoai_404_resource_not_found_generic', code: '404', message: /^Resource not found$/ },
  { id: 'aoai_429_rate_limited', code: '429', message: /^Requests to the ChatCompletions_Create Operation/ },
  { id: 'aoai_400_regional_endpoint_token_auth', code: 'BadRequest', message: /^Please provide a custom subdomain/ },
  {
    id: 'aoai_400_wrong_tenant',
    code: 'Tenant provided in token does not match resource token',
    message: /^Token tenant 33e01921-\S+ does not match resource tenant\.$/,
  },
  { id: 'aoai_400_operation_not_supported_embedding', code: 'OperationNotSupported', message: /^The chatCompletion / },
  { id: 'aoai_403_key_auth_disabled', code: 'AuthenticationTypeDisabled', message: /^Key based authentication/ },
  { id: 'aoai_403_public_access_disabled', code: '403', message: /^Public access is disabled\./ },
  { id: 'aoai_403_firewall_rules', code: '403', message: /^Access denied due to Virtual Network\/Firewall rules\.$/ },
  { id: 'aoai_403_virtual_network_unwrapped', code: '403', message: /^A Virtual Network is configured/ },
  { id: 'aoai_500_server_error', code: undefined, message: /^The server had an error while processing your request/ },
  // On Your Data answers with a number for a code; it is read as text, like every other code.
  { id: 'aoai_400_on_your_data_numeric_code', code: '400', message: /^Invalid AzureCognitiveSearch configuration/ },
];

for (const row of answers) {
  test(`an HTTP answer (${row.id}) is read as its status, Azure's code and Azure's message`, () => {
    const fx = fixture(row.id);
    const { error, raw } = thrownForAnswer(fx.status, fx.body, fx.headers);
    const f = http(toFailure(error, { response: raw, nowMs: NOW }));
    assert.equal(f.status, fx.status);
    assert.equal(f.code, row.code);
    assert.match(f.message, row.message);
    assert.doesNotMatch(f.message, /^\d{3} /, "openai's status prefix is not part of Azure's message");
  });
}

test("without the raw body, openai's own error gives the code and the message, less its status prefix", () => {
  const fx = fixture('aoai_404_deployment_not_found');
  const { error } = thrownForAnswer(fx.status, fx.body);
  const f = http(toFailure(error, { nowMs: NOW }));
  assert.equal(f.code, 'DeploymentNotFound');
  assert.match(f.message, /^The API deployment for this resource does not exist\./);
});

test("a raw body of another answer (an earlier attempt's) is not read for this one", () => {
  const fx = fixture('aoai_404_deployment_not_found');
  const { error } = thrownForAnswer(fx.status, fx.body);
  const earlier = { status: 429, body: bodyText(fixture('aoai_429_rate_limited').body) };
  const f = http(toFailure(error, { response: earlier, nowMs: NOW }));
  assert.equal(f.code, 'DeploymentNotFound');
  assert.match(f.message, /deployment/);
});

test("the raw body's code and param fill in what openai's error lacks; openai's own win when it has them", () => {
  const raw = {
    status: 400,
    body: JSON.stringify({ error: { code: 'from-body', message: 'body says', param: 'messages' } }),
  };
  const bare = http(toFailure({ status: 400, message: '400 status code (no body)' }, { response: raw, nowMs: NOW }));
  assert.deepEqual([bare.code, bare.param, bare.message], ['from-body', 'messages', 'body says']);
  const own = http(
    toFailure(
      { status: 400, code: 'from-openai', param: 'max_tokens', message: '400 x' },
      { response: raw, nowMs: NOW },
    ),
  );
  assert.deepEqual([own.code, own.param], ['from-openai', 'max_tokens']);
  const emptyCode = http(toFailure({ status: 400, code: '', message: '400 x' }, { response: raw, nowMs: NOW }));
  assert.equal(emptyCode.code, 'from-body', 'an empty code is no code');
});

test('an answer with neither body nor message is named by its status; a status below 100 is no HTTP answer', () => {
  const f = http(toFailure({ status: 502 }, { nowMs: NOW }));
  assert.equal(f.message, 'HTTP 502');
  assert.equal(f.code, undefined);
  assert.equal(f.param, undefined);
  assert.equal(toFailure({ status: 99, message: 'x' }, { nowMs: NOW }), undefined);
  assert.equal(http(toFailure({ status: 100, message: 'x' }, { nowMs: NOW })).status, 100);
  assert.equal(toFailure({ status: '500', message: 'x' }, { nowMs: NOW }), undefined);
});

test("Azure's retry-after on a 429 becomes the wait verify reports", () => {
  const fx = fixture('aoai_429_rate_limited');
  const { error, raw } = thrownForAnswer(fx.status, fx.body, fx.headers);
  assert.equal(http(toFailure(error, { response: raw, nowMs: NOW })).retryAfterMs, 1000);
  const none = thrownForAnswer(fx.status, fx.body);
  assert.equal(http(toFailure(none.error, { response: none.raw, nowMs: NOW })).retryAfterMs, undefined);
});

// ---------------------------------------------------------------------------------------------------------
// retry-after: Azure OpenAI sends retry-after-ms and retry-after; HTTP allows seconds or a date.

const retryRows: Array<[headers: Record<string, string>, ms: number | undefined, why: string]> = [
  [{ 'retry-after-ms': '1000', 'retry-after': '1' }, 1000, 'Azure sends both: -ms is the precise one'],
  [{ 'retry-after-ms': '1500.6', 'retry-after': '9' }, 1501, 'milliseconds are rounded'],
  [{ 'retry-after-ms': '0' }, 0, 'zero means now'],
  [{ 'retry-after-ms': '-5', 'retry-after': '2' }, 2000, 'a negative -ms is ignored'],
  [{ 'retry-after-ms': 'soon', 'retry-after': '3' }, 3000, 'an unreadable -ms is ignored'],
  [{ 'retry-after': '45' }, 45_000, 'seconds'],
  [{ 'retry-after': ' 7 ' }, 7000, 'seconds with spaces'],
  [{ 'retry-after': '1.5' }, 1500, 'fractional seconds'],
  [{ 'retry-after': '0' }, 0, 'zero seconds'],
  [{ 'retry-after': 'Wed, 02 Dec 2026 10:00:10 GMT' }, 10_000, 'an HTTP date, from now'],
  [{ 'retry-after': 'Wed, 02 Dec 2026 09:59:00 GMT' }, 0, 'a date in the past is now, never negative'],
  [{ 'retry-after': '-3' }, 0, 'negative seconds: no wait'],
  [{ 'retry-after': 'Infinity' }, undefined, 'a wait that never ends is no wait'],
  [{ 'retry-after': 'later' }, undefined, 'neither seconds nor a date'],
  [{ 'retry-after': '   ' }, undefined, 'blank'],
  [{}, undefined, 'no header'],
];

for (const [headers, ms, why] of retryRows) {
  test(`retry-after ${JSON.stringify(headers)} -> ${ms} ms (${why})`, () => {
    // As given, and through fetch's Headers (which trims values): the same wait either way.
    assert.equal(retryAfterMs({ get: (name) => headers[name] ?? null }, NOW), ms);
    assert.equal(retryAfterMs(new Headers(headers), NOW), ms);
  });
}

test('retry-after is read only from something with a get(): no headers, no wait', () => {
  assert.equal(retryAfterMs(undefined, NOW), undefined);
  assert.equal(retryAfterMs({} as never, NOW), undefined);
  assert.equal(retryAfterMs({ get: 'retry-after' } as never, NOW), undefined);
});

// ---------------------------------------------------------------------------------------------------------
// Error bodies: Azure wraps most errors in {"error":{...}}, the gateway's 401 and some 403s are bare.

test('parseErrorBody reads the wrapper, the bare object and plain text', () => {
  assert.deepEqual(parseErrorBody(bodyText(fixture('aoai_404_deployment_not_found').body)), {
    code: 'DeploymentNotFound',
    message:
      'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
    param: undefined,
  });
  assert.deepEqual(parseErrorBody(bodyText(fixture('aoai_401_audience_or_expired_token').body)), {
    code: undefined,
    message:
      'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
    param: undefined,
  });
  assert.deepEqual(parseErrorBody('{"error":{"code":"X","message":"m","param":"p"}}'), {
    code: 'X',
    message: 'm',
    param: 'p',
  });
  assert.deepEqual(parseErrorBody('  <html>Bad Gateway</html>\n'), {
    code: undefined,
    message: '<html>Bad Gateway</html>',
    param: undefined,
  });
});

test('parseErrorBody: a numeric code is a code, empty strings and other types are nothing', () => {
  assert.equal(parseErrorBody('{"error":{"code":429,"message":"m"}}').code, '429');
  assert.deepEqual(parseErrorBody('{"error":{"code":"","message":"","param":null}}'), {
    code: undefined,
    message: undefined,
    param: undefined,
  });
  assert.equal(parseErrorBody('{"error":{"code":true,"message":{"text":"m"}}}').message, undefined);
  assert.equal(parseErrorBody('{"error":{"code":true}}').code, undefined);
  // An `error` that is not an object (OpenAI's {"error":"..."} style) leaves the top level to be read.
  assert.deepEqual(parseErrorBody('{"error":"invalid_request","message":"top"}'), {
    code: undefined,
    message: 'top',
    param: undefined,
  });
  assert.equal(parseErrorBody('{"error":["a"],"code":"top-code"}').code, 'top-code');
  assert.equal(parseErrorBody('["not","an","object"]').message, undefined);
  assert.equal(parseErrorBody('null').message, undefined);
});

test('parseErrorBody: no body, a blank one or a long text', () => {
  const none = { code: undefined, message: undefined, param: undefined };
  assert.deepEqual(parseErrorBody(undefined), none);
  assert.deepEqual(parseErrorBody(''), none);
  assert.deepEqual(parseErrorBody(' \n '), none);
  const page = `<html>${'x'.repeat(400)}</html>`;
  assert.equal(parseErrorBody(page).message, page.slice(0, 300), 'an HTML error page is cut to 300 characters');
});

// ---------------------------------------------------------------------------------------------------------
// The network reason: the system error's code under undici's "fetch failed", under openai's APIConnectionError.

const reasons: Array<[code: string, message: string, reason: NetworkReason]> = [
  // libuv's getaddrinfo errors (Node errors.md "Common system errors"; dns.md error codes)
  ['ENOTFOUND', 'getaddrinfo ENOTFOUND contoso-aoai.openai.azure.com', 'dns'],
  ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN contoso-aoai.openai.azure.com', 'dns'],
  ['EAI_FAIL', 'getaddrinfo EAI_FAIL contoso-aoai.openai.azure.com', 'dns'],
  ['ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.4:443', 'refused'],
  ['ECONNRESET', 'read ECONNRESET', 'reset'],
  ['EPIPE', 'write EPIPE', 'reset'],
  // undici's errors (lib/core/errors.js): SocketError, ConnectTimeoutError, HeadersTimeoutError, BodyTimeoutError
  ['UND_ERR_SOCKET', 'other side closed', 'reset'],
  ['ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.4:443', 'timeout'],
  [
    'UND_ERR_CONNECT_TIMEOUT',
    'Connect Timeout Error (attempted address: contoso-aoai.openai.azure.com:443, timeout: 10000ms)',
    'timeout',
  ],
  ['UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error', 'timeout'],
  ['UND_ERR_BODY_TIMEOUT', 'Body Timeout Error', 'timeout'],
  ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.4:443', 'other'],
  ['ENETUNREACH', 'connect ENETUNREACH 10.0.0.4:443', 'other'],
  // node:tls verification errors (OpenSSL's X509_V_ERR_* names; tls.md), as a TLS-inspecting proxy causes them
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'tls'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'tls'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'tls'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate', 'tls'],
  ['CERT_HAS_EXPIRED', 'certificate has expired', 'tls'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", 'tls'],
  ['ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number', 'tls'],
  ['EPROTO', 'write EPROTO', 'other'],
];

for (const [code, message, reason] of reasons) {
  test(`a connection failing with ${code} is "${reason}", in the system's own words`, () => {
    const f = network(toFailure(thrownForConnection(systemError(code, message)), { connection: 'error', nowMs: NOW }));
    assert.equal(f.reason, reason);
    assert.equal(f.message, message);
  });
}

test('the reason is read however deep undici nests it, the innermost code winning', () => {
  const sys = systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND contoso-aoai.openai.azure.com');
  const wrapped = Object.assign(new Error('outer'), { code: 'UND_ERR_SOCKET', cause: sys });
  const f = network(toFailure(thrownForConnection(wrapped), { connection: 'error', nowMs: NOW }));
  assert.deepEqual([f.reason, f.message], ['dns', 'getaddrinfo ENOTFOUND contoso-aoai.openai.azure.com']);
  // Five causes deep is still read (APIConnectionError -> fetch failed -> 3 wrappers -> the system error) ...
  let deep: Error = sys;
  for (let i = 0; i < 3; i++) deep = Object.assign(new Error(`wrapper ${i}`), { cause: deep });
  assert.equal(network(toFailure(thrownForConnection(deep), { connection: 'error', nowMs: NOW })).reason, 'dns');
  // ... a cycle or a bottomless chain is not followed for ever.
  const loop: { message: string; cause?: unknown } = { message: 'loop' };
  loop.cause = loop;
  const f2 = network(toFailure(Object.assign(new TypeError('fetch failed'), { cause: loop }), { nowMs: NOW }));
  assert.deepEqual([f2.reason, f2.message], ['other', 'fetch failed']);
  let tooDeep: Error = sys;
  for (let i = 0; i < 6; i++) tooDeep = Object.assign(new Error(`wrapper ${i}`), { cause: tooDeep });
  assert.equal(network(toFailure(thrownForConnection(tooDeep), { connection: 'error', nowMs: NOW })).reason, 'other');
});

test("a code that is no string is no code; a cause's message is used only with its code", () => {
  const odd = Object.assign(new Error('getaddrinfo failed'), { code: -3008 });
  const f = network(toFailure(thrownForConnection(odd), { connection: 'error', nowMs: NOW }));
  assert.deepEqual([f.reason, f.message], ['other', 'Connection error.'], "not a system error: openai's words");
  const nullCause = toFailure(Object.assign(new TypeError('fetch failed'), { cause: null }), { nowMs: NOW });
  assert.deepEqual([network(nullCause).reason, network(nullCause).message], ['other', 'fetch failed']);
  const noMessage = network(
    toFailure(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 42 } }), {
      nowMs: NOW,
    }),
  );
  assert.deepEqual([noMessage.reason, noMessage.message], ['refused', 'fetch failed']);
  const bare = network(toFailure({}, { connection: 'error', nowMs: NOW }));
  assert.deepEqual([bare.reason, bare.message], ['other', 'Connection error.']);
});

test("openai's timeout is a timeout, whatever it carries", () => {
  const f = network(toFailure(new APIConnectionTimeoutError(), { connection: 'timeout', nowMs: NOW }));
  assert.deepEqual([f.reason, f.message], ['timeout', 'The request timed out.']);
});

test('a bare "fetch failed" (no openai around it) is a network failure; another TypeError is a bug', () => {
  const refused = Object.assign(new TypeError('fetch failed'), {
    cause: systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'),
  });
  assert.equal(network(toFailure(refused, { nowMs: NOW })).reason, 'refused');
  assert.equal(network(toFailure(new TypeError('Fetch Failed'), { nowMs: NOW })).reason, 'other');
  assert.equal(toFailure(new TypeError('Cannot read properties of undefined'), { nowMs: NOW }), undefined);
  assert.equal(toFailure(new Error('fetch failed'), { nowMs: NOW }), undefined, 'only the TypeError fetch throws');
  assert.equal(toFailure(undefined, { nowMs: NOW }), undefined);
});

test("Node's own fetch on loopback: a closed port is refused, a dropped connection is reset", async () => {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const reset = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const refused = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
  const asOpenAI = (e: unknown) => thrownForConnection((e as { cause: Error }).cause);
  assert.equal(network(toFailure(asOpenAI(reset), { connection: 'error', nowMs: NOW })).reason, 'reset');
  const f = network(toFailure(asOpenAI(refused), { connection: 'error', nowMs: NOW }));
  assert.equal(f.reason, 'refused');
  assert.match(f.message, new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
});

// ---------------------------------------------------------------------------------------------------------
// Credentials: each recorded @azure/identity failure, as openai wraps it and as the token provider threw it.

const identityRows: Array<{ id: string; lines: RegExp[] }> = [
  { id: 'identity_err_az_not_logged_in', lines: [/^CredentialUnavailableError: Please run 'az login'/] },
  { id: 'identity_err_az_missing', lines: [/^CredentialUnavailableError: Azure CLI could not be found/] },
  {
    id: 'identity_err_az_refresh_expired_passthrough',
    lines: [/^CredentialUnavailableError: ERROR: AADSTS700082: .*\naz login --scope https:\/\/cognitiveservices/s],
  },
  { id: 'identity_err_az_bad_json', lines: [/^CredentialUnavailableError: Unexpected token 'o'/] },
  {
    id: 'identity_err_full_chain_all_unavailable',
    lines: [
      /^CredentialUnavailableError: EnvironmentCredential is unavailable/,
      /^CredentialUnavailableError: ManagedIdentityCredential: Authentication failed/,
      /^CredentialUnavailableError: Visual Studio Code Authentication is not available/,
      /^CredentialUnavailableError: Please run 'az login'/,
      /^CredentialUnavailableError: Error: Unable to execute PowerShell/,
      /^CredentialUnavailableError: Azure Developer CLI couldn't be found/,
    ],
  },
];

for (const row of identityRows) {
  test(`no token (${row.id}): each credential of the chain says why, in order`, () => {
    const thrown = identityError(row.id);
    for (const f of [
      toFailure(thrownForTokenError(thrown), { nowMs: NOW }),
      toFailure(new Error('openai never saw it'), { tokenError: thrown, nowMs: NOW }),
    ]) {
      assert.equal(f?.kind, 'credential');
      const c = f as Extract<Failure, { kind: 'credential' }>;
      assert.equal(c.errorName, 'AggregateAuthenticationError');
      assert.match(c.message, /^ChainedTokenCredential authentication failed\./);
      assert.equal(c.messages.length, row.lines.length);
      for (const [i, line] of row.lines.entries()) assert.match(c.messages[i]!, line);
    }
  });
}

test("openai's wrapper without a cause is itself the credential's failure", () => {
  const f = toFailure(
    { message: "Failed to get token from 'apiKey' function: Please run 'az login'" },
    { nowMs: NOW },
  ) as Extract<Failure, { kind: 'credential' }>;
  assert.equal(f.kind, 'credential');
  assert.equal(f.errorName, 'Error');
  assert.deepEqual(f.messages, ["Error: Failed to get token from 'apiKey' function: Please run 'az login'"]);
  assert.equal(
    toFailure({ message: "Failed to get token from 'apiKey' function", status: 401 }, { nowMs: NOW })?.kind,
    'credential',
    'a token failure is never read as an HTTP answer',
  );
  assert.equal(
    toFailure({ status: 401, message: "x Failed to get token from 'apiKey' function" }, { nowMs: NOW })?.kind,
    'http',
    'only a message that starts with it',
  );
});

test('one credential that stopped the chain is the single line; odd throws still say something', () => {
  const single = credentialFailure(
    Object.assign(new Error('ManagedIdentityCredential: Identity not found'), { name: 'AuthenticationError' }),
  ) as Extract<Failure, { kind: 'credential' }>;
  assert.deepEqual(
    [single.errorName, single.message, single.messages],
    [
      'AuthenticationError',
      'ManagedIdentityCredential: Identity not found',
      ['AuthenticationError: ManagedIdentityCredential: Identity not found'],
    ],
  );
  const text = credentialFailure('az exited') as Extract<Failure, { kind: 'credential' }>;
  assert.deepEqual([text.errorName, text.message, text.messages], ['Error', 'az exited', ['Error: az exited']]);
  const nothing = credentialFailure(undefined) as Extract<Failure, { kind: 'credential' }>;
  assert.deepEqual([nothing.errorName, nothing.message], ['Error', 'undefined']);
  const oddMembers = credentialFailure({ name: 7, message: 'chain failed', errors: [null, 'plain', { name: 'X' }] });
  assert.deepEqual((oddMembers as Extract<Failure, { kind: 'credential' }>).messages, [
    'Error: null',
    'Error: plain',
    'X: [object Object]',
  ]);
});

// ---------------------------------------------------------------------------------------------------------
// Tokens: a gateway or proxy that echoes the Authorization header must not get the token into output.

// An RS256 signature is 256 bytes: 342 base64url characters, '-' and '_' among them.
const SIGNATURE = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37 + 11) % 256)).toString('base64url');
const HEADER = Buffer.from('{"typ":"JWT","alg":"RS256","kid":"k"}').toString('base64url');
const PAYLOAD = Buffer.from('{"aud":"https://cognitiveservices.azure.com","oid":"5"}').toString('base64url');
const TOKEN = `${HEADER}.${PAYLOAD}.${SIGNATURE}`;

test('a token is cut out whole: header, claims and every character of the signature', () => {
  assert.ok(SIGNATURE.includes('-') && SIGNATURE.includes('_') && SIGNATURE.length === 342);
  assert.equal(
    redactTokens(`Bearer ${TOKEN} was refused`),
    'Bearer <redacted token> was refused',
    'nothing of the token is left',
  );
  assert.equal(redactTokens(`a=${TOKEN}\nb=${TOKEN}`), 'a=<redacted token>\nb=<redacted token>', 'every token');
  assert.equal(redactTokens(`${HEADER}.${PAYLOAD}.`), '<redacted token>', 'an unsigned token too');
  assert.equal(redactTokens(`x ${HEADER}.${PAYLOAD}`), `x ${HEADER}.${PAYLOAD}`, 'two parts are no token');
  assert.equal(redactTokens('(eyJhbGc.eyJzdWI.sig)'), '(<redacted token>)', 'the shortest JWT-shaped text');
  assert.equal(redactTokens('eyJhbG.eyJzdWI.sig'), 'eyJhbG.eyJzdWI.sig', 'a header shorter than any JWT');
  assert.equal(redactTokens('eyJhbGc.eyJzdW.sig'), 'eyJhbGc.eyJzdW.sig', 'claims shorter than any JWT');
  assert.equal(redactTokens('eyJ0eX eyJhbGci'), 'eyJ0eX eyJhbGci', 'base64 of JSON without the dots is kept');
});

test('no failure carries a token: not an HTTP message, not a network message, not a credential message', () => {
  const http400 = thrownForAnswer(400, { error: { code: 'BadRequest', message: `Bad header: Bearer ${TOKEN}` } });
  const fromBody = http(toFailure(http400.error, { response: http400.raw, nowMs: NOW }));
  const fromOpenAI = http(toFailure(http400.error, { nowMs: NOW }));
  const net = network(
    toFailure(thrownForConnection(systemError('ECONNRESET', `proxy dropped ${TOKEN}`)), {
      connection: 'error',
      nowMs: NOW,
    }),
  );
  const bareNet = network(toFailure({ message: `no route ${TOKEN}` }, { connection: 'error', nowMs: NOW }));
  const cred = credentialFailure(
    Object.assign(new Error(`chain ${TOKEN}`), { errors: [new Error(`az said ${TOKEN}`)] }),
  ) as Extract<Failure, { kind: 'credential' }>;
  const single = credentialFailure(new Error(`one ${TOKEN}`)) as Extract<Failure, { kind: 'credential' }>;
  for (const text of [
    fromBody.message,
    fromOpenAI.message,
    net.message,
    bareNet.message,
    cred.message,
    ...cred.messages,
    ...single.messages,
  ]) {
    assert.ok(!text.includes(SIGNATURE.slice(0, 20)) && !text.includes(PAYLOAD), text);
    assert.match(text, /<redacted token>/);
  }
});
