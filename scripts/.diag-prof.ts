import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { generateLarge } from '../tests/generator/index';
import { API_HOST, CW_HOST, EXTENSION_DIR, PLATFORM_HOST, cwAgreementUrl, platformUrl, startTlsSandbox } from '../tests/e2e/chromium';
const s = generateLarge(8000, 19);
const ag = s.bundle.agreements[0]!;
const adds = s.bundle.additions.map((a, i) => (i < 5000 ? { ...a, agreementId: ag.id } : a));
const sandbox = await startTlsSandbox({ lines: s.lines, bundle: { ...s.bundle, additions: adds } });
const dir = mkdtempSync(join(tmpdir(), 'diag-'));
const map = [PLATFORM_HOST, CW_HOST, API_HOST].map((h) => `MAP ${h} 127.0.0.1:${sandbox.port}`).join(', ');
const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: false, viewport: { width: 1280, height: 860 },
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', `--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`, `--host-resolver-rules=${map}`, '--ignore-certificate-errors'] });
if (ctx.serviceWorkers().length === 0) await ctx.waitForEvent('serviceworker');
const url = process.argv[2] === 'platform' ? platformUrl('/mapping/invoices', 'month=2026-11&pageSize=5000') : cwAgreementUrl(ag.id);
{ const p = await ctx.newPage(); await p.goto(url, { timeout: 120000 }); await p.waitForTimeout(3000); await p.close(); }
const page = await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start');
await page.goto(url, { timeout: 120000 });
await page.waitForTimeout(4000);
const { profile } = (await cdp.send('Profiler.stop')) as any;
const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
const self = new Map<number, number>();
const dt = profile.timeDeltas as number[];
profile.samples.forEach((id: number, i: number) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const agg = new Map<string, number>();
const total = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!; const cf = n.callFrame;
  const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}:${cf.lineNumber}`;
  agg.set(k, (agg.get(k) ?? 0) + us);
  const seen = new Set<string>();
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) { const f = byId.get(x)!.callFrame; const kk = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`; if (seen.has(kk)) continue; seen.add(kk); if (f.url.includes('chrome-extension')) total.set(kk, (total.get(kk) ?? 0) + us); }
}
console.log('self top'); for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log((v / 1000).toFixed(1).padStart(8), k);
console.log('ext inclusive top'); for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((v / 1000).toFixed(1).padStart(8), k);
await ctx.close(); await sandbox.close(); process.exit(0);
