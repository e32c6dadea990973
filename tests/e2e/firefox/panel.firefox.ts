/**
 * The side panel's month-end steps in real Firefox (firefox-esr) on the production Firefox build,
 * shared with the Chromium panel test through tests/e2e/scenarios.ts: a partial pull kept beside
 * a complete one, a note kept through switching findings and stored with the verdict, a bulk
 * resolve undone in one step after a browser restart, and a sign-off that freezes the run and
 * goes into the printable evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEvidenceHtml } from '../../../components/findings/exports';
import type { Sandbox } from '../../sandbox/server';
import { exampleMonth, platformUrl, startTlsSandbox, type MonthData } from '../chromium';
import {
  bulkResolveThree,
  configureMonth,
  expectBulkUndoneAfterRestart,
  expectPartialPullKeptBeside,
  expectPlatformCapture,
  expectSignOffFreezes,
  noteThroughSwitchInPage,
  resolveOpenInPage,
} from '../scenarios';
import { EXTENSION_ORIGIN, launchFirefox, removeProfile, until, waitForScreen, type FirefoxSession, type FirefoxTab } from './firefox';

describe('Firefox: the side panel at month-end', () => {
  let sandbox: Sandbox;
  let session: FirefoxSession;
  let month: MonthData;
  let runId: string;

  async function openResults(): Promise<FirefoxTab> {
    const panel = await session.openTab(`${EXTENSION_ORIGIN}/sidepanel.html`);
    await panel.waitFor(() => !!document.querySelector('[data-testid="start-view"]'), undefined, 'the start view');
    await panel.evaluate(() => document.querySelector<HTMLElement>('[data-testid="nav-results"]')!.click());
    await panel.waitFor(() => !!document.querySelector('[data-testid="findings-list"]'), undefined, 'the findings list');
    return panel;
  }

  beforeAll(async () => {
    month = exampleMonth();
    sandbox = await startTlsSandbox(month);
    session = await launchFirefox({ sandboxPort: sandbox.port });
    await configureMonth(session.send, month, sandbox.credentials);
    for (const m of ['2026-10', '2026-11']) {
      const tab = await session.openTab(platformUrl('/mapping/invoices', `month=${m}`));
      const tabId = await waitForScreen(session, tab, 'platform.invoices');
      expectPlatformCapture(await session.send('capture.start', { tabId }), month, m);
      await tab.close();
    }
  });

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.profileDir);
    await sandbox?.close();
  });

  it('keeps a complete pull when a later pull stops part-way, and marks the partial one in the panel', async () => {
    runId = await expectPartialPullKeptBeside(session.send, async (pull) => {
      // The server drops every Additions page after the first: the pull stops part-way.
      sandbox.setFaults({ rules: [{ kind: 'drop', match: '/additions', skip: 1 }] });
      try {
        return await pull();
      } finally {
        sandbox.setFaults({});
      }
    });
    const panel = await session.openTab(`${EXTENSION_ORIGIN}/sidepanel.html`);
    const marks = await panel.waitFor(() => [...document.querySelectorAll('[data-testid="capture-partial"]')].map((m) => m.textContent ?? ''), undefined, 'the partial mark');
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatch(/partial/);
    await panel.close();
  });

  it('keeps a note through switching findings and stores it with the verdict', async () => {
    const panel = await openResults();
    const { fingerprint, shownAfterSwitch } = await panel.evaluate(noteThroughSwitchInPage, 'credit note 4411 received');
    expect(shownAfterSwitch).toBe('credit note 4411 received');
    expect(await panel.evaluate(resolveOpenInPage)).toBe(true);
    const stored = await until(
      async () => (await session.send('resolutions.list', {})).find((r) => r.fingerprint === fingerprint),
      (r) => r?.status === 'resolved',
      'the stored verdict',
    );
    expect(stored).toMatchObject({ status: 'resolved', note: 'credit note 4411 received' });
    await panel.close();
  });

  it('resolves three findings with one note, and undoes them in one step after a restart', async () => {
    const fps = await bulkResolveThree(session.send, runId);
    const dir = session.profileDir;
    await session.close();
    session = await launchFirefox({ sandboxPort: sandbox.port, profileDir: dir });
    // The panel offers the step kept from before the restart.
    const panel = await openResults();
    const label = await panel.waitFor(() => document.querySelector('[data-testid="undo-label"]')?.textContent ?? '', undefined, 'the undo offer');
    expect(label).toMatch(/Marked resolved: 3 findings/);
    await panel.close();
    await expectBulkUndoneAfterRestart(session.send, fps);
  });

  it('signs the month off, freezes the run, and puts the sign-off in the printable evidence', async () => {
    const got = await expectSignOffFreezes(session.send, runId);
    const panel = await openResults();
    const signed = await panel.waitFor(() => document.querySelector('[data-testid="signed-off"]')?.textContent ?? '', undefined, 'the sign-off');
    expect(signed).toMatch(/Signed off by Dana Billing/);
    await panel.close();
    const evidence = renderEvidenceHtml({ report: got.report, signOff: got.signOff, createdAt: got.run.createdAt } as Parameters<typeof renderEvidenceHtml>[0], new Map());
    expect(evidence.replace(/<[^>]+>/g, '')).toMatch(/Signed off by Dana Billing on .*November closed with finance/);
  });
});
