// What a request to the stand-in is and what it answers, and the error envelopes ARM and Microsoft Graph
// wrap their errors in (az prints them: azure-core as "(Code) Message\nCode: ...\nMessage: ...").
import { AZURE_TEXT, ZERO_GUID } from '../../support/world.mjs';

/** @typedef {import('../../support/world.mjs').World} World */
/** @typedef {{ status: number, body?: unknown, headers?: Record<string, string>, note?: string }} Reply */
/** @typedef {{ method: string, host: string, path: string, url: URL, headers: import('node:http').IncomingHttpHeaders, body: string, world: World, save: (w: World) => void }} Req */

/** ARM's error envelope; azure-core formats it as "(Code) Message\nCode: ...\nMessage: ..." for az. */
export function armError(/** @type {number} */ status, /** @type {string} */ code, /** @type {string} */ message) {
  return { status, body: { error: { code, message } }, note: code };
}
/** ARM's 404 for a resource in an existing group. @param {string} resource `TYPE/NAME` @param {string} rg */
export const notFoundResource = (resource, rg) =>
  armError(404, 'ResourceNotFound', AZURE_TEXT.resourceNotFound(resource, rg));
export const rgNotFound = (/** @type {string} */ rg) =>
  armError(404, 'ResourceGroupNotFound', AZURE_TEXT.resourceGroupNotFound(rg));

/**
 * Resource Manager's answer to a write from a user token without MFA (mandatory MFA, 2025): 401 with a claims
 * challenge, header as logged in Azure/azure-sdk-for-python#41739, body RequestDisallowedByPolicy with the text of
 * the Azure CLI troubleshooting doc (MicrosoftDocs/azure-docs-cli#5403). @param {string} path
 */
export function mfaChallenge(path) {
  const claims = Buffer.from('{"access_token":{"acrs":{"essential":true,"values":["p1"]}}}').toString('base64');
  return {
    ...armError(401, 'RequestDisallowedByPolicy', AZURE_TEXT.mfaDeny(path.split('/').pop() ?? '')),
    headers: {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"`,
    },
  };
}

/** Microsoft Graph's error envelope. */
export const graphError = (
  /** @type {number} */ status,
  /** @type {string} */ code,
  /** @type {string} */ message,
) => ({ status, body: { error: { code, message, innerError: graphInner() } }, note: code });

/** Graph's innerError: when, and the request ids (fixed, as the trace ids of error texts). */
export function graphInner() {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, ''),
    'request-id': ZERO_GUID,
    'client-request-id': ZERO_GUID,
  };
}
