// Bundles src/ into dist/ with esbuild. The runtime dependencies are bundled, so `npx aoai-keyless`
// installs one small package with no dependency tree to resolve. Code splitting keeps @azure/identity,
// openai and @inquirer/prompts in chunks of their own that only load when a command needs them, so
// `--help` and `--version` start as fast as node itself.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  // Class names survive minification: @azure/identity's log lines name the credential by its class.
  keepNames: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __AOAI_KEYLESS_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS (msal-node, @azure/core-*) calls require() for Node built-ins; an ESM bundle has none.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
});
