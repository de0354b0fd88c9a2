// ci github with the real Azure CLI (Debian's azure-cli 2.45) talking to the local stand-in for Azure, and a
// fake gh: the same scenarios as the fake-az tier, so `az identity create` and `az identity federated-credential
// create|list` are parsed and sent by real az code.
import { test } from 'node:test';
import { defineCiGithubScenarios } from '../e2e/ci-github-scenarios.ts';
import { createRealAz, realAzAvailable } from '../support/real-az.ts';

const available = realAzAvailable();
if (available.ok) defineCiGithubScenarios('real az', (world) => createRealAz(world));
else test('real-az tier: ci github', (t) => t.skip(`skipped: ${available.reason}`));
