// Every input is resolved once, in one order: flag -> environment variable -> the existing .env ->
// prompt (interactive only) -> a safe default -> a usage error naming the flag. Each value remembers
// where it came from, so output can say "endpoint (from .env)".

export type Source = 'flag' | 'environment' | 'env-file' | 'prompt' | 'default' | 'azure';

export interface Resolved<T> {
  value: T;
  source: Source;
}

export interface ResolveSources {
  flag?: string | undefined;
  /** The variable's value in the process environment. */
  environment?: string | undefined;
  /** The value in the existing .env file. */
  envFile?: string | undefined;
}

/** The first non-empty value of flag, environment and .env, with its source; undefined if none. */
export function fromSources(s: ResolveSources): Resolved<string> | undefined {
  if (s.flag !== undefined && s.flag !== '') return { value: s.flag, source: 'flag' };
  if (s.environment !== undefined && s.environment !== '') return { value: s.environment, source: 'environment' };
  if (s.envFile !== undefined && s.envFile !== '') return { value: s.envFile, source: 'env-file' };
  return undefined;
}
