/**
 * `recon fetch` (DESIGN §4.5): pull a ConnectWise bundle through the REST API. The private key is
 * read only from an environment variable, and is never printed or written anywhere.
 */
import { writeFile } from 'node:fs/promises';
import { createCwClient, CwApiError, pullBundle, type CwClient, type PullOptions } from '../../core/connectwise';
import type { PlatformLine } from '../../core/model';
import { endOfMonth, monthOf } from '../../core/shared/dates';
import { isBlank } from '../../core/shared/text';
import { parseCommandArgs, UsageError, type Command } from '../args';
import { readConfigFile } from '../config';
import { loadLines } from '../load';

const HELP = `Usage: npm run --silent recon -- fetch --site <url> --company <id> --public-key <key>
         --private-key-env <VAR> --client-id <id> [options] > bundle.json

Pulls what a reconciliation needs from the ConnectWise REST API (companies, their agreements,
every agreement's Additions, agreement types, the catalog items in use) as a bundle JSON.

Connection:
  --site <url>              ConnectWise site: na|eu|au|aus|za.myconnectwise.net, staging, or
                            your on-premise host (https; plain http only for localhost)
  --company <id>            the company ID typed on the ConnectWise login screen
  --public-key <key>        the API member's public key
  --private-key-env <VAR>   name of the environment variable holding the private key (the key
                            itself is never accepted on the command line)
  --client-id <id>          your integration's clientId (developer.connectwise.com)
  --codebase <cb>           e.g. v2025_1 (default: asked from the site's /login/companyinfo)

What to pull:
  --companies <a,b,...>     company names or identifiers (default: every company)
  --lines <csv|html>        Platform lines: pull their companies and products, and only the
                            Additions their invoice months can reach
  --config <file>           settings JSON used to read --lines (dateFormat, decimalSeparator…)

Output:
  --out <file>              write the bundle here (default: standard output)
  --concurrency <n>         requests in flight (default 6)
  --now <ISO date>          the bundle's fetchedAt (default: now), for reproducible output
  -h, --help                show this help

Exit codes: 0 pulled (an interrupted pull is written with "complete": false and says so on
stderr), 1 ConnectWise could not be reached or kept failing, 2 bad usage, keys, permissions or
address.`;

export const CONNECTION_OPTIONS = {
  site: { type: 'string' },
  company: { type: 'string' },
  'public-key': { type: 'string' },
  'private-key-env': { type: 'string' },
  'client-id': { type: 'string' },
  codebase: { type: 'string' },
  // Accepted only to refuse it with a clear message: keys on a command line end up in shell
  // history and process lists.
  'private-key': { type: 'string' },
} as const;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  companies: { type: 'string' },
  lines: { type: 'string' },
  config: { type: 'string' },
  out: { type: 'string' },
  concurrency: { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type ConnectionValues = { [K in keyof typeof CONNECTION_OPTIONS]?: string };

/** Builds the client from the connection options; the private key comes from the environment. */
export function clientFromArgs(values: ConnectionValues, extra: { concurrency?: number } = {}): CwClient {
  if (values['private-key'] !== undefined) {
    throw new UsageError('the private key is not accepted on the command line; put it in an environment variable and pass its name with --private-key-env');
  }
  for (const name of ['site', 'company', 'public-key', 'private-key-env', 'client-id'] as const) {
    if (!values[name]) throw new UsageError(`--${name} is required`);
  }
  const envName = values['private-key-env']!;
  const privateKey = process.env[envName];
  if (isBlank(privateKey)) throw new UsageError(`the environment variable ${envName} (from --private-key-env) is not set or empty`);
  try {
    return createCwClient({
      site: values.site!,
      companyId: values.company!,
      publicKey: values['public-key']!,
      privateKey,
      clientId: values['client-id']!,
      codebase: values.codebase,
      concurrency: extra.concurrency,
    });
  } catch (err) {
    if (err instanceof CwApiError) throw new UsageError(err.userMessage);
    throw err;
  }
}

/** Exit code and stderr line for a ConnectWise failure; never more than its plain message. */
export function reportCwError(command: string, err: unknown): number {
  if (!(err instanceof CwApiError)) throw err;
  console.error(`recon ${command}: ${err.userMessage}`);
  const transient = err.retryable || err.code === 'Network' || err.code === 'Aborted';
  return transient ? 1 : 2;
}

/** What a set of lines needs from ConnectWise: their companies, products and invoice months. */
export function scopeFromLines(lines: PlatformLine[]): Pick<PullOptions, 'companies' | 'products' | 'window'> {
  const used = lines.filter((l) => !l.excluded);
  const companies = [...new Set(used.map((l) => l.psaOrganizationName).filter((n): n is string => !isBlank(n)))];
  const products = [...new Set(used.map((l) => l.psaProductName).filter((n): n is string => !isBlank(n)))];
  const months = [...new Set(lines.map((l) => monthOf(l.invoiceDate)))].sort();
  const window = months.length ? { from: `${months[0]}-01`, to: endOfMonth(`${months[months.length - 1]}-01`) } : undefined;
  return { companies, products, window };
}

const fetchCommand: Command = async (argv) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)) {
    throw new UsageError(`--concurrency must be a whole number from 1 to 32, not "${values.concurrency}"`);
  }
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO date or date-time, not "${values.now}"`);
  const client = clientFromArgs(values, { concurrency });

  const pull: PullOptions = { now };
  if (values.lines) {
    const config = values.config ? await readConfigFile(values.config) : {};
    const { lines } = await loadLines(values.lines, config, { skipInvalid: true });
    Object.assign(pull, scopeFromLines(lines));
  }
  if (values.companies !== undefined) {
    pull.companies = values.companies.split(',').map((c) => c.trim()).filter(Boolean);
    if (!pull.companies.length) throw new UsageError('--companies needs at least one name or identifier');
  }

  // Ctrl-C ends the pull early but still writes what arrived, marked incomplete.
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let bundle;
  try {
    bundle = await pullBundle(client, { ...pull, signal: controller.signal });
  } catch (err) {
    return reportCwError('fetch', err);
  } finally {
    process.off('SIGINT', onSigint);
  }

  const text = `${JSON.stringify(bundle, null, 1)}\n`;
  if (values.out) await writeFile(values.out, text, 'utf8');
  else process.stdout.write(text);
  const summary = `${bundle.companies.length} companies, ${bundle.agreements.length} agreements, ${bundle.additions.length} additions, ${bundle.catalog?.length ?? 0} catalog items in ${client.stats.requests} requests`;
  if (bundle.complete) console.error(`recon fetch: ${summary}.`);
  else {
    const unread = bundle.incompleteAgreementIds?.length ? ` the Additions of ${bundle.incompleteAgreementIds.length} agreement(s) (${bundle.incompleteAgreementIds.slice(0, 10).join(', ')}${bundle.incompleteAgreementIds.length > 10 ? ', …' : ''}) could not be read` : ' part of the data could not be read';
    console.error(`recon fetch: INCOMPLETE: ${summary};${unread}. The bundle says "complete": false, so a reconciliation reports nothing missing there; fetch again to finish.`);
  }
  // Why parts were left unread (records lacking what reconciliation needs, lists cut short).
  const diagnostics = bundle.diagnostics ?? [];
  for (const d of diagnostics.slice(0, 10)) console.error(`recon fetch:   ${d.message}`);
  if (diagnostics.length > 10) console.error(`recon fetch:   … and ${diagnostics.length - 10} more (see "diagnostics" in the bundle).`);
  return 0;
};

export default fetchCommand;
