// `az identity show|list`: Microsoft.ManagedIdentity user-assigned identities.
import { randomUUID } from 'node:crypto';
import { identityId, same, saveWorld } from '../support/world.mjs';
import { fail } from './errors.mjs';
import { NAME, RESOURCE_GROUP, list, value } from './args.mjs';
import { azureSession, worldPath } from './profile.mjs';
import { parseResourceId, requireResourceGroup, resourceNotFound } from './arm.mjs';

/** @typedef {import('./args.mjs').Ctx} Ctx */
/** @typedef {import('./args.mjs').Command} Command */

/** @param {import('../support/world.mjs').UserAssignedIdentity} i */
function identityJson(i) {
  return {
    clientId: i.clientId,
    id: identityId(i),
    location: i.location ?? 'eastus',
    name: i.name,
    principalId: i.principalId,
    resourceGroup: i.resourceGroup,
    tags: {},
    tenantId: i.tenantId,
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
  };
}

/** @param {Ctx} ctx */
function identityShow(ctx) {
  const o = ctx.opts;
  if (!o.ids && !(o.resourceGroup && o.name)) fail('(--resource-group --name | --ids) are required');
  const ref = o.ids
    ? parseResourceId(o.ids[0], 'Microsoft.ManagedIdentity/userAssignedIdentities')
    : { subscription: undefined, resourceGroup: o.resourceGroup, name: o.name };
  const sub = azureSession(ctx, 'arm', ref.subscription ?? o.subscription);
  requireResourceGroup(ctx.world, sub.id, ref.resourceGroup, 3);
  const i = ctx.world.identities.find(
    (x) => same(x.subscriptionId, sub.id) && same(x.resourceGroup, ref.resourceGroup) && same(x.name, ref.name),
  );
  if (!i) return resourceNotFound('Microsoft.ManagedIdentity/userAssignedIdentities', ref.name, ref.resourceGroup, 3);
  return identityJson(i);
}

/** @param {Ctx} ctx */
function identityList(ctx) {
  const sub = azureSession(ctx);
  const rg = ctx.opts.resourceGroup;
  if (rg) requireResourceGroup(ctx.world, sub.id, rg, 1);
  return ctx.world.identities
    .filter((i) => same(i.subscriptionId, sub.id) && (!rg || same(i.resourceGroup, rg)))
    .map(identityJson);
}

/** `az identity create`: ARM's PUT answers 201 with new ids (recording test_federated_identity_credential.yaml). @param {Ctx} ctx */
function identityCreate(ctx) {
  const o = ctx.opts;
  const sub = azureSession(ctx);
  const existing = ctx.world.identities.find(
    (x) => same(x.subscriptionId, sub.id) && same(x.resourceGroup, o.resourceGroup) && same(x.name, o.name),
  );
  if (existing) return identityJson(existing);
  const i = {
    subscriptionId: sub.id,
    resourceGroup: o.resourceGroup,
    name: o.name,
    principalId: randomUUID(),
    clientId: randomUUID(),
    tenantId: ctx.world.tenantId,
    location: o.location ?? 'eastus',
  };
  ctx.world.identities.push(i);
  ctx.world.directoryObjectIds = [...(ctx.world.directoryObjectIds ?? []), i.principalId];
  saveWorld(worldPath(), ctx.world);
  return identityJson(i);
}

/** The identity a federated-credential command names, or az's ResourceNotFound (exit 3). @param {Ctx} ctx */
function namedIdentity(ctx) {
  const sub = azureSession(ctx);
  requireResourceGroup(ctx.world, sub.id, ctx.opts.resourceGroup, 3);
  const i = ctx.world.identities.find(
    (x) =>
      same(x.subscriptionId, sub.id) &&
      same(x.resourceGroup, ctx.opts.resourceGroup) &&
      same(x.name, ctx.opts.identityName),
  );
  if (!i)
    return resourceNotFound(
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      ctx.opts.identityName,
      ctx.opts.resourceGroup,
      3,
    );
  return i;
}

/**
 * az's output for a federated credential: ARM's body (recording test_federated_identity_credential.yaml) with
 * `properties` flattened and resourceGroup added, as az prints every resource.
 * @param {import('../support/world.mjs').UserAssignedIdentity} i @param {import('../support/world.mjs').FederatedCredential} c
 */
function credentialJson(i, c) {
  return {
    audiences: c.audiences,
    id: `${identityId(i)}/federatedIdentityCredentials/${c.name}`,
    issuer: c.issuer,
    name: c.name,
    resourceGroup: i.resourceGroup,
    subject: c.subject,
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
  };
}

/** @param {Ctx} ctx */
function credentialList(ctx) {
  const i = namedIdentity(ctx);
  return (i.federatedCredentials ?? []).map((c) => credentialJson(i, c));
}

/** A PUT: the same name replaces (200), a new one is added (201). @param {Ctx} ctx */
function credentialCreate(ctx) {
  const i = namedIdentity(ctx);
  const o = ctx.opts;
  i.federatedCredentials ??= [];
  const list = i.federatedCredentials;
  const c = {
    name: o.name,
    issuer: o.issuer,
    subject: o.subject,
    audiences: o.audiences ?? ['api://AzureADTokenExchange'],
  };
  const at = list.findIndex((x) => same(x.name, c.name));
  if (at >= 0) list[at] = c;
  else list.push(c);
  saveWorld(worldPath(), ctx.world);
  return credentialJson(i, c);
}

const IDENTITY_NAME = value('identityName', ['--identity-name'], { required: true });

/** @type {Command[]} */
export const IDENTITY_COMMANDS = [
  {
    name: 'identity create',
    options: [
      { ...RESOURCE_GROUP, required: true },
      { ...NAME, required: true },
      value('location', ['--location', '-l']),
      list('tags', ['--tags']),
    ],
    run: identityCreate,
    arm: true,
  },
  {
    name: 'identity federated-credential list',
    options: [RESOURCE_GROUP, IDENTITY_NAME],
    run: credentialList,
    arm: true,
  },
  {
    name: 'identity federated-credential create',
    options: [
      { ...RESOURCE_GROUP, required: true },
      { ...NAME, required: true },
      IDENTITY_NAME,
      value('issuer', ['--issuer']),
      value('subject', ['--subject']),
      list('audiences', ['--audiences']),
    ],
    run: credentialCreate,
    arm: true,
  },
  { name: 'identity show', options: [RESOURCE_GROUP, NAME, list('ids', ['--ids'])], run: identityShow, arm: true },
  { name: 'identity list', options: [RESOURCE_GROUP], run: identityList, arm: true },
];
