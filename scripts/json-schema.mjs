// Writes schema/<command>.schema.json, the JSON Schema of each command's --json document, from the types in
// src/contract/documents.ts (ts-json-schema-generator, on the TypeScript it depends on: TypeScript 7 has no
// compiler API). The files are committed; test/unit/json-schema.test.ts fails when they are stale.
// Usage: node scripts/json-schema.mjs [--check]   (--check: write nothing, exit 1 when a file differs)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = `${ROOT}src/contract/documents.ts`;

/** Each command, the file its schema goes to, and the type of what it prints. */
export const COMMANDS = [
  { command: 'setup', file: 'setup', type: 'SetupOutput' },
  { command: 'verify', file: 'verify', type: 'VerifyOutput' },
  { command: 'snippet', file: 'snippet', type: 'SnippetOutput' },
  { command: 'revoke', file: 'revoke', type: 'RevokeOutput' },
  { command: 'ci github', file: 'ci-github', type: 'CiGithubOutput' },
];

/** @param {string} file */
export function schemaPath(file) {
  return `${ROOT}schema/${file}.schema.json`;
}

/** The schema text of every command, as it would be written. */
export function renderSchemas() {
  const generator = createGenerator({
    path: SOURCE,
    // tsc (TypeScript 7) type-checks the project; the generator's own TypeScript only reads the declarations.
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    sortProps: true,
  });
  return COMMANDS.map(({ command, file, type }) => {
    const { $schema, ...schema } = generator.createSchema(type);
    const doc = {
      $schema,
      $id: `https://github.com/aoai-keyless/aoai-keyless/schema/${file}.schema.json`,
      title: `aoai-keyless ${command} --json`,
      ...schema,
    };
    return { command, file, text: `${JSON.stringify(deprecations(doc), null, 2)}\n` };
  });
}

/**
 * JSDoc's `@deprecated why` comes out as "deprecated": "why"; JSON Schema's keyword is a boolean.
 * @param {unknown} node
 * @returns {unknown}
 */
function deprecations(node) {
  if (Array.isArray(node)) return node.map(deprecations);
  if (node === null || typeof node !== 'object') return node;
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = deprecations(v);
  if (typeof out.deprecated === 'string') {
    out.description = `Deprecated: ${out.deprecated}${out.description ? ` ${out.description}` : ''}`;
    out.deprecated = true;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  mkdirSync(`${ROOT}schema`, { recursive: true });
  for (const { file, text } of renderSchemas()) {
    const path = schemaPath(file);
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {}
    if (old === text) continue;
    stale++;
    if (check) console.error(`stale: schema/${file}.schema.json (run node scripts/json-schema.mjs)`);
    else writeFileSync(path, text);
  }
  if (check && stale > 0) process.exit(1);
  if (!check) console.error(`schema/: ${stale} file(s) written`);
}
