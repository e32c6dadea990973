/**
 * `npx tsx scripts/bench-match.ts` (DESIGN §3.6 and §8): matching one large group, where every
 * line and every Addition share one agreement and one product, so only closeness of date,
 * quantity and price can pair them.
 *
 * For N one-time lines with distinct prices, each Addition right but its quantity off by 10 (the
 * case first-fit pairing got wrong past 64), the engine must report exactly N quantity findings
 * and pair every line with its own Addition. The floor, measured in the same run, is the same
 * month with every line on its own product (N groups of one): the ratio is what pairing inside
 * one group costs over reconciling the same number of lines without any choice to make.
 * A second case puts every Addition right, the common month. Times are the median of RUNS.
 */
import { performance } from 'node:perf_hooks';
import type { CwAddition, CwAgreement, CwBundle, PlatformLine } from '../core/model';
import { reconcile } from '../core/reconcile';

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const SIZES = (process.env.BENCH_SIZES ?? '250,1000,2000').split(',').map(Number);
const NOW = new Date('2026-12-01T00:00:00Z');

const AGREEMENT: CwAgreement = {
  id: 100,
  name: 'Microsoft 365 Monthly',
  type: { id: 1, name: 'Microsoft 365 Monthly' },
  company: { id: 10, name: 'Acme AS' },
  startDate: '2025-01-01T00:00:00Z',
  agreementStatus: 'Active',
  billProducts: 'Billable',
  currency: { currencyCode: 'EUR' },
};

function month(n: number, oneProduct: boolean, quantityOff: number): { lines: PlatformLine[]; bundle: CwBundle } {
  const lines: PlatformLine[] = [];
  const additions: CwAddition[] = [];
  for (let i = 0; i < n; i++) {
    const unit = 10 + i * 0.37;
    const product = oneProduct ? 'PBI-PRO' : `P-${i}`;
    const day = String(2 + (i % 20)).padStart(2, '0');
    lines.push({
      lineId: `L${String(i).padStart(6, '0')}`,
      invoiceDate: '2026-11-01',
      organization: 'Acme',
      currency: 'EUR',
      chargeType: 'Item Fee',
      chargeStartDate: `2026-11-${day}`,
      quantity: 1,
      revenue: Math.round(unit * 100) / 100,
      psaOrganizationName: 'Acme AS',
      psaProductName: product,
      status: 'Synced',
      excluded: false,
    });
    additions.push({
      // Ids in another order than the lines, so nothing can pair by position.
      id: 500_000 + ((i * 7919) % n),
      agreementId: 100,
      product: { identifier: product },
      quantity: 1 + quantityOff,
      unitPrice: Math.round(unit * 100) / 100,
      effectiveDate: `2026-11-${day}T00:00:00Z`,
      cancelledDate: '2026-11-30T00:00:00Z',
      description: 'Item Fee',
      billCustomer: 'Billable',
    });
  }
  return { lines, bundle: { companies: [{ id: 10, name: 'Acme AS' }], agreements: [AGREEMENT], additions, complete: true } };
}

function time(data: ReturnType<typeof month>): { ms: number; report: ReturnType<typeof reconcile> } {
  const times: number[] = [];
  let report!: ReturnType<typeof reconcile>;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    report = reconcile({ lines: data.lines, bundle: data.bundle, config: { defaultAgreementType: 'Microsoft 365 Monthly' }, now: NOW });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, report };
}

let failed = false;
for (const quantityOff of [10, 0]) {
  console.log(quantityOff ? '\nEvery Addition off in quantity by 10 (one quantity finding per line expected)' : '\nEvery Addition right (no finding expected)');
  for (const n of SIZES) {
    const group = time(month(n, true, quantityOff));
    const floor = time(month(n, false, quantityOff));
    const kinds = new Map<string, number>();
    for (const f of group.report.findings) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    const wrongPairs = (group.report.matches ?? []).filter((m) => m.additionId !== 500_000 + ((Number(m.lineId.slice(1)) * 7919) % n)).length;
    const right = quantityOff ? kinds.get('quantity_mismatch') === n && kinds.size === 1 : kinds.size === 0;
    if (!right || wrongPairs > 0) failed = true;
    console.log(
      `  N=${String(n).padStart(5)}: one group ${group.ms.toFixed(1).padStart(8)} ms, floor (N groups of one) ${floor.ms.toFixed(1).padStart(7)} ms, ratio ${(group.ms / floor.ms).toFixed(2)}; ` +
        `findings ${JSON.stringify(Object.fromEntries(kinds))}, wrong pairs ${wrongPairs}${right && wrongPairs === 0 ? '' : '  <-- WRONG'}`,
    );
  }
}
if (failed) process.exitCode = 1;
