// Merging the keys aoai-keyless owns into a .env: pure, so every rule has a table-driven test.
// Only the lines of an owned key (and of an API key, when asked) change; every other line keeps its
// bytes and its own line ending. An owned key is written as `KEY=value` (with `export ` when it had it),
// the one form dotenv, Node's parseEnv (20, 22, 24) and python-dotenv all read the same; missing ones
// are appended under one header. A merge that would change how dotenv reads any other key is refused.
import { UsageError } from '../errors.ts';
import { envValues, joinLines, parseEnvFile, type Assignment, type PhysicalLine } from './parse.ts';

export const OWNED_HEADER = '# Azure OpenAI, keyless (Microsoft Entra ID): written by aoai-keyless';

/**
 * Node 20's reader takes a line without `=` as the start of the next key's name, up to the next `=`
 * (Node 20.20 `util.parseEnv('FOO\n# c\nA=1')` is `{ 'FOO\n# c\nA': '1' }`; Node 22 skips the line). A
 * comment line that ends in `=` closes such a name for Node 20 and is a comment for every other reader.
 */
export const NODE20_GUARD = '# (ends the line above for the .env reader of Node 20; written by aoai-keyless) =';

/** Keys that hold an API key for Azure OpenAI or Azure AI services. */
export const API_KEY_NAMES = /^(AZURE_OPENAI_(API_)?KEY(_\d+)?|AZURE_(AI|AI_SERVICES|COGNITIVE_SERVICES)_(API_)?KEY|AZURE_API_KEY|AOAI_(API_)?KEY)$/i;

export interface MergeInput {
  /** The file's current text, or undefined when it does not exist. */
  existing: string | undefined;
  /** Keys to set, in the order new ones are appended. */
  set: ReadonlyArray<readonly [string, string]>;
  /** Keys to comment out (stale API keys), every occurrence. */
  commentOut?: readonly string[];
}

export interface MergeResult {
  text: string;
  changed: boolean;
  /** Keys whose line was added or rewritten. */
  updated: string[];
  /** API keys present (not commented out) after the merge. */
  apiKeysLeft: string[];
  commentedOut: string[];
}

export function mergeEnvFile(input: MergeInput): MergeResult {
  const parsed = parseEnvFile(input.existing ?? '');
  const lines = parsed.lines;
  const toComment = new Set(input.commentOut ?? []);
  const wanted = new Map(input.set);
  const seen = new Set<string>();
  const updated = new Set<string>();
  const commentedOut: string[] = [];
  const out: PhysicalLine[] = [];
  let next = 0;
  for (const e of parsed.entries) {
    const keep = (): void => {
      out.push(...lines.slice(next, e.last + 1));
      next = e.last + 1;
    };
    out.push(...lines.slice(next, e.first));
    next = e.first;
    const eol = lines[e.last]?.eol ?? '';
    if (toComment.has(e.key)) {
      commentedOut.push(e.key);
      out.push(...commentedLines(lines.slice(e.first, e.last + 1)));
      next = e.last + 1;
      continue;
    }
    const value = wanted.get(e.key);
    if (value === undefined) {
      keep();
      continue;
    }
    seen.add(e.key);
    const rendered = renderAssignment(e, value);
    const guard = nodeTwentyDangles(out, out.length);
    if (e.value === value && e.first === e.last && lines[e.first]?.text === rendered && !guard) {
      keep();
      continue;
    }
    updated.add(e.key);
    if (guard) out.push({ text: NODE20_GUARD, eol: parsed.eol });
    out.push({ text: rendered, eol });
    next = e.last + 1;
  }
  out.push(...lines.slice(next));
  const missing = input.set.filter(([k]) => !seen.has(k));
  if (missing.length > 0) {
    for (const [key] of missing) updated.add(key);
    appendOwned(out, missing, parsed.eol);
  }

  const text = joinLines(out);
  checkMerge(input, parsed.entries, text, toComment);
  const apiKeysLeft = findApiKeys(text);
  return { text, changed: text !== (input.existing ?? undefined), updated: [...updated], apiKeysLeft, commentedOut };
}

