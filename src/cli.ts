// The commander program: argv -> typed options -> a command. The only place that prints errors and sets
// the exit code. Commands load lazily, so help touches neither az nor the heavy SDKs.
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, isAppError, type AppError } from './errors.ts';
import type { Context, Host, TextSink } from './context.ts';
import { SCHEMA_VERSION, type CommandName, type EarlyFailureDocument, type ErrorInfo } from './contract/documents.ts';

import { NODE_REQUIREMENT, VERSION } from './version.ts';
const ISSUES_URL = 'https://github.com/aoai-keyless/aoai-keyless/issues';

interface CommonOptions {
  json?: boolean;
  debug?: boolean;
  yes?: boolean;
}

function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON document on stdout (human output stays on stderr)')
    .option(
      '-y, --yes',
      'never prompt: use flags, the environment, .env and safe defaults (also when CI is set or there is no terminal)',
    )
    .option('--debug', 'print the az commands run and their timings (never a token)');
}

type CommandFn = (ctx: Context, options: never) => Promise<unknown>;

/** One parse of argv: where it runs, and the exit code its command ends with. */
interface Invocation {
  host: Host | undefined;
  exitCode: number;
}

/** Wires a command: its module loads only when it runs, so --help pays for none of them. */
function act(cmd: Command, inv: Invocation, name: string, load: () => Promise<CommandFn>): void {
  cmd.action(async (o: Record<string, unknown> & CommonOptions) => {
    inv.exitCode = await runCommand(inv.host, name, o, async (ctx) => (await load())(ctx, o as never));
  });
}

async function runCommand(
  host: Host | undefined,
  commandName: string,
  opts: CommonOptions,
  work: (ctx: Context) => Promise<unknown>,
): Promise<number> {
  const { createContext } = await import('./create-context.ts');
  const ctx = await createContext(
    { yes: opts.yes === true, json: opts.json === true, debug: opts.debug === true },
    host,
  );
  try {
    const result = await work(ctx);
    if (ctx.json) ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return (result as { ok?: boolean } | undefined)?.ok === false ? ExitCode.verify : ExitCode.ok;
  } catch (e) {
    return reportFailure(ctx, commandName, e);
  }
}

