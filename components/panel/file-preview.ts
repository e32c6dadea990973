/**
 * What a set of files handed in to the panel would store, worked out before anything is stored:
 * each file read by the engine's readers (core/ingest/files.ts, the CLI's own), what it held
 * (rows, invoice months, agreements with their read state) and every problem named by file, row,
 * field and value. The model loads this module only when files arrive, so the readers stay out of
 * the panel's first load.
 */
import type { CwBundle, PlatformLine, ReconcileConfig, SkippedRow } from '../../core/model';
import { decodeInput } from '../../core/ingest/encoding';
import { readAnyFile, type ParseHtml } from '../../core/ingest/files';
import { InputError } from '../../core/shared/errors';
import { monthOf } from '../../core/shared/dates';
import { sourceStates } from '../../core/sources';
import type { FileCapture } from '../../core/protocol/messages';

export interface FileInput {
  name: string;
  bytes: Uint8Array;
}

/** A problem in a file, with where it is as far as it is known. */
export interface FileProblem {
  file: string;
  row?: number | string;
  field?: string;
  value?: string;
  /** The whole sentence, naming file, row, field and value as the CLI prints it. */
  message: string;
}

export interface AgreementPreview {
  id: number;
  name: string;
  company?: string;
  /** `read`: every Addition of the agreement is in the file; `partial`: the file says it is not. */
  state: 'read' | 'partial';
  additions: number;
}

export interface FilePreviewEntry {
  name: string;
  /** What the file turned out to be, in the user's words. */
  what: string;
  kind: 'lines' | 'cw' | 'unreadable';
  /** Invoice lines or Additions read. */
  rows: number;
  months: string[];
  agreements: AgreementPreview[];
  /** Rows the reader could not use (bad values); they are named in `problems`. */
  skipped: number;
  /** The file was read whole but holds only part of what it describes (a page cut short, a bundle marked incomplete). */
  partial: boolean;
  /** Why the file cannot be stored at all. */
  error?: FileProblem;
}

export interface FilePreview {
  files: FilePreviewEntry[];
  /** Every problem: unreadable files, bad rows, lines two files describe differently. */
  problems: FileProblem[];
  /** Notes that do not stop storing (the readers' warnings). */
  warnings: string[];
  /** Platform lines over all files, invoice months over all files. */
  lines: number;
  months: string[];
  /** What Store sends; empty when nothing can be stored. */
  captures: FileCapture[];
  /** Bad rows were left out: storing needs the user's word that the rest goes in without them. */
  needsSkipConsent: boolean;
  /** Storing would decide between files that disagree: not offered until they agree. */
  blocked: boolean;
}

const WHAT = {
  csv: 'Platform invoice lines (CSV export)',
  linesPage: 'Platform invoice lines (saved page)',
  bundle: 'ConnectWise data (bundle file)',
  cwPage: 'ConnectWise Additions (saved page)',
} as const;

function problemOf(error: unknown, file: string): FileProblem {
  if (error instanceof InputError) {
    const p: FileProblem = { file: error.file ?? file, message: error.message };
    if (error.row !== undefined) p.row = error.row;
    if (error.field !== undefined) p.field = error.field;
    if (error.value !== undefined) p.value = error.value;
    return p;
  }
  // Anything else is a reader fault, not the file's: still named by file, never swallowed.
  return { file, message: `${file}: could not be read (${error instanceof Error ? error.message : String(error)})` };
}

function skippedProblem(s: SkippedRow, file: string): FileProblem {
  const e = new InputError(s.message.replace(/^[^:]*: /, ''), { file: s.file ?? file, row: s.row, field: s.column, value: s.value });
  return problemOf(e, file);
}

function sortedMonths(lines: readonly PlatformLine[]): string[] {
  return [...new Set(lines.map((l) => monthOf(l.invoiceDate)))].sort();
}

