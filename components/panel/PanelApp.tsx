import { useEffect } from 'preact/hooks';
import { FindingsView } from '../findings/FindingsView';
import type { PanelModel, PanelView } from './model';
import { DictionaryView } from './DictionaryView';
import { HealthView } from './HealthView';
import { InvoicingView } from './InvoicingView';
import { MappingsView } from './MappingsView';
import { MoneyPanel } from './MoneyPanel';
import { RunsView } from './RunsView';
import { StartView } from './StartView';

const VIEWS: Array<{ id: PanelView; label: string }> = [
  { id: 'start', label: 'Start' },
  { id: 'results', label: 'Results' },
  { id: 'money', label: 'Money' },
  { id: 'invoicing', label: 'Invoicing' },
  { id: 'runs', label: 'History' },
  { id: 'mappings', label: 'Mappings' },
  { id: 'health', label: 'Health' },
  { id: 'dictionary', label: 'Dictionary' },
];

/** The side panel shell: navigation, status messages and the current view. */
export function PanelApp({ model, onOpenOptions }: { model: PanelModel; onOpenOptions?: () => void }) {
  useEffect(() => {
    void model.load();
  }, [model]);
  const view = model.view.value;
  const run = model.run.value;
  const findings = model.findings.value;
  return (
    <div class="app panel">
      <header>
        {/* Firefox's sidebar header already names the extension: there the title is for screen readers only. */}
        <h1 class={import.meta.env.FIREFOX ? 'sr-only' : undefined}>CW Reconciler</h1>
        <nav aria-label="Panel views">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.id}>
                <button
                  type="button"
                  data-testid={`nav-${v.id}`}
                  aria-current={view === v.id ? 'page' : undefined}
                  onClick={() => void model.show(v.id)}
                >
                  {v.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {model.error.value && (
        <p class="error" role="alert" data-testid="panel-error">
          {model.error.value}
        </p>
      )}
      {model.notice.value && (
        <p class={model.noticeTone.value === 'warn' ? 'notice warn' : 'notice'} role="status" data-testid="panel-notice" data-tone={model.noticeTone.value}>
          {model.notice.value}
        </p>
      )}
      <main>
        {view === 'start' && <StartView model={model} onOpenOptions={onOpenOptions} />}
        {view === 'results' &&
          (run && findings ? (
            <FindingsView run={run} model={findings} links={model.start.value?.links} onSignOff={(by, note) => void model.signOff(by, note)} />
          ) : (
            <p data-testid="results-empty">
              No results yet. Capture the month’s invoice lines and ConnectWise Additions, then press Reconcile on the Start view.
            </p>
          ))}
        {view === 'money' && <MoneyPanel run={run} />}
        {view === 'invoicing' && <InvoicingView model={model} />}
        {view === 'runs' && <RunsView model={model} />}
        {view === 'mappings' && <MappingsView model={model} />}
        {view === 'health' && <HealthView model={model} />}
        {view === 'dictionary' && <DictionaryView model={model} />}
      </main>
    </div>
  );
}
