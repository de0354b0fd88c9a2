#!/usr/bin/env -S node --
// The `--` stops node from reading our own `--env-file <path>` as its option: node scans every argument
// before `--` for --env-file and exits 9 when that file does not exist yet (Node 20, 22 and 24).
// CommonJS (bin/package.json): help and version print from a CommonJS file, the fastest start node has;
// everything else imports the bundled program. First of all, the Node check: this file and
// supported-node.js are plain old JavaScript, so any Node can run them and get one line and exit 3
// (prerequisite) instead of a stack trace from the bundle.
'use strict';
var supported = require('./supported-node.js');
var problem = supported.unsupportedNode(process.versions.node, process.execPath, supported.NODE_RANGE);
if (problem) {
  process.stderr.write(problem + '\n');
  process.exitCode = 3;
} else if (!require('../dist/static-output.cjs').printStatic(process.argv.slice(2))) {
  require('./start.js');
}
