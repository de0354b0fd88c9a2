// Sign-in failures that need az's own state, with the real Azure CLI (Debian's 2.45) against the stand-in:
// a damaged token cache (below), and a subscription moved to another tenant after `az login` (az's profile still names the old one), so Resource
// Manager answers 401 InvalidAuthenticationTokenTenant: setup ends with exit 3 and `az login --tenant <new>`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRealAz, realAzAvailable, type RealAz } from '../support/real-az.ts';
import { IDS, baseWorld } from '../support/world.mjs';
import { runCli } from '../support/cli.ts';
import { FULL, project, withHarness } from '../e2e/setup-scenarios.ts';

const available = realAzAvailable();
const { texts } = JSON.parse(readFileSync(new URL('../fixtures/az-sign-in-texts.json', import.meta.url), 'utf8')) as {
  texts: Array<{ id: string; stderr: string }>;
};
const signInText = (id: string): string => texts.find((x) => x.id === id)?.stderr ?? `no sign-in text ${id}`;
const MOVED_TO = '44444444-aaaa-bbbb-cccc-000000000000';

test('[real az] the subscription moved to another tenant: exit 3 with az login --tenant <its tenant>', {
  skip: !available.ok && `skipped: ${available.reason}`,
}, async (t) => {
  const h = await withHarness(t, (w) => createRealAz(w), baseWorld());
  h.update((w) => {
    w.subscriptions[0]!.tenantId = MOVED_TO;
  });
  const cwd = await project();
  const r = await runCli([...FULL, '--no-verify', '--json'], { env: h.env(), cwd, timeoutMs: 120_000 });
  assert.equal(r.code, 3, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.error.code, 'wrong-tenant');
  assert.match(doc.error.message, new RegExp(`wrong issuer 'https://sts\\.windows\\.net/${IDS.tenant}/'`));
  assert.match(doc.error.hint, new RegExp(`az login --tenant "${MOVED_TO}"`));
});

// The token cache emptied or gone behind az's back (Azure/azure-cli#32931): the texts of the fixtures
// empty-token-cache and lost-token-cache-user, word for word, and setup reads both as signed out.
const CACHE_CASES: Array<[fixture: string, damage: (path: string) => void]> = [
  [
    'empty-token-cache',
    (path) => {
      const cache = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      writeFileSync(path, JSON.stringify({ ...cache, RefreshToken: {}, AccessToken: {} }));
    },
  ],
  ['lost-token-cache-user', (path) => rmSync(path)],
];
for (const [fixture, damage] of CACHE_CASES) {
  test(`[real az] token cache: ${fixture} -> az's text as in the fixture, setup exit 3 with az login`, {
    skip: !available.ok && `skipped: ${available.reason}`,
  }, async (t) => {
    const h = await withHarness(t, (w) => createRealAz(w), baseWorld());
    damage(join((h as RealAz).configDir, 'msal_token_cache.json'));
    const raw = spawnSync('az', ['account', 'get-access-token', '--output', 'json', '--only-show-errors'], {
      env: h.env(),
      encoding: 'utf8',
    });
    assert.equal(raw.stderr, signInText(fixture));
    const cwd = await project();
    const r = await runCli([...FULL, '--no-verify', '--json'], { env: h.env(), cwd, timeoutMs: 120_000 });
    assert.equal(r.code, 3, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.error.code, 'not-signed-in');
    assert.match(doc.error.hint, /`az login`/);
  });
}
