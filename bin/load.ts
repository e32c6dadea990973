/**
 * Reads the CLI's input files: Platform lines from a CSV export or a saved invoices page, and
 * ConnectWise data from JSON bundles and saved Additions pages, merged into one bundle.
 */
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import type { CwBundle, PlatformLine, ReconcileConfig, SkippedRow } from '../core/model';
import { parseCwBundle, parseLinesCsv, readLinesCsv, scrapePage, type ScrapeResult } from '../core/ingest';
import { bundleFromPage, linesFromPage, looksLikeHtml } from '../core/ingest/files';
import { InputError } from '../core/shared/errors';
import { checkHtmlDepth, createInputDecoder, readInputFile } from './input';
import { mergeSources, type CwSource } from '../core/sources';

/** Whole-file reads check the encoding first (bin/input.ts): UTF-16 and Latin-1 are named, not garbled. */
const readText = readInputFile;

/**
 * A file's text in pieces of about a megabyte, UTF-8 decoded across piece boundaries, so a large
 * export is read while it streams in instead of being held whole (as bytes and as text) first.
 */
async function* textPieces(path: string): AsyncGenerator<string> {
  // Encoding checked as it streams (bin/input.ts): UTF-16 and Latin-1 are named, not garbled.
  const decoder = createInputDecoder(path);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) yield decoder.write(chunk as Buffer);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`, { file: path });
  } finally {
    stream.destroy();
  }
  yield decoder.end();
}

// Extensions that are never a saved page: read as CSV straight from the stream.
const CSV_EXTENSIONS = new Set(['.csv', '.tsv', '.txt']);

/** Parses a saved page without running its scripts or fetching anything it links to. */
export async function scrapeHtml(html: string, opts: { url?: string; config?: ReconcileConfig; file?: string } = {}): Promise<ScrapeResult> {
  // Refused before parsing: the DOM library's selector matching recurses once per nesting level.
  checkHtmlDepth(opts.file ?? 'the page', html);
  // Loaded only for pages: the DOM is most of the CLI's start-up, and CSV and JSON need none of it.
  const { Window } = await import('happy-dom');
  const window = new Window({
    settings: {
      disableJavaScriptFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
    },
  });
  try {
    const doc = new window.DOMParser().parseFromString(html.replace(/^\uFEFF/, ''), 'text/html');
    return scrapePage(doc as unknown as Document, opts);
  } finally {
    await window.happyDOM.close();
  }
}

export async function loadLines(
  path: string,
  config: ReconcileConfig,
  opts: { skipInvalid: boolean },
): Promise<{ lines: PlatformLine[]; skipped: SkippedRow[]; warnings: string[]; uniqueIds?: boolean }> {
  if (CSV_EXTENSIONS.has(extname(path).toLowerCase())) return readLinesCsv(textPieces(path), { file: path, config, skipInvalid: opts.skipInvalid });
  const text = await readText(path);
  if (!looksLikeHtml(path, text)) return parseLinesCsv(text, { file: path, config, skipInvalid: opts.skipInvalid });

  // The checks every path makes on a saved page (core/ingest/files.ts): the panel makes them too.
  return linesFromPage(await scrapeHtml(text, { config, file: path }), path, opts);
}

export async function loadCw(paths: string[], config: ReconcileConfig): Promise<CwBundle> {
  if (paths.length === 0) throw new InputError('no ConnectWise data given (--cw <bundle.json|additions page.html>)');
  const sources: CwSource[] = [];
  for (const path of paths) {
    const text = await readText(path);
    if (!looksLikeHtml(path, text)) {
      sources.push({ kind: 'file', bundle: parseCwBundle(text, { file: path }), label: path });
      continue;
    }
    const result = await scrapeHtml(text, { config, file: path });
    sources.push({ kind: 'page', bundle: bundleFromPage(result, path), label: path });
  }
  // Every source in one working set, by the one rule the extension uses too (core/sources).
  return mergeSources(sources).bundle;
}
