// Starts bench/aoai-server.ts (the fake Azure OpenAI data plane) and talks to it over its stdio.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { NODE, ROOT } from './lib.mjs';

/** @param {string} worldPath */
export async function startAoai(worldPath, latencyMs = 0) {
  const child = spawn(NODE, ['--import', 'tsx', join(ROOT, 'bench', 'aoai-server.ts'), worldPath, String(latencyMs)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  /** @type {{ resolve: (v: any) => void, reject: (e: Error) => void }[]} */
  const waiting = [];
  /** @type {any[]} */
  const queued = [];
  lines.on('line', (l) => {
    const w = waiting.shift();
    if (w) w.resolve(JSON.parse(l));
    else queued.push(JSON.parse(l));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const next = () =>
    queued.length > 0
      ? Promise.resolve(queued.shift())
      : new Promise((resolve, reject) => {
          waiting.push({ resolve, reject });
          void exited.then((code) => reject(new Error(`fake AOAI server exited (${code})`)));
        });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const { url } = await next();
  clearTimeout(timeout);
  return {
    url,
    endpointFor: (/** @type {string} */ account) => `${url}/${account}/`,
    /** The requests answered since the last call. */
    async requests() {
      child.stdin.write('dump\n');
      return (await next()).requests;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
