// 3b. A configured re-run with the REAL Azure CLI (Debian's 2.45, run against the local stand-in for Azure from
// the real-az test tier, warm config dir), side by side with the seed's manual recipe run the same way: how many
// az processes, whether anything is written, and the wall time. Run by bench/run.mjs as a child (tsx), it prints
// one JSON document: { rows, detail }. Usage: node --import tsx bench/real-az-rerun.ts <package-root> [rounds]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRealAz, realAzAvailable } from '../test/support/real-az.ts';
import { startFakeAoai } from '../test/support/fake-aoai.ts';
import { IDS, baseWorld } from '../test/support/world.mjs';

const root = process.argv[2] ?? process.cwd();
const rounds = Number(process.argv[3] ?? 3);
const BIN = join(root, 'bin', 'aoai-keyless.js');
const FULL = [
  '--yes',
  '--subscription',
  IDS.subscription,
  '--resource-group',
  'rg-aoai',
  '--resource',
  'contoso-aoai',
  '--deployment',
  'gpt-4o-mini',
];
const TARGET_PROCESSES = 2;

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const words = (argv: string[]): string =>
  argv
    .slice(argv[0] === 'az' ? 1 : 0)
    .filter((_, i, a) => !a.slice(0, i + 1).some((x) => x.startsWith('-')))
    .join(' ');
const isWrite = (argv: string[]): boolean =>
  /\b(create|delete|update)$/.test(words(argv)) ||
  (words(argv) === 'rest' && /^(put|post|delete|patch)$/i.test(argv[argv.indexOf('--method') + 1] ?? ''));

async function main(): Promise<void> {
  const avail = realAzAvailable();
  if (!avail.ok) {
    process.stdout.write(
      JSON.stringify({
        rows: [['3. az calls', 'setup re-run with the real az', 'not measured', avail.reason ?? '', '', 'info']],
      }),
    );
    return;
  }
  const h = createRealAz(baseWorld());
  const aoai = await startFakeAoai({ worldPath: h.worldPath });
  try {
    h.update((w) => {
      for (const a of w.accounts) a.endpoint = aoai.endpointFor(a.name);
    });
    const cwd = mkdtempSync(join(tmpdir(), 'bench-rerun-'));
    const env = h.env();
    const version =
      (await run('az', ['version', '--query', '"azure-cli"', '-o', 'tsv'], env, cwd)).stdout.trim() || '?';
    const first = await run(process.execPath, [BIN, ...FULL, '--json'], env, cwd);
    if (first.code !== 0) throw new Error(`first setup exited ${first.code}: ${first.stderr.slice(-1500)}`);
    const rerun: Array<{ ms: number; processes: number; writes: string[]; commands: string[]; checkedWith: string }> =
      [];
    const manual: Array<{ ms: number; processes: number; writes: string[] }> = [];
    for (let i = 0; i < rounds; i++) {
      let before = h.calls().length;
      const r = await run(process.execPath, [BIN, ...FULL, '--json'], env, cwd);
      if (r.code !== 0) throw new Error(`re-run exited ${r.code}: ${r.stderr.slice(-1500)}`);
      const calls = h.calls().slice(before);
      rerun.push({
        ms: r.ms,
        processes: calls.length,
        writes: calls.filter((c) => isWrite(c.argv)).map((c) => words(c.argv)),
        commands: calls.map((c) => words(c.argv)),
        checkedWith: JSON.parse(r.stdout).roleAssignment?.checkedWith ?? '?',
      });

      // The seed's recipe: the four az commands of its README, one after the other, with the same az and config dir.
      before = h.calls().length;
      const t0 = performance.now();
      const az = async (...args: string[]): Promise<string> => {
        const x = await run('az', args, env, cwd);
        if (x.code !== 0) throw new Error(`az ${args.join(' ')} exited ${x.code}: ${x.stderr}`);
        return x.stdout.trim();
      };
      const me = await az('ad', 'signed-in-user', 'show', '--query', 'id', '-o', 'tsv');
      const id = await az(
        'cognitiveservices',
        'account',
        'show',
        '--name',
        'contoso-aoai',
        '--resource-group',
        'rg-aoai',
        '--query',
        'id',
        '-o',
        'tsv',
      );
      await az(
        'role',
        'assignment',
        'create',
        '--assignee',
        me,
        '--role',
        'Cognitive Services OpenAI User',
        '--scope',
        id,
      );
      await az(
        'cognitiveservices',
        'account',
        'show',
        '--name',
        'contoso-aoai',
        '--resource-group',
        'rg-aoai',
        '--query',
        'properties.endpoint',
        '-o',
        'tsv',
      );
      const mcalls = h.calls().slice(before);
      manual.push({
        ms: performance.now() - t0,
        processes: mcalls.length,
        writes: mcalls.filter((c) => isWrite(c.argv)).map((c) => words(c.argv)),
      });
    }
    const maxProcesses = Math.max(...rerun.map((x) => x.processes));
    const writes = [...new Set(rerun.flatMap((x) => x.writes))];
    const seed = `seed's recipe: ${manual[0]?.processes} az processes, ${median(manual.map((x) => x.ms)).toFixed(0)} ms, writes: ${[...new Set(manual.flatMap((x) => x.writes))].join(', ') || 'none'}`;
    const rows = [
      [
        '3. az calls',
        `setup re-run (configured project), REAL az ${version} + stand-in, warm config: az processes`,
        `${maxProcesses}: ${rerun[0]?.commands.join(', ')} (${rerun[0]?.checkedWith})`,
        seed,
        `target ≤ ${TARGET_PROCESSES}`,
        maxProcesses <= TARGET_PROCESSES ? 'PASS' : 'FAIL',
      ],
      [
        '3. az calls',
        'setup re-run, REAL az: writes',
        writes.length === 0 ? '0' : writes.join(', '),
        "seed's recipe: role assignment create (a PUT answered 409) every time",
        'target 0',
        writes.length === 0 ? 'PASS' : 'FAIL',
      ],
      [
        '3. az calls',
        'setup re-run, REAL az: wall time',
        `${median(rerun.map((x) => x.ms)).toFixed(0)} ms (median of ${rounds})`,
        `seed's recipe: ${median(manual.map((x) => x.ms)).toFixed(0)} ms`,
        `${(median(rerun.map((x) => x.ms)) / median(manual.map((x) => x.ms))).toFixed(2)}x`,
        'info',
      ],
    ];
    process.stdout.write(JSON.stringify({ rows, detail: { rerun, manual } }));
  } finally {
    await aoai.close();
    await h.cleanup();
  }
}

await main();
