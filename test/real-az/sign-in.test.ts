// Sign-in failures that need az's own state, with the real Azure CLI (Debian's 2.45) against the stand-in:
// a subscription moved to another tenant after `az login` (az's profile still names the old one), so Resource
// Manager answers 401 InvalidAuthenticationTokenTenant: setup ends with exit 3 and `az login --tenant <new>`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRealAz, realAzAvailable } from '../support/real-az.ts';
import { IDS, baseWorld } from '../support/world.mjs';
import { runCli } from '../support/cli.ts';
import { FULL, project, withHarness } from '../e2e/setup-scenarios.ts';

const available = realAzAvailable();
const MOVED_TO = '44444444-aaaa-bbbb-cccc-000000000000';

test('[real az] the subscription moved to another tenant: exit 3 with az login --tenant <its tenant>', { skip: !available.ok && `skipped: ${available.reason}` }, async (t) => {
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
