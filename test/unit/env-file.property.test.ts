// Property-based tests of the .env parse and merge (fast-check), over files from the generators of
// test/support/env-arb.ts (every construct the readers' own test suites exercise, written from scratch).
// Seeded, so every run checks the same files: FC_SEED=<n> replays another seed; a failure prints its seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { mergeEnvFile } from '../../src/env-file/merge.ts';
import { envValues, parseEnvFile } from '../../src/env-file/parse.ts';
import { OWNED, judgeMerges, readers, type MergeCase } from '../support/env-readers.ts';
import { envFileArb } from '../support/env-arb.ts';

const dotenv = createRequire(import.meta.url)('dotenv') as { parse(text: string): Record<string, string> };
const SEED = Number(process.env.FC_SEED ?? 20261202);
const READERS = readers();

test("our parse equals dotenv's on generated files", () => {
  fc.assert(
    fc.property(envFileArb, (text) => {
      assert.deepEqual(envValues(parseEnvFile(text)), { ...dotenv.parse(text) });
    }),
    { seed: SEED, numRuns: 400 },
  );
});

test('a merge into a generated file: dotenv reads every other key as before, owned keys as meant, and a second merge is a no-op', () => {
  fc.assert(
    fc.property(envFileArb, fc.boolean(), (text, remove) => {
      const r = mergeEnvFile({
        existing: text,
        set: OWNED,
        commentOut: remove ? ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_KEY'] : [],
      });
      const [problem] = judgeMerges(READERS[0]!, [
        { name: 'generated', before: text, after: r.text, set: OWNED, commentedOut: r.commentedOut },
      ]);
      assert.equal(problem, undefined);
      assert.equal(
        mergeEnvFile({ existing: r.text, set: OWNED }).changed,
        false,
        `second merge of ${JSON.stringify(r.text)}`,
      );
    }),
    { seed: SEED, numRuns: 300 },
  );
});

// The other readers run as child processes: one batch of sampled files per reader.
const SAMPLED: MergeCase[] = fc
  .sample(fc.tuple(envFileArb, fc.boolean()), { seed: SEED, numRuns: 150 })
  .map(([text, remove], i) => {
    const r = mergeEnvFile({
      existing: text,
      set: OWNED,
      commentOut: remove ? ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_KEY'] : [],
    });
    return {
      name: `sample ${i} of seed ${SEED}`,
      before: text,
      after: r.text,
      set: OWNED,
      commentedOut: r.commentedOut,
    };
  });

for (const reader of READERS.slice(1)) {
  test(`${reader.name} reads every merged generated file as meant (seed ${SEED})`, {
    skip: reader.missing ? `skipped: ${reader.missing}` : false,
  }, () => {
    assert.deepEqual(judgeMerges(reader, SAMPLED), [], `seed ${SEED}: replay with FC_SEED=${SEED}`);
  });
}
