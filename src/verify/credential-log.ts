// Which member of the DefaultAzureCredential chain produced the token. @azure/identity has no public API
// for it (getTokenInternal's successfulCredential is private); it only logs it, at info level:
//   azure:identity:info ChainedTokenCredential => getToken() => Result for AzureCliCredential: SUCCESS. Scopes: ...
// (identity src/credentials/chainedTokenCredential.ts). So for the duration of a verification the Azure
// logger is pointed at a function that keeps only that name and prints nothing: a user's AZURE_LOG_LEVEL
// or DEBUG must not put SDK noise on our stdout/stderr, and no log line is ever echoed, not even with --debug.

/** The parts of @azure/logger used here (its module namespace satisfies this). */
export interface AzureLoggerModule {
  AzureLogger: { log: (...args: unknown[]) => void };
  setLogLevel(level?: 'verbose' | 'info' | 'warning' | 'error'): void;
  getLogLevel(): 'verbose' | 'info' | 'warning' | 'error' | undefined;
}

export interface CredentialLogCapture {
  /** The credential that produced the last token, if the log said so. */
  credential(): string | undefined;
  /** Puts the logger back as it was. Idempotent. */
  restore(): void;
}

// "Result for X" uses X = successfulCredential.constructor.name, which a minifying bundler may rename;
// each credential's own "<Title> => getToken() => SUCCESS" line uses a string literal title, which survives.
const RESULT = /Result for (\w+): SUCCESS/;
const OWN_SUCCESS = /(?:^|\s)([A-Z]\w*Credential)(?: - [^=]*)? => getToken\(\) => SUCCESS/;
const NOT_A_MEMBER = new Set(['ChainedTokenCredential', 'DefaultAzureCredential']);

export function credentialFromLogLine(line: string): { name: string; fromResult: boolean } | undefined {
  const r = RESULT.exec(line)?.[1];
  if (r && /^[A-Z]\w{3,}Credential$/.test(r)) return { name: r, fromResult: true };
  const own = OWN_SUCCESS.exec(line)?.[1];
  if (own && !NOT_A_MEMBER.has(own)) return { name: own, fromResult: false };
  return undefined;
}

export function captureCredentialLog(mod: AzureLoggerModule): CredentialLogCapture {
  const previousLog = mod.AzureLogger.log;
  const previousLevel = mod.getLogLevel();
  let fromResult: string | undefined;
  let lastOwn: string | undefined;
  mod.AzureLogger.log = (...args: unknown[]) => {
    const line = args.map((a) => (typeof a === 'string' ? a : '')).join(' ');
    const hit = credentialFromLogLine(line);
    if (!hit) return;
    if (hit.fromResult) fromResult = hit.name;
    else lastOwn = hit.name;
  };
  // setLogLevel also re-enables exactly the azure namespaces at or above 'info' and nothing else, which
  // silences whatever DEBUG=... had switched on (@typespec/ts-http-runtime logger/debug.ts enable()).
  mod.setLogLevel('info');
  let restored = false;
  return {
    credential: () => fromResult ?? lastOwn,
    restore() {
      if (restored) return;
      restored = true;
      mod.AzureLogger.log = previousLog;
      mod.setLogLevel(previousLevel);
    },
  };
}
