import { readFile } from 'node:fs/promises';
import { ReconcileConfig } from '../core/model';
import { InputError } from '../core/shared/errors';

/** The settings file (DESIGN §4.3), shared by every command; a bad value names its field. */
export async function readConfigFile(path: string): Promise<ReconcileConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`, { file: path });
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`, { file: path });
  }
  const parsed = ReconcileConfig.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || undefined;
    let value: unknown = data;
    for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
    throw new InputError(issue.message, { file: path, field, value: value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value) });
  }
  return parsed.data;
}
