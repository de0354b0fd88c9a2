// One error class per exit code. Commands throw these; only cli.ts turns them into output and an exit code.

import type { ErrorCode } from './contract/error-codes.ts';

export type { ErrorCode };

export const ExitCode = {
  ok: 0,
  bug: 1,
  usage: 2,
  prerequisite: 3,
  notAllowed: 4,
  azure: 5,
  verify: 6,
  cancelled: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorDetails {
  /** A stable kebab-case code for --json and tests, e.g. 'not-signed-in': one of contract/error-codes.ts. */
  code: ErrorCode;
  /** The one next step, shown under the message. */
  hint?: string | undefined;
  /** Extra lines printed after the hint (a hand-off command, a list of deployments). */
  details?: readonly string[] | undefined;
  cause?: unknown;
}

export abstract class AppError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: readonly string[];
  /** The command's partial result (what was done before the failure), for --json. */
  result: Record<string, unknown> | undefined;

  constructor(message: string, info: ErrorDetails) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.code = info.code;
    this.hint = info.hint;
    this.details = info.details ?? [];
  }
}

export class UsageError extends AppError {
  readonly exitCode = ExitCode.usage;
  override readonly name = 'UsageError';
}

export class PrerequisiteError extends AppError {
  readonly exitCode = ExitCode.prerequisite;
  override readonly name = 'PrerequisiteError';
}

export class NotAllowedError extends AppError {
  readonly exitCode = ExitCode.notAllowed;
  override readonly name = 'NotAllowedError';
}

export class AzureError extends AppError {
  readonly exitCode = ExitCode.azure;
  override readonly name = 'AzureError';
}

export class VerifyError extends AppError {
  readonly exitCode = ExitCode.verify;
  override readonly name = 'VerifyError';
}

export class CancelledError extends AppError {
  readonly exitCode = ExitCode.cancelled;
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled. Nothing was changed.') {
    super(message, { code: 'cancelled' });
  }
}

/** A value the non-interactive prompter cannot ask for: names the flag that supplies it. */
export class MissingInputError extends UsageError {
  readonly flag: string;
  constructor(flag: string, what: string, extra?: readonly string[]) {
    super(`${what} is needed and no prompt can be shown (non-interactive). Pass ${flag}.`, {
      code: 'missing-input',
      hint: `Pass ${flag} <value>, or run in a terminal without --yes/CI to choose interactively.`,
      details: extra,
    });
    this.flag = flag;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** A bug in aoai-keyless (or an az that rejects arguments it should accept): exit 1. */
export class InternalError extends AppError {
  readonly exitCode = ExitCode.bug;
  override readonly name = 'InternalError';
}

/** The error with the command's partial --json document (what was done before it), for cli.ts to print. */
export function withResult(e: unknown, result: object): unknown {
  if (e instanceof AppError) e.result = { ...result };
  return e;
}
