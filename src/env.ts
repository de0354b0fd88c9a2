// How the environment reads: CI systems set CI=true (GitHub Actions, Azure Pipelines set TF_BUILD).
import { CI_VARIABLES } from './contract/env-vars.ts';

export function isTruthy(v: string | undefined): boolean {
  if (v === undefined) return false;
  const s = v.trim().toLowerCase();
  return s !== '' && s !== '0' && s !== 'false' && s !== 'no' && s !== 'off';
}

export function isCI(env: NodeJS.ProcessEnv): boolean {
  return CI_VARIABLES.some((name) => isTruthy(env[name]));
}
