import { generateScenario } from '../../../generator';
import { startSandbox } from '../../../sandbox/server';
const s = generateScenario({ seed: 2 });
const sb = await startSandbox({ bundle: s.bundle, lines: s.lines });
for (const p of ['/platform/mapping/invoices', '/cw/companies', `/${'v2025_1'}/apis/3.0/system/info`]) {
  const r = await fetch(sb.url + p); console.log(p, r.status, (await r.text()).slice(0, 60).replace(/\n/g, ' '));
}
await sb.close();
