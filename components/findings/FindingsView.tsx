import { useRef, useState } from 'preact/hooks';
import type { LinkBases, PanelRun } from '../api';
import { downloadText, openHtml } from '../ui/download';
import { CoverageBar } from './CoverageBar';
import { renderCsv, renderEvidenceHtml, renderJson } from './exports';
import { FiltersBar } from './FiltersBar';
import { FindingDetail, findingShortcuts, SHORTCUTS } from './FindingDetail';
import { FindingsTree } from './FindingsTree';
import type { FindingsModel } from './model';
import { beyondOrder } from './paging';

function fileStem(run: PanelRun, shown: boolean): string {
  const w = run.report.window;
  return `reconciliation-${w.from ?? 'unknown'}_${w.to ?? 'unknown'}${shown ? '-filtered' : ''}`;
}

/** Ticked findings: one note and one verdict for all of them, undone in one step. */
function BulkBar({ model }: { model: FindingsModel }) {
  const [note, setNote] = useState('');
  const count = model.checked.value.size;
  const shown = model.counts.value.shown;
  if (count === 0) {
    return shown > 1 ? (
      <div class="row bulk" role="group" aria-label="Selection">
        <button type="button" class="link" data-testid="select-all-matching" onClick={() => model.checkAllMatching()}>
          Select all {shown} matching this filter
        </button>
      </div>
    ) : null;
  }
  const act = (status: 'resolved' | 'ignored') => {
    void model.markChecked(status, note);
    setNote('');
  };
  return (
    <div class="row bulk selected-bar" role="group" aria-label={`${count} selected`} data-testid="bulk-bar">
      <strong data-testid="checked-count">{count} selected</strong>
      <label class="grow">
        <span class="sr-only">Note for the selected findings</span>
        <input type="text" data-testid="bulk-note" placeholder="One note for all (optional)" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <button type="button" class="primary" data-testid="resolve-checked" onClick={() => act('resolved')}>Resolve {count}</button>
      <button type="button" data-testid="ignore-checked" onClick={() => act('ignored')}>Ignore {count}</button>
      <button type="button" data-testid="clear-checked" onClick={() => model.clearChecked()}>Clear</button>
    </div>
  );
}

/** The month's sign-off: who closes the review, with a note; afterwards, who did and when. */
function SignOffBox({ run, onSignOff, open }: { run: PanelRun; onSignOff?: (by: string, note: string) => void; open: number }) {
  const [by, setBy] = useState('');
  const [note, setNote] = useState('');
  if (run.signOff) {
    return (
      <p class="signed" data-testid="signed-off">
        Signed off by <strong>{run.signOff.by}</strong> on {new Date(run.signOff.at).toLocaleString()}
        {run.signOff.note ? `: ${run.signOff.note}` : ''}. The run is frozen.
      </p>
    );
  }
  if (!onSignOff) return null;
  return (
    <details class="sign-off">
      <summary>Sign off the month{open > 0 ? ` (${open} still open)` : ''}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSignOff(by, note);
        }}
      >
        <label>
          Signed off by <input type="text" data-testid="sign-off-by" required value={by} onInput={(e) => setBy(e.currentTarget.value)} />
        </label>
        <label>
          Note <input type="text" data-testid="sign-off-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" data-testid="sign-off">Sign off and freeze</button>
      </form>
    </details>
  );
}

