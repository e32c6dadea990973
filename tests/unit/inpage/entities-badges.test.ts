// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOST_TAG, startInPageHelp, type AdditionVerdict, type InPageHelp } from '../../../components/inpage';
import { badgeLabel } from '../../../components/inpage/badges';
import { cwRowRecordId as recordIdOf } from '../../../core/sites/connectwise';
import { columnHeaderOf } from '../../../components/inpage/entities';
import { verdictsForAgreement } from '../../../core/app/verdicts';
import { REPORT_SCHEMA, type Report } from '../../../core/model';
import { gwtGrid, hover, shadow, visibleTooltipText } from './helpers';

let help: InPageHelp | undefined;

afterEach(() => {
  help?.stop();
  help = undefined;
  document.body.innerHTML = '';
});

const ROWS = [
  { id: 50011, product: 'ADOBE-CC', company: 'Bluebird AB', description: 'Monthly subscription' },
  { id: 50012, product: 'M365-BP', company: 'Delta Oy', description: 'Correction' },
  { id: 50013, product: 'VISIO-P2', company: 'Kestrel Inc', description: 'One Time Fee' },
  { id: 50014, product: 'EXO-P1', company: 'Kestrel Inc', description: 'Cycle Fee' },
];

function cell(row: number, index: number): HTMLElement {
  return document.querySelectorAll('tr.cw-ml-row')[row]!.querySelector<HTMLElement>(`td[cellindex="${index}"]`)!;
}

function badges(): HTMLButtonElement[] {
  return Array.from(shadow()?.querySelectorAll<HTMLButtonElement>('.badge') ?? []);
}

const flushPromises = () => new Promise((r) => setTimeout(r, 0));

describe('column headers', () => {
  it('reads a GWT grid’s header strip, a table’s thead and an ARIA grid’s column headers', () => {
    document.body.innerHTML = `${gwtGrid(ROWS)}
      <table id="t"><thead><tr><th>Organization</th><th colspan="2">Offer</th><th>Quantity</th></tr></thead>
        <tbody><tr><td>Contoso</td><td>a</td><td>b</td><td>3</td></tr></tbody></table>
      <div role="grid"><div role="row"><div role="columnheader" aria-colindex="1">Offer</div></div>
        <div role="row"><div role="gridcell" aria-colindex="1">Visio Plan 2</div></div></div>`;
    expect(columnHeaderOf(cell(0, 2))).toBe('Product ID');
    expect(columnHeaderOf(cell(1, 3))).toBe('Company');
    const tds = document.querySelectorAll('#t tbody td');
    expect(columnHeaderOf(tds[0]!)).toBe('Organization');
    expect(columnHeaderOf(tds[2]!)).toBe('Offer');
    expect(columnHeaderOf(tds[3]!)).toBe('Quantity');
    expect(columnHeaderOf(document.querySelector('[role=gridcell]')!)).toBe('Offer');
  });
});

