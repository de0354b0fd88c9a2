// The entry of the bundle. `--help`, `--version` and `<command> --help` print text rendered by commander
// at build time (scripts/build.mjs), so they start as fast as node itself: no module but this one loads.
// Everything else loads the commander program.
import { VERSION } from './version.ts';

declare const __AOAI_KEYLESS_HELP__: Record<string, string> | undefined;
const HELP = typeof __AOAI_KEYLESS_HELP__ === 'object' ? __AOAI_KEYLESS_HELP__ : undefined;

/** The help text argv asks for ('' for the program's own), or undefined when it asks for something else. */
function staticHelp(argv: readonly string[], help: Record<string, string>): string | undefined {
  const [a, b, ...rest] = argv;
  if (rest.length > 0) return undefined;
  const isHelp = (x: string | undefined): boolean => x === '--help' || x === '-h';
  if (b === undefined && (isHelp(a) || a === 'help')) return help[''];
  if (a !== undefined && isHelp(b)) return help[a];
  if (a === 'help' && b !== undefined) return help[b];
  return undefined;
}

const args = process.argv.slice(2);
const text = HELP ? staticHelp(args, HELP) : undefined;
if (text !== undefined) {
  process.stdout.write(text);
} else if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { run } = await import('./program.ts');
  await run(process.argv);
}
