/**
 * `recon`: the engine over files (DESIGN §4.5). Thin: each subcommand lives in bin/commands/ and
 * returns an exit code; input problems surface as InputError and exit 2.
 */
import { InputError } from '../core/shared/errors';
import { stripControls } from '../core/shared/text';
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

/** An argument as typed, cut to a readable length and without terminal controls. */
function quoteArg(text: string): string {
  const clean = stripControls(text);
  return JSON.stringify(clean.length > 80 ? `${clean.slice(0, 80)}…` : clean);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  // Own keys only: `__proto__`, `constructor` or `toString` are not commands either.
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    console.error(`recon: unknown command ${quoteArg(name)}\n\n${usage()}`);
    return 2;
  }
  const command = (await entry.load()).default;
  try {
    return await command(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`recon ${name}: ${stripControls(err.message)}\nRun 'recon ${name} --help' for usage.`);
      return 2;
    }
    if (err instanceof InputError) {
      console.error(`recon ${name}: ${stripControls(err.message)}`);
      return 2;
    }
    // A file the system refused (permissions, a missing folder): the user's to fix, not a crash.
    const fsError = err as NodeJS.ErrnoException;
    if (fsError && typeof fsError.code === 'string' && typeof fsError.path === 'string') {
      console.error(`recon ${name}: ${stripControls(fsError.path)}: cannot ${fsError.syscall === 'open' || fsError.syscall === 'write' ? 'write or read' : 'use'} the file (${fsError.code})`);
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
