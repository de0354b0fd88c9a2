// A fake gh for a test: a temp dir whose bin/ holds test/fake-gh/gh, the pretend GitHub it reads and
// writes (FAKE_GH_STATE) and the log of its calls (FAKE_GH_LOG). `path(env)` puts it first on PATH.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_GH_PATH = fileURLToPath(new URL('../fake-gh/gh', import.meta.url));

/** A repository as GitHub's REST "Get a repository" returns it (the fields aoai-keyless reads), plus the fake's own stores. */
export interface FakeRepo {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string; id: number; type: 'User' | 'Organization' };
  default_branch: string;
  visibility: string;
  created_at: string;
  oidc_sub?: { use_default: boolean; include_claim_keys?: string[]; use_immutable_subject?: boolean };
  variables: Record<string, string>;
  environments: Record<string, { variables: Record<string, string> }>;
}

export interface GitHubState {
  signedIn: boolean;
  login: string;
  currentRepo: string;
  repos: Record<string, FakeRepo>;
  orgs: Record<string, { include_claim_keys: string[] }>;
}

export function contosoRepo(overrides: Partial<FakeRepo> = {}): FakeRepo {
  return {
    id: 821093847,
    name: 'payments-api',
    full_name: 'contoso/payments-api',
    owner: { login: 'contoso', id: 5544123, type: 'Organization' },
    default_branch: 'main',
    visibility: 'private',
    created_at: '2024-03-01T10:00:00Z',
    variables: {},
    environments: {},
    ...overrides,
  };
}

export function baseGitHub(overrides: Partial<GitHubState> = {}): GitHubState {
  return {
    signedIn: true,
    login: 'alice',
    currentRepo: 'contoso/payments-api',
    repos: { 'contoso/payments-api': contosoRepo() },
    orgs: {},
    ...overrides,
  };
}

export interface FakeGh {
  binDir: string;
  state(): GitHubState;
  calls(): string[][];
  /** env with this gh first on PATH. */
  withGh(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export function createFakeGh(state: GitHubState = baseGitHub()): FakeGh {
  const dir = mkdtempSync(join(tmpdir(), 'fake-gh-'));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  symlinkSync(FAKE_GH_PATH, join(binDir, 'gh'));
  const statePath = join(dir, 'github.json');
  const logPath = join(dir, 'gh-calls.jsonl');
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  return {
    binDir,
    state: () => JSON.parse(readFileSync(statePath, 'utf8')) as GitHubState,
    calls: () =>
      existsSync(logPath)
        ? readFileSync(logPath, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => (JSON.parse(l) as { args: string[] }).args)
        : [],
    withGh: (env) => ({
      ...env,
      PATH: [binDir, env['PATH']].filter(Boolean).join(delimiter),
      FAKE_GH_STATE: statePath,
      FAKE_GH_LOG: logPath,
    }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
