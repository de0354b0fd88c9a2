// --query: the JMESPath subset the fake az evaluates (paths, [n], [], [*], [?a == 'b'], length(), |); anything
// else fails loudly rather than answering what az would not.
import { fail } from './errors.mjs';
import { PyFloat, isObject, pyStr } from './output.mjs';

class UnsupportedQuery extends Error {}

/** @param {string} src */
function parseQuery(src) {
  let i = 0;
  const ws = () => {
    while (src[i] === ' ') i += 1;
  };
  const unsupported = () => {
    throw new UnsupportedQuery(src);
  };
  const expect = (/** @type {string} */ ch) => {
    ws();
    if (src[i] !== ch) unsupported();
    i += 1;
  };
  const identifier = () => {
    if (src[i] === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) unsupported();
      const name = JSON.parse(src.slice(i, end + 1));
      i = end + 1;
      return name;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (!m) return unsupported();
    i += m[0].length;
    return m[0];
  };
  /** @returns {any} */
  const literal = () => {
    const quote = src[i];
    const end = src.indexOf(quote ?? '', i + 1);
    if (end < 0) unsupported();
    const body = src.slice(i + 1, end);
    i = end + 1;
    return quote === "'" ? body : JSON.parse(body);
  };
  /** @returns {any} */
  const operand = () => {
    ws();
    if (src[i] === "'" || src[i] === '`') return { kind: 'literal', value: literal() };
    return chain();
  };
  const bracket = () => {
    i += 1;
    ws();
    if (src[i] === ']') {
      i += 1;
      return { kind: 'flatten' };
    }
    if (src[i] === '*') {
      i += 1;
      expect(']');
      return { kind: 'wildcard' };
    }
    if (src[i] === '?') {
      i += 1;
      const left = operand();
      ws();
      const op = /^(==|!=|<=|>=|<|>)/.exec(src.slice(i))?.[0];
      /** @type {any} */
      let cond = { left };
      if (op) {
        i += op.length;
        cond = { left, op, right: operand() };
      }
      expect(']');
      return { kind: 'filter', cond };
    }
    const m = /^-?\d+/.exec(src.slice(i));
    if (!m) return unsupported();
    i += m[0].length;
    expect(']');
    return { kind: 'index', n: Number(m[0]) };
  };
  /** @returns {any} */
  const chain = () => {
    ws();
    /** @type {any[]} */
    const segs = [];
    if (src[i] === '@') i += 1;
    else if (src[i] !== '[') {
      const name = identifier();
      ws();
      if (src[i] === '(') {
        i += 1;
        const arg = pipe();
        expect(')');
        if (name !== 'length') unsupported();
        segs.push({ kind: 'length', arg });
      } else segs.push({ kind: 'field', name });
    }
    for (;;) {
      ws();
      if (src[i] === '.') {
        i += 1;
        ws();
        segs.push({ kind: 'field', name: identifier() });
      } else if (src[i] === '[') segs.push(bracket());
      else return { kind: 'chain', segs };
    }
  };
  const pipe = () => {
    const parts = [chain()];
    ws();
    while (src[i] === '|' && src[i + 1] !== '|') {
      i += 1;
      parts.push(chain());
      ws();
    }
    return { kind: 'pipe', parts };
  };
  const ast = pipe();
  ws();
  if (i < src.length) unsupported();
  return ast;
}

/** JMESPath truthiness: null, false, '', [] and {} are false. @param {unknown} v */
const truthy = (v) =>
  !(
    v === null ||
    v === false ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (isObject(v) && Object.keys(v).length === 0)
  );
const plain = (/** @type {unknown} */ v) => (v instanceof PyFloat ? v.value : v);

/** @param {any} node @param {unknown} value @returns {unknown} */
function evaluate(node, value) {
  if (node.kind === 'literal') return node.value;
  if (node.kind === 'pipe')
    return node.parts.reduce((/** @type {unknown} */ v, /** @type {any} */ p) => evaluate(p, v), value);
  return evalSegments(node.segs, 0, value);
}

/** A projection ([], [*], [?...]) applies the rest of the chain to each item and drops the nulls. @param {any[]} segs @param {number} from @param {unknown} value @returns {unknown} */
function evalSegments(segs, from, value) {
  let v = value;
  for (let k = from; k < segs.length; k += 1) {
    const s = segs[k];
    if (s.kind === 'flatten' || s.kind === 'wildcard' || s.kind === 'filter') {
      if (!Array.isArray(v)) return null;
      let items = s.kind === 'flatten' ? v.flatMap((x) => (Array.isArray(x) ? x : [x])) : v;
      if (s.kind === 'filter') items = items.filter((x) => truthy(condition(s.cond, x)));
      return items.map((x) => evalSegments(segs, k + 1, x)).filter((x) => x !== null);
    }
    if (s.kind === 'field') v = isObject(v) && Object.hasOwn(v, s.name) ? v[s.name] : null;
    else if (s.kind === 'index') v = Array.isArray(v) ? (v.at(s.n) ?? null) : null;
    else if (s.kind === 'length') v = jmesLength(evaluate(s.arg, v));
  }
  return v;
}

/** @param {any} cond @param {unknown} item */
function condition(cond, item) {
  const left = plain(evaluate(cond.left, item));
  if (!cond.op) return left;
  const right = plain(evaluate(cond.right, item));
  if (cond.op === '==') return JSON.stringify(left) === JSON.stringify(right);
  if (cond.op === '!=') return JSON.stringify(left) !== JSON.stringify(right);
  if (typeof left !== 'number' || typeof right !== 'number') return null;
  return { '<': left < right, '<=': left <= right, '>': left > right, '>=': left >= right }[
    /** @type {'<'} */ (cond.op)
  ];
}

function jmesLength(/** @type {unknown} */ v) {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  return fail(
    `In function length(), invalid type for value: ${pyStr(plain(v))}, expected one of: ['string', 'array', 'object'], received: "${v === null ? 'null' : typeof v}"`,
  );
}

/** @param {string} query @param {unknown} result */
export function applyQuery(query, result) {
  try {
    return evaluate(parseQuery(query), result);
  } catch (e) {
    if (e instanceof UnsupportedQuery) {
      fail(
        `fake az: --query '${query}' uses JMESPath this test double does not implement (paths, [n], [], [*], [?a == 'b'], length(), |)`,
      );
    }
    throw e;
  }
}
