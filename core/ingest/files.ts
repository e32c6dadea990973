/**
 * A file handed in by the user (the CLI's `--lines` / `--cw`, the side panel's file picker), read
 * by the readers of this folder with the same checks and the same named errors on every path:
 * the Platform's CSV export, a saved Platform invoices page, a ConnectWise bundle (JSON) or a
 * saved ConnectWise Additions page. Pages need a DOM; the caller passes the parser in (happy-dom
 * in Node, the browser's DOMParser in the panel), so this stays free of DOM globals.
 */
import type { CwBundle, PlatformLine, ReconcileConfig, SkippedRow } from '../model';
import { InputError } from '../shared/errors';
import { parseCwBundle } from './bundle';
import { parseLinesCsv } from './csv';
import { cwBundleFromAdditionsPage, GRID_SCREEN_WORDS, scrapePage, type ScrapeResult } from './page';

/** Turns a page's HTML into a document without running its scripts. */
export type ParseHtml = (html: string) => Document;

const HTML_EXTENSIONS = new Set(['html', 'htm', 'xhtml']);
const NOT_HTML_EXTENSIONS = new Set(['csv', 'json', 'tsv', 'txt']);

function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** By the file's extension first; a file without a telling one, by how its text starts. */
export function looksLikeHtml(name: string, text: string): boolean {
  const ext = extensionOf(name);
  if (HTML_EXTENSIONS.has(ext)) return true;
  if (NOT_HTML_EXTENSIONS.has(ext)) return false;
  return /^\s*(<!--|<!doctype html|<html)/i.test(text.replace(/^\uFEFF/, ''));
}

function looksLikeJson(name: string, text: string): boolean {
  const ext = extensionOf(name);
  if (ext === 'json') return true;
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return false;
  return /^\s*\{/.test(text.replace(/^\uFEFF/, ''));
}

function problemsText(result: { diagnostics: { problems: string[] } }): string {
  return result.diagnostics.problems.join(' ');
}

/** Lines read from a file: every usable line, the rows left out, and whether the source was whole. */
export interface LinesRead {
  lines: PlatformLine[];
  skipped: SkippedRow[];
  warnings: string[];
}

/**
 * The invoice lines of a scraped saved page, or the error the CLI gives for it: another screen,
 * a missing required column, a bad row (unless `skipInvalid`), or no line at all.
 */
export function linesFromPage(result: ScrapeResult, file: string, opts: { skipInvalid: boolean }): LinesRead {
  if (result.screen !== 'platform.invoices') {
    throw new InputError(
      result.screen === 'none'
        ? `not a Platform invoices page: ${problemsText(result)}`
        : `this is ${GRID_SCREEN_WORDS[result.screen]}, not the Platform's Mapping → Invoices grid`,
      { file },
    );
  }
  const d = result.diagnostics;
  if (d.missingRequired.length) throw new InputError(problemsText(result), { file, field: d.missingRequired[0] });
  const skipped = result.skipped.map((s) => ({ ...s, file }));
  const first = skipped[0];
  if (first && !opts.skipInvalid) {
    throw new InputError(first.message.replace(/^[^:]*: /, ''), { file, row: first.row, field: first.column, value: first.value });
  }
  if (result.lines.length === 0) throw new InputError(`no invoice lines could be read: ${problemsText(result)}`, { file });
  const warnings = d.complete ? [] : d.problems.map((p) => `${file}: ${p}`);
  return { lines: result.lines, skipped, warnings };
}

/**
 * The one-agreement bundle of a scraped saved Additions page, or the error the CLI gives for it:
 * another screen, a missing column, dates readable in two orders, a bad row, or nothing read.
 */
export function bundleFromPage(result: ScrapeResult, file: string): CwBundle {
  if (result.screen !== 'connectwise.additions') {
    throw new InputError(
      result.screen === 'none' ? `not a ConnectWise Additions page: ${problemsText(result)}` : `this is ${GRID_SCREEN_WORDS[result.screen]}, not a ConnectWise agreement's Additions tab`,
      { file },
    );
  }
  const d = result.diagnostics;
  if (d.missingRequired.length) throw new InputError(problemsText(result), { file, field: d.missingRequired[0] });
  // Dates readable in two orders would be guessed; the config's dateFormat settles it.
  const ambiguous = d.problems.find((p) => /config dateFormat/.test(p));
  if (ambiguous) throw new InputError(ambiguous, { file, field: 'Effective' });
  const bad = result.skipped[0];
  if (bad) throw new InputError(bad.message.replace(/^[^:]*: /, ''), { file, row: bad.row, field: bad.column, value: bad.value });
  if (!d.complete && result.additions.length === 0) throw new InputError(`no additions could be read: ${problemsText(result)}`, { file });
  return cwBundleFromAdditionsPage(result, { page: file });
}

/** What one file turned out to be, read whole. */
export type FileRead =
  | ({ kind: 'lines'; file: string; from: 'csv' | 'page'; complete: boolean } & LinesRead)
  | { kind: 'cw'; file: string; from: 'file' | 'page'; bundle: CwBundle };

/**
 * Reads a file whose kind the user did not say (a file picked or dropped in the panel): a bundle
 * when it is JSON, a saved page (Platform invoices or ConnectWise Additions, told apart by its
 * grid) when it is HTML, the Platform's CSV export otherwise. Throws the readers' InputError.
 */
export function readAnyFile(
  file: string,
  text: string,
  opts: { config?: ReconcileConfig; parseHtml: ParseHtml; skipInvalid?: boolean },
): FileRead {
  const skipInvalid = opts.skipInvalid ?? false;
  if (looksLikeHtml(file, text)) {
    const result = scrapePage(opts.parseHtml(text.replace(/^\uFEFF/, '')), { config: opts.config });
    if (result.screen === 'connectwise.additions') return { kind: 'cw', file, from: 'page', bundle: bundleFromPage(result, file) };
    if (result.screen === 'none') {
      throw new InputError(`not a Platform invoices page nor a ConnectWise Additions page: ${problemsText(result)}`, { file });
    }
    const read = linesFromPage(result, file, { skipInvalid });
    return { kind: 'lines', file, from: 'page', complete: read.warnings.length === 0, ...read };
  }
  if (looksLikeJson(file, text)) return { kind: 'cw', file, from: 'file', bundle: parseCwBundle(text, { file }) };
  const read = parseLinesCsv(text, { file, config: opts.config, skipInvalid });
  return { kind: 'lines', file, from: 'csv', complete: true, ...read };
}
