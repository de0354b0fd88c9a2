// Every environment variable aoai-keyless reads or writes, by name: the .env keys setup owns, the names
// verify also accepts, the Actions variables ci github sets, the identity variables of DefaultAzureCredential,
// and the few that steer the tool itself. Code names a variable through these constants, never a literal.

/** The keys setup writes to the .env (and the values it owns there). */
export const ENV_KEYS = {
  endpoint: 'AZURE_OPENAI_ENDPOINT',
  deployment: 'AZURE_OPENAI_DEPLOYMENT',
  /** The seed's name for the api version. */
  version: 'AZURE_OPENAI_VERSION',
  /** The name the openai package reads (src/azure.ts). */
  apiVersion: 'OPENAI_API_VERSION',
  clientId: 'AZURE_CLIENT_ID',
  scope: 'AZURE_OPENAI_SCOPE',
  /**
   * DefaultAzureCredential's chain selector, "dev" or "prod": @azure/identity 4.10.0, Python azure-identity
   * 1.23.0, .NET Azure.Identity 1.14.0, Java azure-identity 1.16.1 (each one's CHANGELOG, May 2025). We ship
   * @azure/identity 4.13; the snippets install the current releases.
   */
  tokenCredentials: 'AZURE_TOKEN_CREDENTIALS',
} as const;

/** Names other tools and Microsoft's samples use for the same values: verify reads them after setup's own. */
export const ALIASES = {
  // Many Microsoft samples name it AZURE_OPENAI_DEPLOYMENT_NAME.
  deployment: 'AZURE_OPENAI_DEPLOYMENT_NAME',
  apiVersion: 'AZURE_OPENAI_API_VERSION',
} as const;

/** What verify reads for each value, first name first (flags come before all of them). */
export const VERIFY_KEYS = {
  endpoint: [ENV_KEYS.endpoint],
  deployment: [ENV_KEYS.deployment, ALIASES.deployment],
  // openai's AzureOpenAI reads OPENAI_API_VERSION (src/azure.ts); the others are common in samples.
  apiVersion: [ENV_KEYS.apiVersion, ENV_KEYS.version, ALIASES.apiVersion],
  scope: [ENV_KEYS.scope],
} as const;

/** Variables the openai package reads on its own, which break a keyless client when set. */
export const OPENAI_PACKAGE_KEYS = {
  apiKey: 'AZURE_OPENAI_API_KEY',
  baseUrl: 'OPENAI_BASE_URL',
} as const;

/** The subscription: setup and revoke read it as the Azure SDKs do; ci github sets it as an Actions variable. */
export const SUBSCRIPTION_ID = 'AZURE_SUBSCRIPTION_ID';
export const TENANT_ID = 'AZURE_TENANT_ID';
/** The az profile folder (azure-cli-core), else ~/.azure. */
export const AZURE_CONFIG_DIR = 'AZURE_CONFIG_DIR';

// What DefaultAzureCredential and the credentials of its chain read from process.env
// (@azure/identity environmentCredential.ts, workloadIdentityCredential.ts, managedIdentityCredential/,
// defaultAzureCredential.ts AZURE_TOKEN_CREDENTIALS; msal-node ManagedIdentitySources), plus AZURE_CONFIG_DIR,
// which picks the az profile AzureCliCredential runs with.
export const IDENTITY_KEYS: readonly string[] = [
  ENV_KEYS.clientId,
  TENANT_ID,
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'AZURE_CLIENT_SEND_CERTIFICATE_CHAIN',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
  'AZURE_ADDITIONALLY_ALLOWED_TENANTS',
  'AZURE_REGIONAL_AUTHORITY_NAME',
  ENV_KEYS.tokenCredentials,
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
  AZURE_CONFIG_DIR,
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'IDENTITY_SERVER_THUMBPRINT',
  'IMDS_ENDPOINT',
  'MSI_ENDPOINT',
  'MSI_SECRET',
];

/** The Actions variables ci github sets (none is a secret); the workflow it writes reads them as vars.NAME. */
export const ACTIONS_VARIABLES = {
  clientId: ENV_KEYS.clientId,
  tenantId: TENANT_ID,
  subscriptionId: SUBSCRIPTION_ID,
  endpoint: ENV_KEYS.endpoint,
  deployment: ENV_KEYS.deployment,
} as const;

/** Inside a GitHub Actions job: where the job asks for its OIDC token (actions/toolkit oidc-utils.ts). */
export const ACTIONS_ID_TOKEN = {
  url: 'ACTIONS_ID_TOKEN_REQUEST_URL',
  token: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
} as const;

/** The subjects the identity trusts, written into the workflow by ci github and read by verify. */
export const TRUSTED_SUBJECTS_VARIABLE = 'AOAI_KEYLESS_TRUSTED_SUBJECTS';

/** CI systems set CI=true; Azure Pipelines sets TF_BUILD, GitHub Actions GITHUB_ACTIONS. */
export const CI_VARIABLES = ['CI', 'TF_BUILD', 'GITHUB_ACTIONS'] as const;

/** Colour: https://no-color.org and the FORCE_COLOR convention of chalk/supports-color. */
export const COLOR_VARIABLES = { noColor: 'NO_COLOR', forceColor: 'FORCE_COLOR' } as const;
