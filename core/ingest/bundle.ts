/**
 * The ConnectWise bundle (DESIGN §4.2): REST-shaped objects, unknown fields kept, a missing or
 * malformed required field reported by object (`additions[3] (id 50011)`) and field.
 */
import type { z } from 'zod';
import { CwBundle } from '../model';
import { isoDatePart } from '../shared/dates';
import { InputError } from '../shared/errors';
import { compileCheck, type CompiledCheck } from './schema-check';

const DATE_FIELDS: Record<string, readonly string[]> = {
  additions: ['effectiveDate', 'cancelledDate'],
  agreements: ['startDate', 'endDate'],
};

let bundleCheck: CompiledCheck | undefined;

export function parseCwBundle(input: unknown, opts: { file?: string } = {}): CwBundle {
  const { file } = opts;
  let data = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new InputError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`, { file });
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError('expected a JSON object with companies, agreements and additions', { file });
  }
  // The compiled check reads the bundle without copying it; zod runs only to name what is wrong.
  bundleCheck ??= compileCheck(CwBundle);
  let bundle: CwBundle;
  if (bundleCheck.passThrough && bundleCheck.accepts(data)) bundle = data as CwBundle;
  else {
    const result = CwBundle.safeParse(data);
    if (!result.success) throw issueError(result.error.issues[0], data as Record<string, unknown>, file);
    bundle = result.data;
  }
  checkDates(bundle, file);
  checkUniqueAdditions(bundle, file);
  return bundle;
}

/** Two Additions with one id cannot both be ConnectWise's: one would silently replace the other. */
function checkUniqueAdditions(bundle: CwBundle, file?: string): void {
  const first = new Map<number, number>();
  bundle.additions.forEach((a, index) => {
    const earlier = first.get(a.id);
    if (earlier === undefined) first.set(a.id, index);
    else {
      throw new InputError(`${objectName('additions', earlier, bundle.additions[earlier])} and ${objectName('additions', index, a)} have the same id; a bundle holds each Addition once`, {
        file,
        row: objectName('additions', index, a),
        field: 'id',
      });
    }
  });
}

function issueError(issue: z.core.$ZodIssue | undefined, data: Record<string, unknown>, file?: string): InputError {
  if (!issue) return new InputError('not a ConnectWise bundle', { file });
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const [list, index, ...rest] = path;
  if (typeof list === 'string' && typeof index === 'number') {
    const obj = (data[list] as unknown[] | undefined)?.[index];
    const where = objectName(list, index, obj);
    const field = rest.join('.') || undefined;
    const value = field ? valueAt(obj, rest) : undefined;
    const message = value === undefined ? 'missing required field' : `invalid value (${issue.message})`;
    return new InputError(message, { file, row: where, field, value: value === undefined ? undefined : JSON.stringify(value) });
  }
  const field = path.join('.');
  const present = path.length > 0 && data[String(path[0])] !== undefined;
  return new InputError(present ? `invalid (${issue.message})` : 'missing required list', { file, field });
}

function objectName(list: string, index: number, obj: unknown): string {
  const id = typeof obj === 'object' && obj !== null ? (obj as { id?: unknown }).id : undefined;
  return `${list}[${index}]${typeof id === 'number' || typeof id === 'string' ? ` (id ${id})` : ''}`;
}

function valueAt(obj: unknown, path: ReadonlyArray<string | number>): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur === null ? undefined : cur;
}

function checkDates(bundle: CwBundle, file?: string): void {
  // Thousands of Additions share a few dates: each distinct text is read once.
  const readable = new Map<string, boolean>();
  const isDate = (v: string) => {
    let ok = readable.get(v);
    if (ok === undefined) readable.set(v, (ok = v.trim() === '' || isoDatePart(v) !== null));
    return ok;
  };
  for (const [list, fields] of Object.entries(DATE_FIELDS)) {
    const items = (bundle as Record<string, unknown>)[list] as Array<Record<string, unknown>>;
    items.forEach((obj, index) => {
      for (const f of fields) {
        const v = obj[f];
        if (typeof v === 'string' && !isDate(v)) {
          throw new InputError('not a date (expected 2026-11-01T00:00:00Z)', { file, row: objectName(list, index, obj), field: f, value: v });
        }
      }
    });
  }
}
