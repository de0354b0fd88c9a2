// 1. Start-up: `aoai-keyless --help` and `--version` against a bare `node -e ''`, interleaved
// (baseline, --help, baseline, --version, ...) so the noise of a shared machine hits both alike.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { BIN, NODE, fmtStats, ratio, stats, tempDir, timedSync, log } from './lib.mjs';

const HELP_TARGET = 1.3;

export async function startup({ runs = 15 } = {}) {
  log(`start-up: ${runs} rounds of node -e '' / --help / node -e '' / --version / node empty.mjs`);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8' };
  // An empty ES module, for scale (the bin is CommonJS, which node loads faster).
  const emptyEsm = join(tempDir('esm'), 'empty.mjs');
  writeFileSync(emptyEsm, '');
  /** @type {number[]} */
  const base = [];
  /** @type {number[]} */
  const esm = [];
  /** @type {number[]} */
  const help = [];
  /** @type {number[]} */
  const version = [];
  /** @param {string[]} args @param {number[]} [sink] */
  const run = (args, sink) => {
    const r = timedSync(NODE, args, { env });
    if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    sink?.push(r.ms);
    return r;
  };
  // Warm the file cache once; not counted.
  run(['-e', '']);
  const h = run([BIN, '--help']);
  const v = run([BIN, '--version']);
  if (!/Usage/i.test(h.stdout)) throw new Error(`--help printed no usage: ${h.stdout.slice(0, 200)}`);
  for (let i = 0; i < runs; i++) {
    run(['-e', ''], base);
    run([BIN, '--help'], help);
    run(['-e', ''], base);
    run([BIN, '--version'], version);
    run([emptyEsm], esm);
  }
  const b = stats(base);
  const sh = stats(help);
  const sv = stats(version);
  const se = stats(esm);
  const helpRatio = sh.median / b.median;
  return {
    version: v.stdout.trim(),
    rows: [
      [
        '1. start-up',
        '`aoai-keyless --help`',
        fmtStats(sh),
        `node -e '': ${fmtStats(b)}`,
        `${ratio(sh.median, b.median)} (target ≤ ${HELP_TARGET}x)`,
        helpRatio <= HELP_TARGET ? 'PASS' : 'FAIL',
      ],
      [
        '1. start-up',
        '`aoai-keyless --version`',
        fmtStats(sv),
        `node -e '': same`,
        `${ratio(sv.median, b.median)}`,
        'info',
      ],
      [
        '1. start-up',
        '--help over bare node (median − median)',
        `${Math.round(sh.median - b.median)} ms`,
        '',
        '',
        'info',
      ],
      [
        '1. start-up',
        'an empty ES module, for scale: `node empty.mjs`',
        fmtStats(se),
        "node -e '': same",
        ratio(se.median, b.median),
        'info',
      ],
    ],
  };
}
