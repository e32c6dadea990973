// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cwBundleFromAdditionsPage, parseCwBundle, readCwAdditionsGrid } from '../../../core/ingest';
import { DATE_FORMATS, ReconcileConfig, type CwAddition } from '../../../core/model';
import { parseFileDate } from '../../../core/ingest/values';
import { isoDate, name } from './arbitraries';
import { CW_DEFAULT_COLUMNS, renderCwAdditions, type CwRenderOptions } from './render-cw';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');
const URL_US = 'https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&companyName=acme&recordType=AgreementFV&recid=3001';

const addition = (over: Partial<CwAddition> & { id: number }): CwAddition => ({
  agreementId: 3001,
  product: { identifier: 'M365-BP' },
  quantity: 12,
  effectiveDate: '2026-11-01T00:00:00Z',
  cancelledDate: null,
  unitPrice: 1234.5,
  extPrice: 14814,
  description: 'Cycle Fee',
  invoiceDescription: 'Microsoft 365 Business Premium (Oak) - Cycle Fee',
  billCustomer: 'Billable',
  ...over,
});

const sample = [
  addition({ id: 50011 }),
  addition({ id: 50012, product: { identifier: 'EXO-P1' }, quantity: 1, effectiveDate: '2026-11-19T00:00:00Z', cancelledDate: '2026-11-30T00:00:00Z', unitPrice: -293.08, extPrice: -293.08, description: 'Correction', invoiceDescription: 'Exchange Online Plan 1 - Correction', billCustomer: 'DoNotBill' }),
];

const screenAddition = fc
  .record({
    id: fc.integer({ min: 10_000, max: 99_999 }),
    product: fc.stringMatching(/^[A-Z]{3,5}-[A-Z0-9]{1,3}$/),
    quantity: fc.integer({ min: 0, max: 5000 }),
    effective: isoDate,
    cancelled: fc.option(isoDate, { nil: null }),
    price: fc.integer({ min: -100_000_00, max: 100_000_00 }).map((c) => c / 100),
    subscription: name,
    label: fc.constantFrom('Cycle Fee', 'Purchase Fee', 'Usage Fee', 'Correction'),
    bill: fc.constantFrom('Billable', 'DoNotBill', 'NoCharge'),
  })
  .map(
    (g): CwAddition => ({
      id: g.id,
      agreementId: 3001,
      product: { identifier: g.product },
      quantity: g.quantity,
      effectiveDate: `${g.effective}T00:00:00Z`,
      cancelledDate: g.cancelled ? `${g.cancelled}T00:00:00Z` : null,
      unitPrice: g.price,
      extPrice: Math.round(g.price * g.quantity * 100) / 100 + 0, // + 0: a screen never shows -0
      // What the Platform writes: the label, and "<subscription> - <label>" as invoice description.
      description: g.label,
      invoiceDescription: `${g.subscription} - ${g.label}`,
      billCustomer: g.bill,
    }),
  );

const LOCALES: Array<{ name: string; o: CwRenderOptions; url?: string }> = [
  { name: 'en-US via URL locale', o: { dateOrder: 'MDY', decimal: '.', money: 'symbol', parens: true, savedFrom: URL_US } },
  { name: 'de via <html lang>', o: { dateOrder: 'DMY', dateSep: '.', pad: true, decimal: ',', money: 'symbol', currency: 'EUR', lang: 'de-DE', recordIds: 'attr' }, url: URL_US.replace('locale=en_US&', '') },
  { name: 'sv via URL', o: { dateOrder: 'YMD', dateSep: '-', pad: true, decimal: ',', money: 'code', currency: 'SEK', recordIds: 'link' }, url: URL_US.replace('en_US', 'sv_SE') },
];

describe('readCwAdditionsGrid round trip (property)', () => {
  for (const { name: label, o, url } of LOCALES) {
    it(`reads back generated additions (${label})`, () => {
      fc.assert(
        fc.property(fc.uniqueArray(screenAddition, { minLength: 1, maxLength: 8, selector: (a) => a.id }), fc.constantFrom<'missing' | 'blank'>('missing', 'blank'), (adds, headerCheckbox) => {
          const withIds = o.recordIds === 'attr' || o.recordIds === 'link';
          const doc = parse(renderCwAdditions(adds, { ...o, headerCheckbox, recordIds: o.recordIds ?? 'none', columns: [...CW_DEFAULT_COLUMNS] }));
          const r = readCwAdditionsGrid(doc, url ? { url } : {});
          expect(r.skipped).toEqual([]);
          const strip = (a: CwAddition) => ({ ...a, id: 0 });
          expect(r.additions.map(strip)).toEqual(adds.map(strip));
          if (withIds) expect(r.additions.map((a) => a.id)).toEqual(adds.map((a) => a.id));
          else expect(r.additions.every((a) => a.id < 0)).toBe(true);
          expect(r.diagnostics).toMatchObject({ found: true, layout: 'gwt', complete: true, rowsRead: adds.length });
        }),
        { numRuns: 12 },
      );
    });
  }
});

