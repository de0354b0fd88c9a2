// `aoai-keyless snippet`: client code that authenticates with DefaultAzureCredential and reads what setup
// wrote (js, ts, python, csharp, go, java), the role assignment as code (azcli, powershell, bicep), or a
// CI workflow (github-actions). The code is the product: it goes to stdout (or --out); notes go to stderr.
import { SCHEMA_VERSION, type SnippetDocument } from '../contract/documents.ts';
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from '../context.ts';
import { createAz } from '../az/az.ts';
import { UsageError } from '../errors.ts';
import { ALIASES, ENV_KEYS } from '../contract/env-vars.ts';
import { findApiKeys } from '../env-file/merge.ts';
import { readEnvFileForReading } from '../env-file/read.ts';
import { isCI } from '../env.ts';
import { isInfrastructureLang, parseLang, renderSnippet, type Lang, type Snippet } from '../snippets/index.ts';
import { parseRoleAssignmentFlags, resolveRoleAssignment } from '../snippets/infrastructure.ts';

export interface SnippetOptions {
  lang?: string;
  envFile: string;
  assignee?: string;
  assigneeType?: string;
  scope?: string;
  out?: string;
  force?: boolean;
}

/** snippet's --json document: src/contract/documents.ts. */
export type SnippetResult = SnippetDocument;

export async function snippetCommand(ctx: Context, opts: SnippetOptions): Promise<SnippetResult> {
  const lang = parseLang(opts.lang);
  const roleFlags = { assignee: opts.assignee, assigneeType: opts.assigneeType, scope: opts.scope };
  if (isInfrastructureLang(lang)) {
    parseRoleAssignmentFlags(roleFlags);
  } else if (opts.assignee !== undefined || opts.assigneeType !== undefined || opts.scope !== undefined) {
    throw new UsageError(
      `--assignee, --assignee-type and --scope are for --lang azcli, powershell or bicep, not ${lang}.`,
      {
        code: 'bad-value',
        hint: `Client code needs no principal: whoever runs it signs in. Drop those flags, or pass --lang azcli.`,
      },
    );
  }
  const outPath = opts.out === undefined ? undefined : resolve(ctx.cwd, opts.out);

  const file = await readEnvFileForReading(opts.envFile, ctx.cwd);
  if (outPath !== undefined && (outPath === file.path || outPath === file.realPath)) {
    throw new UsageError(`--out ${opts.out} is the .env file itself.`, {
      code: 'bad-value',
      hint: 'Write the snippet to a file of its own, e.g. --out app.mjs',
    });
  }
  const env = file.values ?? {};

  const roleAssignment = isInfrastructureLang(lang)
    ? await resolveRoleAssignment(roleFlags, {
        // Created only when the flags leave the principal or the scope to az.
        az: () => createAz(ctx.runner, { ci: isCI(ctx.env) }),
        // Environment first, then the .env: the order verify and the app read them in.
        endpoint: nonEmpty(ctx.env[ENV_KEYS.endpoint]) ?? nonEmpty(env[ENV_KEYS.endpoint]),
        envFileName: opts.envFile,
      })
    : undefined;
  const snippet = renderSnippet(lang, { envFile: opts.envFile, env, roleAssignment });

  if (outPath !== undefined) {
    await writeOut(outPath, opts.out ?? outPath, snippet.code, opts.force === true);
    ctx.out.success(`Wrote the ${lang} snippet to ${opts.out}.`);
  } else if (!ctx.json) {
    ctx.stdout.write(snippet.code);
  }
  notes(ctx, lang, snippet, {
    envFile: opts.envFile,
    exists: file.text !== undefined,
    env,
    apiKeys: findApiKeys(file.text),
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    ok: true,
    command: 'snippet',
    lang,
    install: snippet.install,
    code: snippet.code,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

async function writeOut(path: string, shown: string, code: string, force: boolean): Promise<void> {
  try {
    // 'wx' fails if the file exists, atomically: no check-then-write race.
    await fs.writeFile(path, code, { encoding: 'utf8', flag: force ? 'w' : 'wx' });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST') {
      throw new UsageError(`${shown} exists; not overwriting it.`, {
        code: 'file-exists',
        hint: 'Pass --force to overwrite it, or choose another --out.',
      });
    }
    throw new UsageError(`--out ${shown} cannot be written: ${err.message}.`, {
      code: 'out-unusable',
      hint: 'Pass --out with a writable file path.',
    });
  }
}

/** The human notes, on stderr: where the values come from, what to install, what would break the snippet. */
function notes(
  ctx: Context,
  lang: Lang,
  s: Snippet,
  f: { envFile: string; exists: boolean; env: Record<string, string>; apiKeys: string[] },
): void {
  if (!isInfrastructureLang(lang)) {
    if (!f.exists) {
      ctx.out.warn(
        `No ${f.envFile} here: the snippet reads the environment instead. \`npx aoai-keyless setup\` writes one.`,
      );
    } else {
      // The client code reads setup's names only; the workflow's variable also takes the samples' name.
      const alias = lang === 'github-actions' ? f.env[ALIASES.deployment] : undefined;
      const missing = [ENV_KEYS.endpoint, ENV_KEYS.deployment].filter(
        (k) => !f.env[k] && !(k === ENV_KEYS.deployment && alias),
      );
      if (missing.length > 0)
        ctx.out.warn(
          `${f.envFile} has no ${missing.join(' or ')}: run \`npx aoai-keyless setup\`, or set ${missing.length > 1 ? 'them' : 'it'} in the environment.`,
        );
    }
    if (f.apiKeys.length > 0 && lang !== 'github-actions') {
      ctx.out.warn(
        `${f.envFile} holds ${f.apiKeys.join(', ')}: with a key in the environment the AzureOpenAI client refuses a token provider ("mutually exclusive"). Remove it: \`npx aoai-keyless setup --remove-api-key\`.`,
      );
    }
  }
  const install = s.install ? `install: ${s.install}; ` : '';
  ctx.out.info(ctx.out.c.dim(`Save as ${s.saveAs}; ${install}run: ${s.run}`));
}
