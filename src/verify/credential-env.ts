// The environment DefaultAzureCredential works in. @azure/identity 4 takes no environment as an option: its
// constructor reads process.env (AZURE_TOKEN_CREDENTIALS, AZURE_CLIENT_ID, AZURE_TENANT_ID...), its credentials
// read it again while they get a token (IMDS, the workload identity file), and the az it runs inherits it.
// So the credential's environment, built and passed explicitly, is made process.env for the life of one
// connection and put back afterwards: nothing else in the run reads process.env meanwhile.

/**
 * What dotenv.config() gives the app: `env` with the .env's variables it lacks, never one that is set.
 * A new object; `env` is left as it is.
 */
export function withDotenvDefaults(env: NodeJS.ProcessEnv, vars: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [k, v] of Object.entries(vars)) if (merged[k] === undefined) merged[k] = v;
  return merged;
}

/** Makes `target` (process.env) hold exactly `env`; the function returned puts back what it held. */
export function enterEnvironment(env: NodeJS.ProcessEnv, target: NodeJS.ProcessEnv = process.env): () => void {
  const saved = { ...target };
  replaceAll(target, env);
  return () => replaceAll(target, saved);
}

function replaceAll(target: NodeJS.ProcessEnv, env: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(target)) if (env[k] === undefined) delete target[k];
  for (const [k, v] of Object.entries(env)) if (v !== undefined && target[k] !== v) target[k] = v;
}
