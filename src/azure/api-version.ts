// The api-version of the classic Azure OpenAI data plane that setup writes and verify uses by default:
// the latest GA one for chat completions (azure-rest-api-specs, specification/cognitiveservices/
// data-plane/AzureOpenAI/inference/stable/2024-10-21). Later dated versions are -preview.
export const DEFAULT_API_VERSION = '2024-10-21';
