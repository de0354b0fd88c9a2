// Bundles src/ into dist/ with esbuild. The runtime dependencies are bundled, so `npx aoai-keyless`
// installs one small package with no dependency tree to resolve. Code splitting keeps @azure/identity,
// openai and @inquirer/prompts in chunks of their own that only load when a command needs them.
// Help texts are rendered by commander here, at build time, so `--help` starts as fast as node itself.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// --help says which Node.js it needs in the words of the bin's own check (one reading of `engines`).
const { describeRange } = createRequire(import.meta.url)('../bin/supported-node.js');
const define = {
  __AOAI_KEYLESS_VERSION__: JSON.stringify(pkg.version),
  __AOAI_KEYLESS_NODE__: JSON.stringify(describeRange(pkg.engines.node)),
};
// Bundled CommonJS (msal-node, @azure/core-*) calls require() for Node built-ins; an ESM bundle has none.
const banner = { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" };

async function renderHelp() {
  // Inside the project, so the program's imports resolve from node_modules.
  mkdirSync('node_modules/.cache', { recursive: true });
  const dir = mkdtempSync(join('node_modules', '.cache', 'aoai-keyless-help-'));
  try {
    const outfile = join(dir, 'program.mjs');
    await build({
      entryPoints: ['src/cli.ts'],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      define,
      logLevel: 'warning',
    });
    const { buildProgram } = await import(pathToFileURL(resolve(outfile)).href);
    const program = buildProgram();
    // Width 80, as commander renders for a pipe: the same text whatever terminal ran the build.
    const width = { getOutHelpWidth: () => 80, getErrHelpWidth: () => 80 };
    program.configureOutput(width);
    /** @type {Record<string, string>} */
    const help = { '': program.helpInformation() };
    for (const cmd of program.commands) {
      help[cmd.name()] = cmd.configureOutput(width).helpInformation();
      // Subcommands (`ci github`) by their two words.
      for (const sub of cmd.commands)
        help[`${cmd.name()} ${sub.name()}`] = sub.configureOutput(width).helpInformation();
    }
    return help;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const help = await renderHelp();
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.22',
  minify: true,
  // Class names survive minification: @azure/identity's log lines name the credential by its class.
  keepNames: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define,
  banner,
  logLevel: 'warning',
});
// Help and version: one small CommonJS file with nothing to import (see src/static-output.ts).
await build({
  entryPoints: ['src/static-output.ts'],
  outfile: 'dist/static-output.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22.22',
  minify: true,
  define: { ...define, __AOAI_KEYLESS_HELP__: JSON.stringify(JSON.stringify(help)) },
  logLevel: 'warning',
});
