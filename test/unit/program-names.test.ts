// The process runner also runs git and gh, and gh's JSON goes through the same readers as az's: an error names
// the program that actually ran, so a missing gh or a changed gh output never sends the user to fix the Azure CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProcessRunner } from '../../src/az/runner.ts';
import { asArray, asObject, parseJson } from '../../src/az/json.ts';
import { AppError } from '../../src/errors.ts';

/** The error `fn` throws (it must throw an AppError). */
async function failure(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    return e;
  }
  assert.fail('expected an error');
}

// An empty PATH: no program can be found, as on a machine without it.
const runner = createProcessRunner({ PATH: '' });

test('a program that is not installed is named: git is not the Azure CLI', async () => {
  const git = await failure(() => runner.run('git', ['remote', 'get-url', 'origin']));
  assert.match(git.message, /^'git' is not installed or not on PATH\.$/);
  assert.equal(git.code, 'git-not-installed');
  const gh = await failure(() => runner.run('gh', ['auth', 'status']));
  assert.match(gh.message, /GitHub's CLI \('gh'\)/);
  assert.doesNotMatch(`${gh.message} ${gh.hint}`, /Azure/);
  const az = await failure(() => runner.run('az', ['version']));
  assert.match(az.message, /^The Azure CLI \('az'\)/);
});

test("gh's output that is not what it should be names gh, az's names the Azure CLI", async () => {
  const notJson = await failure(() => parseJson('<html>', 'gh repo view'));
  assert.match(notJson.message, /`gh repo view` printed something that is not JSON/);
  assert.doesNotMatch(notJson.hint ?? '', /\baz\b/);
  const ghShape = await failure(() => asArray({}, 'gh variable list'));
  assert.match(ghShape.message, /^Unexpected output from GitHub's CLI \(gh\): gh variable list is not a list\.$/);
  assert.doesNotMatch(ghShape.hint ?? '', /Azure|az upgrade/);
  const azShape = await failure(() => asObject([], 'az account show'));
  assert.match(azShape.message, /^Unexpected output from the Azure CLI: az account show is not an object\.$/);
  assert.match(azShape.hint ?? '', /az upgrade/);
});
