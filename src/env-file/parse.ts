// A .env file read exactly as npm dotenv reads it, kept as physical lines (each with its own line
// ending) so that a merge can replace the lines of one key and leave every other byte as it was.
//
// The grammar is dotenv's own: its LINE regular expression (dotenv 16-18, lib/main.js `LINE`, in 18 the
// default parser of dist/index.cjs), run over the text with `\r\n` and lone `\r` turned into `\n`, the
// value trimmed, one pair of surrounding quotes removed (a multi-line regex, as dotenv does) and, for a
// value that starts with `"`, `\n` / `\r` escapes expanded. What follows from it, and where the other
// readers differ (the differential test test/unit/env-readers.test.ts runs all of them):
// - An unclosed or oddly closed quote (`A="x`, `A="x" y`) is read unquoted, to the end of the line (or
//   the first `#`): the lines after it stay lines of their own. Node's parseEnv agrees; python-dotenv
//   skips such a line with a warning.
// - `\` before a closing quote escapes it only when a later quote closes the value: `A="x\"` is `x\`.
//   Node ends a double-quoted value at the first `"`; python-dotenv reads `\"` as an escaped quote.
// - `KEY: value` is an assignment for dotenv only; Node and python-dotenv ignore the line.
// - Backticks quote for dotenv and Node; python-dotenv keeps them as part of the value.
// - `#` starts a comment anywhere in an unquoted value (`A=b#c` is `b`); python-dotenv needs a space
//   before it. `export ` is accepted by all three.
// - CRLF, lone CR and mixed endings all end lines; Node (20, 22, 24) does not break lines at a lone CR.
// - A line without `=` is skipped; Node 20 takes it (and the lines after it, up to the next `=`) as the
//   start of the next key's name (see nodeTwentyDangles in merge.ts). Node 22+ skips it.
// - White space in dotenv's regex includes line breaks, so `KEY:` / `KEY=` followed by a line break can
//   take the next line as the value (`A:\nB` is A=B; `A=\n'x'` is A=x): the parse below keeps that.

/** One physical line: its text and the line ending that follows it ('' for a last line without one). */
export interface PhysicalLine {
  text: string;
  eol: '\r\n' | '\n' | '\r' | '';
}

/** One assignment as dotenv reads it: the physical lines [first, last] hold it. */
export interface Assignment {
  key: string;
  value: string;
  first: number;
  last: number;
  exported: boolean;
  /** The quote the raw value starts with, or ''. */
  quote: '' | '"' | "'" | '`';
  /** What follows the value on its last line when that is a `# comment` (kept on update), else ''. */
  comment: string;
  /**
   * The quote a value opens without an unescaped closing one up to the end of its last line (`A="x`,
   * `A='x\\'`): dotenv reads the entry alone; Node and python-dotenv may read on to the next such quote.
   */
  opensSpan: '' | '"' | "'" | '`';
}

export interface ParsedEnvFile {
  lines: PhysicalLine[];
  entries: Assignment[];
  /** The ending most lines use, for lines we add: CRLF, LF or CR. */
  eol: '\r\n' | '\n' | '\r';
  /** Whether the last line ended with a line break (or the file is empty). */
  finalNewline: boolean;
}

// dotenv's LINE, character for character (with `d` for the match indices, which do not change what it matches).
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

export function splitLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  const re = /\r\n|\r|\n/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ text: text.slice(at, m.index), eol: m[0] as PhysicalLine['eol'] });
    at = m.index + m[0].length;
  }
  if (at < text.length) lines.push({ text: text.slice(at), eol: '' });
  return lines;
}

