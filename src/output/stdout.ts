// stdout carries a command's product and nothing else: the one JSON document of --json, or the code `snippet`
// prints. Human text goes to stderr (human.ts), so `aoai-keyless snippet js > app.mjs` and `--json | jq` work.
export function writeStdout(text: string): void {
  process.stdout.write(text);
}
