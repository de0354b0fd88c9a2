// A .env file as dotenv reads it, kept line by line so a merge can change one value and leave every
// other byte (comments, order, blank lines, quoting, `export`) as it was.

export interface Assignment {
  kind: 'assignment';
  key: string;
  value: string;
  /** The physical lines of this entry without their line endings (a quoted value may span several). */
  lines: string[];
  exported: boolean;
  quote: '' | '"' | "'" | '`';
  /** A trailing ` # comment` on a single-line entry, kept on update. */
  comment: string;
}

export interface OtherLine {
  kind: 'other';
  lines: string[];
}

export type Entry = Assignment | OtherLine;

export interface ParsedEnvFile {
  entries: Entry[];
  eol: '\n' | '\r\n';
  /** Whether the last line ended with a line break. */
  finalNewline: boolean;
  hadBom: boolean;
}

// dotenv's LINE rule (lib/main.js): optional `export`, a key of word characters, dots and dashes, `=` or `: `.
const HEAD = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*|:\s+)(.*)$/;

export function parseEnvFile(text: string): ParsedEnvFile {
  const hadBom = text.charCodeAt(0) === 0xfeff;
  const body = hadBom ? text.slice(1) : text;
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = body === '' || body.endsWith('\n');
  const physical = body.split(/\r?\n/);
  if (finalNewline) physical.pop();

  const entries: Entry[] = [];
  for (let i = 0; i < physical.length; i++) {
    const line = physical[i] ?? '';
    const m = HEAD.exec(line);
    if (!m) {
      entries.push({ kind: 'other', lines: [line] });
      continue;
    }
    const [, , exportKw, key = '', , rest = ''] = m;
    const q = rest.trimStart()[0];
    if (q === '"' || q === "'" || q === '`') {
      // A quoted value runs to its closing quote, possibly lines later (dotenv allows multi-line values).
      const lines = [line];
      let joined = rest.trimStart().slice(1);
      let close = findClose(joined, q);
      while (close < 0 && i + 1 < physical.length) {
        i++;
        lines.push(physical[i] ?? '');
        joined += `\n${physical[i] ?? ''}`;
        close = findClose(joined, q);
      }
      if (close < 0) {
        // No closing quote: dotenv falls back to reading the line unquoted.
        entries.push(unquoted(line, key, exportKw !== undefined, rest));
        i -= lines.length - 1;
        continue;
      }
      let value = joined.slice(0, close);
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
      const after = joined.slice(close + 1);
      const comment = /^\s*#.*$/.test(after) ? after : '';
      entries.push({ kind: 'assignment', key, value, lines, exported: exportKw !== undefined, quote: q, comment });
      continue;
    }
    entries.push(unquoted(line, key, exportKw !== undefined, rest));
  }
  return { entries, eol, finalNewline, hadBom };
}

function unquoted(line: string, key: string, exported: boolean, rest: string): Assignment {
  // Unquoted: the value ends at the first `#` (dotenv), surrounding white space trimmed.
  const hash = rest.indexOf('#');
  const value = (hash >= 0 ? rest.slice(0, hash) : rest).trim();
  const comment = hash >= 0 ? ` ${rest.slice(hash)}` : '';
  return { kind: 'assignment', key, value, lines: [line], exported, quote: '', comment };
}

function findClose(s: string, q: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === q) return i;
  }
  return -1;
}

/** The values the file defines, later lines winning, as dotenv's parse() returns them. */
export function envValues(parsed: ParsedEnvFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of parsed.entries) if (e.kind === 'assignment') out[e.key] = e.value;
  return out;
}
