/**
 * Reads the CLI's input files: Platform lines from a CSV export or a saved invoices page, and
 * ConnectWise data from JSON bundles and saved Additions pages, merged into one bundle.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Window } from 'happy-dom';
import type { CwBundle, PlatformLine, ReconcileConfig, SkippedRow } from '../core/model';
import { cwBundleFromAdditionsPage, parseCwBundle, parseLinesCsv, scrapePage, type ScrapeResult } from '../core/ingest';
import { InputError } from '../core/shared/errors';
import { compactKey } from '../core/shared/text';

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`, { file: path });
  }
}

function looksLikeHtml(path: string, text: string): boolean {
  const ext = extname(path).toLowerCase();
  if (ext === '.html' || ext === '.htm' || ext === '.xhtml') return true;
  if (ext === '.csv' || ext === '.json' || ext === '.tsv' || ext === '.txt') return false;
  return /^\s*(<!--|<!doctype html|<html)/i.test(text.replace(/^\uFEFF/, ''));
}

/** Parses a saved page without running its scripts or fetching anything it links to. */
export async function scrapeHtml(html: string, opts: { url?: string; config?: ReconcileConfig } = {}): Promise<ScrapeResult> {
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

function problemsText(result: { diagnostics: { problems: string[] } }): string {
  return result.diagnostics.problems.join(' ');
}

export async function loadLines(
  path: string,
  config: ReconcileConfig,
  opts: { skipInvalid: boolean },
): Promise<{ lines: PlatformLine[]; skipped: SkippedRow[]; warnings: string[] }> {
  const text = await readText(path);
  if (!looksLikeHtml(path, text)) return parseLinesCsv(text, { file: path, config, skipInvalid: opts.skipInvalid });

  const result = await scrapeHtml(text, { config });
  if (result.screen !== 'platform-invoices') {
    throw new InputError(
      result.screen === 'unknown'
        ? `not a Platform invoices page: ${problemsText(result)}`
        : `this is a ${result.screen} page, not the Platform's Mapping → Invoices grid`,
      { file: path },
    );
  }
  const d = result.diagnostics;
  if (d.missingRequired.length) throw new InputError(problemsText(result), { file: path, field: d.missingRequired[0] });
  const skipped = result.skipped.map((s) => ({ ...s, file: path }));
  const first = skipped[0];
  if (first && !opts.skipInvalid) {
    throw new InputError(first.message.replace(/^[^:]*: /, ''), { file: path, row: first.row, field: first.column, value: first.value });
  }
  if (result.lines.length === 0) throw new InputError(`no invoice lines could be read: ${problemsText(result)}`, { file: path });
  const warnings = d.complete ? [] : d.problems.map((p) => `${path}: ${p}`);
  return { lines: result.lines, skipped, warnings };
}

interface Source {
  bundle: CwBundle;
  fromPage: boolean;
}

export async function loadCw(paths: string[], config: ReconcileConfig): Promise<CwBundle> {
  if (paths.length === 0) throw new InputError('no ConnectWise data given (--cw <bundle.json|additions page.html>)');
  const sources: Source[] = [];
  for (const path of paths) {
    const text = await readText(path);
    if (!looksLikeHtml(path, text)) {
      sources.push({ bundle: parseCwBundle(text, { file: path }), fromPage: false });
      continue;
    }
    const result = await scrapeHtml(text, { config });
    if (result.screen !== 'cw-additions') {
      throw new InputError(
        result.screen === 'unknown' ? `not a ConnectWise Additions page: ${problemsText(result)}` : `this is a ${result.screen} page, not a ConnectWise agreement's Additions tab`,
        { file: path },
      );
    }
    const d = result.diagnostics;
    if (d.missingRequired.length) throw new InputError(problemsText(result), { file: path, field: d.missingRequired[0] });
    // Dates readable in two orders would be guessed; the config's dateFormat settles it.
    const ambiguous = d.problems.find((p) => /config dateFormat/.test(p));
    if (ambiguous) throw new InputError(ambiguous, { file: path, field: 'Effective' });
    const bad = result.skipped[0];
    if (bad) throw new InputError(bad.message.replace(/^[^:]*: /, ''), { file: path, row: bad.row, field: bad.column, value: bad.value });
    if (!d.complete && result.additions.length === 0) throw new InputError(`no additions could be read: ${problemsText(result)}`, { file: path });
    sources.push({ bundle: cwBundleFromAdditionsPage(result), fromPage: true });
  }
  return mergeBundles(sources);
}

type WithId = { id: number };

function mergeById<T extends WithId>(target: Map<number, T>, items: readonly T[] | undefined): void {
  for (const item of items ?? []) {
    const existing = target.get(item.id);
    // The first source wins; a later one only fills fields the first did not have.
    target.set(item.id, existing ? { ...item, ...existing } : item);
  }
}

/**
 * JSON bundles first (they carry full objects), then pages; a page's company or agreement with a
 * synthetic id is folded into the bundle's object of the same identifier or name.
 */
export function mergeBundles(sources: Source[]): CwBundle {
  const ordered = [...sources.filter((s) => !s.fromPage), ...sources.filter((s) => s.fromPage)];
  const companies = new Map<number, CwBundle['companies'][number]>();
  const agreements = new Map<number, CwBundle['agreements'][number]>();
  const additions = new Map<number, CwBundle['additions'][number]>();
  const types = new Map<number, NonNullable<CwBundle['agreementTypes']>[number]>();
  const catalog = new Map<number, NonNullable<CwBundle['catalog']>[number]>();
  let complete = true;
  const incomplete = new Set<number>();
  let fetchedAt: string | undefined;

  for (const { bundle, fromPage } of ordered) {
    const companyIds = new Map<number, number>();
    const agreementIds = new Map<number, number>();
    if (fromPage) {
      for (const c of bundle.companies) {
        if (c.id >= 0) continue;
        const keys = [c.identifier, c.name].filter((k): k is string => Boolean(k)).map(compactKey);
        const same = [...companies.values()].find((k) => keys.some((key) => key === compactKey(k.identifier ?? '') || key === compactKey(k.name)));
        if (same) companyIds.set(c.id, same.id);
      }
      for (const a of bundle.agreements) {
        if (a.id >= 0) continue;
        const companyId = companyIds.get(a.company.id) ?? a.company.id;
        const same = [...agreements.values()].find((k) => k.company.id === companyId && compactKey(k.name) === compactKey(a.name));
        if (same) agreementIds.set(a.id, same.id);
      }
    }
    mergeById(
      companies,
      bundle.companies.filter((c) => !companyIds.has(c.id)),
    );
    mergeById(
      agreements,
      bundle.agreements
        .filter((a) => !agreementIds.has(a.id))
        .map((a) => (companyIds.has(a.company.id) ? { ...a, company: { ...a.company, id: companyIds.get(a.company.id) as number } } : a)),
    );
    mergeById(
      additions,
      bundle.additions.map((a) => (agreementIds.has(a.agreementId) ? { ...a, agreementId: agreementIds.get(a.agreementId) as number } : a)),
    );
    mergeById(types, bundle.agreementTypes);
    mergeById(catalog, bundle.catalog);
    if (bundle.complete === false) {
      complete = false;
      for (const id of bundle.incompleteAgreementIds ?? []) incomplete.add(agreementIds.get(id) ?? id);
    }
    fetchedAt = fetchedAt ?? bundle.fetchedAt;
  }
  const out: CwBundle = { companies: [...companies.values()], agreements: [...agreements.values()], additions: [...additions.values()] };
  if (types.size) out.agreementTypes = [...types.values()];
  if (catalog.size) out.catalog = [...catalog.values()];
  if (fetchedAt) out.fetchedAt = fetchedAt;
  if (!complete) {
    out.complete = false;
    if (incomplete.size) out.incompleteAgreementIds = [...incomplete].sort((a, b) => a - b);
  }
  return out;
}
