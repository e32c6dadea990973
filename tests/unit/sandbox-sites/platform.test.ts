import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseLinesCsv } from '../../../core/ingest/csv';
import { readPlatformGrid } from '../../../core/ingest/platform-grid';
import { scrapePage } from '../../../core/ingest/page';
import { readPlatformOrganizations, readPlatformProducts } from '../../../core/ingest/platform-tabs';
import type { PlatformLine } from '../../../core/model';
import { generateScenario } from '../../generator';
import { comparable, exampleMonth, livePage, parsePage, serveSites, type Served } from './helpers';

// Each test walks every page or agreement of a data set; a busy shared machine needs the room.
vi.setConfig({ testTimeout: 120_000 });

const ORIGIN = 'https://demo.rethinkportal.com';
const HOST = 'demo.rethinkportal.com';

const months = (lines: PlatformLine[]) => [...new Set(lines.map((l) => l.invoiceDate.slice(0, 7)))].sort();
const ofMonth = (lines: PlatformLine[], month: string) => lines.filter((l) => l.invoiceDate.startsWith(month));

const DATA_SETS = [
  ['the example month', exampleMonth],
  ['a generated scenario (seed 11, all faults)', () => generateScenario({ seed: 11, faults: 'all' })],
  ['a generated scenario (seed 4242)', () => generateScenario({ seed: 4242, organizations: 20 })],
] as const;

describe.each(DATA_SETS)('Platform look-alike over %s', (_name, load) => {
  const data = load();
  let served: Served;
  beforeAll(async () => {
    served = await serveSites({ lines: data.lines, bundle: data.bundle });
  });
  afterAll(() => served.close());

  async function page(path: string): Promise<Document> {
    const reply = await served.get(path, HOST);
    expect(reply.status, path).toBe(200);
    return parsePage(reply.body, ORIGIN + path);
  }

  it.each(['table', 'aria', 'aggrid'])('reads back exactly the seeded lines of every month, page by page (%s)', async (layout) => {
    for (const month of months(data.lines)) {
      const read: PlatformLine[] = [];
      const first = await page(`/mapping/invoices?month=${month}&layout=${layout}`);
      expect(scrapePage(first, { url: `${ORIGIN}/mapping/invoices` }).screen).toBe('platform.invoices');
      const indicator = /Page 1 of (\d+)/.exec(first.querySelector('.px-page-indicator')?.textContent ?? '');
      const pages = Number(indicator?.[1]);
      expect(pages).toBe(Math.ceil(ofMonth(data.lines, month).length / 25));
      for (let p = 1; p <= pages; p++) {
        const doc = p === 1 ? first : await page(`/mapping/invoices?month=${month}&layout=${layout}&page=${p}`);
        const result = readPlatformGrid(doc);
        expect(result.skipped).toEqual([]);
        expect(result.diagnostics.layout).toBe(layout);
        expect(result.diagnostics.totalShown).toBe(ofMonth(data.lines, month).length);
        read.push(...result.lines);
      }
      expect(read.map(comparable)).toEqual(ofMonth(data.lines, month).map(comparable));
    }
  });

  it('shows DD.MM.YYYY dates when asked and they still read back as the same lines', async () => {
    const month = months(data.lines).at(-1) as string;
    const doc = await page(`/mapping/invoices?month=${month}&dates=dmy&pageSize=1000`);
    expect(doc.querySelector('td[data-col="invoiceDate"]')?.textContent).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    expect(readPlatformGrid(doc).lines.map(comparable)).toEqual(ofMonth(data.lines, month).map(comparable));
  });

  it('exports the month as a CSV the CSV reader turns back into the seeded lines', async () => {
    for (const month of months(data.lines)) {
      const reply = await served.get(`/mapping/invoices/export.csv?month=${month}`, HOST);
      expect(reply.headers['content-type']).toContain('text/csv');
      expect(reply.headers['content-disposition']).toContain(`invoice-lines-${month}.csv`);
      const parsed = parseLinesCsv(reply.body, { file: 'export.csv' });
      expect(parsed.lines.map(comparable)).toEqual(ofMonth(data.lines, month).map(comparable));
    }
  });

  it('lists each organization once on the Organizations tab with its mapping', async () => {
    const doc = await page('/mapping/organizations?pageSize=1000');
    expect(scrapePage(doc, { url: `${ORIGIN}/mapping/organizations` }).screen).toBe('platform.organizations');
    const rows = readPlatformOrganizations(doc).rows;
    const expected = new Map<string, PlatformLine[]>();
    for (const l of data.lines) expected.set(l.organization, [...(expected.get(l.organization) ?? []), l]);
    expect(rows.map((r) => r.organization).sort()).toEqual([...expected.keys()].sort());
    for (const r of rows) {
      const group = expected.get(r.organization) as PlatformLine[];
      expect(r.organizationRef).toBe(group[0]?.organizationRef);
      expect(r.excluded).toBe(group.every((l) => l.excluded));
      const names = group.map((l) => l.psaOrganizationName).filter(Boolean);
      if (names.length === 0) expect(r.psaOrganizationName).toBeUndefined();
      else expect(names).toContain(r.psaOrganizationName);
    }
  });

  it('lists each offer once on the Products tab with its catalog item', async () => {
    const doc = await page('/mapping/products?layout=aria&pageSize=1000');
    expect(scrapePage(doc, { url: `${ORIGIN}/mapping/products` }).screen).toBe('platform.products');
    const rows = readPlatformProducts(doc).rows;
    const offers = [...new Set(data.lines.map((l) => l.offer).filter((o): o is string => Boolean(o)))];
    expect(rows.map((r) => r.offer).sort()).toEqual(offers.sort());
    for (const r of rows) {
      const names = data.lines.filter((l) => l.offer === r.offer).map((l) => l.psaProductName).filter(Boolean);
      if (names.length === 0) expect(r.psaProductName).toBeUndefined();
      else expect(names).toContain(r.psaProductName);
    }
  });
});

