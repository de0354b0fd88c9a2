// azcli, powershell, bicep: the role assignment as code, rendered by azure/handoff.ts (the same text setup
// hands to an admin). Who and where come from --assignee/--assignee-type/--scope, or else from az: the
// signed-in principal's object id from a token's claims (no Graph call) and the account whose endpoint is
// AZURE_OPENAI_ENDPOINT. az is only asked for what the flags leave out.
import type { Az } from '../az/az.ts';
import { azCliCommand, bicepResource, powerShellCommand, type HandoffRequest } from '../azure/handoff.ts';
import { checkObjectId, parseAssigneeType } from '../azure/names.ts';
import { ACCOUNT_TYPE, parseResourceIdOf, resourceGroupOf } from '../contract/azure-ids.ts';
import { OPENAI_USER, SCOPE_LEVELS, scopeFor, type ScopeLevel } from '../azure/roles.ts';
import { AzureError, UsageError } from '../errors.ts';
import { matchAccount } from '../azure/openai-account.ts';
import { KEYLESS_DOCS, commentLines } from './common.ts';
import type { InfrastructureLang, Snippet } from './index.ts';

export interface RoleAssignmentFlags {
  assignee?: string | undefined;
  assigneeType?: string | undefined;
  /** A resource id (account, resource group, subscription), or a level: resource | resource-group | subscription. */
  scope?: string | undefined;
}

type ScopeArg = { kind: 'id'; id: string } | { kind: 'level'; level: ScopeLevel };

// Role assignments can sit at any ARM scope; these are the ones that make sense for one Azure OpenAI account,
// in characters that are safe inside the double quotes of a shell or PowerShell line.
const SCOPE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}(?:\/resourceGroups\/[\p{L}\p{N}._()-]{1,90}(?:\/providers\/[\w.()-]+(?:\/[\w.()-]+)+)?)?$/iu;

/** Checks the flags before any az call (exit 2 on a bad one). */
export function parseRoleAssignmentFlags(f: RoleAssignmentFlags): {
  assignee: { objectId: string; type: 'User' | 'ServicePrincipal' | 'Group' } | undefined;
  scope: ScopeArg | undefined;
} {
  if (f.assigneeType !== undefined && f.assignee === undefined) {
    throw new UsageError('--assignee-type goes with --assignee <object-id>.', {
      code: 'bad-value',
      hint: 'Without --assignee the signed-in identity is the principal, with its own type.',
    });
  }
  let assignee: ReturnType<typeof parseRoleAssignmentFlags>['assignee'];
  if (f.assignee !== undefined) {
    const objectId = checkObjectId(f.assignee);
    if (f.assigneeType === undefined) {
      // The type is not looked up in Microsoft Graph: CI principals usually may not read it.
      throw new UsageError('--assignee needs --assignee-type User, ServicePrincipal or Group.', {
        code: 'missing-input',
        hint: 'A managed identity or an app is a ServicePrincipal.',
      });
    }
    assignee = { objectId, type: parseAssigneeType(f.assigneeType) };
  }
  return { assignee, scope: f.scope === undefined ? undefined : parseScope(f.scope) };
}

function parseScope(value: string): ScopeArg {
  const v = value.trim();
  if ((SCOPE_LEVELS as readonly string[]).includes(v.toLowerCase()))
    return { kind: 'level', level: v.toLowerCase() as ScopeLevel };
  const id = v.replace(/\/+$/, '');
  if (SCOPE_ID.test(id)) return { kind: 'id', id };
  throw new UsageError(`--scope ${JSON.stringify(value)} is not a resource id or one of ${SCOPE_LEVELS.join(', ')}.`, {
    code: 'bad-scope',
    hint: 'Pass the account id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>), its resource group or subscription id, or a level.',
  });
}

