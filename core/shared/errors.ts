/**
 * An input problem the user can fix: it names the file, the row (1-based data row, or the JSON
 * path for bundles), the field and the value. The CLI maps it to exit code 2.
 */
export class InputError extends Error {
  readonly file?: string;
  readonly row?: number | string;
  readonly field?: string;
  readonly value?: string;

  constructor(message: string, where: { file?: string; row?: number | string; field?: string; value?: string } = {}) {
    super(formatWhere(where) + message);
    this.name = 'InputError';
    this.file = where.file;
    this.row = where.row;
    this.field = where.field;
    this.value = where.value;
  }
}

function formatWhere(where: { file?: string; row?: number | string; field?: string; value?: string }): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.row !== undefined) parts.push(typeof where.row === 'number' ? `row ${where.row}` : where.row);
  if (where.field) parts.push(`field "${where.field}"`);
  if (where.value !== undefined) parts.push(`value ${quoteValue(where.value)}`);
  return parts.length ? `${parts.join(', ')}: ` : '';
}

/** Longest part of a bad value a message repeats: enough to find it, never a whole megabyte. */
export const QUOTED_VALUE_MAX = 80;

/** A value quoted for a message, cut to a readable length (the whole value stays on the error). */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > QUOTED_VALUE_MAX ? `${value.slice(0, QUOTED_VALUE_MAX)}…` : value);
}
