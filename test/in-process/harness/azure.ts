// The pretend Azure of one in-process test: the fake az's world (test/support/fake-az.ts) answering the fake
// runner's az rows, and, for a test that verifies, the local Azure OpenAI reading the same world.
import type { TestContext } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeAz, type FakeAz } from '../../support/fake-az.ts';
import { startFakeAoai, type FakeAoai } from '../../support/fake-aoai.ts';
import type { World } from '../../support/world.mjs';
import { fakeAzAnswer } from './fake-az-answers.ts';
import type { Expectation } from './fake-runner.ts';

export interface PretendAzure {
  fakeAz: FakeAz;
  /** The environment of a run: the fake az first on PATH for the credential, AzureCliCredential pinned. */
  env: NodeJS.ProcessEnv;
  /** A table row for `az <words>`, answered by the fake az. */
  az(words: string, o?: Omit<Expectation, 'command' | 'answer'>): Expectation;
}

export async function pretendAzure(t: TestContext, world: World): Promise<PretendAzure> {
  const fakeAz = createFakeAz(world);
  t.after(() => fakeAz.cleanup());
  const answer = fakeAzAnswer(fakeAz);
  return { fakeAz, env: fakeAz.env(), az: (words, o = {}) => ({ command: `az ${words}`, answer, ...o }) };
}

/** The accounts' data plane on loopback: every account's endpoint becomes the local Azure OpenAI's. */
export async function localAzureOpenAI(t: TestContext, fakeAz: FakeAz): Promise<FakeAoai> {
  const aoai = await startFakeAoai({ worldPath: fakeAz.worldPath });
  t.after(() => aoai.close());
  fakeAz.update((w) => {
    for (const a of w.accounts) a.endpoint = aoai.endpointFor(a.name);
  });
  return aoai;
}

export function project(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'aoai-in-process-'));
}
