import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { generateLarge } from '../tests/generator/index';
import { API_HOST, CW_HOST, EXTENSION_DIR, PLATFORM_HOST, platformUrl, cwAgreementUrl, startTlsSandbox } from '../tests/e2e/chromium';
const which = process.argv[2] ?? 'platform';
const s = generateLarge(8000, 19);
const ag = s.bundle.agreements[0]!;
const adds = s.bundle.additions.map((a, i) => (i < 5000 ? { ...a, agreementId: ag.id } : a));
const sandbox = await startTlsSandbox({ lines: s.lines, bundle: { ...s.bundle, additions: adds } });
for (const name of (process.argv[3] ?? 'without,with').split(',')) {
  const dir = mkdtempSync(join(tmpdir(), 'diag-'));
  const map = [PLATFORM_HOST, CW_HOST, API_HOST].map((h) => `MAP ${h} 127.0.0.1:${sandbox.port}`).join(', ');
  const ext = name === 'with' ? [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`] : ['--disable-extensions'];
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: false, viewport: { width: 1280, height: 860 },
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', ...ext, `--host-resolver-rules=${map}`, '--ignore-certificate-errors'] });
  if (name === 'with' && ctx.serviceWorkers().length === 0) await ctx.waitForEvent('serviceworker');
  const url = which === 'platform' ? platformUrl('/mapping/invoices', 'month=2026-11&pageSize=5000') : cwAgreementUrl(ag.id);
  { const p = await ctx.newPage(); await p.goto(url, { timeout: 120000 }); await p.waitForTimeout(3000); await p.close(); }
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  const events: any[] = [];
  cdp.on('Tracing.dataCollected', (e: any) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.invalidationTracking', transferMode: 'ReportEvents' } as any);
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  await page.waitForTimeout(4000);
  await cdp.send('Tracing.end');
  await done;
  const main = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  const sums = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || !main.includes(`${e.pid}:${e.tid}`)) continue;
    const k = e.name + (e.name === 'FunctionCall' || e.name === 'EvaluateScript' ? ' ' + String(e.args?.data?.url ?? '').slice(0, 60) : '');
    sums.set(k, (sums.get(k) ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000);
  }
  console.log(`== ${name}`);
  const reasons = new Map<string, number>();
  for (const e of events) {
    if (!/Invalidation|ScheduleStyleRecalculation|UpdateLayoutTree|Layout$/.test(e.name)) continue;
    const d = e.args?.data ?? {};
    const k = `${e.name} ${d.reason ?? ''} ${(d.stackTrace?.[0]?.url ?? '').slice(-40)} ${d.stackTrace?.[0]?.functionName ?? ''}`;
    reasons.set(k, (reasons.get(k) ?? 0) + 1);
  }
  for (const [k, v] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(String(v).padStart(7), k);
  for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, 28)) console.log(v.toFixed(0).padStart(8), k);
  await ctx.close();
}
await sandbox.close();
process.exit(0);
