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

  it('leaves a grid it cannot place to the readers (null), which then name it', async () => {
    const url = 'https://demo.rethinkportal.com/mapping/organizations';
    const { app, doc, agent } = await pageAt(sandbox, '/platform/mapping/organizations', url);
    expect(detectPage(app, doc, url, false)).toBeNull();
    expect(agent.detect()).toMatchObject({ screen: 'platform.organizations', capturable: false });
  });

  it('decides a page without any grid from its address alone', async () => {
    const url = 'https://demo.rethinkportal.com/mapping/invoices?month=2026-11';
    const { doc } = await pageAt(sandbox, '/platform/mapping/invoices?month=2026-11', url);
    for (const grid of Array.from(doc.querySelectorAll('table, [role=grid], [role=table], [col-id], .ag-root-wrapper'))) grid.remove();
    expect(detectPage('platform', doc, url, false)).toMatchObject({ screen: 'platform.invoices', capturable: false });
  });
});
