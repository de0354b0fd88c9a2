// How a verification reads on stderr, shared by `verify` and setup's last step: the progress while it
// runs (a spinner on a terminal, one line per attempt in a log), the proof on success, and the error that
// carries the diagnosis (cli.ts prints its message, details and hint; --json prints its result).
import type { Output } from '../output/human.ts';
import { VerifyError } from '../errors.ts';
import type { VerifyInput, VerifyProgress, VerifyReport } from './report.ts';
import { verifyKeyless, type VerifyDeps } from './verify-keyless.ts';
import { formatDuration } from '../duration.ts';

const FAILED = Symbol('verification failed');
const LOG_EVERY_MS = 15_000;

export async function verifyWithProgress(
  out: Output,
  input: VerifyInput,
  deps: VerifyDeps = {},
): Promise<VerifyReport> {
  const onProgress = progressPrinter(out, input);
  const title =
    input.waitMs > 0
      ? `Chat completion with a keyless token (waiting up to ${formatDuration(input.waitMs)} for the role to apply)`
      : 'Chat completion with a keyless token';
  let report: VerifyReport | undefined;
  try {
    await out.task(title, async () => {
      report = await verifyKeyless({ ...input, onProgress }, deps);
      if (!report.ok) throw FAILED;
    });
  } catch (e) {
    if (e !== FAILED) throw e;
  }
  const r = report as VerifyReport;
  out.debug(
    `timings: token ${r.timings.tokenMs} ms, requests ${r.timings.requestMs} ms, waits ${r.timings.waitMs} ms, az lookups ${r.timings.lookupMs} ms, aoai-keyless ${r.timings.overheadMs} ms, total ${r.timings.totalMs} ms`,
  );
  if (r.ok) printSuccess(out, r);
  else if (r.principal.objectId)
    out.detail(`Token from ${r.credential ?? 'DefaultAzureCredential'} for ${principalText(r)}`);
  return r;
}

/** What each retry prints: a debug line per attempt, and in a log (no spinner) a line per wait or change of audience. */
function progressPrinter(out: Output, input: VerifyInput): (e: VerifyProgress) => void {
  const log = out.isTTY !== true;
  // Polling every second or few (wait.ts): a log gets a line for the first retry and then one per LOG_EVERY_MS.
  let loggedAt = -Infinity;
  return (e: VerifyProgress): void => {
    input.onProgress?.(e);
    switch (e.type) {
      case 'attempt':
        out.debug(
          `attempt ${e.attempt}: POST ${input.api === 'v1' ? `${input.endpoint}openai/v1/chat/completions` : `${input.endpoint}openai/deployments/${input.deployment}/chat/completions?api-version=${input.apiVersion}`}`,
        );
        break;
      case 'max-completion-tokens':
        out.debug(
          `attempt ${e.attempt}: the model takes max_completion_tokens (a reasoning model): sending that instead`,
        );
        break;
      case 'retry-after':
        if (log)
          out.info(
            `Attempt ${e.attempt}: 429 Too Many Requests; waiting ${formatDuration(e.delayMs)} as Azure asks, then once more.`,
          );
        break;
      case 'other-audience':
        if (log)
          out.info(`The endpoint refused the token's audience and named another: trying a token for ${e.scope}.`);
        break;
      case 'retrying':
        if (log && e.elapsedMs - loggedAt >= LOG_EVERY_MS) {
          loggedAt = e.elapsedMs;
          out.info(
            `Attempt ${e.attempt}: ${e.code}; retrying every ${formatDuration(e.delayMs)} (${formatDuration(e.elapsedMs)} of ${formatDuration(e.deadlineMs)}).`,
          );
        }
        break;
    }
  };
}

export function printSuccess(out: Output, r: VerifyReport): void {
  out.success(
    `Keyless access works: ${out.c.bold(r.model ?? r.deployment)} answered; token from ${out.c.bold(r.credential ?? 'DefaultAzureCredential')} for ${out.c.bold(r.principal.name ?? r.principal.objectId ?? 'the signed-in principal')}`,
  );
  out.detail(`principal  ${principalText(r)}`);
  if (r.claims)
    out.detail(`token      aud ${r.claims.aud ?? '?'}, expires ${r.claims.exp ?? '?'} (decoded locally, not shown)`);
  out.detail(`latency    ${r.latencyMs ?? '?'} ms, ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`);
  if (r.audience?.ok)
    out.warn(
      `The endpoint refused a token for ${r.audience.refused} and took one for ${r.audience.tried}. Set it for your app (setup writes it to the .env): AZURE_OPENAI_SCOPE=${r.audience.tried}`,
    );
  if (r.timings.waitMs > 0)
    out.detail(`waited     ${formatDuration(r.timings.totalMs)} for the role to apply (${r.attempts} attempts)`);
}

function principalText(r: VerifyReport): string {
  const p = r.principal;
  return `${p.name ?? p.objectId} (${p.type ?? 'principal'}, object id ${p.objectId}, tenant ${p.tenantId})`;
}

/** The exit-6 error for a failed report: cli.ts prints message, details and hint, and `result` for --json. */
export function toVerifyError(report: VerifyReport): VerifyError {
  const e = report.error ?? {
    code: 'unexpected-response',
    message: 'Verification failed.',
    hint: 'Run again with --debug.',
  };
  const err = new VerifyError(`Verification failed (${e.code}): ${e.message}`, {
    code: e.code,
    hint: e.hint,
    details: e.details,
  });
  err.result = report;
  return err;
}
