// Which Node.js aoai-keyless runs on: package.json's `engines.node`, checked by the bin before it loads
// anything else, and put in words by the build for the line in --help. Written in the JavaScript every Node ever
// released can parse (var, function, no arrow, no template): on an old Node this file must run to say
// so, where the bundle would die with a SyntaxError or ERR_REQUIRE_ESM and a stack trace.
// Understands the two comparators npm ranges in our dependency tree use: `^X.Y.Z` and `>=X.Y.Z`,
// alternatives joined by `||` (today: ^22.22.2 || ^24.15.0 || >=26.0.0, from @inquirer/prompts 8.8).
'use strict';

// package.json's engines.node, copied so `--help` reads no JSON first (1.4 ms of CPU at each start);
// test/unit/supported-node.test.ts fails when the two differ.
var NODE_RANGE = '^22.22.2 || ^24.15.0 || >=26';

function parseVersion(text) {
  var m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(text).trim());
  return m ? [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)] : null;
}

function compare(a, b) {
  for (var i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** `^22.22.2 || >=26` -> [{ op: '^', v: [22, 22, 2] }, { op: '>=', v: [26, 0, 0] }]; null if it cannot tell. */
function parseRange(range) {
  var parts = String(range).split('||');
  var out = [];
  for (var i = 0; i < parts.length; i++) {
    var m = /^\s*(\^|>=)\s*(\S+)\s*$/.exec(parts[i]);
    var v = m && parseVersion(m[2]);
    if (!v) return null;
    out.push({ op: m[1], v: v });
  }
  return out;
}

function satisfies(version, range) {
  var v = parseVersion(version);
  var alternatives = parseRange(range);
  // A range this file cannot read must never lock anyone out: the bundle decides then.
  if (!v || !alternatives) return true;
  for (var i = 0; i < alternatives.length; i++) {
    var a = alternatives[i];
    if (compare(v, a.v) >= 0 && (a.op === '>=' || v[0] === a.v[0])) return true;
  }
  return false;
}

function short(v) {
  return v[1] === 0 && v[2] === 0 ? String(v[0]) : v.join('.');
}

/** `^22.22.2 || ^24.15.0 || >=26.0.0` -> `22.22.2 or a later 22.x, 24.15.0 or a later 24.x, or 26 and later`. */
function describeRange(range) {
  var alternatives = parseRange(range);
  if (!alternatives) return String(range);
  var words = alternatives.map(function (a) {
    return a.op === '>=' ? short(a.v) + ' and later' : a.v.join('.') + ' or a later ' + a.v[0] + '.x';
  });
  return words.length > 1 ? words.slice(0, -1).join(', ') + ', or ' + words[words.length - 1] : words[0];
}

/** The one line an unsupported Node gets, or null when this Node is supported. */
function unsupportedNode(version, execPath, range) {
  if (satisfies(version, range)) return null;
  return 'aoai-keyless needs Node.js ' + describeRange(range) + '; this is Node.js ' + version + ' (' + execPath + '). ' +
    'Install a current LTS release from https://nodejs.org/en/download (with nvm: nvm install --lts) and run it again.';
}

module.exports = { NODE_RANGE: NODE_RANGE, parseRange: parseRange, satisfies: satisfies, describeRange: describeRange, unsupportedNode: unsupportedNode };
