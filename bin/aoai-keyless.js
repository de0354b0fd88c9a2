#!/usr/bin/env -S node --
// The `--` stops node from reading our own `--env-file <path>` as its option: node scans every argument
// before `--` for --env-file and exits 9 when that file does not exist yet (Node 20, 22 and 24).
// CommonJS (bin/package.json): help and version print from a CommonJS file, the fastest start node has;
// everything else imports the bundled program.
'use strict';
if (!require('../dist/static-output.cjs').printStatic(process.argv.slice(2))) {
  import('../dist/cli.js').then((cli) => cli.run(process.argv));
}
