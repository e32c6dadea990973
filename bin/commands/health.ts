/**
 * `recon health`: the setup checks of the ConnectWise setup guide over a bundle (and lines), and,
 * given API credentials, the API member's permissions against the guide's matrix.
 */
import { writeFile } from 'node:fs/promises';
import { pullBundle, testConnection } from '../../core/connectwise';
import { checkHealth, type HealthCheck, type HealthReport, type SecuritySettings } from '../../core/health';
import type { PlatformLine } from '../../core/model';
import { parseCommandArgs, UsageError, type Command } from '../args';
import { loadCw, loadLines } from '../load';
import { readConfigFile } from '../config';
import { clientFromArgs, CONNECTION_OPTIONS, reportCwError, scopeFromLines } from './fetch';

const HELP = `Usage: npm run --silent recon -- health --cw <bundle.json>... [--lines <csv>] [options]
       npm run --silent recon -- health --site <url> --company <id> --public-key <key>
         --private-key-env <VAR> --client-id <id> [--lines <csv>] [options]

Checks the ConnectWise setup the Platform integration relies on (setup guide sections 3, 5, 6,
1 and 10): the default agreement type exists and bills products; agreement types have a billing
cycle and bill products; mapped companies are active, typed Customer, with a site; target
agreements are active, billable and in the lines' currency; products exist in the catalog,
active, not Bundle; and, with credentials, the API member's Security Role covers the matrix.

Inputs:
  --cw <file>               ConnectWise bundle JSON (repeatable); without it, pulled via --site
  --lines <csv|html>        Platform lines: check only what they use
  --config <file>           settings JSON (defaultAgreementType, …)
  --site, --company, --public-key, --private-key-env, --client-id, --codebase
                            as for 'recon fetch'; adds the permission check

Output:
  --format <text|json>      default text
  --out <file>              write there instead of standard output
  --fail-on <fail|warn>     exit 1 when a check has this status (warn: warn or fail)
  -h, --help                show this help`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  cw: { type: 'string', multiple: true },
  lines: { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'fail-on': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MARK: Record<HealthCheck['status'], string> = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

export function renderHealthText(report: HealthReport): string {
  const order = { fail: 0, warn: 1, ok: 2, skip: 3 } as const;
  const rows = [...report.checks].sort((a, b) => order[a.status] - order[b.status]);
  const counts = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of report.checks) counts[c.status]++;
  const body = rows.map((c) => `${MARK[c.status]}  ${c.title}: ${c.detail}${c.fix && c.status !== 'ok' ? `\n      Fix: ${c.fix}` : ''}`);
  return `${body.join('\n')}\n\n${counts.fail} failing, ${counts.warn} warnings, ${counts.ok} ok\n`;
}

const healthCommand: Command = async (argv) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'fail' && failOn !== 'warn') throw new UsageError(`--fail-on must be fail or warn, not "${failOn}"`);
  if (!values.cw?.length && !values.site) throw new UsageError('give --cw <bundle.json> or the connection options (--site …) to pull one');

  const config = values.config ? await readConfigFile(values.config) : {};
  let lines: PlatformLine[] | undefined;
  if (values.lines) lines = (await loadLines(values.lines, config, { skipInvalid: true })).lines;

  const client = values.site ? clientFromArgs(values) : undefined;
  const extra: HealthCheck[] = [];
  let security: SecuritySettings | undefined;
  let bundle;
  if (client) {
    const connection = await testConnection(client);
    if (!connection.connected) {
      extra.push({ id: 'connection', status: 'fail', title: 'ConnectWise connection', detail: connection.message, fix: 'Correct the site, company ID, keys or clientId and run the checks again.' });
    } else security = connection.security;
  }
  if (values.cw?.length) bundle = await loadCw(values.cw, config);
  else if (client && security) {
    try {
      bundle = await pullBundle(client, { now: new Date(), ...(lines ? scopeFromLines(lines) : {}) });
    } catch (err) {
      return reportCwError('health', err);
    }
  }
  const report: HealthReport = bundle ? checkHealth({ bundle, lines, config, security }) : { checks: [] };
  // Without a working connection the permission row would only repeat "not checked".
  if (extra.length) report.checks = [...extra, ...report.checks.filter((c) => c.id !== 'permissions')];

  const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderHealthText(report);
  if (values.out) await writeFile(values.out, text, 'utf8');
  else process.stdout.write(text);
  const bad = report.checks.some((c) => c.status === 'fail' || (failOn === 'warn' && c.status === 'warn'));
  return failOn && bad ? 1 : 0;
};

export default healthCommand;
