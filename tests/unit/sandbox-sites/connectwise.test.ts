import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContentAgent } from '../../../core/app/content-agent';
import { createPageContexts } from '../../../core/app/pages';
import { readCwAdditionsGrid } from '../../../core/ingest/cw-grid';
import { cwBundleFromAdditionsPage, scrapePage } from '../../../core/ingest/page';
import type { CwAddition, CwAgreement, CwBundle, CwCompany } from '../../../core/model';
import { isoDatePart, toCwDateTime } from '../../../core/shared/dates';
import { generateScenario } from '../../generator';
import { DEFAULT_ADDITION_COLUMNS } from '../../sandbox/sites/cw/model';
import { CW_PAGE_VARIANTS, variantAddress } from '../../sandbox/sites/cw/variants';
import { exampleMonth, livePage, parsePage, serveSites, type Served } from './helpers';

// Each test walks every page or agreement of a data set; a busy shared machine needs the room.
vi.setConfig({ testTimeout: 120_000 });

const HOST = 'na.myconnectwise.net';
const ROUTER = '/v4_6_release/services/system_io/router/openrecord.rails';

function agreementPath(id: number, locale: string, extra = ''): string {
  return `${ROUTER}?locale=${locale}&companyName=sandbox&recordType=AgreementFV&recid=${id}${extra}`;
}

const day = (v: string | null | undefined) => (isoDatePart(v) ? toCwDateTime(isoDatePart(v) as string) : null);
const BILL: Record<string, string> = { Billable: 'Billable', DoNotBill: 'DoNotBill', NoCharge: 'NoCharge' };

/** The charge-type label the Platform puts at the end of an invoice description. */
const labelOf = (text: string | null | undefined) => (text && text.lastIndexOf(' - ') > 0 ? text.slice(text.lastIndexOf(' - ') + 3) : undefined);

/**
 * What a page drawn with these columns can show of an addition: no record id, dates without
 * time, money as shown; Description is the product invoice description, whose tail is the label.
 */
function shown(cols: readonly string[], bill: 'text' | 'checkbox' = 'text') {
  return (a: CwAddition) => {
    const ext = a.extPrice ?? (a.unitPrice == null ? undefined : Math.round(a.unitPrice * (a.quantity - (a.lessIncluded ?? 0)) * 100) / 100);
    return {
      product: a.product.identifier,
      quantity: a.quantity,
      lessIncluded: cols.includes('lessIncluded') ? (a.lessIncluded ?? 0) : undefined,
      unitPrice: cols.includes('unitPrice') ? (a.unitPrice ?? undefined) : undefined,
      extPrice: cols.includes('extPrice') ? ext : undefined,
      effectiveDate: day(a.effectiveDate),
      cancelledDate: day(a.cancelledDate),
      description: (cols.includes('productDescription') ? a.description : labelOf(a.invoiceDescription)) || undefined,
      invoiceDescription: a.invoiceDescription || undefined,
      billCustomer: !a.billCustomer ? (bill === 'checkbox' ? 'DoNotBill' : undefined) : bill === 'checkbox' ? (a.billCustomer === 'Billable' ? 'Billable' : 'DoNotBill') : (BILL[a.billCustomer] ?? a.billCustomer),
      agreementStatus: cols.includes('agreementStatus') ? a.agreementStatus || undefined : undefined,
    };
  };
}

/** The fields a read addition carries, in the same shape. */
const read = (a: CwAddition) => ({
  product: a.product.identifier,
  quantity: a.quantity,
  lessIncluded: a.lessIncluded,
  unitPrice: a.unitPrice,
  extPrice: a.extPrice,
  effectiveDate: a.effectiveDate,
  cancelledDate: a.cancelledDate,
  description: a.description,
  invoiceDescription: a.invoiceDescription,
  billCustomer: a.billCustomer,
  agreementStatus: a.agreementStatus,
});

const visible = shown(DEFAULT_ADDITION_COLUMNS);

const additionsOf = (bundle: CwBundle, agreement: CwAgreement) => bundle.additions.filter((a) => a.agreementId === agreement.id);

const DATA_SETS = [
  ['the example month', exampleMonth],
  ['a generated scenario (seed 11, all faults)', () => generateScenario({ seed: 11, faults: 'all' })],
] as const;

