// The results as one markdown table: section, measurement, value, baseline, ratio/target, PASS/FAIL.
export const HEADER = ['section', 'measurement', 'value', 'baseline', 'ratio / target', 'result'];

const cell = (/** @type {unknown} */ v) =>
  String(v ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/** @param {import('./lib.mjs').Row[]} rows */
export function markdownTable(rows) {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
  return lines.join('\n');
}
