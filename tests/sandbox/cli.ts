/**
 * `npm run sandbox -- --bundle <cw.json> [--lines <csv>] [--port N] [credentials] [--scenario SEED]`
 * Serves the local ConnectWise API (and the look-alike sites) over given files or a generated
 * scenario until stopped, and prints where and with which credentials.
 */
import { parseArgs } from 'node:util';
import type { CwBundle, PlatformLine, ReconcileConfig } from '../../core/model';
import { InputError } from '../../core/shared/errors';
import { loadCw, loadLines } from '../../bin/load';
import { generateScenario } from '../generator/index';
import { DEFAULT_CREDENTIALS, startSandbox, type CwCredentials } from './server';
import { generateCert } from './tls';

const HELP = `Usage: npm run sandbox -- (--bundle <cw.json> [--lines <csv>] | --scenario <seed>) [options]

  --bundle <file>        ConnectWise bundle JSON (or a saved Additions page) to serve
  --lines <file>         Platform lines (CSV export or saved page) for the look-alike Platform
  --scenario <seed>      serve a generated scenario instead (with every plantable fault unless
                         --faults none)
  --faults <all|none>    for --scenario (default all)
  --port <n>             default: a free port
  --host <addr>          default 127.0.0.1
  --tls <host,...>       serve https with a self-signed certificate for these names
  --company <id> --public-key <k> --private-key <k> --client-id <id>
                         the credentials the API accepts (default: the sandbox's own, printed)
  --latency <ms>         added to every API answer`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      bundle: { type: 'string' },
      lines: { type: 'string' },
      scenario: { type: 'string' },
      faults: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      tls: { type: 'string' },
      company: { type: 'string' },
      'public-key': { type: 'string' },
      'private-key': { type: 'string' },
      'client-id': { type: 'string' },
      latency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  let bundle: CwBundle;
  let lines: PlatformLine[] = [];
  const config: ReconcileConfig = {};
  if (values.scenario !== undefined) {
    const seed = Number(values.scenario);
    if (!Number.isInteger(seed)) throw new InputError('--scenario needs an integer seed', { value: values.scenario });
    const faults = values.faults ?? 'all';
    if (faults !== 'all' && faults !== 'none') throw new InputError('--faults must be all or none', { value: faults });
    const scenario = generateScenario({ seed, faults });
    bundle = scenario.bundle;
    lines = scenario.lines;
  } else if (values.bundle) {
    bundle = await loadCw([values.bundle], config);
    if (values.lines) lines = (await loadLines(values.lines, config, { skipInvalid: false })).lines;
  } else {
    console.error(`sandbox: give --bundle <cw.json> or --scenario <seed>\n\n${HELP}`);
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError('--port must be 0-65535', { value: values.port });
  const latency = values.latency === undefined ? 0 : Number(values.latency);

  const given = values.company ?? values['public-key'] ?? values['private-key'] ?? values['client-id'];
  const credentials: CwCredentials = {
    companyId: values.company ?? DEFAULT_CREDENTIALS.companyId,
    publicKey: values['public-key'] ?? DEFAULT_CREDENTIALS.publicKey,
    privateKey: values['private-key'] ?? DEFAULT_CREDENTIALS.privateKey,
    clientId: values['client-id'] ?? DEFAULT_CREDENTIALS.clientId,
  };
  const tlsHosts = values.tls?.split(',').map((h) => h.trim()).filter(Boolean);
  const tls = tlsHosts?.length ? await generateCert(tlsHosts) : undefined;
  const sandbox = await startSandbox({ bundle, lines, port, host: values.host, credentials, tls, faults: latency ? { latencyMs: latency } : undefined });

  // The private key is shown only when it is the sandbox's own default; a key someone typed in
  // is theirs, and is never echoed.
  const shownKey = values['private-key'] === undefined ? credentials.privateKey : '(as given with --private-key)';
  console.log(`Local ConnectWise sandbox: ${sandbox.url}`);
  console.log(`  REST API base: ${sandbox.apiBase}`);
  console.log(`  data: ${bundle.companies.length} companies, ${bundle.agreements.length} agreements, ${bundle.additions.length} additions; ${lines.length} Platform lines`);
  console.log(`  company ID: ${credentials.companyId}`);
  console.log(`  public key: ${credentials.publicKey}`);
  console.log(`  private key: ${shownKey}`);
  console.log(`  clientId: ${credentials.clientId}`);
  if (!given) {
    console.log(`Try: CW_PRIVATE_KEY=${credentials.privateKey} npm run --silent recon -- fetch --site ${sandbox.url} --company ${credentials.companyId} --public-key ${credentials.publicKey} --private-key-env CW_PRIVATE_KEY --client-id ${credentials.clientId}`);
  }
  console.log('Press Ctrl-C to stop.');

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