describe.each(DATA_SETS)('ConnectWise look-alike over %s', (name, load) => {
  const { bundle, lines } = load();
  let served: Served;
  beforeAll(async () => {
    served = await serveSites({ lines, bundle });
  });
  afterAll(() => served.close());

  async function page(path: string): Promise<{ doc: Document; url: string }> {
    // The part after `#` stays in the browser; the reader gets the whole address.
    const reply = await served.get(path.split('#')[0] as string, HOST);
    expect(reply.status, path).toBe(200);
    const url = `https://${HOST}${path}`;
    return { doc: parsePage(reply.body, url), url };
  }

  // The worked month in every locale; generated scenarios in two, to keep the run short.
  const locales = name === 'the example month' ? ['en_US', 'en-GB', 'de-DE', 'sv-SE', 'fr-FR'] : ['en-GB', 'de-DE'];
  it.each(locales)('reads back every agreement\'s additions in locale %s', async (locale) => {
    for (const agreement of bundle.agreements) {
      const { doc, url } = await page(agreementPath(agreement.id, locale, '&static=1'));
      expect(doc.documentElement.getAttribute('lang')).toBe(locale.replace('_', '-'));
      const result = readCwAdditionsGrid(doc, { url });
      expect(result.skipped).toEqual([]);
      expect(result.agreement?.id).toBe(agreement.id);
      expect(result.agreement?.name).toBe(agreement.name);
      expect(result.company?.name).toBe(agreement.company.name);
      expect(result.additions.map(read)).toEqual(additionsOf(bundle, agreement).map(visible));
      expect(result.additions.every((a) => a.agreementId === agreement.id)).toBe(true);
    }
  });

  it.each(CW_PAGE_VARIANTS.map((v) => [v.name, v] as const))('reads back every agreement drawn as variant %s', async (_name, variant) => {
    const expected = shown(variant.cols, variant.bill);
    for (const agreement of bundle.agreements) {
      const { doc, url } = await page(variantAddress(variant, agreement.id, 'en-GB', '&static=1'));
      const result = readCwAdditionsGrid(doc, { url });
      expect(result.unidentified).toBeUndefined();
      expect(result.skipped).toEqual([]);
      expect(result.agreement?.id).toBe(agreement.id);
      expect(result.agreement?.name).toBe(agreement.name);
      expect(result.additions.map(read)).toEqual(additionsOf(bundle, agreement).map(expected));
    }
  });

  it('a single-page address without its #state part names no agreement: an error, not a guess', async () => {
    const agreement = bundle.agreements[0] as CwAgreement;
    const variant = CW_PAGE_VARIANTS.find((v) => v.address === 'single-page')!;
    const path = variantAddress(variant, agreement.id, 'en-GB', '&static=1').split('#')[0] as string;
    const { doc, url } = await page(path);
    const result = readCwAdditionsGrid(doc, { url });
    expect(result.unidentified).toMatch(/does not identify its agreement/);
    expect(() => scrapePage(doc, { url }).screen === 'connectwise.additions' && cwBundleFromAdditionsPage(result)).toThrow(/does not identify its agreement/);
  });

  it('carries the addition ids on the rows when asked, so rows match exactly', async () => {
    for (const agreement of bundle.agreements) {
      const { doc, url } = await page(agreementPath(agreement.id, 'en_US', '&static=1&recids=1'));
      const result = scrapePage(doc, { url });
      expect(result.screen).toBe('connectwise.additions');
      const additions = result.screen === 'connectwise.additions' ? result.additions : [];
      expect(additions.map((a) => a.id)).toEqual(additionsOf(bundle, agreement).map((a) => a.id));
    }
  });

  it('picks and orders columns with cols=, and the reader maps them by header text', async () => {
    const agreement = bundle.agreements.find((a) => additionsOf(bundle, a).length > 0) as CwAgreement;
    const cols = 'sequence,effective,cancelled,quantity,productId,unitCost,unitPrice,extPrice,agreementStatus,bill,description,invoiceDescription,lessIncluded';
    const { doc, url } = await page(agreementPath(agreement.id, 'en-GB', `&static=1&cols=${cols}`));
    const headers = [...doc.querySelectorAll('.cw-ml-header td span')].map((s) => s.textContent);
    expect(headers.slice(0, 3)).toEqual(['Sequence', 'Effective', 'Cancelled']);
    const result = readCwAdditionsGrid(doc, { url });
    expect(result.additions.map(read)).toEqual(additionsOf(bundle, agreement).map(shown(cols.split(','))));
    expect(result.additions.map((a) => a.unitCost)).toEqual(additionsOf(bundle, agreement).map((a) => a.unitCost ?? undefined));
  });

  it('shows a company with its agreements, each linked by record id', async () => {
    const company = bundle.companies.find((c) => bundle.agreements.some((a) => a.company.id === c.id)) as CwCompany;
    expect(company).toBeDefined();
    const { doc } = await page(`${ROUTER}?locale=en_US&recordType=CompanyFV&recid=${company.id}`);
    expect(doc.querySelector('.cw_BannerView .detailLabel')?.textContent).toBe(`Company: ${company.name}`);
    const links = [...doc.querySelectorAll('tr.cw-ml-row a.multilineClickable')].map((a) => /recid=(\d+)/.exec(a.getAttribute('href') ?? '')?.[1]);
    expect(links.map(Number)).toEqual(bundle.agreements.filter((a) => a.company.id === company.id).map((a) => a.id));
  });

  it('lists every agreement and every company', async () => {
    const agreements = (await page('/agreements')).doc;
    expect(agreements.querySelectorAll('#cw-agreements tr.cw-ml-row')).toHaveLength(bundle.agreements.length);
    const companies = (await page('/companies')).doc;
    expect(companies.querySelectorAll('#cw-companies tr.cw-ml-row')).toHaveLength(bundle.companies.length);
  });
});

