import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentAgent } from '../../../core/app/content-agent';
import { detectPage } from '../../../core/app/page-outline';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { workedMonth } from '../worked-month';

const { lines, bundle } = workedMonth();

/** A served page parsed (its scripts not run), as the loader sees it at load. */
async function pageAt(sandbox: Sandbox, path: string, shownUrl: string) {
  const html = await (await fetch(`${sandbox.url}${path}`)).text();
  const window = new Window({ url: shownUrl });
  window.document.write(html);
  const doc = window.document as unknown as Document;
  const app = shownUrl.includes('rethinkportal') ? ('platform' as const) : ('connectwise' as const);
  const agent = createContentAgent({ app, doc, url: () => shownUrl, progress: () => undefined, settle: async () => undefined, waitFor: async (changed) => changed() });
  return { app, doc, agent };
}

const cwPage = (recordType: string, recid: number, extra = '') => {
  const query = `locale=en_US&recordType=${recordType}&recid=${recid}${extra}`;
  return [`/cw/v4_6_release/services/system_io/router/openrecord.rails?${query}`, `https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?${query}`] as const;
};

describe("the loader's page outline: which screen a page shows without the grid readers", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ bundle, lines });
  });
  afterAll(() => sandbox?.close());

  it('places the Platform invoices grid and the Additions tab as the readers do', async () => {
    const agreement = bundle.agreements.find((a) => bundle.additions.some((x) => x.agreementId === a.id))!;
    const pages = [
      ['/platform/mapping/invoices?month=2026-11', 'https://demo.rethinkportal.com/mapping/invoices?month=2026-11'] as const,
      cwPage('AgreementFV', agreement.id, '&static=1'),
    ];
    for (const [path, url] of pages) {
      const { app, doc, agent } = await pageAt(sandbox, path, url);
      const outlined = detectPage(app, doc, url, false);
      expect(outlined, url).not.toBeNull();
      expect(outlined).toEqual(agent.detect());
      expect(outlined!.capturable).toBe(true);
    }
  });

  it('places the Platform mapping tabs from their headers as the readers do', async () => {
    for (const tab of ['organizations', 'products']) {
      const url = `https://demo.rethinkportal.com/mapping/${tab}`;
      const { app, doc, agent } = await pageAt(sandbox, `/platform/mapping/${tab}`, url);
      const outlined = detectPage(app, doc, url, false);
      expect(outlined, url).toMatchObject({ screen: `platform.${tab}`, capturable: false });
      expect(outlined).toEqual(agent.detect());
    }
  });

  it('leaves a grid it cannot place to the readers (null), which then decide', async () => {
    // The Organizations tab with its headers moved into the body (no <thead>, no header roles),
    // on an address that names no screen: the outline cannot tell what the table is.
    const url = 'https://demo.rethinkportal.com/settings';
    const { app, doc, agent } = await pageAt(sandbox, '/platform/mapping/organizations', url);
    const table = doc.querySelector('table')!;
    const head = table.querySelector('thead');
    expect(head, 'the tab has a header row').not.toBeNull();
    const row = head!.querySelector('tr')!;
    const cells = Array.from(row.children).map((c) => `<td>${c.textContent}</td>`).join('');
    head!.remove();
    table.querySelector('tbody')!.insertAdjacentHTML('afterbegin', `<tr>${cells}</tr>`);
    expect(detectPage(app, doc, url, false)).toBeNull();
    // Nor do the readers take a table without a header row for a mapping tab.
    expect(agent.detect()).toMatchObject({ app: 'platform', screen: 'platform.other', capturable: false });
  });

  it('decides a page without any grid from its address alone', async () => {
    const url = 'https://demo.rethinkportal.com/mapping/invoices?month=2026-11';
    const { doc } = await pageAt(sandbox, '/platform/mapping/invoices?month=2026-11', url);
    for (const grid of Array.from(doc.querySelectorAll('table, [role=grid], [role=table], [col-id], .ag-root-wrapper'))) grid.remove();
    expect(detectPage('platform', doc, url, false)).toMatchObject({ screen: 'platform.invoices', capturable: false });
  });
});
