// The package version and the Node.js it needs (package.json `engines.node` in words, by
// bin/supported-node.js), put in by the build (scripts/build.mjs); sources run by tsx say 0.0.0-dev.
declare const __AOAI_KEYLESS_VERSION__: string | undefined;
declare const __AOAI_KEYLESS_NODE__: string | undefined;
export const VERSION = typeof __AOAI_KEYLESS_VERSION__ === 'string' ? __AOAI_KEYLESS_VERSION__ : '0.0.0-dev';
export const NODE_REQUIREMENT =
  typeof __AOAI_KEYLESS_NODE__ === 'string' ? __AOAI_KEYLESS_NODE__ : 'the engines of package.json';
