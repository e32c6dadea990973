// @vitest-environment happy-dom
import { it } from 'vitest';
import { readPlatformGrid } from '/work/main/core/ingest';
import { renderPlatformGrid, page } from '/work/main/tests/unit/ingest/render-platform';
import { parseLinesCsv } from '/work/main/core/ingest';
import { readFileSync } from 'node:fs';
it('perf', () => {
  const base = parseLinesCsv(readFileSync('/work/shared/examples/month-2026-11/lines.csv','utf8')).lines;
  for (const n of [1000, 4000]) {
    const lines = Array.from({length:n},(_,i)=>({...base[i%base.length]!, lineId:'X'+i, row:i+1}));
    for (const layout of ['table','aria','aggrid'] as const) {
      const doc = new DOMParser().parseFromString(page(renderPlatformGrid(lines, layout)), 'text/html');
      const t = performance.now();
      const r = readPlatformGrid(doc);
      console.log(n, layout, r.lines.length, Math.round(performance.now()-t), 'ms');
    }
  }
}, 300000);
