import type { PageContext } from '../api';
import type { PanelModel } from './model';
import { captureLabel as nameOfCapture, captureShort } from '../captures';
import { FileImport } from './FileImport';
import { JobProgress } from '../ui/JobProgress';

const SOURCE_TEXT = {
  api: 'ConnectWise data comes from the REST API (keys set in the options).',
  captures: 'ConnectWise data comes from captured Additions pages; no API keys are set.',
  none: 'No ConnectWise data yet: open an agreement’s Additions tab and capture it, or set API keys in the options.',
} as const;

/** What the capture button says, when the page shows a grid the extension can reach; null otherwise. */
export function captureLabel(page: PageContext): string | null {
  if (!page.capturable || !page.reachable || !page.app) return null;
  return page.app === 'platform' ? 'Capture invoice lines' : `Capture additions${page.agreement?.name ? ` of ${page.agreement.name}` : ''}`;
}

function TaskProgress({ model }: { model: PanelModel }) {
  const t = model.task.value;
  if (!t) return null;
  const { done, total, phase } = t.progress;
  const label = t.kind === 'capture' ? 'Capturing' : t.kind === 'pull' ? 'Reading ConnectWise' : 'Reconciling';
  return <JobProgress kind={t.kind} label={label} phase={phase} done={done} total={total} onCancel={() => model.cancel()} />;
}

/** What this page offers, what is captured for the month, and the next step. */
export function StartView({ model, onOpenOptions }: { model: PanelModel; onOpenOptions?: () => void }) {
  const s = model.start.value;
  if (!s) {
    return <p role="status">{model.loading.value ? 'Loading…' : 'Could not load the panel state.'}</p>;
  }
  const busy = model.task.value !== null;
  const platformCaptures = s.captures.filter((c) => c.kind === 'platform');
  const cwCaptures = s.captures.filter((c) => c.kind !== 'platform');
  const canReconcile = platformCaptures.length > 0 && cwCaptures.length > 0;
  const months = s.months?.length ? s.months : s.month ? [s.month] : [];
  const last = s.lastRun;
  const lastCounts = last && model.run.value?.id === last.id ? model.findings.value?.counts.value : undefined;
  return (
    <div class="start" data-testid="start-view">
      <section aria-labelledby="page-h">
        <h2 id="page-h">This page</h2>
        {captureLabel(s.page) ? (
          <>
            <p data-testid="page-kind" data-kind={s.page.screen}>{s.page.title ?? (s.page.url || 'Current page')}</p>
            <button type="button" class="primary" data-testid="capture" disabled={busy} onClick={() => void model.capture()}>
              {captureLabel(s.page)}
            </button>
          </>
        ) : s.page.app && !s.page.reachable ? (
          // A page of either site that has not said what it shows: still loading, or opened before
          // the extension was installed or allowed there.
          <p data-testid="page-kind" data-kind={s.page.screen} role="status">
            Waiting for this {s.page.app === 'platform' ? 'Platform' : 'ConnectWise'} page to say what it shows. If this stays, reload the tab.
          </p>
        ) : (
          <p data-testid="page-kind" data-kind={s.page.screen}>
            Nothing to capture here. Open <strong>Mapping → Invoices</strong> on the Platform, or an agreement’s
            <strong> Additions</strong> tab in ConnectWise.
          </p>
        )}
      </section>
      <section aria-labelledby="month-h">
        <h2 id="month-h">{s.month ? `Captured for ${s.month}` : 'Captured so far'}</h2>
        {s.captures.length === 0 ? (
          <p data-testid="no-captures">Nothing captured yet. Start with the Platform’s invoice lines for the month.</p>
        ) : (
          <ul class="captures" data-testid="captures">
            {s.captures.map((c) => (
              <li key={c.id} data-testid="capture-item">
                <strong>{c.kind === 'platform' ? 'Platform' : 'ConnectWise'}</strong> {nameOfCapture({ ...c, complete: true })}: {c.rows} rows
                {!c.complete && (
                  <span class="badge-partial" data-testid="capture-partial">
                    {' '}partial{captureShort(c) ? ` (page showed ${c.gridTotal})` : ''}: stopped part-way, kept beside the complete one; capture again
                  </span>
                )}
                {c.complete && captureShort(c) && (
                  <span class="warn-text"> (page showed {c.gridTotal}; capture again)</span>
                )}
              </li>
            ))}
          </ul>
        )}
        <p data-testid="cw-source" data-source={s.cwSource}>
          {SOURCE_TEXT[s.cwSource]}{' '}
          {s.cwSource !== 'api' && onOpenOptions && (
            <button type="button" class="link" onClick={onOpenOptions}>Open options</button>
          )}
        </p>
        {s.cwSource === 'api' && (
          <button type="button" data-testid="pull-api" disabled={busy || platformCaptures.length === 0} onClick={() => void model.pull()}>
            Pull ConnectWise data through the API
          </button>
        )}
      </section>
      <FileImport model={model.files} disabled={busy} />
      <TaskProgress model={model} />
      <section aria-labelledby="run-h">
        <h2 id="run-h">Reconcile</h2>
        <button type="button" class="primary" data-testid="reconcile" disabled={busy || !canReconcile} onClick={() => void model.reconcile()}>
          {months.length > 1 ? `Reconcile ${months[0]} to ${months.at(-1)}` : `Reconcile ${months[0] ?? ''}`.trim()}
        </button>
        {months.length > 1 && (
          <p class="muted" data-testid="reconcile-months">
            Reads the invoice months {months.join(', ')}: ended subscriptions are judged against the months before the latest.
          </p>
        )}
        {!canReconcile && (
          <p class="muted">
            {platformCaptures.length === 0
              ? 'Capture the Platform’s invoice lines first.'
              : s.cwSource === 'api'
                ? 'Pull ConnectWise data through the API (or capture an Additions tab) first.'
                : 'Add ConnectWise data first: capture an agreement’s Additions tab, or set API keys in the options.'}
          </p>
        )}
        {s.lastRun && (
          <p>
            Last run {new Date(s.lastRun.createdAt).toLocaleString()}:{' '}
            <span data-testid="last-run-counts">
              {lastCounts
                ? `${lastCounts.open} open of ${lastCounts.total} findings (${lastCounts.resolved} resolved, ${lastCounts.ignored} ignored)`
                : `${s.lastRun.findings} findings (open and resolved are counted once its results are opened)`}
            </span>
            {s.lastRun.linesCompared === 0
              ? ', but no line was compared (not a clean result)'
              : !s.lastRun.cwComplete
                ? ', from ConnectWise data read only in part'
                : ''}
            .{' '}
            <button type="button" class="link" data-testid="open-last-run" onClick={() => void model.openRun(s.lastRun!.id)}>
              Show results
            </button>
          </p>
        )}
      </section>
    </div>
  );
}
