// Arguments: an argparse-like parser over a command table, with az's parser errors (azure/cli/core/parser.py):
// exit 2, `ERROR: <msg>` and the help examples command_recommender.py ranks for what was typed.
import { AzExit, fail } from './errors.mjs';

/** @typedef {import('../support/world.mjs').World} World */

/**
 * @typedef {{ dest: string, names: string[], kind: 'value'|'flag'|'list', required?: boolean, choices?: string[], lower?: boolean, min?: number }} Opt
 * @typedef {{ command: string, description: string }} Example
 * @typedef {{ world: World, opts: Record<string, any>, warnings: string[] }} Ctx
 * @typedef {{ name: string, options: Opt[], run: (ctx: Ctx) => unknown, arm?: boolean, examples?: Example[], requiredUnless?: string }} Command
 */
export const value = (
  /** @type {string} */ dest,
  /** @type {string[]} */ names,
  /** @type {Partial<Opt>} */ extra = {},
) => /** @type {Opt} */ ({ dest, names, kind: 'value', ...extra });
export const flag = (/** @type {string} */ dest, /** @type {string[]} */ names) =>
  /** @type {Opt} */ ({ dest, names, kind: 'flag' });
export const list = (/** @type {string} */ dest, /** @type {string[]} */ names, min = 1) =>
  /** @type {Opt} */ ({ dest, names, kind: 'list', min });

const GLOBAL_OPTIONS = [
  value('output', ['--output', '-o'], {
    choices: ['json', 'jsonc', 'yaml', 'yamlc', 'table', 'tsv', 'none'],
    lower: true,
  }),
  value('query', ['--query']),
  flag('onlyShowErrors', ['--only-show-errors']),
  flag('verbose', ['--verbose']),
  flag('debug', ['--debug']),
  flag('help', ['--help', '-h']),
];
/** The global --subscription of ARM commands (commands/arm.py register_global_subscription_argument). */
const SUBSCRIPTION = value('subscription', ['--subscription']);
/** The account commands' own subscription argument, which also answers to -s. */
export const ACCOUNT_SUBSCRIPTION = value('subscription', ['--subscription', '-s']);
export const RESOURCE_GROUP = value('resourceGroup', ['--resource-group', '-g']);
export const NAME = value('name', ['--name', '-n']);

/** "the value looks like an option" as argparse decides it: a dash, and not a negative number. */
const looksLikeOption = (/** @type {string} */ t) => t.startsWith('-') && t.length > 1 && !/^-\d/.test(t);

/** @param {Command} command */
function optionsOf(command) {
  return [...command.options, ...(command.arm ? [SUBSCRIPTION] : []), ...GLOBAL_OPTIONS];
}

/**
 * parser.py error(): `ERROR: <msg>`, then "Examples from AI knowledge base:" with up to three help examples of the
 * failing parser (none for the root parser, which reports unrecognized arguments), and the reference link.
 * @param {Command | null} command @param {string[]} tokens
 */
function usageTrailer(command, tokens) {
  const examples = command ? rankExamples(command, tokens).slice(0, 3) : [];
  return `\nExamples from AI knowledge base:\n${examples.map((e) => `${e.command}\n${e.description}\n\n`).join('')}https://aka.ms/cli_ref\nRead more about the command in reference docs\n`;
}

/** command_recommender.py sort_recommendations: most parameters in common with the user's first, then the shortest. @param {Command} command @param {string[]} tokens */
function rankExamples(command, tokens) {
  const longest = new Map(
    optionsOf(command).flatMap((o) => {
      const standard = [...o.names].sort((a, b) => b.length - a.length)[0] ?? '';
      return o.names.map((n) => [n, standard]);
    }),
  );
  // commands/__init__.py _extract_parameter_names: `--x=1` counts as --x, a short option by its first two chars.
  const normalise = (/** @type {string[]} */ args) =>
    args
      .filter((p) => p.startsWith('-') && !p.startsWith('---') && p.length > 1)
      .map((p) => (p.startsWith('--') ? (p.split('=')[0] ?? p) : p.slice(0, 2)))
      .flatMap((p) => (longest.has(p) ? [longest.get(p) ?? p] : []));
  const mine = normalise(tokens);
  const ranked = (command.examples ?? []).map((e) => {
    const args = normalise(e.command.split(' '));
    return { e, matches: args.filter((a) => mine.includes(a)).length, size: args.length };
  });
  ranked.sort((a, b) => b.matches - a.matches || a.size - b.size);
  return ranked.map((r) => r.e);
}

