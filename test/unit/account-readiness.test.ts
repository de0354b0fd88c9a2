// Whether an account can take a Microsoft Entra ID token, told in the pick list before anyone picks it: what
// blocks it (the reason, then the fix) and what may refuse calls (a warning). Properties as ARM gives them
// (test/fixtures/azure-fixtures.json az_cs_account_list: customSubDomainName, endpoint, provisioningState,
// publicNetworkAccess; networkAcls.defaultAction Allow/Deny); regional endpoints take keys only
// (learn.microsoft.com/azure/ai-services/authentication#authenticate-with-microsoft-entra-id).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountReadiness, blockedText } from '../../src/azure/account-readiness.ts';
import type { CognitiveAccount } from '../../src/az/az.ts';

const SUB = '11111111-1111-1111-1111-111111111111';
const account = (over: Partial<CognitiveAccount> = {}): CognitiveAccount => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`,
  name: 'contoso-aoai',
  resourceGroup: 'rg-aoai',
  subscriptionId: SUB,
  kind: 'OpenAI',
  location: 'eastus',
  endpoint: 'https://contoso-aoai.openai.azure.com/',
  endpoints: {},
  customSubDomainName: 'contoso-aoai',
  disableLocalAuth: true,
  publicNetworkAccess: 'Enabled',
  networkDefaultAction: undefined,
  provisioningState: 'Succeeded',
  ...over,
});
const PRIVATE = 'public network access is disabled: calls must come through its private endpoint';
const DENY = 'its network rules deny by default: only the networks and IP addresses it lists get through';
const REGIONAL = {
  reason: 'no custom subdomain, so its regional endpoint takes API keys only, not Entra ID tokens',
  fix: `Give it a custom subdomain (this cannot be undone; the endpoint URL changes): az cognitiveservices account update --name legacy-aoai --resource-group rg-aoai --subscription ${SUB} --custom-domain legacy-aoai`,
};
const regional = {
  name: 'legacy-aoai',
  customSubDomainName: undefined,
  endpoint: 'https://japaneast.api.cognitive.microsoft.com/',
};

test('network warnings: a disabled public access says private endpoint; else deny-by-default rules say so', () => {
  const table: Array<[Partial<CognitiveAccount>, string[]]> = [
    [{}, []],
    [{ publicNetworkAccess: undefined, networkDefaultAction: 'Allow' }, []],
    [{ publicNetworkAccess: 'Disabled' }, [PRIVATE]],
    [{ publicNetworkAccess: 'disabled' }, [PRIVATE]],
    [{ networkDefaultAction: 'Deny' }, [DENY]],
    [{ networkDefaultAction: 'DENY' }, [DENY]],
    // Private access only: the network rules no longer matter, one warning.
    [{ publicNetworkAccess: 'Disabled', networkDefaultAction: 'Deny' }, [PRIVATE]],
  ];
  for (const [over, warnings] of table)
    assert.deepEqual(accountReadiness(account(over)).warnings, warnings, JSON.stringify(over));
});

test('blocked: no custom subdomain (fix: the custom-domain command), or not yet Succeeded (fix: wait)', () => {
  const table: Array<[string, Partial<CognitiveAccount>, { reason: string; fix: string } | undefined]> = [
    ['ready', {}, undefined],
    ['no provisioning state shown', { provisioningState: undefined }, undefined],
    ['succeeded in any case', { provisioningState: 'succeeded' }, undefined],
    ['regional endpoint', regional, REGIONAL],
    ['regional and still creating: the subdomain first', { ...regional, provisioningState: 'Creating' }, REGIONAL],
    [
      'creating',
      { provisioningState: 'Creating' },
      {
        reason: 'Azure reports it as Creating, not Succeeded',
        fix: 'Wait until Azure has finished with it, then run this again.',
      },
    ],
    [
      'failed',
      { provisioningState: 'Failed' },
      {
        reason: 'Azure reports it as Failed, not Succeeded',
        fix: 'Wait until Azure has finished with it, then run this again.',
      },
    ],
  ];
  for (const [why, over, blocked] of table) assert.deepEqual(accountReadiness(account(over)).blocked, blocked, why);
  assert.deepEqual(
    accountReadiness(account({ ...regional, publicNetworkAccess: 'Disabled' })).warnings,
    [PRIVATE],
    'a blocked account still carries its warnings',
  );
});

test('one line for the pick list or an error: not selectable, the reason, then the fix', () => {
  assert.equal(blockedText(REGIONAL), `not selectable: ${REGIONAL.reason}. ${REGIONAL.fix}`);
});
