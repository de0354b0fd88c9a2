// The loopback baseline of verify: a bare node process that sends the same chat completion to the
// same local server with a token it already has. What any app pays at the least (node start-up, one
// fetch, the service's answer); verify's wall time minus this and minus the token time is aoai-keyless's.
const url = process.env.BENCH_URL;
const token = process.env.BENCH_TOKEN;
if (!url) throw new Error('BENCH_URL is not set: bench/verify-latency.mjs runs this file');
const res = await fetch(url, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }], max_tokens: 5 }),
});
await res.text();
if (res.status !== 200) {
  process.stderr.write(`echo baseline: HTTP ${res.status}\n`);
  process.exit(1);
}
