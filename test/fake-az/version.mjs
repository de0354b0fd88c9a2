// Which az the fake is (world.azVersion, default 2.78.0), for the output that changed between versions (before
// 2.54 no expires_on; 2.45 no tenantDefaultDomain).

/** @typedef {import('../support/world.mjs').World} World */

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
