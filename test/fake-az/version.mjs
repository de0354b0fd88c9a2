// Which az the fake is (world.azVersion, default 2.78.0): `az version`, `az --version`, and the output that
// changed between versions (before 2.54 no expires_on; 2.45 no tenantDefaultDomain).

/** @typedef {import('../support/world.mjs').World} World */
/** @typedef {import('./args.mjs').Command} Command */

const DEFAULT_VERSION = '2.78.0';

/** @param {World} world */
function azVersion(world) {
  const v = world.azVersion ?? DEFAULT_VERSION;
  return /^\d+\.\d+$/.test(v) ? `${v}.0` : v;
}
/** Is the world's az older than `min` ("2.54")? @param {World} world @param {string} min */
export function olderThan(world, min) {
  const [a = 0, b = 0] = azVersion(world).split('.').map(Number);
  const [c = 0, d = 0] = min.split('.').map(Number);
  return a < c || (a === c && b < d);
}

/** `az version` (JSON) and `az --version` (text). @param {World} world */
function versions(world) {
  return {
    'azure-cli': azVersion(world),
    'azure-cli-core': azVersion(world),
    'azure-cli-telemetry': '1.1.0',
    extensions: {},
  };
}
/** @param {World} world */
export function versionText(world) {
  const line = (/** @type {string} */ name, /** @type {string} */ v) =>
    `${name}${' '.repeat(Math.max(1, 40 - name.length - v.length))}${v}\n`;
  return `${line('azure-cli', azVersion(world))}\n${line('core', azVersion(world))}${line('telemetry', '1.1.0')}\nDependencies:\n${line('msal', '1.34.0b1')}${line('azure-mgmt-resource', '23.3.0')}\nPython location '/opt/az/bin/python3'\nConfig directory '${process.env.AZURE_CONFIG_DIR ?? '~/.azure'}'\nExtensions directory '${process.env.AZURE_CONFIG_DIR ?? '~/.azure'}/cliextensions'\n\nPython (Linux) 3.13.7 (main, Oct  1 2025, 10:00:00) [GCC 12.2.0]\n\nLegal docs and information: aka.ms/AzureCliLegal\n\n\nYour CLI is up-to-date.\n`;
}

/** @type {Command[]} */
export const VERSION_COMMANDS = [{ name: 'version', options: [], run: (ctx) => versions(ctx.world) }];
