// How Azure RBAC matches an action against a role's permission block: `*` is a wildcard for any characters,
// case does not matter, and a block's notActions / notDataActions subtract from that block only (Learn
// "Understand Azure role definitions": NotActions, NotDataActions; the permissions API returns one block per
// applicable role, not merged: AZURE-FACTS E.3).

export interface Permission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return re.test(action);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Does any block grant `action` (a control-plane action, or a data action) without excluding it? */
export function allows(blocks: readonly Permission[], action: string, kind: 'action' | 'data'): boolean {
  return blocks.some((b) => {
    const granted = kind === 'data' ? b.dataActions : b.actions;
    const excluded = kind === 'data' ? b.notDataActions : b.notActions;
    return granted.some((p) => actionMatches(p, action)) && !excluded.some((p) => actionMatches(p, action));
  });
}

/** One block of ARM's JSON (permissions API, role definition), with missing lists as empty. */
export function toPermission(o: Record<string, unknown>): Permission {
  const list = (k: string): string[] =>
    Array.isArray(o[k]) ? (o[k] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  return {
    actions: list('actions'),
    notActions: list('notActions'),
    dataActions: list('dataActions'),
    notDataActions: list('notDataActions'),
  };
}
