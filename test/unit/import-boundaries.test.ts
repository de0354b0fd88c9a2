// The folders of src/ are boundaries (docs/architecture.md draws them): each rule here is one line of that
// picture, and fails naming the file and the import that crosses it. The imports are read from the source
// text: every `import … from`, `export … from` and `import()` specifier, with `import type` told apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'src');

interface Import {
  /** As written: 'execa', '../az/az.ts'. */
  spec: string;
  /** The src-relative path of a relative import ('az/az.ts'); undefined for a package. */
  target: string | undefined;
  typeOnly: boolean;
}

interface SourceFile {
  /** src-relative, with forward slashes: 'steps/target.ts', 'cli.ts'. */
  path: string;
  text: string;
  imports: Import[];
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

// Statements start a line in Biome-formatted code; `[^;]*?` spans a multi-line import list up to its `from`.
const STATIC = /^(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string, text: string): Import[] {
  const at = (spec: string, typeOnly: boolean): Import => ({
    spec,
    target: spec.startsWith('.')
      ? relative(SRC, resolve(dirname(file), spec))
          .split('\\')
          .join('/')
      : undefined,
    typeOnly,
  });
  return [
    ...[...text.matchAll(STATIC)].map((m) => {
      // `import { type A, type B } from` is as type-only as `import type { A, B } from`.
      const list = /\{([^}]*)\}/.exec(m[0])?.[1];
      const allTypes = list?.split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim())) === true;
      return at(m[2] ?? '', m[1] !== undefined || (allTypes && !/^\w+\s+\w+\s*,/.test(m[0])));
    }),
    ...[...text.matchAll(DYNAMIC)].map((m) => at(m[1] ?? '', false)),
  ];
}

const FILES: SourceFile[] = listTs(SRC).map((abs) => {
  const text = readFileSync(abs, 'utf8');
  return { path: relative(SRC, abs).split('\\').join('/'), text, imports: importsOf(abs, text) };
});

/** The folder of a src path ('az' for 'az/runner.ts'), or the file itself at the top ('cli.ts'). */
const areaOf = (path: string): string => path.split('/')[0] ?? path;

/** Every import, with its file, for which `bad` says what is wrong; [] when none. */
function crossings(bad: (f: SourceFile, i: Import) => string | false): string[] {
  return FILES.flatMap((f) =>
    f.imports.flatMap((i) => {
      const why = bad(f, i);
      return why ? [`src/${f.path} imports '${i.spec}': ${why}`] : [];
    }),
  );
}

test('the import reader sees the files and their imports (the rules below are not vacuous)', () => {
  const runner = FILES.find((f) => f.path === 'az/runner.ts');
  assert.ok(runner?.imports.some((i) => i.spec === 'execa' && !i.typeOnly));
  const cli = FILES.find((f) => f.path === 'cli.ts');
  assert.ok(
    cli?.imports.some((i) => i.target?.startsWith('commands/')),
    'cli.ts loads the commands lazily',
  );
  assert.ok(
    FILES.some((f) => f.imports.some((i) => i.typeOnly)),
    'type-only imports are told apart',
  );
  assert.ok(FILES.length > 50, `${FILES.length} files`);
});

test('only az/runner.ts imports execa: every process starts there, without a shell', () => {
  assert.deepEqual(
    crossings((f, i) => (i.spec === 'execa' || i.spec.startsWith('execa/')) && f.path !== 'az/runner.ts' && 'execa'),
    [],
  );
  // Nor does anything else start a process around it.
  assert.deepEqual(
    crossings((_, i) => /^(node:)?child_process$/.test(i.spec) && 'processes start in az/runner.ts'),
    [],
  );
});

test('only prompts/ imports @inquirer: the questions have one home', () => {
  assert.deepEqual(
    crossings(
      (f, i) => i.spec.startsWith('@inquirer/') && areaOf(f.path) !== 'prompts' && '@inquirer outside prompts/',
    ),
    [],
  );
});

// The real terminal is named only where output is written (output/), where questions are drawn (prompts/,
// through @inquirer), and in the entry points that pick this process's terminal for a run: cli.ts (the bin's
// run, commander's help, the exit that waits for stdout), create-context.ts (the streams a run gets) and
// static-output.ts (--help/--version before anything loads). Commands, steps and the rest write through ctx.
const TERMINAL = /\bprocess\.(stdout|stderr|stdin)\b|\bconsole\.\w+/;
const TERMINAL_OWNERS = new Set(['output', 'prompts', 'cli.ts', 'create-context.ts', 'static-output.ts']);

/**
 * The code of a line without its string literals and comments (snippets hold `console.log` as text, doc comments
 * name process.stdout). A line inside a block comment starts with `*` in formatted code.
 */
