// `az rest` (util/custom.py rest_call, core/util.py send_raw_request of az 2.45): a url without "://" goes to
// Resource Manager; the token is the signed-in identity's for the url's service. The request is answered by the
// same services the real az meets in the real-az tier (test/real-az/stand-in: arm.mjs, graph.mjs), so both az
// doubles speak for one pretend Azure. A non-2xx answer is az's HTTPError: `ERROR: <reason>(<body>)`, exit 1.
import { STATUS_CODES } from 'node:http';
import { IDS, identityId, saveWorld } from '../support/world.mjs';
import { mintToken } from '../support/tokens.mjs';
import { arm } from '../real-az/stand-in/arm.mjs';
import { graph } from '../real-az/stand-in/graph.mjs';
import { fail } from './errors.mjs';
import { value } from './args.mjs';
import { azureSession, signedInIdentity, worldPath } from './profile.mjs';

/** @typedef {import('./args.mjs').Ctx} Ctx */
/** @typedef {import('./args.mjs').Command} Command */

const SERVICES = {
  'management.azure.com': { audience: 'https://management.core.windows.net/', answer: arm },
  'graph.microsoft.com': { audience: 'https://graph.microsoft.com/', answer: graph },
};

/** @param {Ctx} ctx */
function rest(ctx) {
  const o = ctx.opts;
  azureSession(ctx, /graph\.microsoft\.com/i.test(o.url) ? 'graph' : 'arm');
  const url = new URL(o.url.includes('://') ? o.url : `https://management.azure.com${o.url}`);
  const service = /** @type {Record<string, typeof SERVICES['graph.microsoft.com']>} */ (SERVICES)[
    url.host.toLowerCase()
  ];
  if (!service) fail(`stand-in: no service answers for ${url.host}`);
  const me = /** @type {NonNullable<import('../support/world.mjs').World['signedIn']>} */ (ctx.world.signedIn);
  const mi = signedInIdentity(ctx.world);
  const { token } = mintToken({
    audience: service.audience,
    tenantId: ctx.world.tenantId,
    objectId: me.objectId,
    type: me.type,
    name: me.name,
    appId: me.type === 'managedIdentity' ? (me.appId ?? mi?.clientId ?? IDS.miClientId) : (me.appId ?? me.name),
    ...(mi ? { miResourceId: identityId(mi) } : {}),
  });
  const method = String(o.method ?? (o.body ? 'post' : 'get')).toUpperCase();
  const reply = service.answer({
    method,
    host: url.host,
    path: url.pathname,
    url,
    headers: { authorization: `Bearer ${token}` },
    body: o.body ?? '',
    world: ctx.world,
    save: (w) => saveWorld(worldPath(), w),
  });
  if (reply.status >= 400) fail(`${STATUS_CODES[reply.status] ?? 'Error'}(${JSON.stringify(reply.body ?? '')})`);
  return reply.body ?? null;
}

/** @type {Command[]} */
export const REST_COMMANDS = [
  {
    name: 'rest',
    options: [
      value('method', ['--method', '-m'], {
        lower: true,
        choices: ['delete', 'get', 'head', 'options', 'patch', 'post', 'put'],
      }),
      value('url', ['--url', '--uri', '-u'], { required: true }),
      value('body', ['--body', '-b']),
      value('headers', ['--headers']),
      value('resource', ['--resource']),
    ],
    run: rest,
  },
];
