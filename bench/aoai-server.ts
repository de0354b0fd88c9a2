// The local Azure OpenAI server of the tests (test/support/fake-aoai.ts) as a child process for the
// plain-JS benchmark: `node --import tsx bench/aoai-server.ts <world.json> [latencyMs]`.
// Prints {"url"} once listening; on a line "dump" on stdin prints {"requests": [...]} (those since the
// last dump: path, status, serviceMs); closes when stdin ends.
import { createInterface } from 'node:readline';
import { startFakeAoai } from '../test/support/fake-aoai.ts';

const [worldPath, latency] = process.argv.slice(2);
if (!worldPath) throw new Error('usage: aoai-server.ts <world.json> [latencyMs]');
const latencyMs = Number(latency ?? 0);
const aoai = await startFakeAoai({ worldPath, behaviour: latencyMs > 0 ? { latencyMs } : {} });
let seen = 0;
process.stdout.write(`${JSON.stringify({ url: aoai.url })}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'dump') return;
  const fresh = aoai.requests.slice(seen).map((r) => ({ path: r.path, status: r.status, serviceMs: r.serviceMs }));
  seen = aoai.requests.length;
  process.stdout.write(`${JSON.stringify({ requests: fresh })}\n`);
});
lines.on('close', () => {
  void aoai.close().then(() => process.exit(0));
});
