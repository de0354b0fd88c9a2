#!/usr/bin/env node
// A stand-in for Azure on 127.0.0.1 that the real Azure CLI talks to in the real-az test tier.
// The az wrapper's Python shim (test/real-az/shim/realaz_shim.py) sends every HTTP request az makes,
// whatever its host, here, with the original host in `x-stand-in-host`. The stand-in answers as
// Entra ID (login.microsoftonline.com), IMDS (169.254.169.254), ARM (management.azure.com) and
// Microsoft Graph (graph.microsoft.com) would, from the pretend-Azure world file shared with the
// fake az and the local Azure OpenAI server. The world is re-read on every request and written
// atomically, so a role assignment created here is what the data plane later lets through.
//
// Run as a process: `node stand-in.mjs --world <world.json> --log <requests.jsonl> [--port-file <f>]`; it prints
// `{"port":N}` on its first stdout line (and writes it to the port file). Each request is appended to the log
// as one JSON line. It stops on SIGTERM or when its stdin closes (its parent went away).
//
// This file is the entry others launch (test/support/real-az.ts); the services live in stand-in/: entra.mjs,
// imds.mjs, arm.mjs (with authorization.mjs, cognitiveservices.mjs, identity.mjs), graph.mjs, behind the
// bearer-token check of bearer.mjs, routed by server.mjs. The directory they share with the fake az is in
// test/support/world.mjs.
import { renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startStandIn } from './stand-in/server.mjs';

export { startStandIn };

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (/** @type {string} */ name) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const worldPath = arg('--world');
  if (!worldPath) {
    console.error('usage: stand-in.mjs --world <world.json> [--log <requests.jsonl>] [--port N] [--port-file <file>]');
    process.exit(2);
  }
  const logPath = arg('--log');
  const s = await startStandIn({ worldPath, ...(logPath ? { logPath } : {}), port: Number(arg('--port') ?? 0) });
  const portFile = arg('--port-file');
  if (portFile) {
    // Written whole (rename), so a harness polling for the file never reads half of it.
    writeFileSync(`${portFile}.tmp`, JSON.stringify({ port: s.port }));
    renameSync(`${portFile}.tmp`, portFile);
  }
  process.stdout.write(`${JSON.stringify({ port: s.port })}\n`);
  // The harness owns this process: stop when it says so or when it goes away.
  const stop = () => s.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}
