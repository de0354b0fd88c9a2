// Merging the keys aoai-keyless owns into a .env: pure, so every rule has a table-driven test.
// Only the lines of an owned key (and of an API key, when asked) change; every other line keeps its
// bytes and its own line ending. An owned key is written as `KEY=value` (with `export ` when it had it),
// the one form dotenv, Node's parseEnv (20, 22, 24) and python-dotenv all read the same; missing ones
// are appended under one header. A merge that would change how dotenv reads any other key is refused.
import { UsageError } from '../errors.ts';
import { envValues, joinLines, parseEnvFile, type Assignment, type ParsedEnvFile, type PhysicalLine } from './parse.ts';

export const OWNED_HEADER = '# Azure OpenAI, keyless (Microsoft Entra ID): written by aoai-keyless';

/**
 * Node 20's reader takes a line without `=` as the start of the next key's name, up to the next `=`
 * (Node 20.20 `util.parseEnv('FOO\n# c\nA=1')` is `{ 'FOO\n# c\nA': '1' }`; Node 22 skips the line). A
 * comment line that ends in `=` closes such a name for Node 20 and is a comment for every other reader.
 */
export const NODE20_GUARD = '# (ends the line above for the .env reader of Node 20; written by aoai-keyless) =';

/** Keys that hold an API key for Azure OpenAI or Azure AI services. */
export const API_KEY_NAMES =
  /^(AZURE_OPENAI_(API_)?KEY(_\d+)?|AZURE_(AI|AI_SERVICES|COGNITIVE_SERVICES)_(API_)?KEY|AZURE_API_KEY|AOAI_(API_)?KEY)$/i;

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
  // An API key is commented out in every place or in none: one left inside another reader's quoted
  // value keeps the key for that reader, so that key stays as it is (and is reported in apiKeysLeft).
  let commentOut = input.commentOut ?? [];
  let r = mergeOnce({ ...input, commentOut });
  while (r.leftInSpan.length > 0) {
    commentOut = commentOut.filter((k) => !r.leftInSpan.includes(k));
    r = mergeOnce({ ...input, commentOut });
  }
  // Merged again until nothing changes, so a re-run changes nothing: the lines added can make dotenv
  // read a user's line differently (a last `KEY:` takes the next line), which a second pass settles.
  let { result } = r;
  for (let pass = 0; pass < 3; pass++) {
    const again = mergeOnce({ ...input, existing: result.text, commentOut: [] }).result;
    if (!again.changed) break;
    result = {
      ...again,
      updated: [...new Set([...result.updated, ...again.updated])],
      commentedOut: result.commentedOut,
      removed: result.removed,
    };
  }
  return { ...result, changed: result.text !== (input.existing ?? undefined) };
}

interface Walk {
  out: PhysicalLine[];
  /** Whether the last line of an owned key (the one every reader keeps) holds its value. */
  lastHolds: Map<string, boolean>;
  updated: Set<string>;
  commentedOut: Set<string>;
  leftInSpan: string[];
}

function mergeOnce(input: MergeInput): { result: MergeResult; leftInSpan: string[] } {
  const parsed = parseEnvFile(input.existing ?? '');
  const dropped = ownedToRemove(parsed, new Set(input.removeOwned ?? []));
  const w = walk(parsed, input, dropped);
  const missing = input.set.filter(([k]) => w.lastHolds.get(k) !== true);
  if (missing.length > 0) appendOwned(w.out, missing, parsed.eol);
  for (const [key] of missing) w.updated.add(key);

  const text = joinLines(w.out);
  const removed = [...new Set(dropped.map((e) => e.key))];
  checkMerge(input, parsed.entries, text, new Set([...(input.commentOut ?? []), ...removed]));
  const result = {
    text,
    changed: text !== (input.existing ?? undefined),
    updated: [...w.updated],
    apiKeysLeft: findApiKeys(text),
    commentedOut: [...w.commentedOut],
    removed,
  };
  return { result, leftInSpan: w.leftInSpan };
}

/**
 * The entries of `keys` in our own block: the assignments right under OWNED_HEADER, up to the first line
 * that is not one of them (a blank line, a comment). A user's own line with the same key stays.
 */
function ownedToRemove(parsed: ParsedEnvFile, keys: ReadonlySet<string>): Assignment[] {
  const header = parsed.lines.findIndex((l) => l.text === OWNED_HEADER);
  if (keys.size === 0 || header < 0) return [];
  const found: Assignment[] = [];
  let next = header + 1;
  for (const e of parsed.entries) {
    if (e.first < next) continue;
    if (e.first > next) break;
    if (keys.has(e.key)) found.push(e);
    next = e.last + 1;
  }
  return found;
}

