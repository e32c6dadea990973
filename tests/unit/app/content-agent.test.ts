import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentAgent } from '../../../core/app/content-agent';
import { contentAnswer, contentRequest } from '../../../core/protocol/content';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { workedMonth } from '../worked-month';

const { config, lines, bundle } = workedMonth();

/** A served page parsed (its scripts not run), as the content script would see it at load. */
async function pageAt(sandbox: Sandbox, path: string, shownUrl: string) {
  const html = await (await fetch(`${sandbox.url}${path}`)).text();
  const window = new Window({ url: shownUrl });
  window.document.write(html);
  const doc = window.document as unknown as Document;
  const agent = createContentAgent({
    app: shownUrl.includes('rethinkportal') ? 'platform' : 'connectwise',
    doc,
    url: () => shownUrl,
    progress: () => undefined,
    settle: async () => undefined,
    waitFor: async (changed) => changed(),
  });
  return { agent, doc };
}

describe('content agent: which screen a page shows', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ bundle, lines });
  });
  afterAll(() => sandbox?.close());

  it('the Platform invoices tab, with its month and total', async () => {
    const { agent } = await pageAt(sandbox, '/platform/mapping/invoices?month=2026-11', 'https://demo.rethinkportal.com/mapping/invoices?month=2026-11');
    expect(agent.detect()).toMatchObject({ app: 'platform', screen: 'platform.invoices', capturable: true, period: '2026-11', gridTotal: 36 });
  });

  it('the Platform organizations and products tabs, which offer no capture', async () => {
    for (const [tab, screen] of [['organizations', 'platform.organizations'], ['products', 'platform.products']] as const) {
      const { agent } = await pageAt(sandbox, `/platform/mapping/${tab}`, `https://demo.rethinkportal.com/mapping/${tab}`);
      expect(agent.detect()).toMatchObject({ screen, capturable: false });
    }
  });

  it("a ConnectWise agreement's Additions tab, naming the agreement", async () => {
    const agreement = bundle.agreements.find((a) => bundle.additions.some((x) => x.agreementId === a.id))!;
    const query = `locale=en_US&recordType=AgreementFV&recid=${agreement.id}&static=1`;
    const { agent } = await pageAt(sandbox, `/cw/v4_6_release/services/system_io/router/openrecord.rails?${query}`, `https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?${query}`);
    expect(agent.detect()).toMatchObject({ app: 'connectwise', screen: 'connectwise.additions', capturable: true, agreement: { id: agreement.id, name: agreement.name } });
  });

  it('a ConnectWise company screen', async () => {
    const company = bundle.companies[0]!;
    const query = `locale=en_US&recordType=CompanyFV&recid=${company.id}`;
    const { agent } = await pageAt(sandbox, `/cw/v4_6_release/services/system_io/router/openrecord.rails?${query}`, `https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?${query}`);
    expect(agent.detect()).toMatchObject({ screen: 'connectwise.company', company: { id: company.id, name: company.name } });
  });

  it('captures a static Additions page through the message handler, as the background asks', async () => {
    const agreementId = bundle.additions[0]!.agreementId;
    const query = `locale=en_US&recordType=AgreementFV&recid=${agreementId}&static=1`;
    const { agent } = await pageAt(sandbox, `/cw/v4_6_release/services/system_io/router/openrecord.rails?${query}`, `https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?${query}`);
    expect(agent.handle({ type: 'something.else' })).toBeUndefined();
    const answer = await agent.handle({ type: 'content.capture', jobId: 'j1', config })!;
    expect(answer.ok).toBe(true);
    const value = (answer as { value: { app: string; bundle: { additions: unknown[]; agreements: { id: number }[] } } }).value;
    expect(value.app).toBe('connectwise');
    expect(value.bundle.agreements[0]!.id).toBe(agreementId);
    expect(value.bundle.additions).toHaveLength(bundle.additions.filter((a) => a.agreementId === agreementId).length);
    expect(await agent.handle({ type: 'content.capture' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('answers requests built by the protocol in the shapes CONTENT_MESSAGES declares', async () => {
    const agreementId = bundle.additions[0]!.agreementId;
    const query = `locale=en_US&recordType=AgreementFV&recid=${agreementId}&static=1`;
    const { agent } = await pageAt(sandbox, `/cw/v4_6_release/services/system_io/router/openrecord.rails?${query}`, `https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?${query}`);
    const context = contentAnswer('content.context', await agent.handle(contentRequest('content.context', {})));
    expect(context).toMatchObject({ screen: 'connectwise.additions', agreement: { id: agreementId } });
    const captured = contentAnswer('content.capture', await agent.handle(contentRequest('content.capture', { jobId: 'j2', config })));
    expect(captured.app).toBe('connectwise');
    expect(contentAnswer('content.cancel', await agent.handle(contentRequest('content.cancel', { jobId: 'j2' })))).toEqual({ cancelled: false });
    // Either side of the exchange refuses what the protocol does not declare.
    expect(() => contentRequest('content.capture', { jobId: '' })).toThrow(/jobId/);
    expect(() => contentAnswer('content.cancel', { ok: true, value: { cancelled: 'no' } })).toThrow(/cancelled/);
    expect(() => contentAnswer('content.context', { ok: false, error: { code: 'not_found', message: 'No grid' } })).toThrow('No grid');
  });
});
