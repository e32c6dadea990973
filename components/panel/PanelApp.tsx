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

/**
 * `more`: at side-panel widths (see styles.css) the view's button gives way to the "More" list,
 * so the rest keep one row with every button in view.
 */
const VIEWS: Array<{ id: PanelView; label: string; more?: true }> = [
  { id: 'start', label: 'Start' },
  { id: 'results', label: 'Results' },
  { id: 'money', label: 'Money' },
  { id: 'invoicing', label: 'Invoicing', more: true },
  { id: 'runs', label: 'History' },
  { id: 'mappings', label: 'Mappings', more: true },
  { id: 'health', label: 'Health', more: true },
  { id: 'dictionary', label: 'Dictionary', more: true },
];

/** The side panel shell: navigation, status messages and the current view. */
export function PanelApp({ model, onOpenOptions }: { model: PanelModel; onOpenOptions?: () => void }) {
  useEffect(() => {
    void model.load();
  }, [model]);
  // A note in its typing pause is sent the moment the panel is hidden, closed or left: the
  // message leaves synchronously from the handler, before the page is torn down.
  useEffect(() => {
    const flush = () => void model.flushNotes();
    const hidden = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    window.addEventListener('blur', flush);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('blur', flush);
      document.removeEventListener('visibilitychange', hidden);
    };
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
              <li key={v.id} class={v.more ? 'nav-wide' : undefined}>
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
            <li class="nav-narrow">
              <select
                data-testid="nav-more"
                aria-label="More views"
                class={VIEWS.some((v) => v.more && v.id === view) ? 'current' : undefined}
                value={VIEWS.some((v) => v.more && v.id === view) ? view : ''}
                onChange={(e) => {
                  const next = e.currentTarget.value as PanelView | '';
                  if (next) void model.show(next);
                }}
              >
                <option value="">More</option>
                {VIEWS.filter((v) => v.more).map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.label}
                  </option>
                ))}
              </select>
            </li>
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
