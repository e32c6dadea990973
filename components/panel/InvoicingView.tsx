import type { InvoicingRow } from '../api';
import { cwAgreementUrl } from '../findings/links';
import { formatAmount, formatMoney } from './money';
import type { PanelModel } from './model';

const GUIDE_PATH = 'Finance → Invoicing → Agreement Invoicing';

function amountText(row: InvoicingRow): string {
  return row.currency ? formatMoney(row.amount, row.currency) : `${row.amount.toFixed(2)} (no Agreement Currency)`;
}

/**
 * Agreement Invoicing readiness (setup guide section 2): for a Thru Date, every agreement with
 * Additions to bill, whether ConnectWise invoices it by itself or it waits for Agreement
 * Invoicing, what blocks it, the ready totals per currency and the guide's steps.
 */
export function InvoicingView({ model }: { model: PanelModel }) {
  const inv = model.invoicing;
  const readiness = inv.readiness.value;
  const loading = inv.loading.value;
  const error = inv.error.value;
  const links = model.start.value?.links;
  const rows = readiness?.agreements ?? [];
  const ready = rows.filter((r) => r.ready);
  const manual = ready.filter((r) => r.invoicing === 'manual');
  const totals = Object.entries(readiness?.totals ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div class="invoicing" data-testid="invoicing-view">
      <h2>Agreement Invoicing</h2>
      <form
        class="row"
        aria-label="Billing period"
        onSubmit={(e) => {
          e.preventDefault();
          void inv.check();
        }}
      >
        <label for="invoicing-thru">Thru Date</label>
        <input
          id="invoicing-thru"
          type="date"
          data-testid="invoicing-thru"
          value={inv.thruDate.value}
          aria-describedby="invoicing-thru-help"
          onInput={(e) => inv.setThruDate(e.currentTarget.value)}
        />
        <button type="submit" data-testid="invoicing-check" disabled={loading}>
          Check
        </button>
      </form>
      <p id="invoicing-thru-help" class="help">
        The last day of the billing period, as you will enter it in {GUIDE_PATH}.
      </p>

      {loading && <p role="status">Checking the agreements…</p>}
      {error && (
        <p class="error" role="alert" data-testid="invoicing-error">
          {error}
        </p>
      )}
      {!loading && !error && !readiness && (
        <p data-testid="invoicing-empty">
          Nothing captured yet. Capture the month’s invoice lines on the Platform (Mapping → Invoices) and the ConnectWise
          Additions (or pull them through the API) on the Start view, then pick a Thru Date and press Check.
        </p>
      )}

      {readiness && !loading && (
        <>
          {rows.length === 0 ? (
            <p data-testid="invoicing-empty">
              No agreement has billable Additions through {readiness.thruDate}, and no synced Platform line lands on one.
              Check the Thru Date, or capture the agreements’ Additions again if they changed in ConnectWise.
            </p>
          ) : (
            <>
              <p data-testid="invoicing-summary">
                {rows.length} agreement{rows.length === 1 ? '' : 's'} through {readiness.thruDate}: {ready.length} ready (
                {ready.length - manual.length} invoice automatically, {manual.length} need Agreement Invoicing),{' '}
                {rows.length - ready.length} blocked.
              </p>
              {totals.length > 0 && (
                <div class="table-scroll" role="region" aria-label="Ready to bill per currency" tabIndex={0}>
                  <table data-testid="invoicing-totals">
                    <caption>Ready to bill, per currency</caption>
                    <thead>
                      <tr>
                        <th scope="col">Currency</th>
                        <th scope="col">Amount</th>
                      </tr>
                    </thead>
                    <tbody>
                      {totals.map(([cur, total]) => (
                        <tr key={cur} data-currency={cur}>
                          <th scope="row">{cur || 'No currency'}</th>
                          <td>{cur ? formatAmount(total, cur) : total.toFixed(2)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <ul class="checks" aria-label="Agreements to invoice">
                {rows.map((r) => {
                  const url = cwAgreementUrl(links, r.agreementId);
                  return (
                    <li
                      key={r.agreementId}
                      class={`check ${r.ready ? 'check-ok' : 'check-fail'}`}
                      data-testid="invoicing-row"
                      data-agreement={r.agreementId}
                      data-ready={r.ready ? 'yes' : 'no'}
                      data-invoicing={r.invoicing}
                    >
                      <span class={`badge ${r.ready ? 'badge-ok' : 'badge-fail'}`}>{r.ready ? 'Ready' : 'Blocked'}</span>{' '}
                      <strong>{r.companyName ?? `Company #${r.companyId}`}</strong> ·{' '}
                      {url ? (
                        <a href={url} target="_blank" rel="noopener noreferrer">
                          {r.agreementName}
                        </a>
                      ) : (
                        r.agreementName
                      )}
                      <p>
                        {r.additionsToBill} Addition{r.additionsToBill === 1 ? '' : 's'} to bill: {amountText(r)}.
                      </p>
                      <p data-testid="invoicing-mode">
                        {r.invoicing === 'automatic'
                          ? 'Invoices automatically (Automatically Generate Invoices is on for the agreement or its type).'
                          : `Needs ${GUIDE_PATH}.`}
                      </p>
                      {r.blockers.length > 0 && (
                        <ul class="fix" aria-label="Blockers">
                          {r.blockers.map((b) => (
                            <li key={b.code} data-testid="invoicing-blocker" data-code={b.code}>
                              {b.message}
                            </li>
                          ))}
                        </ul>
                      )}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          <section aria-labelledby="invoicing-steps-h">
            <h3 id="invoicing-steps-h">Run Agreement Invoicing in ConnectWise (setup guide section 2)</h3>
            <p class="help">
              {manual.length > 0
                ? `${manual.length} ready agreement${manual.length === 1 ? '' : 's'} will not invoice by themselves. After each sync:`
                : 'After each sync, for agreements that do not invoice automatically:'}
            </p>
            <ol data-testid="invoicing-steps">
              {readiness.steps.map((s) => (
                <li key={s}>{s.replace('Thru Date', `Thru Date (${readiness.thruDate})`)}</li>
              ))}
            </ol>
          </section>
        </>
      )}
    </div>
  );
}
