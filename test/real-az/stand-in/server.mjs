// The stand-in's HTTP server on 127.0.0.1: every request az makes arrives here (the shim puts the host az meant in
// `x-stand-in-host`), is routed by that host to the service that answers it, and is logged as one JSON line.
// The world is re-read on every request and written atomically, so a role assignment created here is what the
// data plane later lets through.
import http from 'node:http';
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { loadWorld, saveWorld } from '../../support/world.mjs';
import { entra } from './entra.mjs';
import { imds } from './imds.mjs';
import { arm } from './arm.mjs';
import { graph } from './graph.mjs';

/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

/** @param {Req} r @returns {Reply} */
function route(r) {
  const host = r.host.toLowerCase().replace(/:(443|80)$/, '');
  if (host === 'login.microsoftonline.com' || host === 'login.windows.net') return entra(r);
  if (host === '169.254.169.254') return imds(r);
  if (host === 'management.azure.com') return arm(r);
  if (host === 'graph.microsoft.com') return graph(r);
  // az asks this service for "did you mean" examples when a command fails (azure/cli/core/command_recommender.py);
  // offline it falls back to its own text, which is what an empty answer gives too.
  if (host === 'app.aladdin.microsoft.com') return { status: 200, body: [] };
  // `az login` checks connectivity (HEAD https://azure.microsoft.com, azure/cli/core/util.py check_connectivity) and then
  // the latest version on GitHub (get_latest_from_github); a 404 there is "unknown", which prints nothing.
  if (host === 'azure.microsoft.com') return { status: 200 };
  if (host === 'raw.githubusercontent.com')
    return { status: 404, body: { message: 'stand-in: no version information' } };
  return {
    status: 502,
    body: { error: { code: 'StandInUnknownHost', message: `stand-in: nothing answers for ${host}` } },
    note: 'unknown host',
  };
}

/**
 * @param {{ worldPath: string, logPath?: string, port?: number }} o
 * @returns {Promise<{ port: number, url: string, close: () => Promise<void> }>}
 */
export function startStandIn(o) {
  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const started = Date.now();
      const host = (req.headers['x-stand-in-host'] ?? req.headers.host ?? '')
        .toString()
        .toLowerCase()
        .replace(/:(443|80)$/, '');
      const scheme = (req.headers['x-stand-in-scheme'] ?? 'http').toString();
      const url = new URL(req.url ?? '/', `${scheme}://${host || 'localhost'}`);
      /** @type {Reply} */
      let reply;
      try {
        const world = loadWorld(o.worldPath);
        reply = route({
          method: req.method ?? 'GET',
          host,
          path: url.pathname,
          url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          world,
          save: (w) => saveWorld(o.worldPath, w),
        });
      } catch (err) {
        reply = {
          status: 500,
          body: { error: { code: 'StandInError', message: String(err instanceof Error ? err.stack : err) } },
          note: 'stand-in error',
        };
      }
      const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        'x-ms-request-id': randomUUID(),
        'x-ms-correlation-request-id': randomUUID(),
        ...reply.headers,
      });
      res.end(payload);
      if (o.logPath) {
        const entry = {
          time: started,
          method: req.method,
          host,
          url: url.href,
          path: url.pathname,
          status: reply.status,
          ...(reply.note ? { note: reply.note } : {}),
        };
        appendFileSync(o.logPath, `${JSON.stringify(entry)}\n`);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
