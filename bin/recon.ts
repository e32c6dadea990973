/**
 * `recon`: the engine over files (DESIGN §4.5). Thin: each subcommand lives in bin/commands/ and
 * returns an exit code; input problems surface as InputError and exit 2.
 */
import { InputError } from '../core/shared/errors';
import { UsageError, type Command } from './args';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ default: Command }> }> = {
  reconcile: { summary: 'reconcile Platform lines against ConnectWise data and print the report', load: () => import('./commands/reconcile') },
  scrape: { summary: 'print what the extension would capture from a saved page, as JSON', load: () => import('./commands/scrape') },
  fetch: { summary: 'pull a ConnectWise bundle through the REST API', load: () => import('./commands/fetch') },
  health: { summary: 'check the ConnectWise setup the Platform integration relies on', load: () => import('./commands/health') },
  invoicing: { summary: 'list agreements to invoice for a Thru Date and what blocks them', load: () => import('./commands/invoicing') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: npm run --silent recon -- <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'recon <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`recon: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = (await entry.load()).default;
  try {
    return await command(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`recon ${name}: ${err.message}\nRun 'recon ${name} --help' for usage.`);
      return 2;
    }
    if (err instanceof InputError) {
      console.error(`recon ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`recon: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
