// Turns a failed az call (its stderr and exit code) into a typed error with the one next step.
// The texts matched here are az's own: `ERROR: <msg>` from azclierror.py print_error, ARM errors as
// `ERROR: (Code) message` + `Code:`/`Message:` lines (azure-core HttpResponseError), exit 3 for
// ResourceNotFound on show commands (commands/arm.py show_exception_handler), exit 2 for argument errors.
import { armErrorCode } from '../contract/error-codes.ts';
import { type AppError, AzureError, InternalError, NotAllowedError, PrerequisiteError, UsageError } from '../errors.ts';
import type { ProcessResult } from '../context.ts';
import { classifySignInFailure, firstSentence, loginHint } from './sign-in-failure.ts';

export interface AzFailure {
  /** The ARM / AAD error code when az printed one: AuthorizationFailed, ResourceNotFound, AADSTS700082... */
  armCode: string | undefined;
  /** The first ERROR line without its prefix and without the `(Code) ` lead. */
  message: string;
  exitCode: number;
  stderr: string;
}

const ERROR_LINE = /^ERROR: (.*)$/m;

export function parseAzFailure(result: ProcessResult): AzFailure {
  const stderr = result.stderr.replace(/\r\n/g, '\n');
  const line = ERROR_LINE.exec(stderr)?.[1]?.trim() ?? lastMeaningfulLine(stderr);
  const lead = /^\(([A-Za-z]+)\)\s*(.*)$/.exec(line);
  const codeLine = /^Code: (\S+)/m.exec(stderr)?.[1];
  const aadsts = /\b(AADSTS\d+)\b/.exec(stderr)?.[1];
  return {
    armCode: lead?.[1] ?? codeLine ?? aadsts,
    message: (lead?.[2] ?? line).trim(),
    exitCode: result.exitCode,
    stderr,
  };
}

function lastMeaningfulLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('WARNING:'));
  return lines[lines.length - 1] ?? 'az failed without an error message';
}

export interface ClassifyOptions {
  /** The command line, for messages ("az role assignment create"). */
  command: string;
  /** In CI the next step for a sign-in problem is the azure/login action, not a browser. */
  ci: boolean;
  /** The tenant the call ran in, when known: a re-sign-in command rebuilt for MFA names it. */
  tenant?: string | undefined;
  /** Resource Manager's token scope in the cloud az uses (default: the public cloud's). */
  armScope?: string | undefined;
}

export { loginHint };

/** A typed error for a failed az call. Callers handle the cases they can act on before calling this. */
export function classifyAzFailure(result: ProcessResult, opts: ClassifyOptions): AppError {
  const f = parseAzFailure(result);
  const text = f.stderr;
  const signIn = classifySignInFailure(f, opts);
  if (signIn) return signIn;
  if (/Traceback \(most recent call last\)|AttributeError|The command failed with an unexpected error/.test(text)) {
    return new PrerequisiteError(`The Azure CLI crashed in \`${opts.command}\`: ${lastMeaningfulLine(text)}`, {
      code: 'az-crashed',
      hint: "Update the Azure CLI (`az upgrade`, or reinstall it from https://aka.ms/azure-cli): old packaged builds such as Debian's 2.45 crash in `az role assignment`.",
    });
  }
  if (f.armCode === 'AuthorizationFailed' || /does not have authorization to perform action/.test(text)) {
    return new NotAllowedError(`Azure refused \`${opts.command}\`: ${f.message}`, {
      code: 'authorization-failed',
      hint: 'Ask an Owner or User Access Administrator of this scope to run the command for you.',
    });
  }
  if (/Subscription '.*' not found/.test(text) || /subscription .* (could not be found|doesn't exist)/i.test(text)) {
    return new AzureError(f.message, {
      code: 'subscription-not-found',
      hint: 'List the subscriptions you can use with `az account list -o table`; sign in to another tenant with `az login --tenant <tenant>`.',
    });
  }
  const principal = principalFailure(f);
  if (principal) return principal;
  if (
    /unrecognized arguments|is misspelled or not recognized|the following arguments are required|invalid choice/.test(
      text,
    ) ||
    f.exitCode === 2
  ) {
    return new InternalError(`The Azure CLI rejected the arguments of \`${opts.command}\`: ${f.message}`, {
      code: 'az-arguments',
      hint: 'If your Azure CLI is old, update it (`az upgrade`); otherwise this is a bug in aoai-keyless: please report it.',
    });
  }
  return unreachableOrNotFound(f, opts);
}

/** Resource Manager or Graph does not know the principal, or knows it with another type. */
function principalFailure(f: AzFailure): AppError | undefined {
  const text = f.stderr;
  if (f.armCode === 'PrincipalNotFound') {
    return new AzureError(`Azure does not know the principal yet: ${firstSentence(f.message)}`, {
      code: 'principal-not-found',
      hint: 'Check the object id (not the app id). A principal created minutes ago may not have replicated yet: wait a minute and run this again.',
    });
  }
  if (/Cannot find user or service principal in graph database/.test(text)) {
    return new AzureError(f.message, {
      code: 'principal-not-found',
      hint: "Pass the principal's object id with --assignee and its type with --assignee-type.",
    });
  }
  if (f.armCode === 'UnmatchedPrincipalType' || /PrincipalType .* does not match/i.test(text)) {
    return new UsageError(f.message, {
      code: 'principal-type-mismatch',
      hint: 'Pass the right --assignee-type (User, ServicePrincipal or Group) for that object id.',
    });
  }
  return undefined;
}

/** Azure out of reach, a name it does not know, or any other failure by its code. */
function unreachableOrNotFound(f: AzFailure, opts: ClassifyOptions): AppError {
  const text = f.stderr;
  if (
    /Failed to establish a new connection|Max retries exceeded|Name or service not known|getaddrinfo|Connection (aborted|refused|reset)|timed out/i.test(
      text,
    )
  ) {
    return new AzureError(`The Azure CLI could not reach Azure: ${f.message}`, {
      code: 'azure-unreachable',
      hint: 'Check your network connection or proxy (HTTPS_PROXY), then run this again.',
    });
  }
  if (
    f.exitCode === 3 ||
    f.armCode === 'ResourceNotFound' ||
    f.armCode === 'ResourceGroupNotFound' ||
    f.armCode === 'NotFound'
  ) {
    return new AzureError(firstSentence(f.message), {
      code: 'not-found',
      hint: 'Check the name, the resource group and the subscription.',
    });
  }
  return new AzureError(`\`${opts.command}\` failed: ${f.message}`, {
    code: f.armCode ? armErrorCode(f.armCode) : 'az-failed',
  });
}
