// Runs node's test runner over the test tiers: each tier is a folder of test/, its *.test.ts files listed here.
// Usage: node scripts/run-tests.mjs [unit|in-process|e2e|real-az ...]   (no argument: every tier)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const tiers = process.argv.slice(2);
const chosen = tiers.length > 0 ? tiers : ['unit', 'in-process', 'e2e', 'real-az'];
const files = [];
for (const tier of chosen) {
  const dir = join('test', tier);
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    continue;
  }
  for (const name of names.sort()) {
    if (name.endsWith('.test.ts') && statSync(join(dir, name)).isFile()) files.push(join(dir, name));
  }
}
if (files.length === 0) {
  console.error(`no test files for ${chosen.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
