/**
 * Browser-test harness: the Chromium driver (`chromium.ts`) plus the vitest lifecycle hooks that
 * start a sandbox and the extension around a suite. Only test files import this one.
 */
import { afterAll, beforeAll } from 'vitest';
import type { CwBundle, PlatformLine } from '../../core/model';
import type { Sandbox } from '../sandbox/server';
import { exampleMonth, launchExtension, platformUrl, removeProfile, startTlsSandbox, waitForScreen, type ExtensionSession, type MonthData } from './chromium';
import { expectPlatformCapture } from './scenarios';

export * from './chromium';

/**
 * A suite's sandbox and extension, started before its tests and torn down (profile included)
 * after them. Read the fields inside tests: they are filled by the suite's beforeAll.
 */
export function useSandboxedExtension(data: () => { lines: PlatformLine[]; bundle: CwBundle } = exampleMonth): {
  readonly sandbox: Sandbox;
  readonly session: ExtensionSession;
  /** Closes the browser and starts it again on the same profile (what a user's restart keeps). */
  restart(): Promise<void>;
} {
  const state = {
    async restart() {
      const dir = state.session.userDataDir;
      await state.session.close();
      state.session = await launchExtension({ port: state.sandbox.port, userDataDir: dir });
    },
  } as { sandbox: Sandbox; session: ExtensionSession; restart(): Promise<void> };
  beforeAll(async () => {
    state.sandbox = await startTlsSandbox(data());
    state.session = await launchExtension({ port: state.sandbox.port });
  });
  afterAll(async () => {
    await state.session?.close();
    if (state.session) removeProfile(state.session.userDataDir);
    await state.sandbox?.close();
  });
  return state;
}


/**
 * Captures the Platform invoices grid of each of the month's two invoice months through the
 * extension, each checked to be the whole month; `query` adds to the grid's address (page size).
 */
export async function captureInvoiceMonths(session: ExtensionSession, month: MonthData, query = ''): Promise<void> {
  for (const m of ['2026-10', '2026-11']) {
    const page = await session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices', `month=${m}${query}`));
    const tabId = await waitForScreen(session, page, 'platform.invoices');
    expectPlatformCapture(await session.send('capture.start', { tabId }), month, m);
    await page.close();
  }
}