export function joinLines(lines: readonly PhysicalLine[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

/** dotenv's value: trimmed, one pair of quotes off, `\n` and `\r` expanded after a double quote. */
export function dotenvValue(raw: string): string {
  let value = raw.trim();
  const quote = value[0];
  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  return value;
}

export function parseEnvFile(text: string): ParsedEnvFile {
  const lines = splitLines(text);
  // dotenv reads `\r\n?` as `\n`: the same text, with one character per line break.
  const normalized = lines.map((l) => l.text + (l.eol === '' ? '' : '\n')).join('');
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += l.text.length + (l.eol === '' ? 0 : 1);
  }
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  const entries: Assignment[] = [];
  LINE.lastIndex = 0;
  for (let m = LINE.exec(normalized); m; m = LINE.exec(normalized)) {
    entries.push(assignmentOf(m, normalized, lineOf, starts, lines));
    // Stryker disable next-line all: a match holds a key of one character at least, so it is never empty; this only guards the loop.
    if (m[0] === '') LINE.lastIndex++;
  }
  return {
    lines,
    entries,
    eol: dominantEol(lines),
    // Stryker disable next-line ConditionalExpression,OptionalChaining: with no lines the second test is true as well.
    finalNewline: lines.length === 0 || lines[lines.length - 1]?.eol !== '',
  };
}

function assignmentOf(
  m: RegExpExecArray,
  normalized: string,
  lineOf: (pos: number) => number,
  starts: number[],
  lines: PhysicalLine[],
): Assignment {
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: indices always exist (d flag).
  const [keyStart = 0, keyEnd = 0] = m.indices?.[1] ?? [];
  // Stryker disable next-line OptionalChaining: /^\s*/ always matches (the empty string at least).
  const begin = m.index + (/^\s*/.exec(m[0])?.[0].length ?? 0);
  // The `=` or `:` after the key (white space, line breaks included, may come between).
  const sep = keyEnd + (/^\s*/.exec(normalized.slice(keyEnd))?.[0].length ?? 0);
  // Stryker disable next-line OptionalChaining: indices always exist (d flag).
  const valueRange = m.indices?.[2];
  // The value's last character (its group also holds the white space before a `#`).
  const valueEnd = valueRange ? valueRange[1] - ((m[2] ?? '').length - (m[2] ?? '').trimEnd().length) : sep + 1;
  const last = lineOf(Math.max(valueEnd - 1, sep));
  const lastLine = lines[last]?.text ?? '';
  const rest = lastLine.slice(valueEnd - (starts[last] ?? 0));
  const raw = (m[2] ?? '').trim();
  const q = raw[0];
  return {
    key: m[1] ?? '',
    value: dotenvValue(m[2] ?? ''),
    first: lineOf(begin),
    last,
    exported: keyStart > begin,
    quote: q === '"' || q === "'" || q === '`' ? q : '',
    comment: /^\s*#/.test(rest) ? rest : '',
    opensSpan: opensSpan(normalized.slice(valueRange?.[0] ?? 0, (starts[last] ?? 0) + lastLine.length), q),
  };
}

/** The quote `q` the value opens when no unescaped `q` follows it up to the end of the entry's last line. */
function opensSpan(valueText: string, q: string | undefined): Assignment['opensSpan'] {
  if (q !== '"' && q !== "'" && q !== '`') return '';
  const rest = valueText.slice(valueText.indexOf(q) + 1);
  return new RegExp(`(^|[^\\\\])\\${q}`).test(rest) ? '' : q;
}

function dominantEol(lines: readonly PhysicalLine[]): ParsedEnvFile['eol'] {
  const count = { '\r\n': 0, '\n': 0, '\r': 0 };
  for (const l of lines) if (l.eol !== '') count[l.eol]++;
  if (count['\r\n'] >= count['\n'] && count['\r\n'] >= count['\r'] && count['\r\n'] > 0) return '\r\n';
  return count['\r'] > count['\n'] ? '\r' : '\n';
}

/** The values the file defines, later lines winning, as dotenv's parse() returns them. */
export function envValues(parsed: ParsedEnvFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of parsed.entries) out[e.key] = e.value;
  return out;
}
