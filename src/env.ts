// How the environment reads: CI systems set CI=true (GitHub Actions, Azure Pipelines set TF_BUILD).

export function isTruthy(v: string | undefined): boolean {
  if (v === undefined) return false;
  const s = v.trim().toLowerCase();
  return s !== '' && s !== '0' && s !== 'false' && s !== 'no' && s !== 'off';
}

export function isCI(env: NodeJS.ProcessEnv): boolean {
  return isTruthy(env['CI']) || isTruthy(env['TF_BUILD']) || isTruthy(env['GITHUB_ACTIONS']);
}