describe('Platform look-alike in a running page', () => {
  const data = generateScenario({ seed: 5, organizations: 30 });
  const month = months(data.lines).at(-1) as string;
  const seeded = ofMonth(data.lines, month);
  let served: Served;
  beforeAll(async () => {
    served = await serveSites({ lines: data.lines, bundle: data.bundle });
  });
  afterAll(() => served.close());

  async function open(query: string) {
    const path = `/mapping/invoices?month=${month}${query}`;
    const reply = await served.get(path, HOST);
    return livePage(reply.body, ORIGIN + path);
  }

  it('pages with Next and Prev without reloading, and the pages together hold every line', async () => {
    expect(seeded.length).toBeGreaterThan(50);
    const page = await open('&layout=aggrid');
    try {
      const doc = page.document;
      const pages = Math.ceil(seeded.length / 25);
      const read: PlatformLine[] = [];
      for (let p = 1; p <= pages; p++) {
        expect(doc.querySelector('.px-page-indicator')?.textContent).toBe(`Page ${p} of ${pages}`);
        expect(doc.querySelector('.px-total')?.textContent).toBe(`${seeded.length} lines`);
        read.push(...readPlatformGrid(doc).lines);
        (doc.querySelector('button[data-act="next"]') as HTMLButtonElement).click();
      }
      expect(read.map(comparable)).toEqual(seeded.map(comparable));
      expect(page.window.location.search).toContain(`page=${pages}`);
      (doc.querySelector('button[data-act="prev"]') as HTMLButtonElement).click();
      expect(doc.querySelector('.px-page-indicator')?.textContent).toBe(`Page ${pages - 1} of ${pages}`);
    } finally {
      await page.close();
    }
  });

  it('hides and restores columns from the Columns menu', async () => {
    const page = await open('');
    try {
      const doc = page.document;
      (doc.getElementById('px-columns-toggle') as HTMLButtonElement).click();
      expect(doc.getElementById('px-columns-menu')?.hasAttribute('hidden')).toBe(false);
      const box = doc.querySelector('#px-columns-menu input[data-col="cost"]') as HTMLInputElement;
      box.checked = false;
      box.dispatchEvent(new page.window.Event('change', { bubbles: true }) as unknown as Event);
      const headers = [...doc.querySelectorAll('#px-grid-area th')].map((th) => th.textContent);
      expect(headers).not.toContain('Cost');
      expect(readPlatformGrid(doc).lines.every((l) => l.cost === undefined)).toBe(true);
      expect(page.window.location.search).toContain('hide=cost');
      (doc.getElementById('px-columns-reset') as HTMLButtonElement).click();
      expect([...doc.querySelectorAll('#px-grid-area th')].map((th) => th.textContent)).toContain('Cost');
    } finally {
      await page.close();
    }
  });

  it('keeps only a window of rows in the virtual layout and recycles them while scrolling', async () => {
    const page = await open('&layout=virtual');
    try {
      const doc = page.document;
      const viewport = doc.querySelector('.ag-body-viewport') as HTMLElement;
      const rowHeight = 32;
      const seen = new Map<string, PlatformLine>();
      let maxRows = 0;
      for (let top = 0; top <= seeded.length * rowHeight; top += rowHeight * 12) {
        viewport.scrollTop = top;
        viewport.dispatchEvent(new page.window.Event('scroll') as unknown as Event);
        maxRows = Math.max(maxRows, doc.querySelectorAll('.ag-row').length);
        for (const line of readPlatformGrid(doc).lines) seen.set(line.lineId, line);
      }
      expect(maxRows).toBeLessThanOrEqual(30);
      expect(doc.querySelector('.px-total')?.textContent).toBe(`${seeded.length} lines`);
      const ordered = [...seen.values()].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
      expect(ordered.map(comparable)).toEqual(seeded.map(comparable));
    } finally {
      await page.close();
    }
  });
});

describe('Platform look-alike without lines', () => {
  it.each(['table', 'aria', 'aggrid', 'virtual'])('shows an empty Invoices grid (%s) that no reader mistakes for a clean capture', async (layout) => {
    const served = await serveSites({ lines: [], bundle: exampleMonth().bundle });
    try {
      const reply = await served.get(`/platform/mapping/invoices?month=2026-11&layout=${layout}`);
      expect(reply.status).toBe(200);
      const doc = parsePage(reply.body, `${ORIGIN}/mapping/invoices?month=2026-11`);
      expect(doc.querySelector('.px-empty')?.textContent).toBe('No lines for this period.');
      expect(doc.querySelector('.px-total')?.textContent).toBe('0 lines');
      const result = readPlatformGrid(doc);
      expect(result.lines).toEqual([]);
      expect(result.diagnostics.found).toBe(true);
      expect(result.diagnostics.problems.join(' ')).toMatch(/empty/i);
    } finally {
      await served.close();
    }
  });
});