/** @param {Command} command @param {string[]} tokens @returns {Record<string, any>} */
export function parseOptions(command, tokens) {
  const options = optionsOf(command);
  const byName = new Map(options.flatMap((o) => o.names.map((n) => [n, o])));
  const usage = (/** @type {string} */ message) => fail(message, 2, usageTrailer(command, tokens));
  /** @type {Record<string, any>} */
  const values = {};
  /** @type {string[]} */
  const extras = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : token;
    const option = looksLikeOption(token) ? byName.get(name) : undefined;
    if (!option) {
      extras.push(token);
      continue;
    }
    const label = option.names.join('/');
    if (option.kind === 'flag') {
      values[option.dest] = true;
    } else if (option.kind === 'value') {
      const v = eq > 0 ? token.slice(eq + 1) : tokens[i + 1];
      if (eq < 0) {
        if (v === undefined || looksLikeOption(v)) usage(`argument ${label}: expected one argument`);
        i += 1;
      }
      values[option.dest] = checkChoice(command, option, /** @type {string} */ (v), usage);
    } else {
      const items = eq > 0 ? [token.slice(eq + 1)] : [];
      while (i + 1 < tokens.length && !looksLikeOption(tokens[i + 1] ?? '')) {
        i += 1;
        items.push(tokens[i] ?? '');
      }
      if (items.length < (option.min ?? 1)) usage(`argument ${label}: expected at least one argument`);
      values[option.dest] = items;
    }
  }
  // az prints the command's help and exits 0; the fake has no help texts.
  if (values.help) throw new AzExit(0, '');
  const exempt = command.requiredUnless !== undefined && values[command.requiredUnless] !== undefined;
  const missing = options.filter((o) => o.required && !exempt && values[o.dest] === undefined);
  if (missing.length > 0)
    usage(`the following arguments are required: ${missing.map((o) => o.names.join('/')).join(', ')}`);
  if (extras.length > 0) fail(`unrecognized arguments: ${extras.join(' ')}`, 2, usageTrailer(null, tokens));
  return { output: 'json', ...values };
}

/** parser.py _check_value; enum choices are case-insensitive and normalised (commands/parameters.py get_enum_type). @param {Command} command @param {Opt} option @param {string} v @param {(m: string) => never} usage */
function checkChoice(command, option, v, usage) {
  if (!option.choices) return v;
  const wanted = option.lower ? v.toLowerCase() : v;
  const match = option.choices.find((c) => (option.lower ? c === wanted : c.toLowerCase() === wanted.toLowerCase()));
  if (match === undefined)
    usage(
      `az ${command.name}: '${v}' is not a valid value for '${option.names[0]}'. Allowed values: ${option.choices.join(', ')}.`,
    );
  return match;
}

/** azure-cli-core util.py is_guid (uuid.UUID): dashes and braces optional. */
export const isGuid = (/** @type {string} */ s) =>
  /^(urn:uuid:)?\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(s);

/** The command of `commands` the leading words name, or az's parser error for the first word that names nothing. @param {Command[]} commands @param {string[]} args */
export function findCommand(commands, args) {
  const generic = usageTrailer(null, args);
  let path = '';
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i] ?? '';
    if (looksLikeOption(word)) break;
    path = path ? `${path} ${word}` : word;
    const command = commands.find((c) => c.name === path);
    if (command) return { command, tokens: args.slice(i + 1) };
    // parser.py _check_value: a word that is neither a command nor a group.
    if (!commands.some((c) => c.name.startsWith(`${path} `)))
      fail(`'${word}' is misspelled or not recognized by the system.`, 2, generic);
  }
  // A group without its subcommand: argparse's required `_subcommand`.
  return fail('the following arguments are required: _subcommand', 2, generic);
}
