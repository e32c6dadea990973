import { createCwClient, pullBundle } from './core/connectwise';
import { syntheticBundle } from './tests/sandbox/cw-api/fixture';
import { DEFAULT_CREDENTIALS, startSandbox } from './tests/sandbox/server';
const data = syntheticBundle({ companies: 250, agreements: 500, additionsPerAgreement: 40, products: 25 });
for (const lat of [0, 50]) {
  const sb = await startSandbox({ bundle: data, faults: { latencyMs: lat } });
  for (const conc of [8, 16]) {
    const c = createCwClient({ site: sb.url, ...DEFAULT_CREDENTIALS, concurrency: conc });
    const t = performance.now();
    await pullBundle(c, { now: new Date() });
    console.log('lat', lat, 'conc', conc, ((performance.now() - t) / 1000).toFixed(2), 's');
  }
  await sb.close();
}