/** Results of one run: coverage, filters, the windowed tree, the finding drawer, exports and undo. */
export function FindingsView({
  run,
  model,
  links,
  onSignOff,
}: {
  run: PanelRun;
  model: FindingsModel;
  links?: LinkBases;
  onSignOff?: (by: string, note: string) => void;
}) {
  const counts = model.counts.value;
  const res = model.resolutions.value;
  const [scope, setScope] = useState<'shown' | 'all'>('shown');
  const [exportError, setExportError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const filteredOut = counts.shown < counts.total;
  const only = () => (scope === 'shown' && filteredOut ? new Set(model.filtered.value.map((i) => i.key)) : undefined);
  const focusNote = () => root.current?.querySelector<HTMLTextAreaElement>('#finding-note')?.focus();
  // A run read back in pages is exported by the background, which holds it whole with its
  // matches and money view (the panel reads neither): everything, or the row keys the filters
  // show. While the run is still being read, a filtered export waits for the rest.
  const reading = model.reading.value;
  const pages = run.pages;
  const byKeys = beyondOrder(pages).exportKeys;
  const waitTitle = reading && filteredOut && scope === 'shown' ? 'Available once every finding is read' : undefined;
  const exportFile = (format: 'csv' | 'json', panelText: () => string) => {
    const keys = only();
    const name = `${fileStem(run, !!keys)}.${format}`;
    const mime = format === 'csv' ? 'text/csv' : 'application/json';
    setExportError(null);
    const written = !pages ? undefined : keys ? byKeys?.(format, [...keys]) : pages.exportAll(format);
    if (!written) return downloadText(document, name, panelText(), mime);
    void written.then(
      (e) => downloadText(document, name, e.text, mime),
      (e: unknown) => setExportError(`Could not export: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  return (
    <div class="findings-view" ref={root} onKeyDown={(e) => findingShortcuts(model, focusNote)(e)}>
      <CoverageBar coverage={run.report.coverage} openFindings={counts.open} />
      <div class="toolbar" role="toolbar" aria-label="Export">
        <label>
          <span class="sr-only">What to export</span>
          <select data-testid="export-scope" value={scope} onChange={(e) => setScope(e.currentTarget.value as 'shown' | 'all')}>
            <option value="shown">Export what is shown ({counts.shown})</option>
            <option value="all">Export everything ({counts.total})</option>
          </select>
        </label>
        <button type="button" data-testid="export-csv" disabled={!!waitTitle} title={waitTitle} onClick={() => exportFile('csv', () => renderCsv(run, res, only()))}>
          CSV
        </button>
        <button type="button" data-testid="export-json" disabled={!!waitTitle} title={waitTitle} onClick={() => exportFile('json', () => renderJson(run.report, res, only() && new Set(model.filtered.value.map((i) => i.fp))))}>
          JSON
        </button>
        <button type="button" data-testid="export-evidence" disabled={!!reading} title={reading ? 'Available once every finding is read' : undefined} onClick={() => openHtml(window, renderEvidenceHtml(run, res, only()))}>
          Evidence
        </button>
      </div>
      <SignOffBox run={run} onSignOff={onSignOff} open={counts.open} />
      <FiltersBar model={model} />
      <p class="shown" aria-live="polite" data-testid="findings-count">
        Showing {counts.shown} of {counts.total} findings · <span data-testid="open-count">{counts.open} open</span>, {counts.resolved} resolved, {counts.ignored} ignored
        {reading && (
          <span data-testid="findings-reading">
            {' '}· reading the run: {reading.read.toLocaleString()} of {reading.total.toLocaleString()} findings so far
          </span>
        )}
      </p>
      {!model.frozen && <BulkBar model={model} />}
      {model.canUndo.value && !model.frozen && (
        <div class="undo" role="status">
          <span data-testid="undo-label">{model.lastAction.value}.</span>
          <button type="button" data-testid="undo" onClick={() => void model.undo()}>Undo</button>
        </div>
      )}
      {model.error.value && <p class="error" role="alert">{model.error.value}</p>}
      {exportError && <p class="error" role="alert" data-testid="export-error">{exportError}</p>}
      <div class="master-detail">
        <FindingsTree model={model} />
        <FindingDetail model={model} links={links} />
      </div>
      <details class="shortcuts">
        <summary>Keyboard shortcuts</summary>
        <ul>
          {SHORTCUTS.map((s) => (
            <li key={s.key}>
              <kbd>{s.key}</kbd> {s.does}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