describe('entity tooltips', () => {
  it('show the Platform organizations a ConnectWise company maps to', async () => {
    document.body.innerHTML = gwtGrid(ROWS);
    const lookupEntity = vi.fn(async (kind: string, name: string) => (kind === 'organization' && name === 'Delta Oy' ? ['Delta Oy', 'Delta Oy (Finland)'] : []));
    help = startInPageHelp({ doc: document, site: 'connectwise', lookupEntity, hoverDelayMs: 0 });
    hover(cell(1, 3));
    expect(lookupEntity).toHaveBeenCalledWith('organization', 'Delta Oy');
    expect(visibleTooltipText()).toContain('Looking up');
    await flushPromises();
    expect(visibleTooltipText()).toContain('Mapped to Platform organizations: Delta Oy, Delta Oy (Finland)');
  });

  it('say so when a product is unmapped and offer to map it', async () => {
    document.body.innerHTML = gwtGrid(ROWS);
    const onMapRequest = vi.fn();
    help = startInPageHelp({ doc: document, site: 'connectwise', lookupEntity: async () => [], onMapRequest, hoverDelayMs: 0 });
    hover(cell(2, 2).querySelector('a')!);
    await flushPromises();
    expect(visibleTooltipText()).toContain('Not mapped to any Platform offer yet.');
    shadow()!.querySelector<HTMLButtonElement>('[role=tooltip] button')!.click();
    expect(onMapRequest).toHaveBeenCalledWith({ kind: 'offer', name: 'VISIO-P2', site: 'connectwise' });
  });

  it('work the other way round on the Platform', async () => {
    document.body.innerHTML = `<table><thead><tr><th>Organization</th><th>Offer</th></tr></thead>
      <tbody><tr><td id="org">Contoso Ltd</td><td id="offer">Visio Plan 2</td></tr></tbody></table>`;
    const lookupEntity = vi.fn(async (kind: string) => (kind === 'offer' ? ['VISIO-P2'] : null));
    help = startInPageHelp({ doc: document, site: 'platform', lookupEntity, hoverDelayMs: 0 });
    hover(document.getElementById('offer')!);
    await flushPromises();
    expect(visibleTooltipText()).toContain('Mapped to ConnectWise product: VISIO-P2');
    // Unknown (null) shows nothing rather than a wrong "unmapped".
    hover(document.getElementById('org')!);
    await flushPromises();
    expect(visibleTooltipText()).toBeNull();
  });

  it('ask once per entity', async () => {
    document.body.innerHTML = gwtGrid(ROWS);
    const lookupEntity = vi.fn(async (_kind: string, _name: string) => ['Kestrel Inc']);
    help = startInPageHelp({ doc: document, site: 'connectwise', lookupEntity, hoverDelayMs: 0 });
    hover(cell(2, 3));
    await flushPromises();
    hover(cell(0, 2));
    hover(cell(3, 3));
    await flushPromises();
    expect(lookupEntity.mock.calls.filter(([, n]) => n === 'Kestrel Inc')).toHaveLength(1);
  });
});

