// Clouds (`az cloud show`, az 2.45's cloud.py): the endpoints of the world's cloud (world.cloud, default AzureCloud).
import { fail } from './errors.mjs';
import { value } from './args.mjs';

/** @typedef {import('../support/world.mjs').World} World */
/** @typedef {import('./args.mjs').Ctx} Ctx */
/** @typedef {import('./args.mjs').Command} Command */

/** @param {string} name @param {Record<string, string|null>} endpoints @param {Record<string, string|null>} suffixes */
const cloud = (name, endpoints, suffixes) => ({ endpoints, isActive: false, name, profile: 'latest', suffixes });
export const CLOUDS = {
  AzureCloud: cloud(
    'AzureCloud',
    {
      activeDirectory: 'https://login.microsoftonline.com',
      activeDirectoryDataLakeResourceId: 'https://datalake.azure.net/',
      activeDirectoryGraphResourceId: 'https://graph.windows.net/',
      activeDirectoryResourceId: 'https://management.core.windows.net/',
      appInsightsResourceId: 'https://api.applicationinsights.io',
      appInsightsTelemetryChannelResourceId: 'https://dc.applicationinsights.azure.com/v2/track',
      attestationResourceId: 'https://attest.azure.net',
      azmirrorStorageAccountResourceId: null,
      batchResourceId: 'https://batch.core.windows.net/',
      gallery: 'https://gallery.azure.com/',
      logAnalyticsResourceId: 'https://api.loganalytics.io',
      management: 'https://management.core.windows.net/',
      mediaResourceId: 'https://rest.media.azure.net',
      microsoftGraphResourceId: 'https://graph.microsoft.com/',
      ossrdbmsResourceId: 'https://ossrdbms-aad.database.windows.net',
      portal: 'https://portal.azure.com',
      resourceManager: 'https://management.azure.com/',
      sqlManagement: 'https://management.core.windows.net:8443/',
      synapseAnalyticsResourceId: 'https://dev.azuresynapse.net',
      vmImageAliasDoc:
        'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json',
    },
    {
      acrLoginServerEndpoint: '.azurecr.io',
      attestationEndpoint: '.attest.azure.net',
      azureDatalakeAnalyticsCatalogAndJobEndpoint: 'azuredatalakeanalytics.net',
      azureDatalakeStoreFileSystemEndpoint: 'azuredatalakestore.net',
      keyvaultDns: '.vault.azure.net',
      mariadbServerEndpoint: '.mariadb.database.azure.com',
      mhsmDns: '.managedhsm.azure.net',
      mysqlServerEndpoint: '.mysql.database.azure.com',
      postgresqlServerEndpoint: '.postgres.database.azure.com',
      sqlServerHostname: '.database.windows.net',
      storageEndpoint: 'core.windows.net',
      storageSyncEndpoint: 'afs.azure.net',
      synapseAnalyticsEndpoint: '.dev.azuresynapse.net',
    },
  ),
  AzureUSGovernment: cloud(
    'AzureUSGovernment',
    {
      activeDirectory: 'https://login.microsoftonline.us',
      activeDirectoryDataLakeResourceId: null,
      activeDirectoryGraphResourceId: 'https://graph.windows.net/',
      activeDirectoryResourceId: 'https://management.core.usgovcloudapi.net/',
      appInsightsResourceId: 'https://api.applicationinsights.us',
      appInsightsTelemetryChannelResourceId: 'https://dc.applicationinsights.us/v2/track',
      attestationResourceId: null,
      azmirrorStorageAccountResourceId: null,
      batchResourceId: 'https://batch.core.usgovcloudapi.net/',
      gallery: 'https://gallery.usgovcloudapi.net/',
      logAnalyticsResourceId: 'https://api.loganalytics.us',
      management: 'https://management.core.usgovcloudapi.net/',
      mediaResourceId: 'https://rest.media.usgovcloudapi.net',
      microsoftGraphResourceId: 'https://graph.microsoft.us/',
      ossrdbmsResourceId: 'https://ossrdbms-aad.database.usgovcloudapi.net',
      portal: 'https://portal.azure.us',
      resourceManager: 'https://management.usgovcloudapi.net/',
      sqlManagement: 'https://management.core.usgovcloudapi.net:8443/',
      synapseAnalyticsResourceId: 'https://dev.azuresynapse.usgovcloudapi.net',
      vmImageAliasDoc:
        'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json',
    },
    {
      acrLoginServerEndpoint: '.azurecr.us',
      attestationEndpoint: null,
      azureDatalakeAnalyticsCatalogAndJobEndpoint: null,
      azureDatalakeStoreFileSystemEndpoint: null,
      keyvaultDns: '.vault.usgovcloudapi.net',
      mariadbServerEndpoint: '.mariadb.database.usgovcloudapi.net',
      mhsmDns: '.managedhsm.usgovcloudapi.net',
      mysqlServerEndpoint: '.mysql.database.usgovcloudapi.net',
      postgresqlServerEndpoint: '.postgres.database.usgovcloudapi.net',
      sqlServerHostname: '.database.usgovcloudapi.net',
      storageEndpoint: 'core.usgovcloudapi.net',
      storageSyncEndpoint: 'afs.azure.us',
      synapseAnalyticsEndpoint: '.dev.azuresynapse.usgovcloudapi.net',
    },
  ),
  AzureChinaCloud: cloud(
    'AzureChinaCloud',
    {
      activeDirectory: 'https://login.chinacloudapi.cn',
      activeDirectoryDataLakeResourceId: null,
      activeDirectoryGraphResourceId: 'https://graph.chinacloudapi.cn/',
      activeDirectoryResourceId: 'https://management.core.chinacloudapi.cn/',
      appInsightsResourceId: 'https://api.applicationinsights.azure.cn',
      appInsightsTelemetryChannelResourceId: 'https://dc.applicationinsights.azure.cn/v2/track',
      attestationResourceId: null,
      azmirrorStorageAccountResourceId: null,
      batchResourceId: 'https://batch.chinacloudapi.cn/',
      gallery: 'https://gallery.chinacloudapi.cn/',
      logAnalyticsResourceId: 'https://api.loganalytics.azure.cn',
      management: 'https://management.core.chinacloudapi.cn/',
      mediaResourceId: 'https://rest.media.chinacloudapi.cn',
      microsoftGraphResourceId: 'https://microsoftgraph.chinacloudapi.cn',
      ossrdbmsResourceId: 'https://ossrdbms-aad.database.chinacloudapi.cn',
      portal: 'https://portal.azure.cn',
      resourceManager: 'https://management.chinacloudapi.cn',
      sqlManagement: 'https://management.core.chinacloudapi.cn:8443/',
      synapseAnalyticsResourceId: 'https://dev.azuresynapse.azure.cn',
      vmImageAliasDoc:
        'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json',
    },
    {
      acrLoginServerEndpoint: '.azurecr.cn',
      attestationEndpoint: null,
      azureDatalakeAnalyticsCatalogAndJobEndpoint: null,
      azureDatalakeStoreFileSystemEndpoint: null,
      keyvaultDns: '.vault.azure.cn',
      mariadbServerEndpoint: '.mariadb.database.chinacloudapi.cn',
      mhsmDns: '.managedhsm.azure.cn',
      mysqlServerEndpoint: '.mysql.database.chinacloudapi.cn',
      postgresqlServerEndpoint: '.postgres.database.chinacloudapi.cn',
      sqlServerHostname: '.database.chinacloudapi.cn',
      storageEndpoint: 'core.chinacloudapi.cn',
      storageSyncEndpoint: null,
      synapseAnalyticsEndpoint: '.dev.azuresynapse.azure.cn',
    },
  ),
};

export const cloudOf = (/** @type {World} */ w) => CLOUDS[w.cloud ?? 'AzureCloud'] ?? CLOUDS.AzureCloud;

/** @param {Ctx} ctx */
function cloudShow(ctx) {
  const name = ctx.opts.name ?? ctx.world.cloud ?? 'AzureCloud';
  const cloud = Object.values(CLOUDS).find((c) => c.name === name);
  if (!cloud) fail(`The cloud '${name}' is not registered.`);
  return { ...cloud, isActive: cloud.name === (ctx.world.cloud ?? 'AzureCloud') };
}

/** @type {Command[]} */
export const CLOUD_COMMANDS = [{ name: 'cloud show', options: [value('name', ['--name', '-n'])], run: cloudShow }];
