import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { generateLarge } from '../tests/generator/index';
import { API_HOST, CW_HOST, PLATFORM_HOST, cwAgreementUrl, startTlsSandbox } from '../tests/e2e/chromium';
const s = generateLarge(8000, 19);
const ag = s.bundle.agreements[0]!;
const adds = s.bundle.additions.map((a, i) => (i < 5000 ? { ...a, agreementId: ag.id } : a));
const sandbox = await startTlsSandbox({ lines: s.lines, bundle: { ...s.bundle, additions: adds } });
const dir = mkdtempSync(join(tmpdir(), 'diag-'));
const map = [PLATFORM_HOST, CW_HOST, API_HOST].map((h) => `MAP ${h} 127.0.0.1:${sandbox.port}`).join(', ');
const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: false, viewport: { width: 1280, height: 860 },
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions', `--host-resolver-rules=${map}`, '--ignore-certificate-errors'] });
const variants: Record<string, string> = {
  control: '0',
  rects: `(() => { const rows = document.querySelectorAll('tr.cw-ml-row'); let n = 0; for (let i = 0; i < 60; i++) n += rows[i].getBoundingClientRect().top; return n; })()`,
  highlight: `(() => { const h = new Highlight(); const w = document.createTreeWalker(document.body, 4); let k = 0; for (let n = w.nextNode(); n && k < 40; n = w.nextNode()) { if (n.data.length > 3) { h.add(new StaticRange({startContainer: n, startOffset: 0, endContainer: n, endOffset: 2})); k++; } } CSS.highlights.set('x', h); return k; })()`,
  mo: `(() => { new MutationObserver(() => {}).observe(document.body, { childList: true, subtree: true, characterData: true }); return 1; })()`,
};
for (let round = 0; round < 2; round++) for (const [name, code] of Object.entries(variants)) {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  if (name === 'mo') await page.addInitScript(`document.addEventListener('DOMContentLoaded', () => ${code})`);
  await page.goto(cwAgreementUrl(ag.id), { timeout: 120000 });
  await page.locator('tr.cw-ml-row').first().waitFor({ timeout: 60000 });
  await page.waitForTimeout(1500);
  const m0 = (await cdp.send('Performance.getMetrics')).metrics;
  if (name !== 'mo') await page.evaluate(code);
  await page.waitForTimeout(2500);
  const m1 = (await cdp.send('Performance.getMetrics')).metrics;
  const g = (ms: any[], k: string) => ms.find((x: any) => x.name === k).value * 1000;
  console.log(name.padEnd(10), 'total', g(m1, 'TaskDuration').toFixed(0), 'after-change', (g(m1, 'TaskDuration') - g(m0, 'TaskDuration')).toFixed(0), 'layout', (g(m1, 'LayoutDuration') - g(m0, 'LayoutDuration')).toFixed(0), 'style', (g(m1, 'RecalcStyleDuration') - g(m0, 'RecalcStyleDuration')).toFixed(0));
  await page.close();
}
await ctx.close(); await sandbox.close(); process.exit(0);