describe('readCwAdditionsGrid', () => {
  it('maps columns by header text whatever their order, with extra columns and fillers', () => {
    const columns = ['product', 'quantity', 'unitPrice', 'description', 'cancelledDate', 'effectiveDate', 'billCustomer', 'extPrice', 'sequence'] as const;
    for (const headerCheckbox of ['missing', 'blank'] as const) {
      for (const headerCellIndex of [false, true]) {
        const html = renderCwAdditions(sample, { columns: [...columns], extra: ['Prorate Price', 'Tax', 'Margin'], fillers: 3, headerCheckbox, headerCellIndex, savedFrom: URL_US });
        const r = readCwAdditionsGrid(parse(html));
        expect(r.additions.map((a) => ({ ...a, id: 0 }))).toEqual(sample.map((a) => ({ ...a, id: 0 })));
      }
    }
  });

  it('reads agreement, company and record id from banner, form and URL', () => {
    const html = renderCwAdditions(sample, { banner: 'Agreement: Microsoft 365 Monthly', companyId: 'BLUEBIRD103', companyName: 'Bluebird AS', savedFrom: URL_US });
    const r = readCwAdditionsGrid(parse(html));
    expect(r.agreement).toEqual({ id: 3001, name: 'Microsoft 365 Monthly' });
    expect(r.company).toEqual({ identifier: 'BLUEBIRD103', name: 'Bluebird AS' });
    expect(r.additions.every((a) => a.agreementId === 3001)).toBe(true);
  });

  it('gives deterministic synthetic negative ids when rows carry none, and says so', () => {
    const html = renderCwAdditions([...sample, sample[0] as CwAddition], { banner: 'Agreement - Microsoft 365 Monthly', savedFrom: URL_US });
    const a = readCwAdditionsGrid(parse(html), { locale: 'en-US' });
    const b = readCwAdditionsGrid(parse(html), { locale: 'en-US' });
    const ids = a.additions.map((x) => x.id);
    expect(ids.every((id) => id < 0)).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(b.additions.map((x) => x.id)).toEqual(ids);
    expect(a.diagnostics.problems.join(' ')).toMatch(/3 additions show no record id; deterministic synthetic negative ids/);
    expect(a.agreement?.id).toBe(3001);
    expect(a.additions[0]?.agreementId).toBe(3001);
  });

  it('a page whose agreement cannot be identified is an error naming the page, never a guess', () => {
    const url = 'https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US#startscreen=agr100';
    const r = readCwAdditionsGrid(parse(renderCwAdditions(sample, { banner: 'Agreement: Microsoft 365 Monthly' })), { url });
    expect(r.unidentified).toMatch(/The ConnectWise page "https:\/\/na\.myconnectwise\.net\/v2025_1\/ConnectWise\.aspx\?locale=en_US#startscreen=agr100" does not identify its agreement \("Microsoft 365 Monthly"\)/);
    expect(r.agreement?.id).toBeUndefined();
    expect(r.diagnostics.complete).toBe(false);
    expect(() => cwBundleFromAdditionsPage(r, { page: 'saved/agreement.html' })).toThrow(/^saved\/agreement\.html: The ConnectWise page .* does not identify its agreement/);
  });

  it.each([
    ['raw', '#startscreen=agr100&state={"p":"agr100","s":{"p":{"pid":184,"rd":3001,"screenid":"agr100"}}}'],
    ['percent-encoded', `#startscreen=agr100&state=${encodeURIComponent('{"p":"agr100","s":{"p":{"pid":184,"rd":3001}}}')}`],
  ])('the single-page address names the agreement by "rd" in its %s state fragment', (_form, fragment) => {
    const url = `https://na.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US${fragment}`;
    const r = readCwAdditionsGrid(parse(renderCwAdditions(sample, { banner: 'Agreement: Microsoft 365 Monthly' })), { url });
    expect(r.unidentified).toBeUndefined();
    expect(r.agreement).toEqual({ id: 3001, name: 'Microsoft 365 Monthly' });
    expect(r.additions.every((a) => a.agreementId === 3001)).toBe(true);
  });

  it('breadcrumb labels in the banner are skipped: the agreement is not read as "Agreements"', () => {
    const html = renderCwAdditions(sample, { banner: 'Agreement: Microsoft 365 Monthly', breadcrumbs: ['Agreements', 'Bluebird AS'], savedFrom: URL_US });
    expect(readCwAdditionsGrid(parse(html)).agreement).toEqual({ id: 3001, name: 'Microsoft 365 Monthly' });
  });

  it('Bill as a checkbox: checked is billable, unchecked is Do Not Bill', () => {
    const r = readCwAdditionsGrid(parse(renderCwAdditions(sample, { bill: 'checkbox', savedFrom: URL_US })));
    expect(r.additions.map((a) => a.billCustomer)).toEqual(['Billable', 'DoNotBill']);
  });

  it('Description is the product invoice description; a Product or Invoice Description column is read as what it is', () => {
    const plain = readCwAdditionsGrid(parse(renderCwAdditions(sample, { savedFrom: URL_US })));
    expect(plain.additions.map((a) => [a.invoiceDescription, a.description])).toEqual([
      ['Microsoft 365 Business Premium (Oak) - Cycle Fee', 'Cycle Fee'],
      ['Exchange Online Plan 1 - Correction', 'Correction'],
    ]);
    const own = sample.map((a) => ({ ...a, description: 'Own text' }));
    const both = readCwAdditionsGrid(parse(renderCwAdditions(own, { columns: ['product', 'productDescription', 'invoiceDescription', 'effectiveDate', 'quantity', 'unitPrice'], savedFrom: URL_US })));
    expect(both.additions.map((a) => [a.invoiceDescription, a.description])).toEqual([
      ['Microsoft 365 Business Premium (Oak) - Cycle Fee', 'Own text'],
      ['Exchange Online Plan 1 - Correction', 'Own text'],
    ]);
  });

  it('Less Included is optional, and read when shown', () => {
    const less = sample.map((a) => ({ ...a, lessIncluded: 2 }));
    const shown = readCwAdditionsGrid(parse(renderCwAdditions(less, { columns: [...CW_DEFAULT_COLUMNS, 'lessIncluded'], savedFrom: URL_US })));
    expect(shown.additions.map((a) => a.lessIncluded)).toEqual([2, 2]);
    const hidden = readCwAdditionsGrid(parse(renderCwAdditions(less, { savedFrom: URL_US })));
    expect(hidden.additions.every((a) => a.lessIncluded === undefined)).toBe(true);
    expect(hidden.diagnostics.missingRequired).toEqual([]);
  });

  it('takes the date order from the page, else the one order fitting every date', () => {
    const dates = [addition({ id: 1, effectiveDate: '2026-11-01T00:00:00Z', cancelledDate: '2026-11-30T00:00:00Z' }), addition({ id: 2, effectiveDate: '2026-02-03T00:00:00Z' })];
    const us = renderCwAdditions(dates, { dateOrder: 'MDY', savedFrom: URL_US.replace('locale=en_US&', '') });
    expect(readCwAdditionsGrid(parse(us)).additions.map((a) => a.effectiveDate)).toEqual(['2026-11-01T00:00:00Z', '2026-02-03T00:00:00Z']);
    const gb = renderCwAdditions(dates, { dateOrder: 'DMY', savedFrom: URL_US.replace('locale=en_US&', '') });
    expect(readCwAdditionsGrid(parse(gb)).additions.map((a) => a.effectiveDate)).toEqual(['2026-11-01T00:00:00Z', '2026-02-03T00:00:00Z']);
    // Only ambiguous dates and no locale: readable either way, so the capture says it cannot tell.
    const ambiguous = renderCwAdditions([addition({ id: 3, effectiveDate: '2026-02-03T00:00:00Z' })], { dateOrder: 'DMY', savedFrom: URL_US.replace('locale=en_US&', '') });
    const r = readCwAdditionsGrid(parse(ambiguous));
    expect(r.diagnostics.complete).toBe(false);
    expect(r.diagnostics.problems.join(' ')).toMatch(/DMY or MDY.*dateFormat/);
    expect(readCwAdditionsGrid(parse(ambiguous), { dateFormat: 'DD/MM/YYYY' }).additions[0]?.effectiveDate).toBe('2026-02-03T00:00:00Z');
    // Every format the readers know is a valid dateFormat; its order is what counts.
    expect(readCwAdditionsGrid(parse(ambiguous), { dateFormat: 'DD.MM.YYYY' }).additions[0]?.effectiveDate).toBe('2026-02-03T00:00:00Z');
    expect(readCwAdditionsGrid(parse(ambiguous), { dateFormat: 'MM-DD-YYYY' }).additions[0]?.effectiveDate).toBe('2026-03-02T00:00:00Z');
    const lang = renderCwAdditions([addition({ id: 3, effectiveDate: '2026-02-03T00:00:00Z' })], { dateOrder: 'DMY', lang: 'en-GB' });
    expect(readCwAdditionsGrid(parse(lang)).additions[0]?.effectiveDate).toBe('2026-02-03T00:00:00Z');
  });

  it('reads money with codes and parentheses, and reports a single currency', () => {
    const r = readCwAdditionsGrid(parse(renderCwAdditions(sample, { money: 'code', currency: 'NOK', parens: true, savedFrom: URL_US })));
    expect(r.additions.map((a) => a.unitPrice)).toEqual([1234.5, -293.08]);
    expect(r.currency).toBe('NOK');
  });

  it('derives the unit price from Ext Price when Price is hidden', () => {
    const r = readCwAdditionsGrid(parse(renderCwAdditions(sample, { columns: CW_DEFAULT_COLUMNS.filter((c) => c !== 'unitPrice'), savedFrom: URL_US })));
    expect(r.additions.map((a) => a.unitPrice)).toEqual([1234.5, -293.08]);
  });

  it('robustness: no grid, missing column, empty grid, half-rendered rows', () => {
    const none = readCwAdditionsGrid(parse('<html><body><div class="cw_BannerView"><div class="detailLabel">Company</div></div></body></html>'));
    expect(none.diagnostics).toMatchObject({ found: false, complete: false });
    expect(none.diagnostics.problems[0]).toMatch(/No ConnectWise Additions grid/);

    const noQty = readCwAdditionsGrid(parse(renderCwAdditions(sample, { columns: ['product', 'quantity', 'unitPrice'], labels: {}, savedFrom: URL_US }).replace('<span>Quantity</span>', '<span>Qty</span>')));
    expect(noQty.diagnostics.missingRequired).toEqual(['Effective']);
    expect(noQty.additions).toEqual([]);

    const empty = readCwAdditionsGrid(parse(renderCwAdditions([], { savedFrom: URL_US })));
    expect(empty.diagnostics).toMatchObject({ found: true, rowsRead: 0, complete: false });
    const saysEmpty = readCwAdditionsGrid(parse(renderCwAdditions([], { savedFrom: URL_US, emptyMessage: 'There are no records to display' })));
    expect(saysEmpty.diagnostics.problems.join(' ')).toMatch(/empty/);

    const half = renderCwAdditions(sample, { savedFrom: URL_US }).replace(/(<tr class="cw-ml-row[^>]*>)(.*?)(<\/tr>)\s*$/m, (_m, a: string, cells: string, c: string) => a + cells.replace(/<div class="GMDB3DUBJG">.*?<\/div>/g, '<div class="GMDB3DUBJG"></div>') + c);
    const r = readCwAdditionsGrid(parse(half));
    expect(r.additions).toHaveLength(1);
    expect(r.diagnostics.complete).toBe(false);
    expect(r.diagnostics.problems.join(' ')).toMatch(/not rendered yet/);
  });
});

describe('config dateFormat', () => {
  it('accepts every date form the readers know, the dotted and ISO ones included', () => {
    for (const f of DATE_FORMATS) expect(ReconcileConfig.parse({ dateFormat: f }).dateFormat).toBe(f);
    expect(ReconcileConfig.safeParse({ dateFormat: 'DD.MM.YY' }).success).toBe(false);
    // The order is what counts: a dotted format also says how a slashed date is meant.
    expect(parseFileDate('03/04/2026', 'DD.MM.YYYY')).toBe('2026-04-03');
    expect(parseFileDate('03/04/2026', 'MM-DD-YYYY')).toBe('2026-03-04');
    expect(parseFileDate('2026-04-03', 'YYYY-MM-DD')).toBe('2026-04-03');
  });
});

describe('cwBundleFromAdditionsPage', () => {
  it('builds a valid §4.2 bundle for the one agreement', () => {
    const html = renderCwAdditions(sample, { banner: 'Agreement: Microsoft 365 Monthly', companyId: 'BLUEBIRD103', companyName: 'Bluebird AS', money: 'code', currency: 'NOK', savedFrom: URL_US });
    const bundle = cwBundleFromAdditionsPage(readCwAdditionsGrid(parse(html)));
    expect(parseCwBundle(bundle)).toEqual(bundle);
    expect(bundle.agreements).toEqual([
      { id: 3001, name: 'Microsoft 365 Monthly', company: { id: expect.any(Number), name: 'Bluebird AS', identifier: 'BLUEBIRD103' }, currency: { currencyCode: 'NOK', currencyIdentifier: 'NOK' } },
    ]);
    expect(bundle.companies[0]?.id).toBeLessThan(0);
    expect(bundle.additions).toHaveLength(2);
    expect(bundle.complete).toBe(true);
  });

  it('marks an incomplete capture so nothing is called missing', () => {
    const bundle = cwBundleFromAdditionsPage(readCwAdditionsGrid(parse(renderCwAdditions([], { savedFrom: URL_US }))));
    expect(bundle).toMatchObject({ complete: false, incompleteAgreementIds: [3001] });
  });
});
