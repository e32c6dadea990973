/**
 * Suite helpers for the Firefox browser tests, apart from the driver (firefox.ts) so that a
 * benchmark can drive Firefox without a test runner: the worked month set up before a suite,
 * and the side panel opened at its size.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import { exampleMonth, platformUrl, startTlsSandbox, type MonthData } from '../chromium';
import { configureMonth, expectPlatformCapture } from '../scenarios';
import { EXTENSION_ORIGIN, launchFirefox, removeProfile, waitForScreen, type FirefoxSession, type FirefoxTab } from './firefox';

/** Captures both invoice months of the worked example on the Platform look-alike, each checked whole. */
export async function captureInvoiceMonthsInFirefox(session: FirefoxSession, month: MonthData): Promise<void> {
  for (const m of ['2026-10', '2026-11']) {
    const tab = await session.openTab(platformUrl('/mapping/invoices', `month=${m}`));
    const tabId = await waitForScreen(session, tab, 'platform.invoices');
    expectPlatformCapture(await session.send('capture.start', { tabId }), month, m);
    await tab.close();
  }
}

/**
 * The worked month in a Firefox session for a suite: the TLS sandbox, Firefox with the build, the
 * connection configured and both invoice months captured before the first test; everything closed
 * and the profile removed after the last. `restart` starts Firefox again on the same profile.
 */
export function useFirefoxMonth(): { readonly month: MonthData; readonly sandbox: Sandbox; readonly session: FirefoxSession; restart(): Promise<void> } {
  const state = {
    async restart() {
      const profileDir = state.session.profileDir;
      await state.session.close();
      state.session = await launchFirefox({ sandboxPort: state.sandbox.port, profileDir });
    },
  } as { month: MonthData; sandbox: Sandbox; session: FirefoxSession; restart(): Promise<void> };
  beforeAll(async () => {
    state.month = exampleMonth();
    state.sandbox = await startTlsSandbox(state.month);
    state.session = await launchFirefox({ sandboxPort: state.sandbox.port });
    await configureMonth(state.session.send, state.month, state.sandbox.credentials);
    await captureInvoiceMonthsInFirefox(state.session, state.month);
  });
  afterAll(async () => {
    await state.session?.close();
    if (state.session) removeProfile(state.session.profileDir);
    await state.sandbox?.close();
  });
  return state;
}

/** The panel page at side-panel size (360 × 800, checked) on the view `nav` opens, once `ready` shows. */
export async function openPanelInFirefox(session: FirefoxSession, nav: 'nav-runs' | 'nav-results', ready: string): Promise<FirefoxTab> {
  const panel = await session.openTab(`${EXTENSION_ORIGIN}/sidepanel.html`);
  expect(await session.sizeViewport(panel, 360, 800)).toEqual({ width: 360, height: 800 });
  await panel.waitFor(() => !!document.querySelector('[data-testid="start-view"]'), undefined, 'the start view');
  await panel.clickOn(`[data-testid="${nav}"]`);
  await panel.waitFor((sel) => !!document.querySelector(sel), ready, ready);
  return panel;
}
