import type { LinkBases, StoredRun } from '../api';
import { downloadText, openHtml } from '../ui/download';
import { CoverageBar } from './CoverageBar';
import { renderCsv, renderEvidenceHtml, renderJson } from './exports';
import { FiltersBar } from './FiltersBar';
import { FindingDetail } from './FindingDetail';
import { FindingsTree } from './FindingsTree';
import type { FindingsModel } from './model';

function fileStem(run: StoredRun): string {
  const w = run.report.window;
  return `reconciliation-${w.from ?? 'unknown'}_${w.to ?? 'unknown'}`;
}

/** Results of one run: coverage, filters, the windowed tree, the selected finding, exports and undo. */
export function FindingsView({ run, model, links }: { run: StoredRun; model: FindingsModel; links?: LinkBases }) {
  const counts = model.counts.value;
  const res = model.resolutions.value;
  return (
    <div class="findings-view">
      <CoverageBar coverage={run.report.coverage} openFindings={counts.open} />
      <div class="toolbar" role="toolbar" aria-label="Export">
        <button type="button" data-testid="export-csv" onClick={() => downloadText(document, `${fileStem(run)}.csv`, renderCsv(run, res), 'text/csv')}>
          Export CSV
        </button>
        <button type="button" data-testid="export-json" onClick={() => downloadText(document, `${fileStem(run)}.json`, renderJson(run.report, res), 'application/json')}>
          Export JSON
        </button>
        <button type="button" data-testid="export-evidence" onClick={() => openHtml(window, renderEvidenceHtml(run, res))}>
          Printable evidence
        </button>
      </div>
      <FiltersBar model={model} />
      <p class="shown" aria-live="polite" data-testid="findings-count">
        Showing {counts.shown} of {counts.total} findings
      </p>
      {counts.shown > 0 && model.filters.value.resolved === 'open' && counts.shown < counts.total && (
        <div class="row bulk" role="group" aria-label="All shown findings">
          <button type="button" data-testid="resolve-shown" onClick={() => void model.markShown('resolved')}>
            Mark the {counts.shown} shown resolved
          </button>
          <button type="button" data-testid="ignore-shown" onClick={() => void model.markShown('ignored')}>
            Ignore the {counts.shown} shown
          </button>
        </div>
      )}
      {model.canUndo.value && (
        <div class="undo" role="status">
          <span>{model.lastAction.value}.</span>
          <button type="button" data-testid="undo" onClick={() => void model.undo()}>Undo</button>
        </div>
      )}
      {model.error.value && <p class="error" role="alert">{model.error.value}</p>}
      <div class="master-detail">
        <FindingsTree model={model} />
        <FindingDetail model={model} links={links} />
      </div>
    </div>
  );
}