describe('ConnectWise look-alike in a running page', () => {
  const data = generateScenario({ seed: 3, organizations: 12 });
  const agreement = [...data.bundle.agreements].sort((a, b) => additionsOf(data.bundle, b).length - additionsOf(data.bundle, a).length)[0] as CwAgreement;
  const seeded = additionsOf(data.bundle, agreement);
  let served: Served;
  beforeAll(async () => {
    served = await serveSites(data);
  });
  afterAll(() => served.close());

  async function open(extra = '') {
    const path = agreementPath(agreement.id, 'en_US', extra);
    const reply = await served.get(path, HOST);
    return { ...livePage(reply.body, `https://${HOST}${path}`), url: `https://${HOST}${path}` };
  }

  it('serves the Additions grid empty and fills it a moment after load', async () => {
    expect(seeded.length).toBeGreaterThan(1);
    const page = await open();
    try {
      expect(page.document.querySelectorAll('tr.cw-ml-row')).toHaveLength(0);
      const early = readCwAdditionsGrid(page.document, { url: page.url });
      expect(early.additions).toEqual([]);
      expect(early.diagnostics.problems.length).toBeGreaterThan(0);
      await page.window.happyDOM.waitUntilComplete();
      expect(page.document.querySelectorAll('tr.cw-ml-row')).toHaveLength(seeded.length);
      expect(readCwAdditionsGrid(page.document, { url: page.url }).additions.map(read)).toEqual(seeded.map(visible));
    } finally {
      await page.close();
    }
  });

  it('sorts on a header click, both ways, and the reader still reads every row', async () => {
    const page = await open('&delay=0');
    try {
      await page.window.happyDOM.waitUntilComplete();
      const header = () => [...page.document.querySelectorAll('.cw-ml-header td[data-sort-key]')].find((td) => td.textContent?.startsWith('Quantity')) as HTMLElement;
      (header().querySelector('span') as HTMLElement).click();
      const ascending = readCwAdditionsGrid(page.document, { url: page.url }).additions.map((a) => a.quantity);
      expect(ascending).toEqual([...seeded.map((a) => a.quantity)].sort((a, b) => a - b));
      (header().querySelector('span') as HTMLElement).click();
      const descending = readCwAdditionsGrid(page.document, { url: page.url }).additions;
      expect(descending.map((a) => a.quantity)).toEqual([...seeded.map((a) => a.quantity)].sort((a, b) => b - a));
      expect(descending.map(read).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
        seeded.map(visible).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      );
    } finally {
      await page.close();
    }
  });

  it('opens an addition in a detail pod from its Product ID link, with the form labels', async () => {
    const page = await open('&delay=0');
    try {
      await page.window.happyDOM.waitUntilComplete();
      const doc = page.document;
      const detail = () => doc.querySelector('.cw-addition-detail') as HTMLElement;
      const field = (label: string) =>
        [...detail().querySelectorAll('tr.pod-element-row')].find((tr) => tr.querySelector('.mm_label')?.textContent === label)?.querySelector('input')?.getAttribute('value');
      expect(field('Product ID')).toBe(seeded[0]?.product.identifier);
      expect(detail().textContent).toContain('Effective Date');
      const links = [...doc.querySelectorAll('tr.cw-ml-row a.multilineClickable')] as HTMLElement[];
      links[links.length - 1]?.click();
      expect(field('Product ID')).toBe(seeded[seeded.length - 1]?.product.identifier);
      expect(readCwAdditionsGrid(doc, { url: page.url }).additions).toHaveLength(seeded.length);
    } finally {
      await page.close();
    }
  });

  it('switches between the Agreement and Additions tabs without a reload', async () => {
    const page = await open('&delay=0');
    try {
      const doc = page.document;
      const panel = (name: string) => doc.querySelector(`.cw-tab-panel[data-panel="${name}"]`) as HTMLElement;
      expect(panel('additions').hasAttribute('hidden')).toBe(false);
      (doc.querySelector('.cw-tab[data-tab="agreement"]') as HTMLElement).click();
      expect(panel('additions').hasAttribute('hidden')).toBe(true);
      expect(panel('agreement').hasAttribute('hidden')).toBe(false);
      expect(page.window.location.search).toContain('tab=agreement');
      expect(page.window.location.search).toContain(`recid=${agreement.id}`);
    } finally {
      await page.close();
    }
  });
});

