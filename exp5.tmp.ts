import { chromium } from 'playwright-core';
import { build } from 'esbuild';
import { BUILTIN_DICTIONARY } from './core/dictionary/builtin';
import { surfaceForms } from './core/dictionary/forms';
const b = await build({ entryPoints: ['/work/main/components/inpage/index.ts'], bundle: true, format: 'iife', globalName: '__cwrInpage', write: false, minify: true });
const code = b.outputFiles[0]!.text;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: false, args: ['--headless=new','--no-sandbox','--disable-gpu'] });
const p = await browser.newPage();
const rows = Number(process.env.ROWS ?? 2000); const body: string[] = [];
for (let i = 0; i < rows; i++) body.push(`<tr class="cw-ml-row"><td cellindex="0"><input type=checkbox></td>${Array.from({length: 12}, (_, k) => `<td cellindex="${k+1}"><div class="x"><a class="multilineClickable" href="#recid=${i}">${k===11 ? (i%10 ? 'Synced Addition '+i : 'Correction Addition') : 'v'+i+'-'+k}</a></div></td>`).join('')}</tr>`);
await p.setContent(`<!doctype html><html><head><style>::highlight(pre) { text-decoration: underline dotted #2563eb 2px; background-color: rgba(37, 99, 235, 0.07); }</style></head><body><div class="mm_grid"><table><tbody>${body.join('')}</tbody></table></div></body></html>`, { timeout: 0 });
await p.addScriptTag({ content: 'window.__name = (f) => f;' }); await p.addScriptTag({ content: code });
const terms = BUILTIN_DICTIONARY.flatMap((e) => surfaceForms(e, 'connectwise'));
const cdp = await p.context().newCDPSession(p);
await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
const cpu = async () => { const { metrics } = await cdp.send('Performance.getMetrics'); return Object.fromEntries(metrics.map((m: any) => [m.name, m.value])); };
console.log(Object.keys(await cpu()).join(' '));
await p.evaluate((terms) => {
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  (window as any).floor = () => { CSS.highlights.clear(); (window as any).st?.remove(); const st = document.createElement('style'); st.textContent = '::highlight(floor) { text-decoration: underline dotted #2563eb 2px; background-color: rgba(37, 99, 235, 0.07); }'; document.head.append(st); (window as any).st = st;
    const re = new RegExp(`\\b(?:${[...terms].sort((a, b) => b.length - a.length).map(esc).join('|')})(?!\\w)`, 'gi');
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); const ranges: StaticRange[] = [];
    for (let n = w.nextNode() as Text | null; n; n = w.nextNode() as Text | null) { const t = n.data; re.lastIndex = 0; let m; while ((m = re.exec(t)) !== null) ranges.push(new StaticRange({ startContainer: n, startOffset: m.index, endContainer: n, endOffset: m.index + m[0].length })); }
    CSS.highlights.set('floor', new Highlight(...ranges)); };
  (window as any).pre = () => { CSS.highlights.clear();
    const re = new RegExp(`\\b(?:${[...terms].sort((a, b) => b.length - a.length).map(esc).join('|')})(?!\\w)`, 'gi');
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); const ranges: StaticRange[] = [];
    for (let n = w.nextNode() as Text | null; n; n = w.nextNode() as Text | null) { const t = n.data; re.lastIndex = 0; let m; while ((m = re.exec(t)) !== null) ranges.push(new StaticRange({ startContainer: n, startOffset: m.index, endContainer: n, endOffset: m.index + m[0].length })); }
    CSS.highlights.set('pre', new Highlight(...ranges)); };
  (window as any).ours = () => { CSS.highlights.clear(); (window as any).h?.stop(); (window as any).h = (window as any).__cwrInpage.startInPageHelp({ doc: document, site: 'connectwise' }); };
}, terms);
const r: Record<string, number[]> = { floor: [], ours: [], noop: [], pre: [] };
for (let i = 0; i < 5; i++) for (const k of ['floor', 'ours', 'noop', 'pre']) {
  const a = await cpu();
  await p.evaluate(`${k === 'noop' ? '0' : k + '()'}`);
  const b = await cpu();
  r[k]!.push(+((b.ThreadTime - a.ThreadTime) * 1000).toFixed(1));
  (r[k + 'Style'] ??= []).push(+((b.RecalcStyleDuration - a.RecalcStyleDuration) * 1000).toFixed(1));
  (r[k + 'Script'] ??= []).push(+((b.ScriptDuration - a.ScriptDuration) * 1000).toFixed(1));
}
console.log(JSON.stringify(r));
await browser.close();
