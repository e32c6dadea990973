import type { InvoicingReadiness } from './schema';
import { csvCell } from '../ingest/csv-write';

export type ReadinessFormat = 'json' | 'csv' | 'text';

export function renderReadiness(r: InvoicingReadiness, format: ReadinessFormat): string {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n';
  if (format === 'csv') {
    const head = ['agreementId', 'agreementName', 'companyId', 'companyName', 'currency', 'additionsToBill', 'amount', 'invoicing', 'ready', 'blockers'];
    const rows = r.agreements.map((a) =>
      [a.agreementId, a.agreementName, a.companyId, a.companyName ?? '', a.currency ?? '', a.additionsToBill, a.amount, a.invoicing, a.ready, a.blockers.map((b) => b.code).join(' ')]
        .map((v) => cell(String(v)))
        .join(','),
    );
    return [head.join(','), ...rows].join('\r\n') + '\r\n';
  }
  const out = [`Agreement Invoicing readiness, Thru Date ${r.thruDate}`, ''];
  const ready = r.agreements.filter((a) => a.ready);
  out.push(`${r.agreements.length} agreement(s): ${ready.length} ready (${ready.filter((a) => a.invoicing === 'automatic').length} invoice automatically), ${r.agreements.length - ready.length} blocked`);
  for (const [code, total] of Object.entries(r.totals)) out.push(`  Ready to bill in ${code || 'no currency'}: ${total}`);
  for (const a of r.agreements) {
    out.push('', `${a.ready ? 'READY  ' : 'BLOCKED'} ${a.companyName ?? `#${a.companyId}`} / ${a.agreementName} (#${a.agreementId}): ${a.additionsToBill} Addition(s), ${a.amount} ${a.currency ?? ''}`.trimEnd());
    out.push(`        ${a.invoicing === 'automatic' ? 'Invoices automatically (Automatically Generate Invoices is on).' : 'Needs Finance → Invoicing → Agreement Invoicing.'}`);
    for (const b of a.blockers) out.push(`        Blocker: ${b.message}`);
  }
  if (r.agreements.some((a) => a.ready && a.invoicing === 'manual')) {
    out.push('', 'Agreement Invoicing steps (setup guide section 2):');
    r.steps.forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
  }
  return out.join('\n') + '\n';
}

/** The shared CSV cell writer: agreement and company names are user text a spreadsheet must not run. */
const cell = csvCell;
