// `az ad signed-in-user show` (role/custom.py of az 2.45), the first command of the README's manual sequence that
// bench/az-calls.mjs times: Microsoft Graph's directory, the same objects the stand-in's Graph serves
// (directoryObjects in test/support/world.mjs).
import { directoryObjects, graphEntity, principalTypeOf, same } from '../support/world.mjs';
import { fail } from './errors.mjs';
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

/** @type {Command[]} */
export const AD_COMMANDS = [
  // Graph commands take no --subscription: they run in the default subscription's tenant.
  { name: 'ad signed-in-user show', options: [], run: signedInUserShow },
];
