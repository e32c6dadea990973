import type { MoneyContribution, MoneyRow, MoneyView } from '../../core/money/view';
import type { PanelRun } from '../api';

export type MoneySort = 'gap' | 'company' | 'month';

/** The report's money section, when the engine that made the run wrote one. */
export function moneyOf(run: Pick<PanelRun, 'report'>): MoneyView | null {
  return run.report.money ?? null;
}

/** Largest gap first by default; ties and the other orders are stable and name-based. */
export function sortMoneyRows(rows: readonly MoneyRow[], by: MoneySort, companyName: (id: number) => string): MoneyRow[] {
  const out = [...rows];
  const name = (r: MoneyRow) => companyName(r.companyId);
  out.sort((a, b) => {
    if (by === 'gap') return Math.abs(b.difference) - Math.abs(a.difference) || name(a).localeCompare(name(b)) || a.month.localeCompare(b.month);
    if (by === 'company') return name(a).localeCompare(name(b)) || a.month.localeCompare(b.month) || a.agreementId - b.agreementId;
    return a.month.localeCompare(b.month) || name(a).localeCompare(name(b)) || a.agreementId - b.agreementId;
  });
  return out;
}

/**
 * What a contribution names, in brackets: the line, and the Addition too when the gap is a line's
 * Addition sitting elsewhere (wrong agreement, or a company or agreement the line names that
 * ConnectWise lacks), since the row it shows on may be the agreement holding that Addition.
 */
export function contributionSubject(c: Pick<MoneyContribution, 'lineId' | 'additionId'>): string {
  if (c.lineId && c.additionId !== undefined) return `(line ${c.lineId}, Addition ${c.additionId})`;
  if (c.lineId) return `(line ${c.lineId})`;
  return c.additionId !== undefined ? `(Addition ${c.additionId})` : '';
}

/** An amount in its own currency; an unknown code still shows the number and the code. */
export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'code' }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** The number alone, with the currency's own decimals: for tables whose row already names the currency. */
export function formatAmount(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency })
      .formatToParts(amount)
      .filter((p) => p.type !== 'currency' && p.type !== 'literal')
      .map((p) => p.value)
      .join('');
  } catch {
    return amount.toFixed(2);
  }
}

/**
 * Agreements the run could not read whole (DESIGN §3.5), said once above the money rows: their
 * gaps leave out what ConnectWise holds there, and their lines' revenue is unverified, not missing.
 */
export function unreadNotice(run: Pick<PanelRun, 'report'>): { agreements: string[]; unverifiedLines: number; fix: string } | null {
  const c = run.report.coverage;
  const gaps = c.agreementsNotRead ?? [];
  if (gaps.length === 0) return null;
  const agreements = gaps.map((g) => {
    const name = g.agreementId !== undefined ? `${g.agreement ?? 'Agreement'} (#${g.agreementId})` : `${g.agreement ?? 'the agreements'} of ${g.company ?? 'an unknown company'}`;
    return `${name}: ${g.state === 'partial' ? 'read only in part' : 'not read'}`;
  });
  return {
    agreements,
    unverifiedLines: c.unverified?.length ?? 0,
    fix: 'Capture those agreements’ Additions tabs in ConnectWise, or pull again through the API, then reconcile again.',
  };
}
