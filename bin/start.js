// The program itself, required by aoai-keyless.js once the Node check has passed: `import()` is
// syntax a Node older than 12 cannot even parse, so it must not be in the file that runs the check.
'use strict';
import('../dist/cli.js').then(function (cli) {
  cli.run(process.argv);
});
