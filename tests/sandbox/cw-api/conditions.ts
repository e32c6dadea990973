/**
 * The subset of ConnectWise's `conditions` language the local API understands: comparisons,
 * `contains`, `like`, `in`, `not`, `and`/`or` with parentheses; strings in double or single quotes
 * (backslash escapes), numbers, true/false, null and `[ISO date]`. Strings compare
 * case-insensitively, as ConnectWise's SQL Server collation does.
 */
type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'bool'; value: boolean } | { kind: 'null' } | { kind: 'date'; value: number };

type Node =
  | { type: 'and' | 'or'; left: Node; right: Node }
  | { type: 'cmp'; field: string; op: string; negate: boolean; value: Literal }
  | { type: 'in'; field: string; negate: boolean; values: Literal[] };

export class ConditionError extends Error {
  override name = 'ConditionError';
}

type Token = { t: 'word'; v: string } | { t: 'op'; v: string } | { t: 'lit'; v: Literal } | { t: 'paren'; v: '(' | ')' } | { t: 'comma' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: 'paren', v: c });
      i++;
    } else if (c === ',') {
      out.push({ t: 'comma' });
      i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ConditionError(`Unterminated string in conditions: ${src}`);
        const ch = src[i]!;
        if (ch === '\\' && (src[i + 1] === c || src[i + 1] === '\\')) {
          value += src[i + 1];
          i += 2;
        } else if (ch === c) {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      out.push({ t: 'lit', v: { kind: 'string', value } });
    } else if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw new ConditionError(`Unterminated date in conditions: ${src}`);
      const ms = Date.parse(src.slice(i + 1, end));
      if (Number.isNaN(ms)) throw new ConditionError(`DateTime values should be enclosed in square brackets and be valid: ${src.slice(i, end + 1)}`);
      out.push({ t: 'lit', v: { kind: 'date', value: ms } });
      i = end + 1;
    } else if (/[<>=!]/.test(c)) {
      const two = src.slice(i, i + 2);
      const op = ['<=', '>=', '!='].includes(two) ? two : c;
      if (op === '!') throw new ConditionError(`Unexpected "!" in conditions: ${src}`);
      out.push({ t: 'op', v: op });
      i += op.length;
    } else if (/[-\d]/.test(c)) {
      const m = /^-?\d+(?:\.\d+)?/.exec(src.slice(i));
      if (!m) throw new ConditionError(`Bad number in conditions at ${i}: ${src}`);
      out.push({ t: 'lit', v: { kind: 'number', value: Number(m[0]) } });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(src.slice(i))!;
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    } else {
      throw new ConditionError(`Unexpected "${c}" in conditions: ${src}`);
    }
  }
  return out;
}

export function parseConditions(src: string): Node {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (tok: Token | undefined, w: string) => tok?.t === 'word' && tok.v.toLowerCase() === w;

  function literalAt(): Literal {
    const tok = tokens[pos++];
    if (tok?.t === 'lit') return tok.v;
    if (tok?.t === 'word') {
      const w = tok.v.toLowerCase();
      if (w === 'true' || w === 'false') return { kind: 'bool', value: w === 'true' };
      if (w === 'null') return { kind: 'null' };
      throw new ConditionError(`String values should be enclosed with double or single quotes; got ${tok.v}`);
    }
    throw new ConditionError(`Expected a value in conditions: ${src}`);
  }

  function primary(): Node {
    const tok = peek();
    if (tok?.t === 'paren' && tok.v === '(') {
      pos++;
      const inner = orExpr();
      const close = tokens[pos++];
      if (close?.t !== 'paren' || close.v !== ')') throw new ConditionError(`Missing ")" in conditions: ${src}`);
      return inner;
    }
    if (tok?.t !== 'word') throw new ConditionError(`Expected a field name in conditions: ${src}`);
    pos++;
    const field = tok.v;
    let negate = false;
    if (isWord(peek(), 'not')) {
      negate = true;
      pos++;
    }
    const opTok = tokens[pos++];
    if (opTok?.t === 'op') {
      if (negate) throw new ConditionError(`"not" must precede contains, like or in: ${src}`);
      return { type: 'cmp', field, op: opTok.v, negate: false, value: literalAt() };
    }
    if (isWord(opTok, 'contains') || isWord(opTok, 'like')) {
      return { type: 'cmp', field, op: (opTok as { v: string }).v.toLowerCase(), negate, value: literalAt() };
    }
    if (isWord(opTok, 'in')) {
      const open = tokens[pos++];
      if (open?.t !== 'paren' || open.v !== '(') throw new ConditionError(`"in" needs a parenthesised list: ${src}`);
      const values: Literal[] = [literalAt()];
      while (tokens[pos]?.t === 'comma') {
        pos++;
        values.push(literalAt());
      }
      const close = tokens[pos++];
      if (close?.t !== 'paren' || close.v !== ')') throw new ConditionError(`Missing ")" after the "in" list: ${src}`);
      return { type: 'in', field, negate, values };
    }
    throw new ConditionError(`Expected an operator after ${field}: ${src}`);
  }

  function andExpr(): Node {
    let left = primary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { type: 'and', left, right: primary() };
    }
    return left;
  }

  function orExpr(): Node {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { type: 'or', left, right: andExpr() };
    }
    return left;
  }

  const tree = orExpr();
  if (pos !== tokens.length) throw new ConditionError(`Unexpected text at the end of conditions: ${src}`);
  return tree;
}

