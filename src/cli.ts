// The entry of the bundle, built on its own with no imports (scripts/build.mjs): `--help`, `--version`
// and `<command> --help` print text that commander rendered at build time, so they start as fast as
// node itself. Everything else loads the commander program.
declare const __AOAI_KEYLESS_VERSION__: string;
declare const __AOAI_KEYLESS_HELP__: string;

const args = process.argv.slice(2);
const help = JSON.parse(__AOAI_KEYLESS_HELP__) as Record<string, string>;
const isHelp = (x: string | undefined): boolean => x === '--help' || x === '-h';
const [a, b] = args;
const text =
  args.length === 1 && (isHelp(a) || a === 'help') ? help['']
  : args.length === 2 && a !== undefined && isHelp(b) ? help[a]
  : args.length === 2 && a === 'help' && b !== undefined ? help[b]
  : undefined;

if (text !== undefined) {
  process.stdout.write(text);
} else if (args.length === 1 && (a === '--version' || a === '-v')) {
  process.stdout.write(`${__AOAI_KEYLESS_VERSION__}\n`);
} else {
  // Built separately (dist/program.js); the import stays a file import.
  const { run } = await import('./program.js');
  await run(process.argv);
}
