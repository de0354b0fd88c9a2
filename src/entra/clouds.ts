// The token audience of Azure OpenAI differs per cloud (learn.microsoft.com: "Azure OpenAI in Azure
// Government", "Azure OpenAI in Azure China"). A token for the wrong cloud is a 401 "audience is incorrect".

export interface CloudInfo {
  /** az's cloud name (`az cloud show --query name`, `environmentName` in `az account show`). */
  azName: 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';
  scope: string;
  /** Host suffixes of this cloud's Azure OpenAI and AI services endpoints. */
  endpointSuffixes: readonly string[];
  portal: string;
}

export const CLOUDS: readonly CloudInfo[] = [
  {
    azName: 'AzureCloud',
    scope: 'https://cognitiveservices.azure.com/.default',
    endpointSuffixes: [
      '.openai.azure.com',
      '.cognitiveservices.azure.com',
      '.services.ai.azure.com',
      '.api.cognitive.microsoft.com',
    ],
    portal: 'https://portal.azure.com',
  },
  {
    azName: 'AzureUSGovernment',
    scope: 'https://cognitiveservices.azure.us/.default',
    endpointSuffixes: ['.openai.azure.us', '.cognitiveservices.azure.us', '.api.cognitive.microsoft.us'],
    portal: 'https://portal.azure.us',
  },
  {
    azName: 'AzureChinaCloud',
    scope: 'https://cognitiveservices.azure.cn/.default',
    endpointSuffixes: ['.openai.azure.cn', '.cognitiveservices.azure.cn', '.api.cognitive.azure.cn'],
    portal: 'https://portal.azure.cn',
  },
];

export const PUBLIC_CLOUD = CLOUDS[0] as CloudInfo;

export function cloudByAzName(name: string | undefined): CloudInfo | undefined {
  return CLOUDS.find((c) => c.azName.toLowerCase() === name?.toLowerCase());
}

/** The cloud an endpoint belongs to, by its host; undefined for hosts of no known cloud (a proxy, a test server). */
export function cloudOfEndpoint(endpoint: string): CloudInfo | undefined {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return CLOUDS.find((c) => c.endpointSuffixes.some((s) => host.endsWith(s)));
}

/** The scope to request: an explicit one, else the endpoint's cloud, else the cloud az is signed in to, else public. */
export function tokenScope(opts: {
  explicit?: string | undefined;
  endpoint?: string | undefined;
  azCloudName?: string | undefined;
}): string {
  if (opts.explicit) return opts.explicit;
  return (
    (opts.endpoint ? cloudOfEndpoint(opts.endpoint) : undefined)?.scope ??
    cloudByAzName(opts.azCloudName)?.scope ??
    PUBLIC_CLOUD.scope
  );
}
