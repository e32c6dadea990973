import { useEffect, useState } from 'preact/hooks';
import type { PanelRun } from '../api';
import { beyondOrder } from '../findings/paging';
import { kindLabel } from '../findings/words';
import { contributionSubject, formatAmount, formatMoney, moneyOf, sortMoneyRows, unreadNotice } from './money';
import type { MoneySort } from './money';

const SORTS: Array<{ id: MoneySort; label: string }> = [
  { id: 'gap', label: 'Largest gap' },
  { id: 'company', label: 'Company' },
  { id: 'month', label: 'Month' },
];

/**
 * The bottom line per month, company and agreement: what the Platform invoiced, what ConnectWise
 * will bill, the gap, the part findings explain and what is left unexplained. Totals are kept per
 * currency, never added across currencies.
 */
export function MoneyPanel({ run }: { run: PanelRun | null }) {
  const [sort, setSort] = useState<MoneySort>('gap');
  // A run read back in pages comes without its money view (megabytes in a large month): it is
  // read here, once, when the view is opened, and kept on the run.
  const later = beyondOrder(run?.pages);
  const waiting = !!run && !run.report.money && !!later.hasMoney && !!later.money;
  const [failed, setFailed] = useState<string | null>(null);
  const [, setRead] = useState(0);
  useEffect(() => {
    if (!run || !waiting) return;
    let live = true;
    later.money!().then(
      (m) => {
        if (m) run.report.money = m;
        if (live) setRead((n) => n + 1);
      },
      (e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [run, waiting]);
  if (waiting) {
    return failed ? (
      <p class="error" role="alert" data-testid="money-error">The money view could not be read: {failed}</p>
    ) : (
      <p role="status" data-testid="money-reading">Reading the money view…</p>
    );
  }
  const money = run ? moneyOf(run) : null;
  if (!run || !money) {
    return (
      <p data-testid="money-empty">
        {run ? 'This run has no money view (it was made by an older version). Reconcile again to see it.' : 'No results yet. Reconcile the month first.'}
      </p>
    );
  }
  const fromReport = run.report.names;
  const companyName = (id: number) => run.names?.companies?.[String(id)] ?? fromReport?.companies?.[String(id)] ?? `Company #${id}`;
  const agreementName = (id: number) => run.names?.agreements?.[String(id)]?.name ?? fromReport?.agreements?.[String(id)] ?? `Agreement #${id}`;
  const rows = sortMoneyRows(money.rows, sort, companyName);
  const totals = Object.entries(money.totals).sort(([a], [b]) => a.localeCompare(b));
  const unread = unreadNotice(run);
  return (
    <div class="money" data-testid="money-view">
      <h2>Money</h2>
      {unread && (
        <div class="warn-text" role="note" data-testid="money-unread">
          <p>
            Not every agreement was read whole, so these amounts leave out what ConnectWise holds there
            {unread.unverifiedLines > 0 ? `, and ${unread.unverifiedLines} line${unread.unverifiedLines === 1 ? ' is' : 's are'} unverified (counted in Unexplained, not as missing)` : ''}:
          </p>
          <ul>
            {unread.agreements.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
          <p>{unread.fix}</p>
        </div>
      )}
      {/* Wide amounts may not fit a narrow panel: the table scrolls on its own, reachable by keyboard. */}
      <div class="table-scroll" role="region" aria-label="Totals per currency" tabIndex={0}>
      <table class="money-totals" data-testid="money-totals">
        <caption>Totals per currency</caption>
        <thead>
          <tr><th scope="col">Currency</th><th scope="col">Platform</th><th scope="col">ConnectWise</th><th scope="col">Gap</th><th scope="col">Unexplained</th></tr>
        </thead>
        <tbody>
          {totals.map(([cur, t]) => (
            <tr key={cur} data-currency={cur}>
              <th scope="row">{cur}</th>
              <td>{formatAmount(t.platform, cur)}</td>
              <td>{formatAmount(t.connectwise, cur)}</td>
              <td>{formatAmount(t.difference, cur)}</td>
              <td class={t.residual !== 0 ? 'warn-text' : ''}>
                {formatAmount(t.residual, cur)}
                {t.unverified !== undefined && <span class="unverified" data-testid="money-total-unverified"> (of which unverified {formatAmount(t.unverified, cur)})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {money.notes.length > 0 && <ul class="muted">{money.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
      <div class="row" role="group" aria-label="Sort rows by">
        <span class="muted">Sort by</span>
        {SORTS.map((s) => (
          <button type="button" key={s.id} aria-pressed={sort === s.id} data-testid={`money-sort-${s.id}`} onClick={() => setSort(s.id)}>
            {s.label}
          </button>
        ))}
      </div>
      {rows.length === 0 ? (
        <p>No compared lines carry revenue in this run.</p>
      ) : (
        <ul class="money-rows">
          {rows.map((r) => (
            <li key={`${r.month}|${r.agreementId}|${r.currency}`} data-testid="money-row" data-gap={r.difference}>
              <details>
                <summary>
                  <strong>{companyName(r.companyId)}</strong> · {agreementName(r.agreementId)} · {r.month}:{' '}
                  gap {formatMoney(r.difference, r.currency)}
                  {r.residual !== 0 && <span class="warn-text"> ({formatMoney(r.residual, r.currency)} unexplained)</span>}
                  {r.unverified !== undefined && <span class="warn-text" data-testid="money-row-unverified"> ({formatMoney(r.unverified, r.currency)} unverified: agreement not read)</span>}
                </summary>
                <dl class="money-detail">
                  <dt>Platform invoiced</dt><dd>{formatMoney(r.platform, r.currency)}</dd>
                  <dt>ConnectWise will bill</dt><dd>{formatMoney(r.connectwise, r.currency)}</dd>
                  <dt>Explained by findings</dt><dd>{formatMoney(r.explained, r.currency)}</dd>
                  <dt>Unexplained</dt><dd>{formatMoney(r.residual, r.currency)}</dd>
                  {r.unverified !== undefined && (
                    <>
                      <dt>Of which unverified</dt>
                      <dd>
                        {formatMoney(r.unverified, r.currency)} on line{(r.unverifiedLineIds?.length ?? 0) === 1 ? '' : 's'} {(r.unverifiedLineIds ?? []).join(', ')}, whose Addition may sit on an agreement not read
                      </dd>
                    </>
                  )}
                </dl>
                {r.findings.length > 0 && (
                  <ul>
                    {r.findings.map((c, i) => (
                      <li key={i}>
                        {kindLabel(c.kind)} {contributionSubject(c)}:{' '}
                        {formatMoney(c.amount, r.currency)}
                      </li>
                    ))}
                  </ul>
                )}
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
