// The fake az's command line: the table of the commands aoai-keyless runs (and the bench's manual sequence), and
// one run from argv to stdout, stderr and exit code (warnings first, as az's logger prints them before the result).
import { AzExit } from './errors.mjs';
import { addResourceGroup, render } from './output.mjs';
import { applyQuery } from './query.mjs';
import { findCommand, parseOptions } from './args.mjs';
import { cachedSubscriptions, matchSubscriptions } from './profile.mjs';
import { ACCOUNT_COMMANDS } from './account.mjs';
import { LOGIN_COMMANDS } from './login.mjs';
import { AD_COMMANDS } from './ad.mjs';
import { COGNITIVESERVICES_COMMANDS } from './cognitiveservices.mjs';
import { IDENTITY_COMMANDS } from './identity.mjs';
import { ROLE_COMMANDS } from './role.mjs';
import { REST_COMMANDS } from './rest.mjs';

/** @typedef {import('../support/world.mjs').World} World */
/** @typedef {import('./args.mjs').Ctx} Ctx */

/** @type {import('./args.mjs').Command[]} */
export const COMMANDS = [
  ...ACCOUNT_COMMANDS,
  ...LOGIN_COMMANDS,
  ...AD_COMMANDS,
  ...COGNITIVESERVICES_COMMANDS,
  ...IDENTITY_COMMANDS,
  ...ROLE_COMMANDS,
  ...REST_COMMANDS,
];

/** @param {string[]} args @param {World} world @returns {{ stdout: string, stderr: string, exitCode: number }} */
export function run(args, world) {
  const { command, tokens } = findCommand(COMMANDS, args);
  const opts = parseOptions(command, tokens);
  /** @type {Ctx} */
  const ctx = { world, opts, warnings: [] };
  // commands/arm.py SubscriptionNameOrIdAction warns at parse time, before the command finds out more.
  if (
    command.arm &&
    opts.subscription &&
    matchSubscriptions(cachedSubscriptions(world), opts.subscription).length === 0
  ) {
    ctx.warnings.push(`Subscription '${opts.subscription}' not recognized.`);
  }
  const warnings = () => (opts.onlyShowErrors ? '' : ctx.warnings.map((w) => `WARNING: ${w}\n`).join(''));
  try {
    const result = command.run(ctx);
    addResourceGroup(result);
    const shown = opts.query ? applyQuery(opts.query, result) : result;
    return { stdout: render(shown, opts.output), stderr: warnings(), exitCode: 0 };
  } catch (e) {
    if (e instanceof AzExit) throw new AzExit(e.exitCode, warnings() + e.stderr);
    throw e;
  }
}