function agreementsOf(bundle: CwBundle): AgreementPreview[] {
  const states = sourceStates(bundle);
  const counts = new Map<number, number>();
  for (const a of bundle.additions) counts.set(a.agreementId, (counts.get(a.agreementId) ?? 0) + 1);
  const byId = new Map(bundle.agreements.map((a) => [a.id, a]));
  return [...states]
    .map(([id, state]) => {
      const a = byId.get(id);
      const out: AgreementPreview = { id, name: a?.name ?? `Agreement ${id}`, state, additions: counts.get(id) ?? 0 };
      if (a?.company.name) out.company = a.company.name;
      return out;
    })
    .sort((x, y) => (x.company ?? '').localeCompare(y.company ?? '') || x.name.localeCompare(y.name) || x.id - y.id);
}

/** Two lines are the same line when every value they carry is the same. */
function sameLine(a: PlatformLine, b: PlatformLine): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}

/**
 * Reads every file and says what storing them would store. Never throws for a file's fault:
 * each problem is in `problems`, named by file (and row, field, value where the reader knows).
 */
export function previewFiles(inputs: readonly FileInput[], opts: { config?: ReconcileConfig; parseHtml: ParseHtml }): FilePreview {
  const files: FilePreviewEntry[] = [];
  const problems: FileProblem[] = [];
  const warnings: string[] = [];
  const captures: FileCapture[] = [];
  // Lines of every file go in as one capture, so several exports of one month never replace each other.
  const lineFiles: string[] = [];
  const lines = new Map<string, { line: PlatformLine; file: string }>();
  const skipped: SkippedRow[] = [];
  let linesComplete = true;
  let blocked = false;

  for (const input of inputs) {
    const name = input.name;
    try {
      const text = decodeInput(name, input.bytes);
      const read = readAnyFile(name, text, { config: opts.config, parseHtml: opts.parseHtml, skipInvalid: true });
      if (read.kind === 'lines') {
        const bad = read.skipped.map((s) => ({ ...s, file: s.file ?? name }));
        for (const s of bad) problems.push(skippedProblem(s, name));
        warnings.push(...read.warnings);
        if (read.lines.length === 0) {
          const error = problemOf(new InputError(bad.length ? 'no invoice line could be read (every row has a problem listed here)' : 'holds no invoice lines', { file: name }), name);
          problems.push(error);
          files.push({ name, what: read.from === 'csv' ? WHAT.csv : WHAT.linesPage, kind: 'unreadable', rows: 0, months: [], agreements: [], skipped: bad.length, partial: false, error });
          continue;
        }
        for (const line of read.lines) {
          const earlier = lines.get(line.lineId);
          if (earlier && earlier.file !== name && !sameLine(earlier.line, line)) {
            blocked = true;
            problems.push({
              file: name,
              field: 'Line ID',
              value: line.lineId,
              message: `${name}, field "Line ID", value ${JSON.stringify(line.lineId)}: ${earlier.file} has a line with this Line ID and other values; hand in one of the two files`,
            });
          } else if (!earlier) lines.set(line.lineId, { line, file: name });
        }
        skipped.push(...bad);
        lineFiles.push(name);
        if (!read.complete) linesComplete = false;
        files.push({
          name,
          what: read.from === 'csv' ? WHAT.csv : WHAT.linesPage,
          kind: 'lines',
          rows: read.lines.length,
          months: sortedMonths(read.lines),
          agreements: [],
          skipped: bad.length,
          partial: !read.complete,
        });
      } else {
        const agreements = agreementsOf(read.bundle);
        captures.push({ kind: 'cw', file: name, from: read.from, bundle: read.bundle });
        files.push({
          name,
          what: read.from === 'file' ? WHAT.bundle : WHAT.cwPage,
          kind: 'cw',
          rows: read.bundle.additions.length,
          months: [],
          agreements,
          skipped: 0,
          partial: agreements.some((a) => a.state === 'partial'),
        });
      }
    } catch (error) {
      const problem = problemOf(error, name);
      problems.push(problem);
      files.push({ name, what: 'Not readable', kind: 'unreadable', rows: 0, months: [], agreements: [], skipped: 0, partial: false, error: problem });
    }
  }

  const allLines = [...lines.values()].map((l) => l.line);
  if (allLines.length) captures.unshift({ kind: 'lines', files: lineFiles, lines: allLines, skipped, complete: linesComplete });
  return {
    files,
    problems,
    warnings,
    lines: allLines.length,
    months: sortedMonths(allLines),
    captures: blocked ? [] : captures,
    needsSkipConsent: skipped.length > 0,
    blocked,
  };
}
