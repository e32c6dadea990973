/**
 * Builds ConnectWise `conditions` strings (reference/connectwise-api.md §2.4) from values, so no
 * caller ever pastes user text into a query: strings are quoted, dates bracketed, numbers checked,
 * field paths validated; `encodeQueryValue` then encodes everything the guide lists (& " ' * % +).
 */
export type CondValue = string | number | boolean | null | Date;

/** A finished condition; only this module creates them, so its text is always well formed. */
export class Condition {
  readonly text: string;
  /** @internal use the builders below */
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/;

function field(path: string): string {
  if (!FIELD.test(path)) throw new Error(`Not a ConnectWise field path: ${JSON.stringify(path)}`);
  return path;
}

/** `[2026-11-01T00:00:00Z]`: whole seconds in UTC, the only form every endpoint accepts. */
export function dateLiteral(value: Date | string): string {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) date = new Date(`${value}T00:00:00Z`);
  else date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Not a date: ${JSON.stringify(String(value))}`);
  return `[${date.toISOString().replace(/\.\d{3}Z$/, 'Z')}]`;
}

/**
 * Double quotes unless the text holds some and no single quotes. The developer guide documents no
 * escape inside strings; backslash before the chosen quote and before itself is the usual
 * convention (and what the local API parses), needed only when a name holds both quote kinds.
 */
export function stringLiteral(value: string): string {
  const q = value.includes('"') && !value.includes("'") ? "'" : '"';
  return `${q}${value.replace(/\\/g, '\\\\').replaceAll(q, `\\${q}`)}${q}`;
}

export function literal(value: CondValue): string {
  if (value === null) return 'null';
  if (value instanceof Date) return dateLiteral(value);
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
      // Plain decimal digits: CW rejects exponent notation.
      return Number.isInteger(value) ? value.toFixed(0) : String(value).includes('e') ? value.toFixed(10).replace(/0+$/, '') : String(value);
    default:
      return stringLiteral(value);
  }
}

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
const compare = (op: Op) => (path: string, value: CondValue) => new Condition(`${field(path)} ${op} ${literal(value)}`);

/** Escapes LIKE's own wildcards so a user's text matches only itself. */
function likeEscape(text: string): string {
  return text.replace(/[[%_]/g, (c) => `[${c}]`);
}

function join(word: 'and' | 'or', parts: (Condition | undefined | false)[]): Condition | undefined {
  const present = parts.filter((p): p is Condition => p instanceof Condition);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return new Condition(present.map((p) => `(${p.text})`).join(` ${word} `));
}

export const cond = {
  eq: compare('='),
  ne: compare('!='),
  lt: compare('<'),
  le: compare('<='),
  gt: compare('>'),
  ge: compare('>='),
  contains: (path: string, text: string) => new Condition(`${field(path)} contains ${stringLiteral(text)}`),
  startsWith: (path: string, prefix: string) => new Condition(`${field(path)} like ${stringLiteral(`${likeEscape(prefix)}%`)}`),
  in: (path: string, values: readonly CondValue[]): Condition => {
    if (values.length === 0) throw new Error(`cond.in(${path}) needs at least one value`);
    return new Condition(`${field(path)} in (${values.map(literal).join(', ')})`);
  },
  /** Undefined parts are dropped, so optional filters compose without special cases. */
  and: (...parts: (Condition | undefined | false)[]) => join('and', parts),
  or: (...parts: (Condition | undefined | false)[]) => join('or', parts),
};

/**
 * encodeURIComponent leaves ! ' ( ) * alone; the developer guide wants ' and * encoded too (and
 * parentheses are harmless either way), so encode them all.
 */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type QueryValue = string | number | boolean | Condition | undefined;

export function buildQuery(params: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    parts.push(`${encodeQueryValue(key)}=${encodeQueryValue(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