function codeOf(line: string): string {
  return line
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''")
    .replace(/\/\*.*?\*\//g, '')
    .replace(/\/\/.*$/, '')
    .replace(/^\s*\/?\*.*$/, '');
}

test('only output/ and prompts/ (and the entry points) touch the terminal: process.stdout/stderr/stdin, console', () => {
  const found = FILES.filter((f) => !TERMINAL_OWNERS.has(areaOf(f.path))).flatMap((f) =>
    f.text.split('\n').flatMap((line, n) => {
      const m = TERMINAL.exec(codeOf(line));
      return m ? [`src/${f.path}:${n + 1} ${m[0]}`] : [];
    }),
  );
  assert.deepEqual(found, []);
  assert.equal(codeOf(`  '  console.log(x);', // console.error`), "  '', ", 'text in strings is not code');
  assert.equal(codeOf('/** To process.stdout. */'), '', 'nor in comments');
  assert.equal(codeOf('  process.stdout.write(x); /* why */'), '  process.stdout.write(x); ');
});

// Files on disk: the .env only through env-file/write.ts. The other writers each write one file that is not
// the .env: the .gitignore line for it, the GitHub workflow, and `snippet --out`.
const FILE_WRITERS = new Map([
  ['env-file/write.ts', 'the .env (temp file, then rename)'],
  ['env-file/gitignore.ts', 'the .gitignore line that keeps the .env out of git'],
  ['github/workflow.ts', '.github/workflows/aoai-keyless.yml'],
  ['commands/snippet.ts', 'snippet --out <file>'],
]);
const FS_WRITE =
  /\b(?:fs\.|fsp\.|handle\.)?(writeFile|appendFile|rename|copyFile|unlink|rm|rmdir|mkdir|open|createWriteStream|chmod|chown|truncate|symlink|link|cp)(?:Sync)?\(/;

test('only env-file/write.ts writes the .env: no other module writes a file, except the named writers', () => {
  const found = FILES.filter((f) => !FILE_WRITERS.has(f.path)).flatMap((f) =>
    f.text.split('\n').flatMap((line, n) => {
      const m = FS_WRITE.exec(codeOf(line));
      return m && f.imports.some((i) => /^(node:)?fs(\/promises)?$/.test(i.spec))
        ? [`src/${f.path}:${n + 1} ${m[0]}`]
        : [];
    }),
  );
  assert.deepEqual(found, []);
  for (const path of FILE_WRITERS.keys())
    assert.ok(
      FILES.some((f) => f.path === path),
      `${path} is still there`,
    );
});

// The layers, bottom up. A folder may import its own files, the foundation and the folders listed for it.
// `types` are folders it may import types from only (the shapes they return), never their code.
const FOUNDATION = new Set([
  'errors.ts',
  'env.ts',
  'duration.ts',
  'resolve.ts',
  'version.ts',
  'context.ts',
  'contract',
]);
const LAYERS: Record<string, { code: string[]; types?: string[] }> = {
  contract: { code: [] },
  'errors.ts': { code: [] },
  'env.ts': { code: [] },
  'duration.ts': { code: [] },
  'resolve.ts': { code: [] },
  'version.ts': { code: [] },
  // What every command receives: the types of the runner, the prompter and the output.
  'context.ts': { code: [], types: ['output', 'prompts'] },
  output: { code: [] },
  prompts: { code: [] },
  entra: { code: [] },
  'env-file': { code: [] },
  az: { code: ['entra'] },
  azure: { code: ['entra'], types: ['az'] },
  snippets: { code: ['azure', 'entra'], types: ['az'] },
  verify: { code: ['az', 'azure', 'entra'], types: ['output'] },
  // The workflow file runs the Actions steps the snippets print and verify's subject check.
  github: { code: ['az', 'snippets', 'verify'] },
  steps: { code: ['az', 'azure', 'entra', 'env-file', 'github', 'snippets', 'verify', 'output', 'prompts'] },
  commands: {
    code: ['steps', 'az', 'azure', 'entra', 'env-file', 'github', 'snippets', 'verify', 'output', 'prompts'],
  },
  'create-context.ts': { code: ['az', 'output', 'prompts'] },
  'cli.ts': { code: ['commands', 'create-context.ts', 'output'] },
  'static-output.ts': { code: [] },
};

test('every folder of src/ has a place in the layers (a new one needs a line in docs/architecture.md)', () => {
  const areas = [...new Set(FILES.map((f) => areaOf(f.path)))].sort();
  assert.deepEqual(
    areas.filter((a) => !(a in LAYERS)),
    [],
  );
});

test('no import crosses a layer: lower folders never reach up into steps/, commands/ or cli.ts', () => {
  const found = crossings((f, i) => {
    if (i.target === undefined) return false;
    const from = areaOf(f.path);
    const to = areaOf(i.target);
    const rule = LAYERS[from];
    if (from === to || FOUNDATION.has(to) || rule === undefined) return false;
    if (rule.code.includes(to)) return false;
    if (i.typeOnly && rule.types?.includes(to)) return false;
    return rule.types?.includes(to) ? `${from} may import only types from ${to}` : `${from} may not import ${to}`;
  });
  assert.deepEqual(found, []);
});

test('the foundation imports nothing above it but types', () => {
  const found = crossings((f, i) => {
    const from = areaOf(f.path);
    if (!FOUNDATION.has(from) || i.target === undefined) return false;
    const to = areaOf(i.target);
    if (FOUNDATION.has(to) || (i.typeOnly && LAYERS[from]?.types?.includes(to))) return false;
    return `${from} is the foundation`;
  });
  assert.deepEqual(found, []);
});
