// `az ad signed-in-user show` and `az ad sp show` (role/custom.py of az 2.45): Microsoft Graph's directory, the
// same objects the stand-in's Graph serves (directoryObjects in test/support/world.mjs).
import { directoryObjects, graphEntity, principalTypeOf, same } from '../support/world.mjs';
import { fail } from './errors.mjs';
import { isGuid, value } from './args.mjs';
import { azureSession } from './profile.mjs';

/** @typedef {import('./args.mjs').Ctx} Ctx */
/** @typedef {import('./args.mjs').Command} Command */

/** role/custom.py show_signed_in_user: GET /me, which only a user's (delegated) token may call. @param {Ctx} ctx */
function signedInUserShow(ctx) {
  azureSession(ctx, 'graph');
  const me = ctx.world.signedIn;
  const user = directoryObjects(ctx.world).find((o) => same(o.id, me?.objectId) && principalTypeOf(o) === 'User');
  if (me?.type !== 'user' || !user) fail('/me request is only valid with delegated authentication flow.');
  return graphEntity('users', user);
}

/** role/custom.py show_service_principal / _resolve_service_principal: 404s exit 3 (status_code = 404). @param {Ctx} ctx */
function spShow(ctx) {
  azureSession(ctx, 'graph');
  const id = /** @type {string} */ (ctx.opts.id);
  const sps = directoryObjects(ctx.world).filter((o) => principalTypeOf(o) === 'ServicePrincipal');
  const byName = sps.find((o) => o.servicePrincipalNames.some((/** @type {string} */ n) => same(n, id)));
  if (!byName && !isGuid(id)) fail(`Service principal '${id}' doesn't exist`, 3);
  const sp = byName ?? sps.find((o) => same(o.id, id));
  if (!sp) fail(`Resource '${id}' does not exist or one of its queried reference-property objects are not present.`, 3);
  return graphEntity('servicePrincipals', sp);
}

/** Help examples of az 2.45 (the *_help.py files), which parser errors recommend. */
const EXAMPLES = {
  spShow: [
    {
      command: 'az ad sp show --id 00000000-0000-0000-0000-000000000000',
      description: 'Get the details of a service principal with appId.',
    },
    {
      command: 'az ad sp show --id 00000000-0000-0000-0000-000000000000',
      description: 'Get the details of a service principal with id.',
    },
    {
      command: 'az ad sp show --id api://myapp',
      description: 'Get the details of a service principal with identifier URI.',
    },
  ],
};

/** @type {Command[]} */
export const AD_COMMANDS = [
  // Graph commands take no --subscription: they run in the default subscription's tenant.
  { name: 'ad signed-in-user show', options: [], run: signedInUserShow },
  { name: 'ad sp show', options: [value('id', ['--id'], { required: true })], run: spShow, examples: EXAMPLES.spShow },
];
