import { afterEach } from 'vitest';
import { createCwClient, type CwClientOptions } from '../../../core/connectwise';
import type { CwBundle } from '../../../core/model';
import { syntheticBundle } from '../../sandbox/cw-api/fixture';
import { DEFAULT_CREDENTIALS, startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A real local server, closed after the test. */
export async function sandbox(opts: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  const s = await startSandbox({ bundle: opts.bundle ?? smallBundle(), ...opts });
  open.push(s);
  return s;
}

export function smallBundle(): CwBundle {
  return syntheticBundle({ companies: 3, agreements: 5, additionsPerAgreement: 4, products: 6 });
}

/** A client whose waits are recorded, not slept, and whose jitter is fixed: fast and deterministic. */
export function client(s: Sandbox, extra: Partial<CwClientOptions> = {}) {
  const sleeps: number[] = [];
  const c = createCwClient({
    site: s.url,
    ...DEFAULT_CREDENTIALS,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...extra,
  });
  return { client: c, sleeps };
}

export { DEFAULT_CREDENTIALS };
