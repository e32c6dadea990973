/**
 * `recon invoicing --thru <date>`: which agreements Agreement Invoicing will bill for a Thru
 * Date, whether ConnectWise does it by itself, and what blocks the others.
 */
import { writeFile } from 'node:fs/promises';
import { invoicingReadiness } from '../../core/invoicing';
import { renderReadiness, type ReadinessFormat } from '../../core/invoicing/render';
import { isoDatePart } from '../../core/shared/dates';
import { parseCommandArgs, UsageError, type Command } from '../args';
import { loadCw, loadLines } from '../load';
import { readConfigFile } from '../config';

const HELP = `Usage: npm run --silent recon -- invoicing --thru <YYYY-MM-DD> --cw <json|html>... [options]

Lists the ConnectWise agreements with Additions to bill up to the Thru Date, whether each
invoices automatically or needs Finance → Invoicing → Agreement Invoicing, and what blocks it
(agreement not Active, Bill Products not Billable, currency differing from its Platform lines,
no billable Additions).

  --thru <date>         the Thru Date of the billing period (YYYY-MM-DD)
  --cw <file>           ConnectWise bundle JSON or saved Additions page; repeat for several
  --lines <file>        Platform invoice lines (CSV or saved page), to find the agreements they
                        expect and their currencies (optional)
  --config <file>       settings JSON (defaultAgreementType, ...)
  --format <fmt>        text (default), json or csv
  --out <file>          write to a file instead of standard output
  --skip-invalid        skip unreadable line rows instead of stopping
  -h, --help            show this help

Exit codes: 0 ran, 2 bad usage or input.`;

const OPTIONS = {
  thru: { type: 'string' },
  cw: { type: 'string', multiple: true },
  lines: { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const invoicing: Command = async (argv) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const thru = values.thru ? isoDatePart(values.thru) : null;
  if (!thru || !/^\d{4}-\d{2}-\d{2}$/.test(values.thru!.trim())) throw new UsageError(`--thru must be a date YYYY-MM-DD${values.thru ? `, not "${values.thru}"` : ''}`);
  if (!values.cw?.length) throw new UsageError('--cw <json|html> is required');
  const format = (values.format ?? 'text') as ReadinessFormat;
  if (!['json', 'csv', 'text'].includes(format)) throw new UsageError(`--format must be text, json or csv, not "${values.format}"`);
  const config = values.config ? await readConfigFile(values.config) : {};
  const lines = values.lines ? (await loadLines(values.lines, config, { skipInvalid: values['skip-invalid'] ?? false })).lines : [];
  const bundle = await loadCw(values.cw, config);
  const text = renderReadiness(invoicingReadiness({ lines, bundle, config, thruDate: thru }), format);
  if (values.out) await writeFile(values.out, text, 'utf8');
  else process.stdout.write(text);
  return 0;
};

export default invoicing;
