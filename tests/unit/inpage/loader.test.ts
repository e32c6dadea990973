// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://na.myconnectwise.net/" }
import { get } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import * as outline from '../../../core/app/page-outline';
import { announcePageCode, type PageCode } from '../../../components/inpage/handoff';
import { runLoader } from '../../../components/inpage/loader';
import { eventEnvelope } from '../../../core/protocol/client';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { workedMonth } from '../worked-month';

/*
 * The loader on a served ConnectWise Additions page (the sandbox's static copy, its scripts not
 * run): what it does at load, and what each trigger makes it do. The page outline is spied on
 * (its real code still runs) to count how often the loader reads the page.
 */
vi.mock('../../../core/app/page-outline', async (original) => {
  const real = await original<typeof outline>();
  return { ...real, detectPage: vi.fn(real.detectPage) };
});

const { lines, bundle } = workedMonth();
const agreements = bundle.agreements.filter((a) => bundle.additions.some((x) => x.agreementId === a.id));
const [first, second] = agreements as [(typeof agreements)[0], (typeof agreements)[0]];
const pathOf = (id: number) => `/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=AgreementFV&recid=${id}&static=1`;

let sandbox: Sandbox;
let ctx: ContentScriptContext;
let sent: { type: string }[];
/** What the background answers each request type with; unknown types fail as it would. */
let answers: Record<string, () => unknown>;

beforeAll(async () => {
  sandbox = await startSandbox({ bundle, lines });
});
afterAll(() => sandbox?.close());

beforeEach(async () => {
  fakeBrowser.reset();
  const html = await served(`${sandbox.url}/cw${pathOf(first.id)}`);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.title = parsed.title;
  document.head.innerHTML = parsed.head.innerHTML;
  document.body.innerHTML = parsed.body.innerHTML;
  history.replaceState(null, '', pathOf(first.id));
  sent = [];
  answers = { 'page.report': () => ({ ok: true }), 'help.verdicts': () => ({ verdicts: [] }) };
  fakeBrowser.runtime.sendMessage = (async (message: { type: string }) => {
    sent.push(message);
    const answer = answers[message.type];
    return answer ? { ok: true, value: answer() } : { ok: false, error: { code: 'invalid', message: `no ${message.type}` } };
  }) as typeof fakeBrowser.runtime.sendMessage;
  vi.mocked(outline.detectPage).mockClear();
  ctx = new ContentScriptContext('connectwise');
  runLoader(ctx, 'connectwise');
});
afterEach(() => ctx?.abort());

/** Node's own client: the DOM's fetch would refuse a plain-HTTP sandbox from an https page. */
function served(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A request from our own background, answered through sendResponse as Chromium needs. */
function ask(message: object): Promise<unknown> {
  // The fake's types give listeners two arguments; the browser passes sendResponse as the third.
  const trigger = fakeBrowser.runtime.onMessage.trigger as unknown as (m: unknown, s: { id: string }, respond: (a: unknown) => void) => Promise<unknown>;
  return new Promise((resolve) => void trigger(message, { id: fakeBrowser.runtime.id }, resolve));
}
/** The grid growing, as GWT fills it after load. */
function growGrid(): void {
  const row = document.createElement('div');
  row.textContent = 'another row';
  document.body.appendChild(row);
}

describe('the content script loader', () => {
  it('neither reads the page nor sends anything at load, while the grid keeps changing', async () => {
    for (let i = 0; i < 3; i++) {
      growGrid();
      await settle(300);
    }
    // Past the 250 ms burst pause and the 1 s idle timeout a report would have waited for.
    await settle(1500);
    expect(outline.detectPage).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it("answers the background's question from the outline without the in-page code, then reports each new agreement", async () => {
    const answer = await ask({ type: 'content.context' });
    expect(answer).toMatchObject({ ok: true, value: { app: 'connectwise', screen: 'connectwise.additions', agreement: { id: first.id } } });
    // The background has the answer: it is not reported again. A run may have judged the
    // agreement, so its verdicts are asked for; there are none, so no in-page code comes.
    expect(sent.map((m) => m.type)).toEqual(['help.verdicts']);

    history.replaceState(null, '', pathOf(second.id));
    growGrid();
    await vi.waitFor(() => expect(sent.filter((m) => m.type === 'page.report')).toHaveLength(1), { timeout: 3000 });
    expect(sent.find((m) => m.type === 'page.report')).toMatchObject({ context: { screen: 'connectwise.additions', agreement: { id: second.id } } });
    expect(sent.some((m) => m.type === 'help.load')).toBe(false);
  });

  /** The in-page code as the background would run it: it announces itself to the waiting loader. */
  function servePageCode() {
    const code = { contextChanged: vi.fn(), interacted: vi.fn() };
    answers['help.load'] = () => {
      // The background runs the in-page code, which announces itself to the waiting loader.
      announcePageCode(
        (): PageCode => ({
          ...code,
          handle: () => undefined,
          event: () => undefined,
          detect: () => outline.detectPage('connectwise', document, location.href, false)!,
        }),
      );
      return { ok: true };
    };
    return code;
  }

  it('brings in the in-page code on the first pointer move, and tells it which agreement is shown', async () => {
    const code = servePageCode();
    window.dispatchEvent(new Event('pointermove'));
    await vi.waitFor(() => expect(code.contextChanged).toHaveBeenCalledTimes(1));
    expect(code.interacted).toHaveBeenCalledTimes(1);
    expect(sent.map((m) => m.type)).toEqual(['help.load', 'page.report']);
    expect(sent[1]).toMatchObject({ context: { screen: 'connectwise.additions', agreement: { id: first.id } } });
  });

  it('reads an unwatched page once when a run finishes, and brings in its badges when the run judged that agreement', async () => {
    const code = servePageCode();
    answers['help.verdicts'] = () => ({ verdicts: [{ additionId: 1, verdict: 'matched', fields: [], fingerprints: ['f'] }] });
    void fakeBrowser.runtime.onMessage.trigger(eventEnvelope({ event: 'data.changed', stores: ['runs'] }), { id: fakeBrowser.runtime.id });
    await vi.waitFor(() => expect(code.contextChanged).toHaveBeenCalled());
    expect(sent.find((m) => m.type === 'help.verdicts')).toMatchObject({ agreementId: first.id });
    expect(sent.some((m) => m.type === 'help.load')).toBe(true);
    // No input came: the help started for the badges, not for the user.
    expect(code.interacted).not.toHaveBeenCalled();
  });
});
