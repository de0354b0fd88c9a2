// `az identity show|list`: Microsoft.ManagedIdentity user-assigned identities.
import { identityId, same } from '../support/world.mjs';
import { fail } from './errors.mjs';
import { NAME, RESOURCE_GROUP, list } from './args.mjs';
import { azureSession } from './profile.mjs';
import { parseResourceId, requireResourceGroup, resourceNotFound } from './arm.mjs';

/** @typedef {import('./args.mjs').Ctx} Ctx */
/** @typedef {import('./args.mjs').Command} Command */

/** @param {import('../support/world.mjs').UserAssignedIdentity} i */
function identityJson(i) {
  return { clientId: i.clientId, id: identityId(i), location: i.location ?? 'eastus', name: i.name, principalId: i.principalId, resourceGroup: i.resourceGroup, tags: {}, tenantId: i.tenantId, type: 'Microsoft.ManagedIdentity/userAssignedIdentities' };
}

/** @param {Ctx} ctx */
function identityShow(ctx) {
  const o = ctx.opts;
  if (!o.ids && !(o.resourceGroup && o.name)) fail('(--resource-group --name | --ids) are required');
  const ref = o.ids ? parseResourceId(o.ids[0], 'Microsoft.ManagedIdentity/userAssignedIdentities') : { subscription: undefined, resourceGroup: o.resourceGroup, name: o.name };
  const sub = azureSession(ctx, 'arm', ref.subscription ?? o.subscription);
  requireResourceGroup(ctx.world, sub.id, ref.resourceGroup, 3);
  const i = ctx.world.identities.find((x) => same(x.subscriptionId, sub.id) && same(x.resourceGroup, ref.resourceGroup) && same(x.name, ref.name));
  if (!i) return resourceNotFound('Microsoft.ManagedIdentity/userAssignedIdentities', ref.name, ref.resourceGroup, 3);
  return identityJson(i);
}

/** @param {Ctx} ctx */
function identityList(ctx) {
  const sub = azureSession(ctx);
  const rg = ctx.opts.resourceGroup;
  if (rg) requireResourceGroup(ctx.world, sub.id, rg, 1);
  return ctx.world.identities.filter((i) => same(i.subscriptionId, sub.id) && (!rg || same(i.resourceGroup, rg))).map(identityJson);
}

/** @type {Command[]} */
export const IDENTITY_COMMANDS = [
  { name: 'identity show', options: [RESOURCE_GROUP, NAME, list('ids', ['--ids'])], run: identityShow, arm: true },
  { name: 'identity list', options: [RESOURCE_GROUP], run: identityList, arm: true },
];