/** Reads `company/id` style paths; case-insensitive keys like the real API. */
export function readPath(obj: unknown, path: string): unknown {
  let current: unknown = obj;
  for (const part of path.split('/')) {
    if (!current || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(record, part)) {
      current = record[part];
      continue;
    }
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '[' && pattern[i + 2] === ']') {
      re += pattern[i + 1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += 2;
    } else if (c === '%' || c === '*') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

/** -1/0/1, or undefined when the two cannot be compared (null, type mismatch). */
function compare(actual: unknown, lit: Literal): number | undefined {
  if (actual === null || actual === undefined || lit.kind === 'null') return undefined;
  switch (lit.kind) {
    case 'date': {
      const ms = typeof actual === 'string' ? Date.parse(actual) : NaN;
      return Number.isNaN(ms) ? undefined : Math.sign(ms - lit.value);
    }
    case 'number':
      return typeof actual === 'number' ? Math.sign(actual - lit.value) : undefined;
    case 'bool':
      return typeof actual === 'boolean' ? (actual === lit.value ? 0 : 1) : undefined;
    case 'string': {
      const a = String(actual).toLowerCase();
      const b = lit.value.toLowerCase();
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
}

function isNullish(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

export function evaluate(node: Node, obj: unknown): boolean {
  switch (node.type) {
    case 'and':
      return evaluate(node.left, obj) && evaluate(node.right, obj);
    case 'or':
      return evaluate(node.left, obj) || evaluate(node.right, obj);
    case 'in': {
      const actual = readPath(obj, node.field);
      const hit = node.values.some((v) => compare(actual, v) === 0);
      return node.negate ? !hit : hit;
    }
    case 'cmp': {
      const actual = readPath(obj, node.field);
      if (node.op === 'contains' || node.op === 'like') {
        if (node.value.kind !== 'string') throw new ConditionError(`${node.op} needs a quoted string`);
        const text = isNullish(actual) ? '' : String(actual);
        const hit = node.op === 'contains' ? text.toLowerCase().includes(node.value.value.toLowerCase()) : likeToRegExp(node.value.value).test(text);
        return node.negate ? !hit : hit;
      }
      if (node.value.kind === 'null') {
        if (node.op === '=') return isNullish(actual);
        if (node.op === '!=') return !isNullish(actual);
        throw new ConditionError(`null can only be compared with = or !=`);
      }
      const c = compare(actual, node.value);
      if (c === undefined) return node.op === '!=';
      switch (node.op) {
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        default:
          return c >= 0;
      }
    }
  }
}

export function matcher(conditions: string | null | undefined): (obj: unknown) => boolean {
  if (!conditions?.trim()) return () => true;
  const tree = parseConditions(conditions);
  return (obj) => evaluate(tree, obj);
}