/** Prints the failure (and its --json document) and returns its exit code. */
function reportFailure(ctx: Context, command: string, e: unknown): number {
  const { out, json, debug } = ctx;
  const app = isAppError(e) ? e : undefined;
  if (app) {
    out.error(app.message);
    for (const line of app.details) out.detail(line);
    if (app.hint) out.info(`${out.c.cyan('→')} ${app.hint}`);
    if (debug && app.cause instanceof Error) out.debug(app.cause.stack ?? String(app.cause));
  } else {
    out.error(`Unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    out.info(`This is a bug in aoai-keyless ${VERSION}. Please report it at ${ISSUES_URL} with the output of --debug.`);
    if (debug && e instanceof Error && e.stack) out.debug(e.stack);
  }
  if (json) ctx.stdout.write(`${JSON.stringify(failureDocument(command, e, app), null, 2)}\n`);
  return app?.exitCode ?? ExitCode.bug;
}

function failureDocument(command: string, e: unknown, app: AppError | undefined): Record<string, unknown> {
  const error: ErrorInfo = app
    ? {
        code: app.code,
        message: app.message,
        hint: app.hint ?? null,
        ...(app.details.length > 0 ? { details: [...app.details] } : {}),
      }
    : { code: 'bug', message: e instanceof Error ? e.message : String(e), hint: `Please report it at ${ISSUES_URL}` };
  return { schemaVersion: SCHEMA_VERSION, ...(app?.result ?? { command }), ok: false, command, error };
}

/** setup's flags that name the resource and the principal, and where the role goes. */
function addSetupTargetOptions(cmd: Command): Command {
  return cmd
    .option('--subscription <id|name>', "subscription (default: the Azure CLI's current one)")
    .option('-g, --resource-group <name>', 'resource group of --resource (or of --managed-identity)')
    .option('--resource <name|id>', 'the Azure OpenAI or AI services account')
    .option('--deployment <name>', 'the chat deployment to write and verify')
    .option('--assignee <object-id>', 'give the role to this principal instead of the signed-in one')
    .addOption(
      new Option('--assignee-type <type>', 'the type of --assignee').choices(['User', 'ServicePrincipal', 'Group']),
    )
    .option(
      '--managed-identity <name|id>',
      'give the role to a user-assigned managed identity (writes its client id as AZURE_CLIENT_ID)',
    )
    .option(
      '--role <name|id>',
      'role to assign, by name or role definition GUID (default: by the model: "Cognitive Services OpenAI User" for OpenAI models, "Cognitive Services User" for others)',
    )
    .addOption(
      new Option('--scope <level>', 'where to assign it: resource (least privilege), resource-group, subscription')
        .choices(['resource', 'resource-group', 'subscription'])
        .default('resource'),
    );
}

/** setup's flags for the .env, the proof, and the changes. */
function addSetupWriteOptions(cmd: Command): Command {
  return cmd
    .option('--env-file <path>', 'the .env file to write', '.env')
    .addOption(
      new Option(
        '--api <api>',
        'v1 (default: OpenAI client on <endpoint>/openai/v1/, no api version) or classic (AzureOpenAI client with an api version)',
      ).choices(['v1', 'classic']),
    )
    .option(
      '--api-version <version>',
      'with --api classic (implied): written as AZURE_OPENAI_VERSION / OPENAI_API_VERSION (default 2025-04-01-preview)',
    )
    .option('--remove-api-key', 'comment out an API key found in the .env')
    .option('--no-verify', 'skip the test chat completion')
    .option(
      '--wait <duration>',
      'how long verification waits for a new role assignment to propagate (default 5m after creating one)',
    )
    .addOption(
      new Option('--handoff <format>', 'how to print the request for an admin when you may not assign roles')
        .choices(['text', 'markdown'])
        .default('text'),
    )
    .option('--dry-run', 'change nothing: print the az commands and .env lines it would write')
    .option('--activate', 'when you are eligible for the role through PIM, activate it (needs --justification)')
    .option('--justification <text>', 'the reason PIM records for --activate');
}

function defineSetup(program: Command, inv: Invocation): void {
  const setup = addCommonOptions(
    addSetupWriteOptions(
      addSetupTargetOptions(
        program
          .command('setup', { isDefault: true })
          .description('the wizard: make sure you (or another principal) can call the model, write .env, verify'),
      ),
    ),
  );
  act(setup, inv, 'setup', async () => (await import('./commands/setup.ts')).setupCommand);
}

/** `verify`: one chat completion, and the diagnosis when it fails. */
function defineVerify(program: Command, inv: Invocation): void {
  const verify = addCommonOptions(
    program
      .command('verify')
      .description(
        'prove keyless access: one chat completion through DefaultAzureCredential, and the diagnosis when it fails',
      )
      .option('--env-file <path>', 'the .env file to read', '.env')
      .option('--endpoint <url>', 'Azure OpenAI endpoint (default: AZURE_OPENAI_ENDPOINT)')
      .option('--deployment <name>', 'deployment (default: AZURE_OPENAI_DEPLOYMENT)')
      .addOption(
        new Option(
          '--api <api>',
          'v1 (default: OpenAI client on <endpoint>/openai/v1/) or classic (AzureOpenAI client with an api version)',
        ).choices(['v1', 'classic']),
      )
      .option(
        '--api-version <version>',
        'with --api classic (implied): default OPENAI_API_VERSION, else 2025-04-01-preview',
      )
      .option('--wait <duration>', 'keep retrying while the role assignment propagates, up to this long (e.g. 10m)'),
  );
  act(verify, inv, 'verify', async () => (await import('./commands/verify.ts')).verifyCommand);
}

/** `snippet`: client code, the role assignment as code, or a workflow. */
function defineSnippet(program: Command, inv: Invocation): void {
  const snippet = addCommonOptions(
    program
      .command('snippet')
      .description(
        'print keyless client code (DefaultAzureCredential) for the .env, the role assignment as code, or a CI workflow',
      )
      .option('--lang <lang>', 'js (default), ts, python, csharp, go, java, azcli, powershell, bicep, github-actions')
      .option('--env-file <path>', 'the .env file to read', '.env')
      .option('--assignee <object-id>', 'azcli/powershell/bicep: the principal (default: the signed-in one)')
      .addOption(
        new Option('--assignee-type <type>', 'the type of --assignee').choices(['User', 'ServicePrincipal', 'Group']),
      )
      .option(
        '--scope <resource-id|level>',
        'azcli/powershell/bicep: a resource id, or resource | resource-group | subscription (default: the account of AZURE_OPENAI_ENDPOINT)',
      )
      .option('--out <file>', 'write the snippet to this file instead of stdout')
      .option('--force', 'let --out overwrite an existing file'),
  );
  act(snippet, inv, 'snippet', async () => (await import('./commands/snippet.ts')).snippetCommand);
}

/** `revoke`: deletes the role assignment setup made. */
function defineRevoke(program: Command, inv: Invocation): void {
  const revoke = addCommonOptions(
    program
      .command('revoke')
      .description('delete the role assignment setup made (same principal, role and scope), after a confirmation')
      .option('--subscription <id|name>', "subscription (default: the Azure CLI's current one)")
      .option('-g, --resource-group <name>', 'resource group of --resource (or of --managed-identity)')
      .option('--resource <name|id>', 'the Azure OpenAI account (default: the one AZURE_OPENAI_ENDPOINT names)')
      .option('--assignee <object-id>', 'the principal whose assignment goes (default: the signed-in one)')
      .addOption(
        new Option('--assignee-type <type>', 'the type of --assignee').choices(['User', 'ServicePrincipal', 'Group']),
      )
      .option('--managed-identity <name|id>', 'the user-assigned managed identity whose assignment goes')
      .option(
        '--role <name|id>',
        'the role of the assignment (default: the roles setup assigns, "Cognitive Services OpenAI User" or "Cognitive Services User")',
      )
      .addOption(
        new Option('--scope <level>', 'the scope it was made at')
          .choices(['resource', 'resource-group', 'subscription'])
          .default('resource'),
      )
      .option('--env-file <path>', 'the .env that names the endpoint', '.env')
      .option('--assignment-id <id>', 'which one to delete when several match exactly')
      .option('--dry-run', 'show what would be deleted, delete nothing'),
  );
  act(revoke, inv, 'revoke', async () => (await import('./commands/revoke.ts')).revokeCommand);
}

/** `ci github`: the trust between a repository's Actions jobs and Azure OpenAI. */
function defineCi(program: Command, inv: Invocation): void {
  const ci = program.command('ci').description('set up keyless access for a CI system: `ci github`');
  const ciGithub = addCommonOptions(
    ci
      .command('github')
      .description(
        "trust a GitHub repository's Actions jobs: a managed identity with a federated credential, the role, the Actions variables and a workflow",
      )
      .option('--repo <owner/repo>', "the GitHub repository (default: the current git remote's)")
      .option('--branch <name>', 'trust jobs of this branch (default: the default branch)')
      .option('--environment <name>', 'trust jobs of this deployment environment (variables are set at its level)')
      .option('--pull-request', 'trust jobs run for pull requests')
      .option('--subject <sub>', "trust exactly this subject claim (overrides what GitHub's settings give)")
      .addOption(
        new Option(
          '--subject-format <format>',
          'default subject with immutable ids or names only (default: what GitHub reports)',
        ).choices(['immutable', 'names']),
      )
      .option(
        '--identity <name>',
        'the user-assigned managed identity, reused or created (default: id-github-OWNER-REPO)',
      )
      .option('--identity-resource-group <name>', "its resource group (default: the account's)")
      .option('--location <region>', "where a new identity goes (default: the account's location)")
      .option('--subscription <id|name>', "subscription (default: the Azure CLI's current one)")
      .option('-g, --resource-group <name>', 'resource group of --resource')
      .option('--resource <name|id>', 'the Azure OpenAI or AI services account')
      .option('--deployment <name>', 'the chat deployment the workflow verifies')
      .option(
        '--role <name|id>',
        'role to assign, by name or role definition GUID (default: by the model: "Cognitive Services OpenAI User" for OpenAI models, "Cognitive Services User" for others)',
      )
      .addOption(
        new Option('--scope <level>', 'where to assign it')
          .choices(['resource', 'resource-group', 'subscription'])
          .default('resource'),
      )
      .option(
        '--api-version <version>',
        'verify the classic route in the workflow with this api version (default: the v1 API, which takes none)',
      )
      .option('--force', 'replace an existing .github/workflows/aoai-keyless.yml')
      .option('--dry-run', 'change nothing: print every az and gh command and the workflow file'),
  );
  act(ciGithub, inv, 'ci github', async () => (await import('./commands/ci-github.ts')).ciGithubCommand);
}

/** The program; `inv` (main's) says where it runs and receives the exit code. Without one: this process. */
export function buildProgram(inv: Invocation = { host: undefined, exitCode: ExitCode.ok }): Command {
  const stdout: TextSink = inv.host?.stdout ?? process.stdout;
  const stderr: TextSink = inv.host?.stderr ?? process.stderr;
  const program = new Command('aoai-keyless')
    .description(
      'Keyless (Microsoft Entra ID) access to Azure OpenAI: the role assignment, a .env, and a verified chat completion.\n\n' +
        `Requires Node.js ${NODE_REQUIREMENT}, and the Azure CLI signed in (az login).`,
    )
    .version(VERSION, '-v, --version', 'print the version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });

  defineSetup(program, inv);
  defineVerify(program, inv);
  defineSnippet(program, inv);
  defineRevoke(program, inv);
  defineCi(program, inv);
  return program;
}

/**
 * Runs argv (node's, with the two leading entries) to its exit code. Never exits: run() below does, for
 * the bin. `host` is where it runs (default: this process); an in-process test hands in its own.
 */
export async function main(argv: readonly string[], host?: Host): Promise<number> {
  const inv: Invocation = { host, exitCode: ExitCode.ok };
  const program = buildProgram(inv);
  try {
    await program.parseAsync(argv as string[]);
    return inv.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; every other commander error is a usage error.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        return ExitCode.ok;
      }
      if (argv.includes('--json')) {
        (host?.stdout ?? process.stdout).write(`${JSON.stringify(usageDocument(argv, e.message), null, 2)}\n`);
      }
      return ExitCode.usage;
    }
    throw e;
  }
}

/** A flag commander refused, for --json: the early-failure document of the command. */
function usageDocument(argv: readonly string[], message: string): EarlyFailureDocument<CommandName> {
  return {
    schemaVersion: SCHEMA_VERSION,
    ok: false,
    command: commandOfArgv(argv),
    error: { code: 'usage', message: message.replace(/^error: /, ''), hint: 'See --help.' },
  };
}

/** The command argv names, for a usage error's --json: `ci github` is two words. */
function commandOfArgv(argv: readonly string[]): CommandName {
  const [a, b] = [argv[2], argv[3]];
  if (!a || a.startsWith('-')) return 'setup';
  return (a === 'ci' && b && !b.startsWith('-') ? `ci ${b}` : a) as CommandName;
}

/**
 * Runs the program and exits once stdout and stderr are flushed. Exiting, rather than waiting for the
 * event loop to drain, matters: DefaultAzureCredential's managed-identity probe leaves a 1 s timer behind
 * (@azure/identity imdsMsi.js), which would hold every verify open for a second after its answer.
 */
export async function run(argv: readonly string[]): Promise<void> {
  process.on('SIGINT', () => {
    // Outside a prompt (an az call running): nothing is half-written, as every write is atomic.
    process.stderr.write('\nCancelled.\n');
    process.exit(ExitCode.cancelled);
  });
  const code = await main(argv);
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
