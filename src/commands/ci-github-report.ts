// What ci github prints on stderr: each part's outcome, the plan of a dry run (every az and gh command and
// the workflow file), and without gh the commands and values to apply by hand.
import type { Context } from '../context.ts';
import type { CiGithubResult } from './ci-github.ts';

export function printCiSummary(ctx: Context, r: CiGithubResult, workflow: string): void {
  const { out } = ctx;
  if (r.plan) {
    out.heading('Dry run: nothing was changed. The plan:');
    for (const c of r.plan.commands) out.detail(c);
    if (r.plan.commands.length === 0) out.detail('(no az or gh command: everything is in place)');
    out.detail(`${r.workflow?.path} (${r.workflow?.status}):`);
    for (const line of workflow.trimEnd().split('\n')) out.detail(`  ${line}`);
    return;
  }
  const v = r.variables;
  if (v && r.gh !== 'ready') {
    out.heading(
      `The repository side, by hand (gh ${r.gh === 'not-installed' ? 'is not installed' : 'is not signed in'}):`,
    );
    for (const c of v.commands) out.detail(c);
    out.info(
      `Or in the web UI: Settings > Secrets and variables > Actions > Variables${v.environment ? ` (environment ${v.environment})` : ''}, one variable each:`,
    );
    for (const [k, val] of Object.entries(v.values)) out.detail(`${k} = ${val}`);
  }
  out.heading('Done: GitHub Actions can reach Azure OpenAI keyless');
  out.detail(`Subject:    ${r.subject?.value}`);
  out.detail(`Identity:   ${r.identity?.name} (${r.identity?.status}), client id ${r.identity?.clientId}`);
  out.detail(`Credential: ${r.federatedCredential?.name} (${r.federatedCredential?.status})`);
  out.detail(`Role:       ${r.roleAssignment?.role} at ${r.roleAssignment?.scope} (${r.roleAssignment?.status})`);
  if (v)
    out.detail(
      `Variables:  ${Object.entries(v.status)
        .map(([k, s]) => `${k} ${s}`)
        .join(', ')}${v.environment ? ` (environment ${v.environment})` : ''}`,
    );
  out.detail(`Workflow:   ${r.workflow?.path} (${r.workflow?.status})`);
  if (r.workflow?.status === 'exists')
    out.warn(`${r.workflow.path} exists and differs: left as it is. Pass --force to replace it.`);
  out.detail(`Next:       ${r.next}`);
}
