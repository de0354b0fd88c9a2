// Waiting for a new role assignment to apply: setup creates the assignment against the fake az, the local Azure
// OpenAI server honours it `seconds` after its createdOn (test/support/world.mjs dataPlaneAccess), and setup's
// verification polls (src/verify/wait.ts). Measured: how long after the role applied verification succeeded
// (setup's exit minus createdOn + seconds), against the target of 5 s (issue 10: "verified by N + 5 s").
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, FULL, NODE, baseWorld, createFakeAz, fmtNum, log, pointFirstAccountAt, tempDir, timed } from './lib.mjs';
import { startAoai } from './aoai-client.mjs';

const TARGET_MS = 5000;

/** @param {number} seconds */
async function once(seconds) {
  const az = createFakeAz(baseWorld({ azDelayMs: 0, propagationSeconds: seconds }), 'propagation');
  const aoai = await startAoai(az.worldPath);
  try {
    az.update((w) => pointFirstAccountAt(w, aoai.endpointFor('contoso-aoai')));
    const cwd = join(tempDir('propagation'), 'project');
    mkdirSync(cwd);
    const r = await timed(NODE, [BIN, ...FULL, '--json', '--wait', '5m'], { env: az.env(), cwd, timeoutMs: 600_000 });
    const exitedAt = Date.now();
    if (r.code !== 0) throw new Error(`setup exited ${r.code}: ${r.stderr.split('\n').slice(-5).join(' ')}`);
    const doc = JSON.parse(r.stdout);
    const created = az.world().roleAssignments[0];
    if (!created) throw new Error('setup created no role assignment');
    const appliedAt = Date.parse(created.createdOn) + seconds * 1000;
    return { afterMs: exitedAt - appliedAt, attempts: doc.verify.attempts };
  } finally {
    await aoai.close();
  }
}

export async function propagation({ seconds = [3, 12] } = {}) {
  const rows = [];
  for (const s of seconds) {
    log(`propagation: ${s} s`);
    const { afterMs, attempts } = await once(s);
    rows.push([
      '3. verify',
      `role applies ${s} s after setup creates it: setup done this long after (exit − createdOn − ${s} s)`,
      `${fmtNum(afterMs)} ms`,
      `${attempts} attempts`,
      `target ≤ ${TARGET_MS} ms`,
      afterMs <= TARGET_MS ? 'PASS' : 'FAIL',
    ]);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await propagation()) console.log(row.join(' | '));
}