describe('ConnectWise look-alike with an agreement that has no additions', () => {
  it('says so once filled, and the reader reports an empty grid rather than a clean one', async () => {
    const { bundle, lines } = exampleMonth();
    const agreement = bundle.agreements[0] as CwAgreement;
    const served = await serveSites({ lines, bundle: { ...bundle, additions: bundle.additions.filter((a) => a.agreementId !== agreement.id) } });
    try {
      for (const extra of ['&static=1', '&delay=0']) {
        const path = agreementPath(agreement.id, 'en_US', extra);
        const reply = await served.get(path, HOST);
        const page = livePage(reply.body, `https://${HOST}${path}`);
        try {
          await page.window.happyDOM.waitUntilComplete();
          const result = readCwAdditionsGrid(page.document, { url: `https://${HOST}${path}` });
          expect(result.additions).toEqual([]);
          expect(result.diagnostics.found).toBe(true);
          expect(result.diagnostics.problems.join(' ')).toMatch(/empty/i);
        } finally {
          await page.close();
        }
      }
    } finally {
      await served.close();
    }
  });
});

describe('the content script over every variant of a live Additions page', () => {
  const { bundle, lines } = exampleMonth();
  const agreement = [...bundle.agreements].sort((a, b) => additionsOf(bundle, b).length - additionsOf(bundle, a).length)[0] as CwAgreement;
  let served: Served;
  beforeAll(async () => {
    served = await serveSites({ lines, bundle });
  });
  afterAll(() => served.close());

  it.each(CW_PAGE_VARIANTS.map((v) => [v.name, v] as const))('variant %s: names the agreement, captures every row under its id', async (_name, variant) => {
    const address = variantAddress(variant, agreement.id, 'en_US', '&static=1');
    const url = `https://${HOST}${address}`;
    const reply = await served.get(address.split('#')[0] as string, HOST);
    const window = new Window({ url });
    window.document.write(reply.body);
    const agent = createContentAgent({ app: 'connectwise', doc: window.document as unknown as Document, url: () => url, progress: () => undefined, settle: async () => undefined, waitFor: async (changed) => changed() });
    try {
      expect(agent.detect()).toMatchObject({ screen: 'connectwise.additions', capturable: true, agreement: { id: agreement.id, name: agreement.name } });
      const captured = await agent.capture('job-1', undefined);
      expect(captured.app).toBe('connectwise');
      const got = captured.app === 'connectwise' ? captured.bundle : undefined;
      expect(got?.complete).toBe(true);
      expect(got?.agreements.map((a) => a.id)).toEqual([agreement.id]);
      expect(got?.additions.map(read)).toEqual(additionsOf(bundle, agreement).map(shown(variant.cols, variant.bill)));
    } finally {
      await window.happyDOM.close();
    }
  });

  it('a single-page address that lost its #state part: capture refuses, naming the page', async () => {
    const variant = CW_PAGE_VARIANTS.find((v) => v.address === 'single-page')!;
    const address = variantAddress(variant, agreement.id, 'en_US', '&static=1').split('#')[0] as string;
    const url = `https://${HOST}${address}`;
    const window = new Window({ url });
    window.document.write((await served.get(address, HOST)).body);
    const agent = createContentAgent({ app: 'connectwise', doc: window.document as unknown as Document, url: () => url, progress: () => undefined, settle: async () => undefined, waitFor: async (changed) => changed() });
    try {
      await expect(agent.capture('job-2', undefined)).rejects.toThrow(/does not identify its agreement/);
    } finally {
      await window.happyDOM.close();
    }
  });

  it('page contexts tell single-page records apart by their #state part', () => {
    const pages = createPageContexts(() => ({ platform: [], connectwise: [/myconnectwise\.net/] }));
    const variant = CW_PAGE_VARIANTS.find((v) => v.address === 'single-page')!;
    const first = `https://${HOST}${variantAddress(variant, 3010, 'en_US')}`;
    const second = `https://${HOST}${variantAddress(variant, 3015, 'en_US')}`;
    pages.report(1, { url: first, app: 'connectwise', screen: 'connectwise.additions', capturable: true, agreement: { id: 3010 } });
    expect(pages.get(1, first)).toMatchObject({ reachable: true, agreement: { id: 3010 } });
    expect(pages.get(1, second)).toMatchObject({ reachable: false, screen: 'connectwise.other' });
  });
});
