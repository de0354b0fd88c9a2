// Microsoft Graph (graph.microsoft.com/v1.0) for the real az: the directory of the world (directoryObjects in
// test/support/world.mjs, the same objects the fake az prints), as `az ad ...` and `az role assignment` look it up.
import { GRAPH_V1 as GRAPH, directoryObjects, graphEntity as entity, same } from '../../support/world.mjs';
import { authenticated } from './bearer.mjs';
import { graphError } from './replies.mjs';

/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

const GRAPH_AUDIENCES = [
  'https://graph.microsoft.com/',
  'https://graph.microsoft.com',
  '00000003-0000-0000-c000-000000000000',
];

const notInDirectory = (/** @type {string} */ id) =>
  graphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
const collection = (/** @type {string} */ set, /** @type {Array<Record<string, any>>} */ items) => ({
  '@odata.context': `${GRAPH}/$metadata#${set}`,
  value: items.map(({ '@odata.type': _type, ...rest }) => rest),
});

/** @param {Req} r @returns {Reply} */
export function graph(r) {
  const q = authenticated(r, GRAPH_AUDIENCES, 'graph');
  if ('reply' in q) return q.reply;
  const { claims, path, filter } = q;
  const world = r.world;
  const objects = directoryObjects(world);
  const users = objects.filter((o) => o['@odata.type'] === '#microsoft.graph.user');
  const sps = objects.filter((o) => o['@odata.type'] === '#microsoft.graph.servicePrincipal');
  /** The path's match when `r` is a GET of it. @param {RegExp} re */
  const get = (re) => (r.method === 'GET' ? re.exec(path) : null);

  if (r.method === 'GET' && /^\/v1\.0\/me$/i.test(path)) {
    // An app-only token (service principal, managed identity) has no "me".
    if (claims.idtyp !== 'user')
      return graphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    const me = users.find((u) => same(u.id, claims.oid));
    return me ? { status: 200, body: entity('users', me) } : notInDirectory(claims.oid);
  }
  if (r.method === 'GET' && /^\/v1\.0\/users$/i.test(path)) {
    const upn = /userPrincipalName\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    const mail = /mail\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    return {
      status: 200,
      body: collection(
        'users',
        users.filter((u) => (!upn || same(u.userPrincipalName, upn)) && (!mail || same(u.mail, mail))),
      ),
    };
  }
  const user = get(/^\/v1\.0\/users\/([^/]+)$/i);
  if (user) {
    const u = users.find((x) => same(x.id, user[1]) || same(x.userPrincipalName, user[1]));
    return u ? { status: 200, body: entity('users', u) } : notInDirectory(user[1] ?? '');
  }
  if (r.method === 'GET' && /^\/v1\.0\/servicePrincipals$/i.test(path)) {
    const spn = /servicePrincipalNames\/any\(\w+:\w+\s+eq\s+'([^']*)'\)/i.exec(filter)?.[1];
    const appId = /appId\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    const displayName = /displayName\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    const hits = sps.filter(
      (s) =>
        (!spn || s.servicePrincipalNames.some((/** @type {string} */ n) => same(n, spn))) &&
        (!appId || same(s.appId, appId)) &&
        (!displayName || same(s.displayName, displayName)),
    );
    return { status: 200, body: collection('servicePrincipals', hits) };
  }
  const sp = get(/^\/v1\.0\/servicePrincipals\/([^/]+)$/i);
  if (sp) {
    const s = sps.find((x) => same(x.id, sp[1]));
    return s ? { status: 200, body: entity('servicePrincipals', s) } : notInDirectory(sp[1] ?? '');
  }
  const object = get(/^\/v1\.0\/directoryObjects\/([^/]+)$/i);
  if (object) {
    const o = objects.find((x) => same(x.id, object[1]));
    return o
      ? { status: 200, body: { '@odata.context': `${GRAPH}/$metadata#directoryObjects/$entity`, ...o } }
      : notInDirectory(object[1] ?? '');
  }
  if (r.method === 'POST' && /^\/v1\.0\/directoryObjects\/getByIds$/i.test(path)) {
    // az fills principalName in `role assignment list` from this (role/custom.py _get_object_stubs).
    // A caller without directory read (a service principal with no Graph permission): 403 (Azure/azure-cli#27870).
    if (world.graphReadDenied)
      return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    /** @type {{ ids?: string[], types?: string[] }} */
    let body = {};
    try {
      body = JSON.parse(r.body || '{}');
    } catch {
      return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
    }
    const types = (body.types ?? []).map((t) => `#microsoft.graph.${t}`.toLowerCase());
    const value = objects.filter(
      (o) =>
        (body.ids ?? []).some((id) => same(id, o.id)) &&
        (types.length === 0 || types.includes(o['@odata.type'].toLowerCase())),
    );
    return { status: 200, body: { '@odata.context': `${GRAPH}/$metadata#directoryObjects`, value } };
  }
  return graphError(400, 'BadRequest', `stand-in: no Graph route for ${r.method} ${path}`);
}
