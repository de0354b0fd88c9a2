// Every function in src/ stays under 60 lines, counted from its first line to its last (issue 13: a newcomer
// reads a function on one screen). TypeScript 7 has no JS compiler API, so Babel's parser reads the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@babel/parser';

const MAX_LINES = 60;
const SRC = join(import.meta.dirname, '..', '..', 'src');
const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

interface Node {
  type: string;
  loc?: { start: { line: number }; end: { line: number } };
  id?: { name?: string } | null;
  key?: { name?: string } | null;
  [key: string]: unknown;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every function node under `node`, nested ones included. */
function functions(node: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const child of node) functions(child, found);
  } else if (node && typeof node === 'object' && typeof (node as Node).type === 'string') {
    const n = node as Node;
    if (FUNCTION_TYPES.has(n.type)) found.push(n);
    for (const [key, value] of Object.entries(n)) if (key !== 'loc') functions(value, found);
  }
  return found;
}

function lengthOf(n: Node): number {
  return n.loc ? n.loc.end.line - n.loc.start.line + 1 : 0;
}

function longFunctions(file: string): string[] {
  const ast = parse(readFileSync(file, 'utf8'), { sourceType: 'module', plugins: ['typescript'] });
  return functions(ast.program)
    .filter((n) => lengthOf(n) >= MAX_LINES)
    .map(
      (n) =>
        `${relative(SRC, file)}:${n.loc?.start.line} ${n.id?.name ?? n.key?.name ?? n.type} (${lengthOf(n)} lines)`,
    );
}

test('the counter sees a function of every kind, and its length from first to last line', () => {
  const body = Array.from({ length: 58 }, (_, i) => `  x${i}();`).join('\n');
  const source = [
    `function a() {\n${body}\n}`,
    `const b = () => {\n${body}\n};`,
    `const c = function () {\n${body}\n};`,
    `class D { m() {\n${body}\n} }`,
    `const e = { m() {\n${body}\n} };`,
  ].join('\n');
  const found = functions(parse(source, { sourceType: 'module', plugins: ['typescript'] }).program);
  assert.deepEqual(
    found.map((n) => [n.type, lengthOf(n)]),
    [
      ['FunctionDeclaration', 60],
      ['ArrowFunctionExpression', 60],
      ['FunctionExpression', 60],
      ['ClassMethod', 60],
      ['ObjectMethod', 60],
    ],
  );
});

test(`every function in src/ is shorter than ${MAX_LINES} lines`, () => {
  const files = sourceFiles(SRC);
  assert.ok(files.length > 20, `found only ${files.length} files under ${SRC}`);
  assert.deepEqual(files.flatMap(longFunctions), []);
});