/** Who gets "Cognitive Services OpenAI User" where: from the flags, and from az for what they leave out. */
export async function resolveRoleAssignment(
  flags: RoleAssignmentFlags,
  deps: { az: () => Az; endpoint: string | undefined; envFileName: string },
): Promise<HandoffRequest> {
  const f = parseRoleAssignmentFlags(flags);
  const needAccount = f.scope === undefined || f.scope.kind === 'level';
  if (needAccount && !deps.endpoint) {
    throw new UsageError(
      'The scope of the role assignment is unknown: no --scope, and no AZURE_OPENAI_ENDPOINT to find the account by.',
      {
        code: 'missing-input',
        hint: `Pass --scope <resource id>, or run \`npx aoai-keyless setup\` first (it writes AZURE_OPENAI_ENDPOINT to ${deps.envFileName}).`,
      },
    );
  }
  const az = f.assignee === undefined || needAccount ? deps.az() : undefined;
  // Each az call costs a Python start-up: the two run together.
  const [signedIn, accounts] = await Promise.all([
    f.assignee === undefined ? az?.getAccessToken() : undefined,
    needAccount ? az?.cognitiveAccountList() : undefined,
  ]);

  let account: HandoffRequest['account'] = { id: '', name: '' };
  let scope: string;
  if (needAccount) {
    const endpoint = deps.endpoint ?? '';
    const match = matchAccount(accounts ?? [], endpoint);
    if (!match) {
      throw new AzureError(`No Azure OpenAI account in the current subscription has the endpoint ${endpoint}.`, {
        code: 'account-not-found',
        hint: 'Pass --scope <resource id of the account>, or select its subscription first: az account set --subscription <id>.',
      });
    }
    account = { id: match.id, name: match.name, endpoint };
    scope = scopeFor(f.scope?.kind === 'level' ? f.scope.level : 'resource', match);
  } else {
    scope = (f.scope as { kind: 'id'; id: string }).id;
    const m = parseResourceIdOf(scope, ACCOUNT_TYPE);
    if (m) account = { id: scope, name: m.name };
  }

  const principal = f.assignee ?? {
    objectId: (signedIn?.claims.objectId ?? '').toLowerCase(),
    type: signedIn?.claims.principalType ?? 'User',
  };
  return {
    principalId: principal.objectId,
    principalType: principal.type,
    principalName: f.assignee ? undefined : signedIn?.claims.name,
    role: OPENAI_USER,
    scope,
    tenantId: signedIn?.tenantId,
    account,
  };
}

export function infrastructureSnippet(lang: InfrastructureLang, r: HandoffRequest): Snippet {
  // A name from a token claim lands in comments: no line break may end the comment early.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: it replaces control characters, on purpose.
  const name = r.principalName?.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const who = name
    ? `${name} (object id ${r.principalId}, ${r.principalType})`
    : `object id ${r.principalId} (${r.principalType})`;
  const what = [
    `Grants "${r.role.name}" (role id ${r.role.id}) to ${who}`,
    `at ${r.scope}:`,
    'chat completions and the other inference calls with Microsoft Entra ID, nothing else (no keys, no management).',
    'Run it as an Owner or User Access Administrator of that scope; a new assignment takes a few minutes to apply.',
  ];
  switch (lang) {
    case 'azcli': {
      const saveAs = 'grant-openai-user.sh';
      const lines = [
        ...commentLines('#', [
          ...what,
          `Generated by \`npx aoai-keyless snippet --lang azcli\`. Docs: ${KEYLESS_DOCS}`,
          '  https://learn.microsoft.com/azure/role-based-access-control/role-assignments-cli',
        ]),
        azCliCommand(r),
      ];
      return { install: null, code: `${lines.join('\n')}\n`, saveAs, run: `bash ${saveAs}` };
    }
    case 'powershell': {
      const saveAs = 'grant-openai-user.ps1';
      const install = 'Install-Module Az.Resources -Scope CurrentUser';
      const lines = [
        ...commentLines('#', [
          ...what,
          'Needs the Az.Resources module and a sign-in: Connect-AzAccount.',
          `Generated by \`npx aoai-keyless snippet --lang powershell\`. Docs: ${KEYLESS_DOCS}`,
          '  https://learn.microsoft.com/azure/role-based-access-control/role-assignments-powershell',
        ]),
        powerShellCommand(r),
      ];
      return { install, code: `${lines.join('\n')}\n`, saveAs, run: `pwsh ./${saveAs}` };
    }
    case 'bicep':
      return bicepSnippet(r, what);
  }
}

/** A resource-group deployment: the account (or the group) as an existing resource, the assignment on it. */
function bicepSnippet(r: HandoffRequest, what: readonly string[]): Snippet {
  const rg = resourceGroupOf(r.scope);
  if (!rg) {
    throw new UsageError(
      `--lang bicep writes a resource-group deployment; the scope ${r.scope} is a whole subscription.`,
      {
        code: 'bad-scope',
        hint: 'Use --lang azcli or powershell for a subscription scope, or pass --scope resource (least privilege).',
      },
    );
  }
  if (/\/providers\//i.test(r.scope) && r.scope.toLowerCase() !== r.account.id.toLowerCase()) {
    // bicepResource scopes the assignment to the account or to the resource group, nothing in between.
    throw new UsageError(`--lang bicep assigns at an Azure OpenAI account or a resource group, not at ${r.scope}.`, {
      code: 'bad-scope',
      hint: 'Pass the account id or its resource group id as --scope, or use --lang azcli.',
    });
  }
  const saveAs = 'openai-user-role.bicep';
  const run = `az deployment group create --subscription ${rg.subscriptionId} --resource-group ${rg.resourceGroup} --template-file ${saveAs}`;
  const lines = [
    ...commentLines('//', [
      ...what,
      'Deploy it into the resource group of the scope:',
      `  ${run}`,
      `Generated by \`npx aoai-keyless snippet --lang bicep\`. Docs: ${KEYLESS_DOCS}`,
      '  https://learn.microsoft.com/azure/role-based-access-control/role-assignments-bicep',
    ]),
    bicepResource(r),
  ];
  return { install: 'az bicep install', code: `${lines.join('\n')}\n`, saveAs, run };
}
