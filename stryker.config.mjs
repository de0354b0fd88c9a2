// StrykerJS over the modules whose rules decide what users get (issue 14): their exit code, their next step,
// their .env. The judges are the fast tiers (unit and in-process), each test file run directly under tsx with
// the tap reporter (node --test would hide per-test coverage from Stryker). Incremental: a re-run re-tests only
// mutants whose code or tests changed (reports/stryker-incremental.json is the memory, kept out of git).
import { readFileSync, readdirSync } from 'node:fs';

// A file that starts a server, a process or the SDKs (openai, @azure/identity) costs seconds where a rule
// table costs a fraction of one. The tap runner runs a mutant's covering files in the order listed here and
// stops at the first that fails, so the cheap ones go first: most mutants die there.
const HEAVY = /fake-aoai|verify-chat|@azure\/identity|from 'openai'|runInProcess|support\/cli|child_process|spawn/;

// Tests of the source's shape, not its behaviour: Stryker's instrumented copy of src/ has longer functions
// and more imports, and a mutant changes no shape they read. They are no judges of a mutant.
const ABOUT_THE_SOURCE = new Set(['function-length.test.ts', 'import-boundaries.test.ts', 'json-schema.test.ts']);

/** The judges, cheap files first, each group in name order (literal paths: the runner keeps their order). */
function testFiles(/** @type {string[]} */ dirs) {
  const files = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.test.ts') && !ABOUT_THE_SOURCE.has(name))
      .sort()
      .map((name) => `${dir}/${name}`),
  );
  const heavy = (/** @type {string} */ f) => HEAVY.test(readFileSync(f, 'utf8'));
  return [...files.filter((f) => !heavy(f)), ...files.filter(heavy)];
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  tap: {
    testFiles: testFiles(['test/unit', 'test/in-process']),
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  mutate: [
    'src/env-file/**/*.ts',
    'src/az/classify.ts',
    'src/azure/**/*.ts',
    'src/entra/**/*.ts',
    'src/verify/diagnose.ts',
    'src/verify/failure.ts',
  ],
  // Stryker rewrites tsconfig paths with TypeScript's JS API, which TypeScript 7 (the Go port) no longer has.
  // Ours has no extends or references to rewrite, so Stryker is pointed at no tsconfig at all.
  tsconfigFile: 'no-tsconfig-to-rewrite.json',
  // Only the sources get Stryker's `// @ts-nocheck`: the golden snippet files are compared byte for byte.
  disableTypeChecks: 'src/**/*.ts',
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  concurrency: 2,
  timeoutMS: 10000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
