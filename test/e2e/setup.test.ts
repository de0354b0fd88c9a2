// setup end to end against the fake az: every scenario of the issue, non-interactive.
import { defineSetupScenarios } from './setup-scenarios.ts';
import { createFakeAz } from '../support/fake-az.ts';

defineSetupScenarios('fake az', (world) => createFakeAz(world), { concurrency: 4 });
