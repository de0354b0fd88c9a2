// Checks a --json document against its command's committed JSON Schema (schema/<command>.schema.json, made by
// scripts/json-schema.mjs from src/contract/documents.ts). runCli checks every document an e2e test sees.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

const FILES: Record<string, string> = {
  setup: 'setup',
  verify: 'verify',
  snippet: 'snippet',
  revoke: 'revoke',
  'ci github': 'ci-github',
};

// Strict: a keyword ajv does not know is an error in the schema, not silently ignored.
const ajv = new Ajv({ allErrors: true, strict: true, strictTuples: false });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(command: string): ValidateFunction | undefined {
  const file = FILES[command];
  if (!file) return undefined;
  let v = compiled.get(file);
  if (!v) {
    const path = fileURLToPath(new URL(`../../schema/${file}.schema.json`, import.meta.url));
    v = ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
    compiled.set(file, v);
  }
  return v;
}

/** The schema's complaints about a document ([] when it conforms); a command without a schema has none. */
export function schemaErrors(doc: unknown): string[] {
  const command = (doc as { command?: unknown } | null)?.command;
  const validate = typeof command === 'string' ? validatorFor(command) : undefined;
  if (!validate || validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Throws when a --json document does not conform to its command's schema. */
export function assertConforms(doc: unknown, context = ''): void {
  const errors = schemaErrors(doc);
  if (errors.length > 0)
    throw new Error(
      `--json document does not conform to its schema${context ? ` (${context})` : ''}:\n  ${errors.slice(0, 12).join('\n  ')}\n${JSON.stringify(doc, null, 2).slice(0, 4000)}`,
    );
}
