// `--help`, `--version` and `<command> --help` print text that commander rendered at build time
// (scripts/build.mjs). Built as CommonJS, which node loads faster than an ES module, and with no
// imports: these start as fast as node itself. Everything else goes to the commander program (cli.ts).
declare const __AOAI_KEYLESS_VERSION__: string;
declare const __AOAI_KEYLESS_HELP__: string;

const isHelp = (x: string | undefined): boolean => x === '--help' || x === '-h';

/** Prints the static text argv asks for and returns true, or returns false when argv asks for more. */
export function printStatic(args: readonly string[]): boolean {
  const [a, b, c] = args;
  if (args.length === 1 && (a === '--version' || a === '-v')) {
    process.stdout.write(`${__AOAI_KEYLESS_VERSION__}\n`);
    return true;
  }
  const help = JSON.parse(__AOAI_KEYLESS_HELP__) as Record<string, string>;
  const text =
    args.length === 1 && (isHelp(a) || a === 'help')
      ? help['']
      : args.length === 2 && a !== undefined && isHelp(b)
        ? help[a]
        : args.length === 2 && a === 'help' && b !== undefined
          ? help[b]
          : args.length === 3 && a !== undefined && b !== undefined && isHelp(c)
            ? help[`${a} ${b}`]
            : undefined;
  if (text === undefined) return false;
  process.stdout.write(text);
  return true;
}
