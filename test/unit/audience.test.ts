// The token audience: what the gateway's 401 names (bodies as users pasted them) and the one other
// audience verify tries next.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audiencesNamed, otherAudienceScope, FOUNDRY_SCOPE } from '../../src/entra/audience.ts';

const CS = 'https://cognitiveservices.azure.com/.default';
const body = (named: string): string =>
  `Unauthorized. Access token is missing, invalid, audience is incorrect (${named}), or have expired.`;

test('the audiences a 401 names', () => {
  const table: Array<[string, string[]]> = [
    // run-llama/llama_index#12484
    [body('https://cognitiveservices.azure.com'), [CS]],
    // Azure/azure-sdk-for-net#50872
    [body('https://cognitiveservices.azure.com/ or https://ai.azure.com/'), [CS, FOUNDRY_SCOPE]],
    // Azure/azure-sdk-for-net#55036
    [body('https://ai.azure.com'), [FOUNDRY_SCOPE]],
    ['401 status code (no body)', []],
    // Azure/azure-sdk-for-js#27013 (a Computer Vision token): audiences that are no https URL are no scope to ask for
    [
      'Unauthorized. Access token is missing, invalid, audience is incorrect (urn:ms.scopedToken or urn:ms.faceSessionToken), or have expired.',
      [],
    ],
    // The words in any case, a list separated by commas, trailing slashes dropped
    ['Audience Is Incorrect (https://cognitiveservices.azure.com//, https://ai.azure.com)', [CS, FOUNDRY_SCOPE]],
    ['audience is incorrect ()', []],
    ['audience is incorrect (https://cognitiveservices.azure.com,https://ai.azure.com)', [CS, FOUNDRY_SCOPE]],
    ['audience is incorrect ( https://ai.azure.com )', [FOUNDRY_SCOPE]],
    // Only what is an https URL from end to end
    ['audience is incorrect (https://ai.azure.com and https://x.example)', []],
    ['audience is incorrect (see https://ai.azure.com)', []],
  ];
  for (const [message, want] of table) assert.deepEqual(audiencesNamed(message), want, message);
});

test('the other audience to try: one the body names, else the other of the public pair, else none', () => {
  const table: Array<[string, string, string | undefined]> = [
    [CS, body('https://ai.azure.com'), FOUNDRY_SCOPE],
    [CS, body('https://cognitiveservices.azure.com/ or https://ai.azure.com/'), FOUNDRY_SCOPE],
    [FOUNDRY_SCOPE, body('https://cognitiveservices.azure.com'), CS],
    // The body names the audience the token was for (so it is expired or invalid): the other one, once.
    [CS, body('https://cognitiveservices.azure.com'), FOUNDRY_SCOPE],
    // Another cloud's audience has no Foundry twin.
    ['https://cognitiveservices.azure.us/.default', body('https://cognitiveservices.azure.us'), undefined],
    // The scope as given, in another case or with its slash: still the audience the token was for.
    ['HTTPS://COGNITIVESERVICES.AZURE.COM//.default', body('https://cognitiveservices.azure.com'), FOUNDRY_SCOPE],
    ['https://ai.azure.com', body('https://ai.azure.com'), CS],
    // The body names only other clouds' audiences, the token was for one of them: nothing of the pair to offer.
    ['https://cognitiveservices.azure.cn/.default', body('https://cognitiveservices.azure.cn/'), undefined],
    // A token for one cloud, a body that names another's: that one (no pair needed).
    ['https://cognitiveservices.azure.us/.default', body('https://cognitiveservices.azure.com'), CS],
    // A 401 that names no audience is something else.
    [CS, 'The principal lacks the required data action', undefined],
  ];
  for (const [scope, message, want] of table)
    assert.equal(otherAudienceScope(scope, message), want, `${scope} / ${message}`);
});
