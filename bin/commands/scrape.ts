/**
 * `recon scrape <page.html> [--url U] [--config f]`: what the extension would capture from a
 * saved page, as JSON. Exit 2 when the page holds no grid the readers recognise.
 */
import { parseCommandArgs, UsageError, type Command } from '../args';
import { readConfigFile } from '../config';
import { readInputFile } from '../input';
import { scrapeHtml } from '../load';

const HELP = `Usage: npm run --silent recon -- scrape <page.html> [--url <address>] [--config <config.json>]

Reads a saved page (Platform Mapping → Invoices, Organizations or Products; ConnectWise
agreement → Additions) and prints what would be captured as JSON: the screen, its rows and the
reader's diagnostics (columns found, required columns missing, rows read vs the grid's total).

Options:
  --url <address>    the page's address, when the saved file does not carry it (a ConnectWise
                     address gives the agreement's record id and the user's locale)
  --config <file>    config JSON (dateFormat, decimalSeparator are used here)
  -h, --help         show this help

Exit codes: 0 when a grid was read; 2 when the page has no recognisable grid or bad usage.`;

const scrape: Command = async (argv) => {
  const { values, positionals } = parseCommandArgs(argv, {
    url: { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('give the saved page to read: recon scrape <page.html>');
  if (extra.length) throw new UsageError(`one page at a time (unexpected ${extra.join(' ')})`);
  const html = await readInputFile(file);
  const config = values.config ? await readConfigFile(values.config) : {};
  const result = await scrapeHtml(html, { config, file, ...(values.url ? { url: values.url } : {}) });
  console.log(JSON.stringify(result, null, 2));
  if (result.screen === 'none' || !result.diagnostics.found) {
    console.error(`recon scrape: ${file}: ${result.diagnostics.problems.join(' ')}`);
    return 2;
  }
  return 0;
};

export default scrape;