function commentedLines(entry: PhysicalLine[]): PhysicalLine[] {
  return entry.map((l, i) => ({ text: i === 0 ? `# ${l.text}  # commented out by aoai-keyless: use Entra ID instead` : `# ${l.text}`, eol: l.eol }));
}

/** Appends the missing keys at the end, under the header (once), after a line break and, when needed, Node 20's guard. */
function appendOwned(out: PhysicalLine[], missing: ReadonlyArray<readonly [string, string]>, eol: PhysicalLine['eol']): void {
  const last = out[out.length - 1];
  if (last && last.eol === '') last.eol = eol;
  const hasHeader = out.some((l) => l.text === OWNED_HEADER);
  if (nodeTwentyDangles(out, out.length)) out.push({ text: NODE20_GUARD, eol });
  if (!hasHeader) {
    if (out.length > 0 && out[out.length - 1]?.text.trim() !== '') out.push({ text: '', eol });
    out.push({ text: OWNED_HEADER, eol });
  }
  for (const [key, value] of missing) out.push({ text: `${key}=${quoteValue(value)}`, eol });
}

/**
 * Whether Node 20 would read the lines before `before` as the start of a key name: the closest line that
 * is neither empty nor a comment without `=` has no `=`. Conservative (a line inside a multi-line quoted
 * value counts too): a guard where none was needed is one more comment line.
 */
export function nodeTwentyDangles(lines: readonly PhysicalLine[], before: number): boolean {
  for (let i = before - 1; i >= 0; i--) {
    const t = lines[i]?.text ?? '';
    if (t === '' || (t.startsWith('#') && !t.includes('='))) continue;
    return !t.includes('=');
  }
  return false;
}

/** Refuses a merge after which dotenv would read any other key differently, or an owned key not as meant. */
function checkMerge(input: MergeInput, before: readonly Assignment[], text: string, commented: ReadonlySet<string>): void {
  const after = envValues(parseEnvFile(text));
  const was: Record<string, string> = {};
  for (const e of before) was[e.key] = e.value;
  const wanted = new Map(input.set);
  const broken = [
    ...Object.keys(was).filter((k) => !wanted.has(k) && !commented.has(k) && after[k] !== was[k]),
    ...[...wanted].filter(([k, v]) => after[k] !== v).map(([k]) => k),
  ];
  if (broken.length === 0) return;
  throw new UsageError(`The .env cannot be updated without changing how it reads ${broken.join(', ')}: a quote or line break around the lines of ${input.set.map(([k]) => k).join(', ')} joins them to other lines.`, {
    code: 'env-file-unmergeable',
    hint: `Fix the quoting in the .env (or remove the aoai-keyless lines), then run setup again; or set by hand: ${input.set.map(([k, v]) => `${k}=${quoteValue(v)}`).join(' ')}`,
  });
}

/** API keys with a value in the file. */
export function findApiKeys(existing: string | undefined): string[] {
  if (existing === undefined) return [];
  const keys = parseEnvFile(existing).entries.filter((e) => API_KEY_NAMES.test(e.key) && e.value !== '').map((e) => e.key);
  return [...new Set(keys)];
}

function renderAssignment(e: Assignment, value: string): string {
  // python-dotenv reads `#` as a comment only after white space.
  const comment = e.comment === '' ? '' : /^\s/.test(e.comment) ? e.comment : ` ${e.comment}`;
  return `${e.exported ? 'export ' : ''}${e.key}=${quoteValue(value)}${comment}`;
}

/**
 * The value as every reader reads it back: bare when it has only characters none of them treats specially;
 * else in single quotes (literal for all three, when it holds no `'`, `\` or line break); else in double
 * quotes (no `"`, `\`, `$` or backtick: python-dotenv expands escapes and `${VAR}` there). Any other value
 * cannot be written so the three agree, and none of ours is like that (URLs, names, GUIDs).
 */
export function quoteValue(value: string): string {
  if (/^[A-Za-z0-9_./:@+,=-]*$/.test(value)) return value;
  if (!/['\\\r\n]/.test(value)) return `'${value}'`;
  if (!/["\\$`\r\n]/.test(value)) return `"${value}"`;
  throw new UsageError(`The value ${JSON.stringify(value)} cannot be written to a .env so that dotenv, Node and python-dotenv read it the same.`, { code: 'bad-value' });
}
