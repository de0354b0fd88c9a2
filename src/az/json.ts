// Reading az's JSON (and gh's) without trusting its shape: every field the tool relies on is checked here, so a
// changed output fails with a clear message instead of an undefined deep in a step.
import { InternalError } from '../errors.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The program that printed it, by the command's first word: gh's reads are named `gh ...`, the rest are az's. */
function printedBy(what: string): { name: string; update: string; cause: string } {
  return what.startsWith('gh ')
    ? { name: "GitHub's CLI (gh)", update: 'Update gh (https://cli.github.com)', cause: 'a gh extension or alias' }
    : { name: 'the Azure CLI', update: 'Update the Azure CLI (`az upgrade`)', cause: 'an az extension' };
}

export function parseJson(stdout: string, command: string): Json {
  try {
    return JSON.parse(stdout) as Json;
  } catch {
    throw new InternalError(`\`${command}\` printed something that is not JSON.`, {
      code: 'az-output',
      hint: `Run the command yourself to see what it prints; ${printedBy(command).cause} or a warning on stdout can cause this.`,
    });
  }
}

export function asObject(v: Json | undefined, what: string): JsonObject {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) throw shapeError(what, 'an object');
  return v;
}

export function asArray(v: Json | undefined, what: string): Json[] {
  if (!Array.isArray(v)) throw shapeError(what, 'a list');
  return v;
}

export function reqString(o: JsonObject, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw shapeError(`${what}.${key}`, 'a string');
  return v;
}

export function optString(o: JsonObject | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function optObject(o: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = o?.[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function shapeError(what: string, expected: string): InternalError {
  const cli = printedBy(what);
  return new InternalError(`Unexpected output from ${cli.name}: ${what} is not ${expected}.`, {
    code: 'az-output',
    hint: `${cli.update}; if that does not help, please report this with \`--debug\` output.`,
  });
}
