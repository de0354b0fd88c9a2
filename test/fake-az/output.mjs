// Output as knack formats it (knack/output.py): json (sorted keys, Python floats), tsv, none; and what azure-cli
// adds to every result before that (commands/transform.py).
import { fail } from './errors.mjs';

/** A Python float: json.dumps prints 30.0 where JavaScript would print 30. */
export class PyFloat {
  constructor(/** @type {number} */ value) {
    this.value = value;
  }
}
export const float = (/** @type {number} */ v) => new PyFloat(v);
const floatText = (/** @type {number} */ v) => (Number.isInteger(v) ? v.toFixed(1) : String(v));
/** @returns {v is Record<string, any>} */
export const isObject = (/** @type {unknown} */ v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyFloat);

/** knack format_json: json.dumps(indent=2, sort_keys=True, ensure_ascii=False), keys sorted at every level. @param {unknown} v @returns {string} */
export function formatJson(v, indent = '') {
  const inner = `${indent}  `;
  if (v instanceof PyFloat) return floatText(v.value);
  if (Array.isArray(v)) {
    return v.length === 0 ? '[]' : `[\n${v.map((x) => inner + formatJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (isObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return keys.length === 0
      ? '{}'
      : `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${formatJson(v[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** Python's str() of a scalar, which knack's tsv writes for a cell. @param {unknown} v */
export function pyStr(v) {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof PyFloat) return floatText(v.value);
  return String(v);
}

/** knack _TsvOutput: a list gives a row per item; in a row, a nested list prints its length and a dict nothing. @param {unknown} result */
export function formatTsv(result) {
  const cell = (/** @type {unknown} */ v) => (Array.isArray(v) ? String(v.length) : isObject(v) ? '' : pyStr(v));
  const row = (/** @type {unknown} */ r) => {
    if (isObject(r))
      return Object.keys(r)
        .sort()
        .map((k) => cell(r[k]))
        .join('\t');
    if (Array.isArray(r)) return r.map(cell).join('\t');
    // A bare boolean row is the one place knack lower-cases: str(data).lower().
    if (typeof r === 'boolean') return String(r);
    return cell(r);
  };
  return (Array.isArray(result) ? result : [result]).map((r) => `${row(r)}\n`).join('');
}

/** commands/transform.py _add_resource_group: every dict with an ARM id under a resource group gets `resourceGroup`. @param {unknown} obj */
export function addResourceGroup(obj) {
  if (Array.isArray(obj)) obj.forEach(addResourceGroup);
  if (!isObject(obj)) return;
  const parts = typeof obj.id === 'string' ? obj.id.split('/') : [];
  // _parse_id reads parts[4] and parts[8]: ids shorter than a resource's are skipped (KeyError/IndexError).
  if (
    !Object.keys(obj).some((k) => k.toLowerCase() === 'resourcegroup') &&
    parts[3]?.toLowerCase() === 'resourcegroups' &&
    parts.length > 8
  ) {
    obj.resourceGroup = parts[4];
  }
  for (const [k, v] of Object.entries(obj)) if (k !== 'sourceVault') addResourceGroup(v);
}

export function render(/** @type {unknown} */ result, /** @type {string} */ output) {
  // knack cli.py: a None result prints nothing at all, whatever the format.
  if (result === null || result === undefined) return '';
  if (output === 'json' || output === 'jsonc') return `${formatJson(result)}\n`;
  if (output === 'tsv') return formatTsv(result);
  if (output === 'none') return '';
  return fail(`fake az: --output ${output} is not implemented by this test double (use json, tsv or none)`);
}
