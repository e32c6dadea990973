/**
 * `recon reconcile` (DESIGN §4.5): Platform lines against ConnectWise data, one report out.
 * Exit 0 when it ran, 2 on bad usage or input, 1 when --fail-on finds findings at that level.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ReconcileConfig, type Report, type Severity } from '../../core/model';
import { reconcile } from '../../core/reconcile';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../core/report';
import { InputError } from '../../core/shared/errors';
import { parseCommandArgs, UsageError, type Command } from '../args';
import { loadCw, loadLines } from '../load';

const HELP = `Usage: npm run --silent recon -- reconcile --lines <csv|html> --cw <json|html>... [options]

Reconciles the Platform's invoice lines against ConnectWise Agreement Additions and prints
every discrepancy with its fix (DESIGN §3).

Inputs:
  --lines <file>        Platform invoice lines: the Mapping → Invoices CSV export, or a saved
                        invoices page (.html)
  --cw <file>           ConnectWise data: a bundle JSON (companies, agreements, additions, ...)
                        or a saved Agreement Additions page (.html); repeat for several files
  --config <file>       settings JSON (defaultAgreementType, chargeTypeNames, revenue, dateFormat,
                        decimalSeparator, cancelledDateDefaults, lineRefField, ...)

Output:
  --format <fmt>        json (the full report, default), csv (one row per finding) or text
                        (coverage, then findings by company and agreement)
  --out <file>          write the report to a file instead of standard output
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
  lines: { type: 'string' },
  cw: { type: 'string', multiple: true },
  config: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
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
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.lines) throw new UsageError('--lines <csv|html> is required');
  if (!values.cw?.length) throw new UsageError('--cw <json|html> is required (repeat it for several files)');
  const format = (values.format ?? 'json') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format must be json, csv or text, not "${values.format}"`);
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'error' && failOn !== 'warn') throw new UsageError(`--fail-on must be error or warn, not "${failOn}"`);
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO date or date-time, not "${values.now}"`);

  const config = values.config ? await readConfig(values.config) : {};
  const loaded = await loadLines(values.lines, config, { skipInvalid: values['skip-invalid'] ?? false });
  const bundle = await loadCw(values.cw, config);
  const report = reconcile({ lines: loaded.lines, bundle, config, skippedRows: loaded.skipped, now });
  report.coverage.warnings.push(...loaded.warnings);

  const text = renderReport(report, format);
  if (values.out) await writeFile(values.out, text, 'utf8');
  else process.stdout.write(text);
  return failOn && hasSeverity(report, failOn) ? 1 : 0;
};

export default reconcileCommand;

function hasSeverity(report: Report, level: 'error' | 'warn'): boolean {
  const levels: Severity[] = level === 'error' ? ['error'] : ['error', 'warn'];
  return report.findings.some((f) => levels.includes(f.severity));
}

/** The settings file (DESIGN §4.3); an unknown value names its field. */
export async function readConfig(path: string): Promise<ReconcileConfig> {
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
