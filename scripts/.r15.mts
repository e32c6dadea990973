import { readFileSync } from 'node:fs';
import { parseLinesCsv, parseCwBundle } from '../core/ingest';
import { reconcile } from '../core/reconcile';
import { renderReport } from '../core/report';
const n = process.argv[2] ?? '100000';
const config = JSON.parse(readFileSync(`/tmp/b15/${n}.config.json`, 'utf8'));
const cpu = (label: string, f: () => unknown) => { const u = process.cpuUsage(); const r = f(); const d = process.cpuUsage(u); console.log(label.padEnd(12), ((d.user + d.system) / 1000).toFixed(0), 'ms cpu'); return r; };
const { lines } = cpu('csv', () => parseLinesCsv(readFileSync(`/tmp/b15/${n}.csv`, 'utf8'), { config })) as any;
const bundle = cpu('bundle', () => parseCwBundle(readFileSync(`/tmp/b15/${n}.json`, 'utf8'))) as any;
for (let i = 0; i < 3; i++) {
  const r = cpu('reconcile', () => reconcile({ lines, bundle, config, now: new Date('2026-12-01T00:00:00Z') })) as any;
  cpu('render json', () => renderReport(r, 'json'));
}
