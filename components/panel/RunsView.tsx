import { kindLabel } from '../findings/words';
import type { PanelModel } from './model';

/** Run history, and what changed in the open run against the one before it. */
export function RunsView({ model }: { model: PanelModel }) {
  const runs = model.runs.value;
  const diff = model.diff.value;
  const current = model.run.value;
  return (
    <div class="runs" data-testid="runs-view">
      {diff && current && (
        <section aria-labelledby="diff-h" data-testid="run-diff">
          <h2 id="diff-h">Since the previous run</h2>
          <p>
            <span data-testid="diff-added">{diff.added.length} new</span>,{' '}
            <span data-testid="diff-gone">{diff.gone.length} gone</span>, {diff.kept} unchanged.
          </p>
          {diff.added.length > 0 && (
            <details>
              <summary>New findings</summary>
              <ul>{diff.added.slice(0, 200).map((f, i) => <li key={i}>{kindLabel(f.kind)}: {f.message}</li>)}</ul>
            </details>
          )}
          {diff.gone.length > 0 && (
            <details>
              <summary>Gone since then</summary>
              <ul>{diff.gone.slice(0, 200).map((f, i) => <li key={i}>{kindLabel(f.kind)}: {f.message}</li>)}</ul>
            </details>
          )}
        </section>
      )}
      <h2>History</h2>
      {runs.length === 0 ? (
        <p data-testid="runs-empty">No runs yet. Capture the month and press Reconcile.</p>
      ) : (
        <table class="runs-table">
          <caption class="sr-only">Past reconciliation runs</caption>
          <thead>
            <tr><th scope="col">When</th><th scope="col">Months</th><th scope="col">Findings</th><th scope="col"><span class="sr-only">Open</span></th></tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid="run-item" aria-current={current?.id === r.id ? 'true' : undefined}>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td>{r.months.join(', ') || '—'}</td>
                <td>
                  {r.findings} ({r.counts.error} errors, {r.counts.warn} warnings)
                  {!r.cwComplete && <span class="warn-text"> partial</span>}
                </td>
                <td>
                  <button type="button" onClick={() => void model.openRun(r.id)} aria-label={`Open run of ${new Date(r.createdAt).toLocaleString()}`}>
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
