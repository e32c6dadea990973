/**
 * `recon reconcile` (DESIGN §4.5): Platform lines against ConnectWise data, one report out.
 * Exit 0 when it ran, 2 on bad usage or input, 1 when --fail-on finds findings at that level.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PlatformLine, ReconcileConfig, Report, Severity, SkippedRow } from '../../core/model';
import { reconcile } from '../../core/reconcile';
import { REPORT_FORMATS, renderMoneyCsv, renderReport, type ReportFormat } from '../../core/report';
import { InputError } from '../../core/shared/errors';
import { parseCommandArgs, UsageError, type Command } from '../args';
import { readConfigFile } from '../config';
import { loadCw, loadLines } from '../load';

const HELP = `Usage: npm run --silent recon -- reconcile --lines <csv|html>... --cw <json|html>... [options]

Reconciles the Platform's invoice lines against ConnectWise Agreement Additions and prints
every discrepancy with its fix (DESIGN §3).

Inputs:
  --lines <file>        Platform invoice lines: the Mapping → Invoices CSV export, or a saved
                        invoices page (.html); repeat it for several months or pages
  --cw <file>...        ConnectWise data: a bundle JSON (companies, agreements, additions, ...)
                        or saved Agreement Additions pages (.html); list several files after
                        it (--cw pages/*.html) or repeat it
  --config <file>       settings JSON (defaultAgreementType, chargeTypeNames, revenue, dateFormat,
                        decimalSeparator, cancelledDateDefaults, lineRefField, ...)

Output:
  --format <fmt>        json (the full report, default), csv (one row per finding) or text
                        (coverage, then findings by company and agreement)
  --out <file>          write the report to a file instead of standard output
  --money-csv <file>    also write the money view (Platform revenue vs what ConnectWise will
                        bill, per month, company and agreement) as CSV
  --skip-invalid        reconcile the readable rows and list the unreadable ones in the report
                        (without it a bad row stops the run with exit 2)
  --fail-on <level>     exit 1 when findings of this severity exist: error, or warn (warn or
                        error)
  --now <ISO date>      the report's generatedAt (default: the current time), for
                        reproducible output
  -h, --help            show this help

Exit codes: 0 ran (findings or not), 1 findings at the --fail-on level, 2 bad usage or input
(the message names the file, row, field and value).`;

const OPTIONS = {
  lines: { type: 'string', multiple: true },
  cw: { type: 'string', multiple: true },
  config: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'money-csv': { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  'fail-on': { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const reconcileCommand: Command = async (argv) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.lines?.length) throw new UsageError('--lines <csv|html> is required');
  if (!values.cw?.length) throw new UsageError('--cw <json|html> is required (list several files after it, or repeat it)');
  // The only bare words reconcile takes are more ConnectWise files, as a shell glob after --cw gives.
  const cwFiles = [...values.cw, ...positionals];
  const format = (values.format ?? 'json') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format must be json, csv or text, not "${values.format}"`);
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'error' && failOn !== 'warn') throw new UsageError(`--fail-on must be error or warn, not "${failOn}"`);
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO date or date-time, not "${values.now}"`);

  const config = values.config ? await readConfigFile(values.config) : {};
  const loaded = await loadLineFiles(values.lines, config, values['skip-invalid'] ?? false);
  const bundle = await loadCw(cwFiles, config);
  // The money view is in the JSON and text reports and --money-csv; a findings CSV alone spares it.
  const money = format !== 'csv' || Boolean(values['money-csv']);
  const report = reconcile({ lines: loaded.lines, bundle, config, skippedRows: loaded.skipped, now, money });
  for (const w of loaded.warnings) report.coverage.warnings.push(w);

  const text = renderReport(report, format);
  if (values.out) await writeOutput(values.out, '--out', text);
  else process.stdout.write(text);
  if (values['money-csv']) await writeOutput(values['money-csv'], '--money-csv', renderMoneyCsv(report));
  return failOn && hasSeverity(report, failOn) ? 1 : 0;
};

export default reconcileCommand;

/** Writes an output file; a path that cannot be written is the user's input error, named with its option. */
async function writeOutput(path: string, option: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code;
    throw new InputError(`cannot write the ${option} file (${why})`, { file: path });
  }
}

function hasSeverity(report: Report, level: 'error' | 'warn'): boolean {
  const levels: Severity[] = level === 'error' ? ['error'] : ['error', 'warn'];
  return report.findings.some((f) => levels.includes(f.severity));
}

/**
 * Several line files (one saved page or export per month) read as one set. A line present in two
 * files must say the same thing in both; generated row ids (`row-N`, no Line ID column) are
 * qualified by file name so rows of different files never collide.
 */
async function loadLineFiles(paths: string[], config: ReconcileConfig, skipInvalid: boolean) {
  // Line ID → position in `lines` and the file it came from; lines are kept in one array, built once.
  const lines: PlatformLine[] = [];
  const byId = new Map<string, number>();
  const fileOf: string[] = [];
  const skipped: SkippedRow[] = [];
  const warnings: string[] = [];
  for (const path of paths) {
    const loaded = await loadLines(path, config, { skipInvalid });
    // One file whose Line IDs are all different: nothing to join or compare, its lists are the set.
    if (paths.length === 1 && loaded.uniqueIds) return { lines: loaded.lines, skipped: loaded.skipped, warnings: loaded.warnings };
    // One by one: a spread of input-sized arrays is bounded by the call stack.
    for (const row of loaded.skipped) skipped.push(row);
    for (const w of loaded.warnings) warnings.push(w);
    for (const raw of loaded.lines) {
      const line = paths.length > 1 && raw.lineId.startsWith('row-') && /^row-\d+$/.test(raw.lineId) ? { ...raw, lineId: `${basename(path)}:${raw.lineId}` } : raw;
      const at = byId.get(line.lineId);
      if (at === undefined) {
        byId.set(line.lineId, lines.length);
        lines.push(line);
        fileOf.push(path);
      } else if (JSON.stringify({ ...lines[at], row: 0 }) !== JSON.stringify({ ...line, row: 0 })) {
        throw new InputError(`Line ID ${line.lineId} is also in ${fileOf[at]} with other values`, { file: path, row: line.row, field: 'Line ID', value: line.lineId });
      }
    }
  }
  return { lines, skipped, warnings };
}
