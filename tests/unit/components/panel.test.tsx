// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createPanelModel } from '../../../components/panel/model';
import { PanelApp } from '../../../components/panel/PanelApp';
import { seriousViolations } from './axe';
import { createMemoryApi } from './memory-api';
import { makeRun } from './fixtures';
import { click, choose, key, mount, q, qa, settle, type } from './render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function setup(opts: Parameters<typeof createMemoryApi>[0] = {}) {
  const mem = createMemoryApi({
    page: { app: 'platform', screen: 'platform.invoices', title: 'Mapping → Invoices', capturable: true },
    cwSource: 'api',
    reconcile: (n) => makeRun(200, { id: `run-${n}`, createdAt: `2026-12-0${n}T08:00:00.000Z`, skip: n === 2 ? [1, 2, 3] : [] }),
    ...opts,
  });
  const model = createPanelModel(mem.api, () => new Date('2026-12-05T10:00:00Z'));
  const view = mount(<PanelApp model={model} />);
  cleanup = view.unmount;
  return { mem, model, root: view.container };
}

describe('side panel', () => {
  it('starts with what the page offers and what to do next', async () => {
    const { root } = setup();
    await settle();
    expect(q(root, 'page-kind')?.getAttribute('data-kind')).toBe('platform.invoices');
    expect(q(root, 'capture')?.textContent).toBe('Capture invoice lines');
    expect(q(root, 'no-captures')).not.toBeNull();
    expect(q(root, 'cw-source')?.getAttribute('data-source')).toBe('api');
    expect((q(root, 'reconcile') as HTMLButtonElement).disabled).toBe(true);
    expect(await seriousViolations(root)).toEqual([]);
  });

  it('says so when the page offers nothing to capture', async () => {
    const { root } = setup({ page: { screen: 'none' } });
    await settle();
    expect(q(root, 'capture')).toBeNull();
    expect(q(root, 'page-kind')?.textContent).toContain('Mapping → Invoices');
  });

  it('says a page of either site has not answered yet, rather than that it offers nothing', async () => {
    const { root } = setup({ page: { app: 'connectwise', screen: 'connectwise.other', capturable: false, reachable: false } });
    await settle();
    expect(q(root, 'capture')).toBeNull();
    expect(q(root, 'page-kind')?.textContent).toContain('Waiting for this ConnectWise page to say what it shows');
    expect(q(root, 'page-kind')?.textContent).not.toContain('Nothing to capture');
  });

  it('captures with progress, then reconciles and shows grouped results with coverage', async () => {
    const { root, mem } = setup();
    await settle();
    await click(q(root, 'capture'));
    await settle(5);
    expect(mem.calls).toContain('capture');
    expect(qa(root, 'capture-item')).toHaveLength(1);
    expect(q(root, 'panel-notice')?.textContent).toContain('Captured 300 rows');
    // ConnectWise data is still missing: reconcile waits for it
    expect((q(root, 'reconcile') as HTMLButtonElement).disabled).toBe(true);
    await click(q(root, 'pull-api'));
    await settle(5);
    expect(mem.calls).toContain('pull');
    expect(q(root, 'panel-notice')?.textContent).toContain('Read 42 Additions');
    expect((q(root, 'reconcile') as HTMLButtonElement).disabled).toBe(false);

    await click(q(root, 'reconcile'));
    await settle(5);
    expect(q(root, 'nav-results')?.getAttribute('aria-current')).toBe('page');
    expect(q(root, 'coverage')?.getAttribute('data-status')).toBe('issues');
    expect(q(root, 'findings-count')?.textContent).toContain('of 200 findings');
    const tree = root.querySelector('[role="tree"]')!;
    expect(tree.querySelector('[role="treeitem"][aria-level="1"]')).not.toBeNull();
    expect(qa(root, 'finding-row').length).toBeGreaterThan(0);
    expect(await seriousViolations(root)).toEqual([]);
  });

  it('cancels a capture and says nothing was saved', async () => {
    const { root, mem, model } = setup({ captureSteps: 50 });
    await settle();
    await click(q(root, 'capture'));
    expect(q(root, 'capture-progress')).not.toBeNull();
    await click(q(root, 'cancel-task'));
    await settle(10);
    expect(model.task.value).toBeNull();
    expect(q(root, 'panel-notice')?.textContent).toContain('cancelled');
    expect((await mem.api.getStart()).captures).toHaveLength(0);
  });

  it('shows an error that says what went wrong when reconcile fails', async () => {
    const mem = createMemoryApi({ page: { screen: 'none' }, cwSource: 'api' });
    const model = createPanelModel(mem.api);
    await model.load();
    await model.reconcile();
    expect(model.error.value).toContain('capture the month first');
  });

  it('resolves a finding from the detail view, keeps it after reload, and undoes', async () => {
    const run = makeRun(60, { id: 'run-1' });
    const { root, mem } = setup({ runs: [run] });
    await settle(5);
    await click(q(root, 'nav-results'));
    const row = qa(root, 'finding-row')[0]!;
    const fp = row.getAttribute('data-fingerprint')!;
    await click(row);
    expect(q(root, 'finding-detail')?.getAttribute('data-fingerprint')).toBe(fp);
    await click(q(root, 'resolve-finding'));
    expect(mem.resolutions.get(fp)?.status).toBe('resolved');
    // default filter hides resolved ones
    expect(qa(root, 'finding-row').some((r) => r.getAttribute('data-fingerprint') === fp)).toBe(false);
    await click(q(root, 'undo'));
    expect(mem.resolutions.has(fp)).toBe(false);
    await click(qa(root, 'finding-row').find((r) => r.getAttribute('data-fingerprint') === fp));
    await click(q(root, 'resolve-finding'));
    cleanup?.();

    // a fresh panel over the same store
    const model2 = createPanelModel(mem.api);
    const view2 = mount(<PanelApp model={model2} />);
    cleanup = view2.unmount;
    await settle(5);
    await click(q(view2.container, 'nav-results'));
    await choose(q(view2.container, 'filter-resolved')!, 'resolved');
    await settle();
    expect(qa(view2.container, 'finding-row').map((r) => r.getAttribute('data-fingerprint'))).toEqual([fp]);
  });

  it('shows both systems’ words and values side by side, with deep links', async () => {
    const run = makeRun(60, { id: 'run-1' });
    const { root } = setup({ runs: [run] });
    await settle(5);
    await click(q(root, 'nav-results'));
    await choose(q(root, 'filter-kind')!, 'quantity_mismatch');
    await settle();
    await click(qa(root, 'finding-row')[0]);
    const table = q(root, 'finding-values')!;
    expect(table.textContent).toContain('AppXite Platform');
    expect(table.textContent).toContain('ConnectWise');
    expect(q(root, 'value-expected')?.textContent).toBe('12');
    expect(q(root, 'value-actual')?.textContent).toBe('10');
    const link = q(root, 'link-cw-agreement') as HTMLAnchorElement;
    expect(link.href).toContain('openrecord.rails');
    expect(link.href).toContain('recordType=AgreementFV');
    expect(q(root, 'link-cw-company')).not.toBeNull();
  });

  it('moves through the tree with the keyboard and opens a finding with Enter', async () => {
    const { root } = setup({ runs: [makeRun(60, { id: 'run-1' })] });
    await settle(5);
    await click(q(root, 'nav-results'));
    const tree = root.querySelector('[role="tree"]') as HTMLElement;
    expect(tree.tabIndex).toBe(0);
    const activeId = () => tree.getAttribute('aria-activedescendant')!;
    expect(root.querySelector(`#${activeId()}`)?.getAttribute('aria-level')).toBe('1');
    await key(tree, 'ArrowLeft'); // collapse the first company
    expect(root.querySelector(`#${activeId()}`)?.getAttribute('aria-expanded')).toBe('false');
    await key(tree, 'ArrowRight'); // expand it again
    await key(tree, 'ArrowDown'); // agreement
    await key(tree, 'ArrowDown'); // first finding
    const item = root.querySelector(`#${activeId()}`)!;
    expect(item.getAttribute('aria-level')).toBe('3');
    await key(tree, 'Enter');
    await settle();
    expect(q(root, 'finding-detail')?.getAttribute('data-fingerprint')).toBe(item.getAttribute('data-fingerprint'));
    await key(tree, 'End');
    expect(root.querySelector(`#${activeId()}`)).not.toBeNull();
  });

  it('searches and says what to do when nothing matches', async () => {
    const { root } = setup({ runs: [makeRun(60, { id: 'run-1' })] });
    await settle(5);
    await click(q(root, 'nav-results'));
    await type(q(root, 'findings-search')!, 'L00007');
    await settle();
    expect(qa(root, 'finding-row').map((r) => r.textContent)).toHaveLength(1);
    await type(q(root, 'findings-search')!, 'zzz-nothing');
    await settle();
    expect(q(root, 'findings-empty')?.textContent).toContain('Clear the filters');
    await click(q(root, 'clear-filters'));
    expect(qa(root, 'finding-row').length).toBeGreaterThan(0);
  });

  it('renders 10,000 findings as a window of rows', async () => {
    const { root } = setup({ runs: [makeRun(10_000, { id: 'big' })] });
    await settle(5);
    await click(q(root, 'nav-results'));
    expect(q(root, 'findings-count')?.textContent).toContain('of 10000 findings');
    const rendered = root.querySelectorAll('[role="treeitem"]').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);
  });

  it('lists run history and the diff against the previous run', async () => {
    const { root } = setup({ runs: [makeRun(40, { id: 'run-1', createdAt: '2026-12-01T08:00:00.000Z' }), makeRun(40, { id: 'run-2', createdAt: '2026-12-02T08:00:00.000Z', skip: [0, 1] })] });
    await settle(5);
    await click(q(root, 'nav-runs'));
    expect(qa(root, 'run-item')).toHaveLength(2);
    expect(q(root, 'diff-added')?.textContent).toBe('0 new');
    expect(q(root, 'diff-gone')?.textContent).toBe('2 gone');
    expect(await seriousViolations(root)).toEqual([]);
  });

  it('edits mappings, flags conflicts, and manages dictionary entries', async () => {
    const { root, mem } = setup({
      dictionary: [{ id: 'b1', kind: 'entity', platform: 'Invoice lines', connectwise: 'Additions', explanation: 'Each line syncs as an Addition.', guideSection: '1', origin: 'builtin' }],
      mappingConflicts: [
        { kind: 'organization', side: 'platform', name: 'Cobalt AB', candidates: [{ name: 'Cobalt Holding', source: 'user', count: 1 }, { name: 'Cobalt', source: 'captured', count: 1 }] },
      ],
    });
    await mem.api.putMapping({ kind: 'organization', platform: 'Cobalt AB', cw: 'Cobalt', source: 'captured', createdAt: 'x', updatedAt: 'x' });
    await mem.api.putMapping({ kind: 'organization', platform: 'cobalt ab', cw: 'Cobalt Holding', source: 'user', createdAt: 'x', updatedAt: 'x' });
    await settle();
    await click(q(root, 'nav-mappings'));
    expect(qa(root, 'mapping-row')).toHaveLength(2);
    expect(q(root, 'mapping-conflicts')?.textContent).toContain('Cobalt Holding');
    await click(q(root, 'mapping-add'));
    const form = q(root, 'mapping-form')!;
    const inputs = form.querySelectorAll('input');
    await type(inputs[0]!, 'Acme Ltd');
    await type(inputs[1]!, 'Acme');
    await click(form.querySelector('button[type="submit"]'));
    await settle();
    expect([...mem.mappings.values()].some((m) => m.platform === 'Acme Ltd' && m.cw === 'Acme' && m.source === 'user')).toBe(true);
    expect(await seriousViolations(root)).toEqual([]);

    await click(q(root, 'nav-dictionary'));
    expect(qa(root, 'dictionary-entry')).toHaveLength(1);
    const dict = q(root, 'dictionary-form')!;
    const fields = dict.querySelectorAll('input');
    await type(fields[0]!, 'Reseller');
    await type(fields[1]!, 'Vendor');
    await click(dict.querySelector('button[type="submit"]'));
    await settle();
    expect(qa(root, 'dictionary-entry')).toHaveLength(2);
    expect(await seriousViolations(root)).toEqual([]);
  });

  it('shows health checks with their fixes', async () => {
    const { root } = setup({
      health: [
        { id: 'conn', title: 'API connection', status: 'ok', detail: 'Connected.' },
        { id: 'role', title: 'Security role', status: 'fail', detail: 'Agreements: Inquire missing.', fix: 'Add Finance → Agreements Inquire Level All.' },
      ],
    });
    await settle();
    await click(q(root, 'nav-health'));
    await settle();
    const checks = qa(root, 'health-check');
    expect(checks.map((c) => c.getAttribute('data-status'))).toEqual(['ok', 'fail']);
    expect(checks[1]!.textContent).toContain('Add Finance');
    expect(await seriousViolations(root)).toEqual([]);
  });

  it('says what to do on the results view before any run', async () => {
    const { root } = setup();
    await settle();
    await click(q(root, 'nav-results'));
    expect(q(root, 'results-empty')?.textContent).toContain('Capture');
  });
});

describe('side panel over a real engine report', () => {
  it('shows every finding the engine raised for a generated month, grouped, with coverage', async () => {
    const { generateScenario } = await import('../../generator');
    const { reconcile } = await import('../../../core/reconcile');
    const s = generateScenario({ seed: 11, faults: 'all' });
    const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date('2026-12-01T00:00:00Z') });
    const { root, model } = setup({ reconcile: (n) => ({ id: `real-${n}`, createdAt: '2026-12-01T00:00:00Z', report }), page: { screen: 'none' } });
    await settle();
    await model.reconcile();
    await settle(5);
    const m = model.findings.value!;
    m.setFilters({ resolved: 'all' });
    await settle();
    expect(m.counts.value.total).toBe(report.findings.length);
    expect(m.rows.value.filter((r) => r.type === 'finding')).toHaveLength(report.findings.length);
    expect(q(root, 'coverage')?.textContent).toContain(`${report.coverage.linesCompared} of ${report.coverage.linesRead} invoice lines compared`);
    // every planted kind the engine reported can be filtered to
    const kinds = new Set(report.findings.map((f) => f.kind));
    expect(new Set(m.kindsPresent)).toEqual(kinds);
    expect(await seriousViolations(root)).toEqual([]);
  });
});
