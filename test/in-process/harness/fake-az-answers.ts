// The fake runner's answers for az: the fake az's own (test/fake-az, whose documents cite az's source and
// Azure's REST specs), computed in this process against the same world file the fake az executable, the
// credential's az and the local Azure OpenAI read. Nothing here invents an Azure answer.
import type { ProcessResult } from '../../../src/context.ts';
import { run } from '../../fake-az/cli.mjs';
import { AzExit } from '../../fake-az/errors.mjs';
import { writeProfile } from '../../fake-az/profile.mjs';
import { loadWorld } from '../../support/world.mjs';
import type { FakeAz } from '../../support/fake-az.ts';

/**
 * az's answer to `args` in the fake's world, as the az executable gives it: its output and exit code, the
 * world updated by a write, the profile rewritten. The fake reads its world file and config directory from
 * process.env (FAKE_AZ_WORLD, AZURE_CONFIG_DIR); run() is synchronous, so setting them around it is safe.
 */
export function fakeAzAnswer(h: FakeAz): (args: readonly string[]) => ProcessResult {
  const vars = { FAKE_AZ_WORLD: h.worldPath, AZURE_CONFIG_DIR: h.env().AZURE_CONFIG_DIR };
  return (args) => {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      const outcome = answer([...args], h.worldPath);
      writeProfile(loadWorld(h.worldPath), vars.AZURE_CONFIG_DIR);
      return outcome;
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
}

function answer(args: string[], worldPath: string): ProcessResult {
  try {
    return run(args, loadWorld(worldPath));
  } catch (e) {
    if (e instanceof AzExit) return { stdout: '', stderr: e.stderr, exitCode: e.exitCode };
    throw e;
  }
}
