// ci github against the fake az and a fake gh (scenarios in ci-github-scenarios.ts).
import { defineCiGithubScenarios } from './ci-github-scenarios.ts';
import { createFakeAz } from '../support/fake-az.ts';

defineCiGithubScenarios('fake az', (world) => createFakeAz(world));
