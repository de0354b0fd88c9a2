// setup end to end with the real Azure CLI (Debian's azure-cli) talking to the local stand-in for Azure:
// the same scenarios as the fake-az tier, so every az call the tool makes is parsed by real az code.
import { test } from 'node:test';
import { defineSetupScenarios } from '../e2e/setup-scenarios.ts';
import { createRealAz, realAzAvailable } from '../support/real-az.ts';

const available = realAzAvailable();
if (available.ok) {
  defineSetupScenarios('real az', (world) => createRealAz(world), { concurrency: 2 });
} else {
  test('real-az tier', (t) => t.skip(`skipped: ${available.reason}`));
}
