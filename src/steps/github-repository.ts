// ci github's first step: which repository, read from GitHub through gh (its ids, default branch and subject
// template), and the exact subject its job's token will carry. Without gh (or signed out of it) the
// repository comes from --repo or the git remote, and the subject from the names unless --subject says it.
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import type { Gh, GhState } from '../github/gh.ts';
import { deriveSubject, describeTrigger, type SubjectTemplate, type Trigger } from '../github/oidc-subject.ts';
import { readRepository, repoOfRemote, type GitHubRepository } from '../github/repository.ts';

export interface TriggerFlags {
  branch: string | undefined;
  environment: string | undefined;
  pullRequest: boolean;
}

export interface RepositoryChoice {
  fullName: string;
  repository: GitHubRepository | null;
  template: SubjectTemplate | null;
  trigger: Trigger;
  subject: string;
  /** How the subject was found: GitHub's settings, --subject, or the names alone (no gh). */
  subjectSource: 'github' | 'flag' | 'names';
}

export function parseTriggerFlags(o: {
  branch?: string | undefined;
  environment?: string | undefined;
  pullRequest?: boolean | undefined;
}): TriggerFlags {
  const chosen = [o.branch !== undefined, o.environment !== undefined, o.pullRequest === true].filter(Boolean).length;
  if (chosen > 1)
    throw new UsageError('--branch, --environment and --pull-request each choose the trigger; pass one.', {
      code: 'bad-value',
    });
  for (const [flag, v] of [
    ['--branch', o.branch],
    ['--environment', o.environment],
  ] as const) {
    if (v !== undefined && (v.trim() === '' || /[\s:]/.test(v)))
      throw new UsageError(`${flag} '${v}' is not a valid name (no spaces or colons).`, { code: 'bad-value' });
  }
  return { branch: o.branch, environment: o.environment, pullRequest: o.pullRequest === true };
}

function triggerOf(f: TriggerFlags, defaultBranch: string): Trigger {
  if (f.environment !== undefined) return { kind: 'environment', environment: f.environment };
  if (f.pullRequest) return { kind: 'pull-request' };
  return { kind: 'branch', branch: f.branch ?? defaultBranch };
}

/** Interactive, with no trigger flag: which jobs Azure should trust. Without a terminal, the default branch's. */
export async function chooseTrigger(
  ctx: Pick<Context, 'prompter' | 'interactive'>,
  f: TriggerFlags,
  defaultBranch: string,
): Promise<Trigger> {
  if (!ctx.interactive || f.branch !== undefined || f.environment !== undefined || f.pullRequest)
    return triggerOf(f, defaultBranch);
  const kind = await ctx.prompter.select({
    message: 'Which jobs may sign in to Azure?',
    what: 'The jobs to trust',
    flag: '--branch',
    default: 'branch' as const,
    choices: [
      { name: `Pushes to ${defaultBranch}`, value: 'branch' as const, description: 'the default branch' },
      {
        name: 'A deployment environment',
        value: 'environment' as const,
        description: 'its variables are set at its level',
      },
      { name: 'Pull requests', value: 'pull-request' as const },
    ],
  });
  if (kind === 'pull-request') return { kind };
  if (kind === 'branch') return { kind, branch: defaultBranch };
  const environment = await ctx.prompter.input({
    message: 'Environment name',
    what: 'The environment',
    flag: '--environment',
    validate: (v) => (/^[^\s:]+$/.test(v) ? true : 'No spaces or colons.'),
  });
  return { kind: 'environment', environment };
}

/** OWNER/REPO: --repo, else the repository gh resolves from the git remotes, else origin's URL. */
export async function repositoryName(ctx: Context, gh: Gh, state: GhState, flag: string | undefined): Promise<string> {
  if (flag) return flag;
  const fromGh = state === 'ready' ? await gh.currentRepository() : undefined;
  if (fromGh) return fromGh;
  const r = await ctx.runner.run('git', ['-C', ctx.cwd, 'remote', 'get-url', 'origin']).catch(() => undefined);
  const fromRemote = r && r.exitCode === 0 ? repoOfRemote(r.stdout) : undefined;
  if (fromRemote) return fromRemote;
  throw new UsageError('No GitHub repository: this folder has no github.com remote named origin.', {
    code: 'missing-input',
    hint: 'Pass --repo OWNER/REPO.',
  });
}

export async function chooseRepository(
  ctx: Context,
  gh: Gh,
  state: GhState,
  o: {
    repo: string | undefined;
    trigger: TriggerFlags;
    subject: string | undefined;
    subjectFormat: 'immutable' | 'names' | undefined;
  },
): Promise<RepositoryChoice> {
  const fullName = await repositoryName(ctx, gh, state, o.repo);
  if (state !== 'ready') {
    const trigger = await chooseTrigger(ctx, o.trigger, 'main');
    const [owner = '', name = ''] = fullName.split('/');
    const subject =
      o.subject ?? deriveSubject({ owner, name, ownerId: 0, id: 0 }, trigger, { kind: 'default', immutable: false });
    if (!o.subject)
      ctx.out.warn(
        `Without gh the repository's ids and subject template are unknown: trusting ${subject}. A repository created after 2026-07-15 sends the immutable form (repo:OWNER@<id>/REPO@<id>:...): pass --subject then.`,
      );
    return {
      fullName,
      repository: null,
      template: null,
      trigger,
      subject,
      subjectSource: o.subject ? 'flag' : 'names',
    };
  }
  const { repository, template } = await ctx.out.task(`Reading ${fullName} from GitHub`, () =>
    readRepository(gh, fullName, o.subjectFormat),
  );
  const trigger = await chooseTrigger(ctx, o.trigger, repository.defaultBranch);
  const subject = o.subject ?? deriveSubject(repository, trigger, template);
  ctx.out.success(
    `Repository ${repository.fullName} (id ${repository.id}, owner id ${repository.ownerId}) · ${describeTrigger(trigger)} · ${templateWords(template)}`,
  );
  return {
    fullName: repository.fullName,
    repository,
    template,
    trigger,
    subject,
    subjectSource: o.subject ? 'flag' : 'github',
  };
}

function templateWords(t: SubjectTemplate): string {
  if (t.kind === 'default') return t.immutable ? 'immutable subject' : 'default subject';
  return `custom subject template of the ${t.from} (${t.claimKeys.join(', ')})`;
}
