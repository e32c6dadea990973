/**
 * Browser-test harness: the Chromium driver (`chromium.ts`) plus the vitest lifecycle hooks that
 * start a sandbox and the extension around a suite. Only test files import this one.
 */
import { afterAll, beforeAll } from 'vitest';
import type { CwBundle, PlatformLine } from '../../core/model';
import type { Sandbox } from '../sandbox/server';
import { exampleMonth, launchExtension, removeProfile, startTlsSandbox, type ExtensionSession } from './chromium';

export * from './chromium';

/**
 * A suite's sandbox and extension, started before its tests and torn down (profile included)
 * after them. Read the fields inside tests: they are filled by the suite's beforeAll.
 */
export function useSandboxedExtension(data: () => { lines: PlatformLine[]; bundle: CwBundle } = exampleMonth): {
  readonly sandbox: Sandbox;
  readonly session: ExtensionSession;
} {
  const state = {} as { sandbox: Sandbox; session: ExtensionSession };
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

