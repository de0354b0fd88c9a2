// 2. Time to the first prompt of the interactive wizard in a pseudo-terminal: a world with two
// subscriptions, so the first question is the subscription pick. Baseline: a bare node printing the
// same text in the same terminal. With the fake az at 0 ms per call, and at 300 ms to show az's share.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  BIN,
  IDS,
  NODE,
  baseWorld,
  createFakeAz,
  criticalPath,
  fmtNum,
  fmtStats,
  log,
  ratio,
  stats,
  tempDir,
} from './lib.mjs';

const DRIVER = fileURLToPath(new URL('./pty-first-prompt.py', import.meta.url));
// The second subscription's name shows only in the pick's choices.
const EXPECT = 'Contoso Prod';

/** @param {number} azDelayMs */
function twoSubscriptions(azDelayMs) {
  const w = baseWorld({ azDelayMs });
  w.subscriptions.push({
    id: IDS.subscription2,
    name: 'Contoso Prod',
    tenantId: IDS.tenant,
    isDefault: false,
    state: 'Enabled',
  });
  return w;
}

/** @param {string[]} argv @param {Record<string, string>} env @param {string} cwd */
function inPty(argv, env, cwd) {
  const r = spawnSync('python3', [DRIVER], {
    input: JSON.stringify({ argv, env, cwd, expect: EXPECT, timeoutMs: 20_000 }),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  if (!out.matched)
    throw new Error(`no "${EXPECT}" prompt within 20 s (${argv.slice(1).join(' ')}); screen ends with:\n${out.tail}`);
  return out.ms;
}

export async function firstPrompt({ runs = 9, slowRuns = 5 } = {}) {
  log(`first prompt: ${runs} rounds at azDelayMs 0, ${slowRuns} at 300, in a pty`);
  const cwd = tempDir('tty');
  const fast = createFakeAz(twoSubscriptions(0), 'tty0');
  const slow = createFakeAz(twoSubscriptions(300), 'tty300');
  const baseArgv = [
    NODE,
    '-e',
    `process.stderr.write('? Subscription\\n  Contoso Dev\\n  ${EXPECT}\\n'); setTimeout(() => {}, 60000)`,
  ];
  const base = [];
  const wiz0 = [];
  const wiz300 = [];
  // Warm-up, not counted.
  inPty(baseArgv, fast.env(), cwd);
  inPty([NODE, BIN], fast.env(), cwd);
  fast.clearCalls();
  for (let i = 0; i < Math.max(runs, slowRuns); i++) {
    base.push(inPty(baseArgv, fast.env(), cwd));
    if (i < runs) wiz0.push(inPty([NODE, BIN], fast.env(), cwd));
    if (i < slowRuns) {
      base.push(inPty(baseArgv, fast.env(), cwd));
      slow.clearCalls();
      wiz300.push(inPty([NODE, BIN], slow.env(), cwd));
    }
  }
  // What ran before the prompt, in the last 300 ms run.
  const before = slow.calls();
  const path = criticalPath(before);
  const b = stats(base);
  const s0 = stats(wiz0);
  const s300 = stats(wiz300);
  const share = s300.median - s0.median;
  return [
    [
      '2. first prompt',
      'wizard → subscription pick, fake az 0 ms/call',
      fmtStats(s0),
      `bare node in the pty: ${fmtStats(b)}`,
      ratio(s0.median, b.median),
      'info',
    ],
    [
      '2. first prompt',
      'wizard → subscription pick, fake az 300 ms/call',
      fmtStats(s300),
      'bare node: same',
      ratio(s300.median, b.median),
      'info',
    ],
    [
      '2. first prompt',
      "az's share (300 ms − 0 ms medians)",
      `${Math.round(share)} ms ≈ ${fmtNum(share / 300)} × 300 ms`,
      '',
      `${before.length} az call(s) before the prompt, ${path.length} deep: ${path.chain.join(' → ') || '-'}`,
      'info',
    ],
  ];
}
