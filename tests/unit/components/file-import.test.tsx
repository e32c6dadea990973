// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeInput } from '../../../core/ingest/encoding';
import { parseCwBundle, parseLinesCsv, scrapePage } from '../../../core/ingest';
import type { PlatformLine } from '../../../core/model';
import type { FileCapture } from '../../../core/protocol/messages';
import { InputError } from '../../../core/shared/errors';
import { sourceStates } from '../../../core/sources';
import type { CaptureSummary } from '../../../components/api';
import { FileImport } from '../../../components/panel/FileImport';
import { createFileImportModel } from '../../../components/panel/file-import';
import { previewFiles, type FileInput } from '../../../components/panel/file-preview';
import { linesToCsv } from '../../sandbox/sites/platform/export';
import { seriousViolations } from './axe';
import { click, key, mount, settle } from './render';
import { workedMonth } from '../worked-month';

const fixtures = `${resolve(import.meta.dirname, '../../fixtures')}/`;
const { config, lines, read } = workedMonth();
const bundleText = read('cw.json');
const pageHtml = readFileSync(`${fixtures}pages/cw-additions-en-us.html`, 'utf8');
const badCsv = readFileSync(`${fixtures}csv/bad-rows.csv`, 'utf8');

const parseHtml = (html: string) => new DOMParser().parseFromString(html, 'text/html') as unknown as Document;
const utf8 = (name: string, text: string): FileInput => ({ name, bytes: new TextEncoder().encode(text) });
const months = [...new Set(lines.map((l) => l.invoiceDate.slice(0, 7)))].sort();
/** The Platform's own Export of one invoice month, as its grid's button downloads it. */
const exportOf = (m: string) => utf8(`invoice-lines-${m}.csv`, linesToCsv(lines.filter((l) => l.invoiceDate.startsWith(m))));
/** What the CLI's reader throws for a text, or null when it reads. */
function cliError(read: () => unknown): InputError {
  try {
    read();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('the reader accepted it');
}

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('files → preview', () => {
  it('reads the Platform export of each month into one lines capture with every line and month', () => {
    const p = previewFiles(months.map(exportOf), { config, parseHtml });
    expect(months.length).toBeGreaterThan(1);
    expect(p.problems).toEqual([]);
    expect(p.lines).toBe(lines.length);
    expect(p.months).toEqual(months);
    expect(p.files.map((f) => [f.name, f.kind, f.rows, f.months])).toEqual(
      months.map((m) => [`invoice-lines-${m}.csv`, 'lines', lines.filter((l) => l.invoiceDate.startsWith(m)).length, [m]]),
    );
    expect(p.captures).toHaveLength(1);
    const capture = p.captures[0] as Extract<FileCapture, { kind: 'lines' }>;
    expect(capture.files).toEqual(months.map((m) => `invoice-lines-${m}.csv`));
    // Line for line what the CLI's reader makes of each export.
    const cli = months.flatMap((m) => parseLinesCsv(new TextDecoder().decode(exportOf(m).bytes), { file: `invoice-lines-${m}.csv`, config }).lines);
    expect(capture.lines).toEqual(cli);
    expect(capture.lines.map((l) => l.lineId).sort()).toEqual(lines.map((l) => l.lineId).sort());
    expect(p.needsSkipConsent).toBe(false);
    expect(p.blocked).toBe(false);
  });

  it('reads a bundle file with the read state of every agreement, as the engine decides it', () => {
    const p = previewFiles([utf8('cw.json', bundleText)], { config, parseHtml });
    const bundle = parseCwBundle(bundleText);
    const states = sourceStates(bundle);
    expect(p.problems).toEqual([]);
    expect(p.captures).toEqual([{ kind: 'cw', file: 'cw.json', from: 'file', bundle }]);
    const [entry] = p.files;
    expect(entry!.kind).toBe('cw');
    expect(entry!.rows).toBe(bundle.additions.length);
    expect(new Map(entry!.agreements.map((a) => [a.id, a.state]))).toEqual(states);
    for (const a of entry!.agreements) expect(a.additions).toBe(bundle.additions.filter((x) => x.agreementId === a.id).length);
  });

  it('reads a saved Additions page as one agreement, read whole, with the page reader\'s Additions', () => {
    const p = previewFiles([utf8('additions.html', pageHtml)], { config, parseHtml });
    const scraped = scrapePage(parseHtml(pageHtml), { config });
    if (scraped.screen !== 'connectwise.additions') throw new Error(`the fixture reads as ${scraped.screen}`);
    expect(p.problems).toEqual([]);
    const [entry] = p.files;
    expect(entry!.what).toMatch(/saved page/);
    expect(entry!.rows).toBe(scraped.additions.length);
    expect(entry!.agreements).toEqual([
      { id: scraped.agreement!.id, name: scraped.agreement!.name, company: scraped.company!.name, state: 'read', additions: scraped.additions.length },
    ]);
    expect(p.captures[0]).toMatchObject({ kind: 'cw', from: 'page', file: 'additions.html' });
  });

  it('names every bad row by file, row, field and value, as the CLI does, and asks before storing the rest', () => {
    const p = previewFiles([utf8('bad-rows.csv', badCsv)], { config, parseHtml });
    const all = parseLinesCsv(badCsv, { file: 'bad-rows.csv', config, skipInvalid: true });
    expect(all.skipped.length).toBeGreaterThan(1);
    expect(p.problems.map((x) => [x.file, x.row, x.field, x.value])).toEqual(all.skipped.map((s) => ['bad-rows.csv', s.row, s.column, s.value]));
    // The first problem is word for word the error `recon reconcile` stops at.
    expect(p.problems[0]!.message).toBe(cliError(() => parseLinesCsv(badCsv, { file: 'bad-rows.csv', config })).message);
    expect(p.lines).toBe(all.lines.length);
    expect(p.needsSkipConsent).toBe(true);
    expect(p.captures[0]).toMatchObject({ kind: 'lines', skipped: all.skipped.map((s) => ({ ...s, file: 'bad-rows.csv' })) });
  });

  it('names a file that cannot be read with the reader\'s own error and stores the others', () => {
    const missingId = readFileSync(`${fixtures}bundles/missing-agreement-id.json`, 'utf8');
    const latin1 = new Uint8Array([...new TextEncoder().encode('Line ID,Organization\nL1,M'), 0xfc, ...new TextEncoder().encode('ller\n')]);
    const p = previewFiles(
      [utf8('broken.json', '{"companies": ['), utf8('missing.json', missingId), { name: 'latin1.csv', bytes: latin1 }, exportOf(months[0]!)],
      { config, parseHtml },
    );
    expect(p.files.map((f) => f.kind)).toEqual(['unreadable', 'unreadable', 'unreadable', 'lines']);
    expect(p.problems.map((x) => x.message)).toEqual([
      cliError(() => parseCwBundle('{"companies": [', { file: 'broken.json' })).message,
      cliError(() => parseCwBundle(missingId, { file: 'missing.json' })).message,
      cliError(() => decodeInput('latin1.csv', latin1)).message,
    ]);
    const missing = cliError(() => parseCwBundle(missingId, { file: 'missing.json' }));
    expect(p.problems[1]).toMatchObject({ file: 'missing.json', row: missing.row, field: missing.field });
    expect(p.captures.map((c) => c.kind)).toEqual(['lines']);
  });

  it('refuses to choose between two files that describe one line differently', () => {
    const first = lines.filter((l) => l.invoiceDate.startsWith(months[0]!));
    const changed: PlatformLine[] = [{ ...first[0]!, quantity: first[0]!.quantity + 1 }];
    const p = previewFiles([utf8('a.csv', linesToCsv(first)), utf8('b.csv', linesToCsv(changed))], { config, parseHtml });
    expect(p.blocked).toBe(true);
    expect(p.captures).toEqual([]);
    expect(p.problems).toEqual([
      expect.objectContaining({ file: 'b.csv', field: 'Line ID', value: first[0]!.lineId, message: expect.stringContaining('a.csv') as string }),
    ]);
    // The same line twice (overlapping exports) is one line, not a conflict.
    const same = previewFiles([utf8('a.csv', linesToCsv(first)), utf8('b.csv', linesToCsv(first.slice(0, 1)))], { config, parseHtml });
    expect(same.blocked).toBe(false);
    expect(same.lines).toBe(first.length);
  });
});

describe('file import model and view', () => {
  function setup() {
    const storedCalls: FileCapture[][] = [];
    const api = {
      readerConfig: async () => config,
      storeFiles: async (captures: FileCapture[]): Promise<CaptureSummary[]> => {
        storedCalls.push(captures);
        return captures.map((c, i) => ({
          id: `f${i}`,
          kind: c.kind === 'lines' ? ('platform' as const) : ('connectwise' as const),
          months: [],
          file: c.kind === 'lines' ? c.files.join(', ') : c.file,
          rows: c.kind === 'lines' ? c.lines.length : c.bundle.additions.length,
          skipped: 0,
          complete: true,
          createdAt: '2026-12-01T08:00:00.000Z',
        }));
      },
    };
    const stored: CaptureSummary[][] = [];
    const model = createFileImportModel(api, { parseHtml, loadPreview: async () => ({ previewFiles }), onStored: (s) => void stored.push(s) });
    const view = mount(<FileImport model={model} />);
    cleanup = view.unmount;
    const file = (i: FileInput) => ({ name: i.name, arrayBuffer: async () => i.bytes.slice().buffer });
    return { model, root: view.container, storedCalls, stored, file };
  }
  const q = (root: Element, id: string) => root.querySelector(`[data-testid="${id}"]`);
  const qa = (root: Element, id: string) => [...root.querySelectorAll(`[data-testid="${id}"]`)];

  it('shows what was read before anything is stored, stores it on Store, and is axe clean', async () => {
    const { model, root, storedCalls, stored, file } = setup();
    await model.read([...months.map(exportOf), utf8('cw.json', bundleText)].map(file));
    await settle();
    expect(storedCalls).toEqual([]);
    expect(qa(root, 'file-preview-entry').map((e) => [e.getAttribute('data-file'), e.getAttribute('data-kind')])).toEqual([
      ...months.map((m) => [`invoice-lines-${m}.csv`, 'lines']),
      ['cw.json', 'cw'],
    ]);
    expect(q(root, 'file-preview-summary')!.textContent).toContain(`${lines.length} Platform invoice lines (${months.join(', ')})`);
    expect(qa(root, 'file-agreement').length).toBe(sourceStates(parseCwBundle(bundleText)).size);
    // Focus moves to the preview, so a keyboard user lands on what was read.
    expect(document.activeElement?.id).toBe('file-preview-h');
    expect(await seriousViolations(root)).toEqual([]);
    await click(q(root, 'file-store'));
    expect(storedCalls).toHaveLength(1);
    expect(storedCalls[0]!.map((c) => c.kind)).toEqual(['lines', 'cw']);
    expect(stored).toHaveLength(1);
    expect(q(root, 'file-preview')).toBeNull();
  });

  it('lists bad rows with their file, row, field and value and stores only after the user agrees', async () => {
    const { model, root, storedCalls, file } = setup();
    await model.read([file(utf8('bad-rows.csv', badCsv))]);
    await settle();
    const all = parseLinesCsv(badCsv, { file: 'bad-rows.csv', config, skipInvalid: true });
    const items = qa(root, 'file-problem');
    expect(items.map((li) => [li.getAttribute('data-file'), li.getAttribute('data-row'), li.getAttribute('data-field'), li.getAttribute('data-value')])).toEqual(
      all.skipped.map((s) => ['bad-rows.csv', String(s.row), s.column ?? null, s.value ?? null]),
    );
    const store = q(root, 'file-store') as HTMLButtonElement;
    expect(store.disabled).toBe(true);
    await click(q(root, 'file-skip-consent'));
    expect((q(root, 'file-store') as HTMLButtonElement).disabled).toBe(false);
    expect(await seriousViolations(root)).toEqual([]);
    await click(q(root, 'file-store'));
    expect(storedCalls[0]![0]).toMatchObject({ kind: 'lines', skipped: all.skipped.map((s) => ({ ...s, file: 'bad-rows.csv' })) });
  });

  it('Cancel and Escape drop the preview without storing anything', async () => {
    const { model, root, storedCalls, file } = setup();
    await model.read([file(exportOf(months[0]!))]);
    await settle();
    await click(q(root, 'file-cancel'));
    expect(q(root, 'file-preview')).toBeNull();
    await model.read([file(exportOf(months[0]!))]);
    await settle();
    await key(q(root, 'file-preview')!, 'Escape');
    await settle();
    expect(q(root, 'file-preview')).toBeNull();
    expect(model.state.value).toBe('idle');
    expect(storedCalls).toEqual([]);
  });
});
