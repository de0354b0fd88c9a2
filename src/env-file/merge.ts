// Merging the keys aoai-keyless owns into a .env: pure, so every rule has a table-driven test.
// Other lines, comments and the order stay; owned keys are updated in place; new ones are appended
// under one header; line endings are kept; no BOM is written.
import { parseEnvFile, type Assignment, type Entry } from './parse.ts';

export const OWNED_HEADER = '# Azure OpenAI, keyless (Microsoft Entra ID): written by aoai-keyless';

/** Keys that hold an API key for Azure OpenAI or Azure AI services. */
export const API_KEY_NAMES = /^(AZURE_OPENAI_(API_)?KEY(_\d+)?|AZURE_(AI|AI_SERVICES|COGNITIVE_SERVICES)_(API_)?KEY|AZURE_API_KEY|AOAI_(API_)?KEY)$/i;

export interface MergeInput {
  /** The file's current text, or undefined when it does not exist. */
  existing: string | undefined;
  /** Keys to set, in the order new ones are appended. */
  set: ReadonlyArray<readonly [string, string]>;
  /** Keys to comment out (stale API keys), every occurrence. */
  commentOut?: readonly string[];
  /** Keys to delete, only where aoai-keyless wrote them: in the block under OWNED_HEADER (a user's own line stays). */
  removeOwned?: readonly string[];
}

export interface MergeResult {
  text: string;
  changed: boolean;
  /** Keys whose line was added or rewritten. */
  updated: string[];
  /** API keys present (not commented out) after the merge. */
  apiKeysLeft: string[];
  commentedOut: string[];
  /** Keys deleted from our block. */
  removed: string[];
}

export function mergeEnvFile(input: MergeInput): MergeResult {
  const parsed = parseEnvFile(input.existing ?? '');
  const removed = dropOwned(parsed.entries, new Set(input.removeOwned ?? []));
  const eol = input.existing === undefined ? '\n' : parsed.eol;
  const toComment = new Set(input.commentOut ?? []);
  const wanted = new Map(input.set);
  const seen = new Set<string>();
  const updated: string[] = [];
  const commentedOut: string[] = [];

  const entries: Entry[] = parsed.entries.map((e) => {
    if (e.kind !== 'assignment') return e;
    if (toComment.has(e.key)) {
      commentedOut.push(e.key);
      return { kind: 'other', lines: e.lines.map((l, i) => (i === 0 ? `# ${l}  # commented out by aoai-keyless: use Entra ID instead` : `# ${l}`)) };
    }
    const value = wanted.get(e.key);
    if (value === undefined) return e;
    seen.add(e.key);
    if (e.value === value) return e;
    updated.push(e.key);
    return { ...e, value, lines: [renderAssignment(e, value)] };
  });

  const missing = input.set.filter(([k]) => !seen.has(k));
  if (missing.length > 0) {
    const hasHeader = entries.some((e) => e.kind === 'other' && e.lines[0] === OWNED_HEADER);
    const lastLine = entries.length > 0 ? entries[entries.length - 1]?.lines.at(-1) : undefined;
    if (!hasHeader) {
      if (lastLine !== undefined && lastLine.trim() !== '') entries.push({ kind: 'other', lines: [''] });
      entries.push({ kind: 'other', lines: [OWNED_HEADER] });
    }
    for (const [key, value] of missing) {
      updated.push(key);
      entries.push({ kind: 'other', lines: [`${key}=${quoteValue(value)}`] });
    }
  }

  const lines = entries.flatMap((e) => e.lines);
  const text = lines.length === 0 ? '' : lines.join(eol) + (parsed.finalNewline || missing.length > 0 || input.existing === undefined ? eol : '');
  const apiKeysLeft = entries.filter((e): e is Assignment => e.kind === 'assignment' && API_KEY_NAMES.test(e.key) && e.value !== '').map((e) => e.key);
  return { text, changed: text !== (input.existing ?? undefined), updated, apiKeysLeft, commentedOut, removed };
}

/** Deletes, in place, the assignments of `keys` in our block: the lines after OWNED_HEADER up to a blank or other line. */
function dropOwned(entries: Entry[], keys: ReadonlySet<string>): string[] {
  const removed: string[] = [];
  if (keys.size === 0) return removed;
  const start = entries.findIndex((e) => e.kind === 'other' && e.lines[0] === OWNED_HEADER);
  if (start < 0) return removed;
  let i = start + 1;
  while (i < entries.length) {
    const e = entries[i]!;
    if (e.kind !== 'assignment') break;
    if (keys.has(e.key)) {
      removed.push(e.key);
      entries.splice(i, 1);
    } else i++;
  }
  return removed;
}

/** API keys with a value in the file. */
export function findApiKeys(existing: string | undefined): string[] {
  if (existing === undefined) return [];
  return parseEnvFile(existing).entries.filter((e): e is Assignment => e.kind === 'assignment' && API_KEY_NAMES.test(e.key) && e.value !== '').map((e) => e.key);
}

function renderAssignment(e: Assignment, value: string): string {
  const indent = /^\s*/.exec(e.lines[0] ?? '')?.[0] ?? '';
  const sep = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*(\s*=\s*|:\s+)/.exec(e.lines[0] ?? '')?.[1] ?? '=';
  const keepQuote = e.quote !== '' && !value.includes(e.quote) && !value.includes('\n') && !value.includes('\\');
  const rendered = keepQuote ? `${e.quote}${value}${e.quote}` : quoteValue(value);
  return `${indent}${e.exported ? 'export ' : ''}${e.key}${sep}${rendered}${e.comment}`;
}

/** Bare when dotenv reads it back unchanged; else single-quoted (dotenv takes those literally). */
export function quoteValue(value: string): string {
  if (/^[A-Za-z0-9_./:@+,=-]*$/.test(value)) return value;
  if (!value.includes("'") && !value.includes('\n')) return `'${value}'`;
  // dotenv expands only \n and \r inside double quotes.
  return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}
