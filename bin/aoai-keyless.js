#!/usr/bin/env -S node --
// The `--` stops node from reading our own `--env-file <path>` as its option: node scans every argument
// before `--` for --env-file and exits 9 when that file does not exist yet (Node 20, 22 and 24).
import '../dist/cli.js';