describe('verdict badges', () => {
  const verdicts: AdditionVerdict[] = [
    { additionId: 50011, verdict: 'matched', fields: [], lineId: 'L1', fingerprints: [] },
    { additionId: 50012, verdict: 'mismatch', fields: ['quantity', 'unitPrice'], lineId: 'L2', fingerprints: ['f2'] },
    { additionId: 50013, verdict: 'orphan', fields: [], fingerprints: ['f3'] },
    { additionId: 50099, verdict: 'duplicate', fields: [], fingerprints: ['f9'] },
  ];

  it('put one badge per row that has a verdict, and open the finding on click', () => {
    document.body.innerHTML = gwtGrid(ROWS);
    const before = document.body.innerHTML;
    const onOpenFinding = vi.fn();
    help = startInPageHelp({ doc: document, site: 'connectwise', verdicts, onOpenFinding });
    const shown = badges();
    expect(shown.map((b) => [b.dataset.additionId, b.dataset.status])).toEqual([
      ['50011', 'matched'],
      ['50012', 'mismatch'],
      ['50013', 'orphan'],
    ]);
    expect(shown[1]!.getAttribute('aria-label')).toBe('Addition 50012: Differs from the Platform: quantity, unitPrice');
    expect(document.body.innerHTML).toBe(before);
    shown[1]!.click();
    expect(onOpenFinding).toHaveBeenCalledWith(verdicts[1]);
  });

  it('follow rows GWT recycles and vanish with the switch or stop()', () => {
    document.body.innerHTML = gwtGrid(ROWS);
    help = startInPageHelp({ doc: document, site: 'connectwise', verdicts, batchDelayMs: 10_000 });
    expect(badges()).toHaveLength(3);
    // Scrolling: the first row now shows the duplicate Addition, the third one an unjudged one.
    cell(0, 2).querySelector('a')!.setAttribute('href', '#recid=50099');
    cell(2, 2).querySelector('a')!.setAttribute('href', '#recid=60000');
    cell(0, 2).querySelector('a')!.textContent = 'AZURE-PLAN';
    cell(2, 2).querySelector('a')!.textContent = 'AZURE-PLAN';
    help.flush();
    expect(badges().map((b) => b.dataset.status).sort()).toEqual(['duplicate', 'mismatch']);

    help.setEnabled(false);
    expect(document.querySelector(HOST_TAG)).toBeNull();
    help.setEnabled(true);
    expect(badges()).toHaveLength(2);
    help.setVerdicts(null);
    expect(badges()).toHaveLength(0);
    help.setVerdicts(verdicts);
    expect(badges()).toHaveLength(2);
    help.stop();
    expect(document.querySelector(HOST_TAG)).toBeNull();
  });

  it('match a run’s findings row for row', () => {
    const report: Report = {
      schema: REPORT_SCHEMA,
      generatedAt: '2026-12-01T00:00:00Z',
      window: { from: '2026-11-01', to: '2026-11-30' },
      coverage: {
        linesRead: 3, linesCompared: 3, linesSkipped: {}, additionsRead: 4, additionsInScope: 4, additionsMatched: 2,
        cwComplete: true, invoiceMonths: ['2026-11'], skippedRows: [], warnings: [],
      },
      matches: [
        { lineId: 'L1', additionId: 50011, agreementId: 3001 },
        { lineId: 'L2', additionId: 50012, agreementId: 3001 },
      ],
      findings: [
        { kind: 'quantity_mismatch', severity: 'error', lineId: 'L2', field: 'quantity', expected: 3, actual: 2, message: 'm', fix: 'f' },
        { kind: 'orphan_addition', severity: 'info', additionId: 50013, agreementId: 3001, message: 'm', fix: 'f' },
        { kind: 'duplicate_addition', severity: 'error', additionId: 50014, agreementId: 3001, message: 'm', fix: 'f' },
      ],
    };
    document.body.innerHTML = gwtGrid(ROWS);
    help = startInPageHelp({ doc: document, site: 'connectwise', verdicts: verdictsForAgreement(report, 3001) });
    const byRow = Array.from(document.querySelectorAll('tr.cw-ml-row')).map((row) => {
      const id = recordIdOf(row);
      return [id, badges().find((b) => Number(b.dataset.additionId) === id)?.dataset.status];
    });
    expect(byRow).toEqual([
      [50011, 'matched'],
      [50012, 'mismatch'],
      [50013, 'orphan'],
      [50014, 'duplicate'],
    ]);
  });

  it('name rows by a caller-supplied id when rows carry none', () => {
    document.body.innerHTML = gwtGrid(ROWS).replace(/ href="#recid=\d+"/g, '');
    help = startInPageHelp({
      doc: document,
      site: 'connectwise',
      verdicts,
      rowAdditionId: (row) => ROWS.find((r) => row.textContent?.includes(r.product))?.id,
    });
    expect(badges()).toHaveLength(3);
  });

  it('describe each verdict in words', () => {
    expect(badgeLabel(verdicts[0]!)).toBe('Matched with Platform invoice line L1');
    expect(badgeLabel(verdicts[2]!)).toMatch(/^Not on the Platform/);
    expect(badgeLabel(verdicts[3]!)).toMatch(/^Duplicate Addition/);
  });
});

describe('manifest CSS', () => {
  it('carries the looks the painter falls back to adopting: Chromium’s on the root element, and Firefox’s for every element only where -moz-appearance is supported', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const { TERM_DECLARATIONS, TERM_DECLARATIONS_FIREFOX, TERM_STYLE } = await import('../../../components/inpage/paint');
    const css = readFileSync(resolve(import.meta.dirname, '../../../components/inpage/highlight.css'), 'utf8');
    const norm = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').trim();
    expect(norm(css)).toBe(norm(`html::highlight(cwr-term) { ${TERM_DECLARATIONS} } @supports (-moz-appearance: none) { ::highlight(cwr-term) { ${TERM_DECLARATIONS_FIREFOX} } }`));
    expect(norm(TERM_STYLE)).toBe(
      norm(`::highlight(cwr-term) { ${TERM_DECLARATIONS} } @supports (-moz-appearance: none) { ::highlight(cwr-term) { text-decoration-line: none; ${TERM_DECLARATIONS_FIREFOX} } }`),
    );
  });

  it('draws no text decoration in Firefox’s look, whose changes near a scroll would lay the whole page out again', async () => {
    const { TERM_DECLARATIONS_FIREFOX } = await import('../../../components/inpage/paint');
    expect(TERM_DECLARATIONS_FIREFOX).not.toMatch(/text-decoration|text-shadow|stroke/);
    expect(TERM_DECLARATIONS_FIREFOX).toMatch(/background-color/);
  });
});
