// ARM resources as az sees them: the resource group a command names must exist, a missing resource is ARM's
// ResourceNotFound, and --ids takes a resource id apart.
import { AZURE_TEXT, resourceGroupExists } from '../support/world.mjs';
import { armFail, fail } from './errors.mjs';

/** @typedef {import('../support/world.mjs').World} World */

export const systemData = (/** @type {string} */ at) => ({
  createdAt: at,
  createdBy: 'alice@contoso.com',
  createdByType: 'User',
  lastModifiedAt: at,
  lastModifiedBy: 'alice@contoso.com',
  lastModifiedByType: 'User',
});
export const nulls = (/** @type {string[]} */ keys) => Object.fromEntries(keys.map((k) => [k, null]));

/** @param {World} world @param {string} subscriptionId @param {string} rg @param {number} exitCode */
export function requireResourceGroup(world, subscriptionId, rg, exitCode) {
  if (!resourceGroupExists(world, subscriptionId, rg))
    armFail('ResourceGroupNotFound', AZURE_TEXT.resourceGroupNotFound(rg), exitCode);
}

/** ARM's 404 for a resource in an existing group. @param {string} type @param {string} name @param {string} rg @param {number} exitCode @returns {never} */
export function resourceNotFound(type, name, rg, exitCode) {
  armFail('ResourceNotFound', AZURE_TEXT.resourceNotFound(`${type}/${name}`, rg), exitCode);
}

/** `/subscriptions/S/resourceGroups/G/providers/NS/TYPE/NAME`, as --ids takes it. @param {string} id @param {string} type */
export function parseResourceId(id, type) {
  const m = new RegExp(
    `^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/${type.replace(/[./]/g, '\\$&')}/([^/]+)$`,
    'i',
  ).exec(id);
  if (!m) fail(`argument --ids: invalid ResourceId value: '${id}'`, 2);
  return { subscription: m[1] ?? '', resourceGroup: m[2] ?? '', name: m[3] ?? '' };
}