/** Copies the file line by line, rewriting owned entries and commenting out API keys where that is safe. */
function walk(parsed: ParsedEnvFile, input: MergeInput, dropped: readonly Assignment[]): Walk {
  const { lines } = parsed;
  const toComment = new Set(input.commentOut ?? []);
  const wanted = new Map(input.set);
  const w: Walk = { out: [], lastHolds: new Map(), updated: new Set(), commentedOut: new Set(), leftInSpan: [] };
  /** Quotes opened, by the lines kept so far, that Node or python-dotenv may read on past their line. */
  const openers: string[] = [];
  const copyGap = (from: number, to: number): void => {
    w.out.push(...lines.slice(from, to));
  };
  let next = 0;
  for (const e of parsed.entries) {
    copyGap(next, e.first);
    next = e.last + 1;
    if (dropped.includes(e)) continue;
    const original = lines.slice(e.first, e.last + 1);
    const value = wanted.get(e.key);
    // Inside another reader's multi-line quote: changing the line would change that key's value there.
    const inSpan =
      (toComment.has(e.key) || value !== undefined) && (insideSpan(openers, lines, e) || opensSpanOver(lines, e));
    if (toComment.has(e.key) && !inSpan) {
      w.commentedOut.add(e.key);
      w.out.push(...commentedLines(original));
      continue;
    }
    if (toComment.has(e.key)) w.leftInSpan.push(e.key);
    if (value === undefined || inSpan) {
      if (value !== undefined) w.lastHolds.set(e.key, e.value === value);
      if (e.opensSpan !== '') openers.push(e.opensSpan);
      w.out.push(...original);
      continue;
    }
    w.lastHolds.set(e.key, true);
    const rendered = renderAssignment(e, value);
    const guard = nodeTwentyDangles(w.out, w.out.length);
    if (e.value === value && e.first === e.last && original[0]?.text === rendered && !guard) {
      w.out.push(...original);
      continue;
    }
    w.updated.add(e.key);
    if (guard) w.out.push({ text: NODE20_GUARD, eol: parsed.eol });
    w.out.push({ text: rendered, eol: lines[e.last]?.eol ?? '' });
  }
  copyGap(next, lines.length);
  return w;
}

/**
 * Whether a line kept above opens a quote that Node or python-dotenv (not dotenv) read on past its line
 * and the same quote comes again from this entry on: then this entry may be part of that value for them.
 * Such an owned line is left as it is and the key appended at the end (the last one wins in every reader).
 */
function insideSpan(openers: readonly string[], lines: readonly PhysicalLine[], e: Assignment): boolean {
  return openers.some((q) => lines.slice(e.first).some((l) => l.text.includes(q)));
}

/** Whether this entry opens such a quote itself and it comes again below: other lines are in its value there. */
function opensSpanOver(lines: readonly PhysicalLine[], e: Assignment): boolean {
  return e.opensSpan !== '' && lines.slice(e.last + 1).some((l) => l.text.includes(e.opensSpan));
}

function commentedLines(entry: PhysicalLine[]): PhysicalLine[] {
  return entry.map((l, i) => ({
    text: i === 0 ? `# ${l.text}  # commented out by aoai-keyless: use Entra ID instead` : `# ${l.text}`,
    eol: l.eol,
  }));
}

/** Appends owned keys at the end: under the header (once in the file), after a line break and, when needed, Node 20's guard. */
function appendOwned(
  out: PhysicalLine[],
  keys: ReadonlyArray<readonly [string, string]>,
  eol: PhysicalLine['eol'],
): void {
  const last = out[out.length - 1];
  if (last && last.eol === '') last.eol = eol;
  if (nodeTwentyDangles(out, out.length)) out.push({ text: NODE20_GUARD, eol });
  if (!out.some((l) => l.text === OWNED_HEADER)) {
    if (last && last.text.trim() !== '') out.push({ text: '', eol });
    out.push({ text: OWNED_HEADER, eol });
  }
  for (const [key, value] of keys) out.push({ text: `${key}=${quoteValue(value)}`, eol });
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
function checkMerge(
  input: MergeInput,
  before: readonly Assignment[],
  text: string,
  commented: ReadonlySet<string>,
): void {
  const after = envValues(parseEnvFile(text));
  const was: Record<string, string> = {};
  for (const e of before) was[e.key] = e.value;
  const wanted = new Map(input.set);
  const broken = [
    ...Object.keys(was).filter((k) => !wanted.has(k) && !commented.has(k) && after[k] !== was[k]),
    ...[...wanted].filter(([k, v]) => after[k] !== v).map(([k]) => k),
  ];
  if (broken.length === 0) return;
  throw new UsageError(
    `The .env cannot be updated without changing how it reads ${broken.join(', ')}: a quote or line break around the lines of ${input.set.map(([k]) => k).join(', ')} joins them to other lines.`,
    {
      code: 'env-file-unmergeable',
      hint: `Fix the quoting in the .env (or remove the aoai-keyless lines), then run setup again; or set by hand: ${input.set.map(([k, v]) => `${k}=${quoteValue(v)}`).join(' ')}`,
    },
  );
}

/** API keys with a value in the file. */
export function findApiKeys(existing: string | undefined): string[] {
  if (existing === undefined) return [];
  const keys = parseEnvFile(existing)
    .entries.filter((e) => API_KEY_NAMES.test(e.key) && e.value !== '')
    .map((e) => e.key);
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
  throw new UsageError(
    `The value ${JSON.stringify(value)} cannot be written to a .env so that dotenv, Node and python-dotenv read it the same.`,
    { code: 'bad-value' },
  );
}
