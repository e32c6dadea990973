// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createPanelModel } from '../../../components/panel/model';
import { MappingsView } from '../../../components/panel/MappingsView';
import { makeRun } from './fixtures';
import { createMemoryApi } from './memory-api';
import { click, mount, q, qa, settle } from './render';
import { cobaltConflict } from '../mapping-conflict';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const CONFLICT = cobaltConflict(14);

describe('mapping conflicts in the panel', () => {
  it('shows each side with its line count, keeps the one chosen, and undoes it', async () => {
    const mem = createMemoryApi({ mappingConflicts: [CONFLICT] });
    const model = createPanelModel(mem.api, () => new Date('2026-12-01T09:00:00Z'), undefined);
    await model.show('mappings');
    const view = mount(<MappingsView model={model} />);
    cleanup = view.unmount;
    const item = q(view.container, 'mapping-conflict')!;
    expect(item.textContent).toContain('“Cobalt Holding” (yours, 0 lines)');
    expect(item.textContent).toContain('“Cobalt AB (ConnectWise)” (captured, 14 lines)');
    expect(q(view.container, 'mapping-conflicts')!.textContent).toContain('Platform lines in the current captures');

    await click(q(view.container, 'conflict-keep-captured'));
    await settle();
    expect(qa(view.container, 'mapping-conflict')).toHaveLength(0);
    expect(q(view.container, 'conflict-settled')!.textContent).toContain('Kept “Cobalt AB (ConnectWise)” for Cobalt AB; your mapping “Cobalt Holding” was set aside.');
    expect(model.mappings.value).toEqual([expect.objectContaining({ platform: 'Cobalt AB', cw: 'Cobalt AB (ConnectWise)', source: 'captured' })]);

    await click(q(view.container, 'conflict-undo'));
    await settle();
    expect(q(view.container, 'conflict-settled')).toBeNull();
    expect(qa(view.container, 'mapping-conflict')).toHaveLength(1);
    expect(model.error.value).toBeNull();
  });
});

describe('a run stored elsewhere', () => {
  const first = makeRun(30, { id: 'run-1', createdAt: '2026-12-01T08:00:00.000Z' });
  const second = makeRun(25, { id: 'run-2', createdAt: '2026-12-01T10:00:00.000Z' });

  it('replaces the shown latest run and the run list, keeping the view', async () => {
    const mem = createMemoryApi({ runs: [first] });
    const model = createPanelModel(mem.api, () => new Date('2026-12-01T11:00:00Z'), undefined);
    await model.load();
    expect(model.run.value?.id).toBe('run-1');
    await model.show('money');

    mem.storeRunElsewhere(second);
    await settle(6);

    expect(model.run.value?.id).toBe('run-2');
    expect(model.runs.value.map((r) => r.id)).toEqual(['run-2', 'run-1']);
    expect(model.previousRun.value?.id).toBe('run-1');
    expect(model.start.value?.lastRun?.id).toBe('run-2');
    expect(model.view.value).toBe('money');
  });

  it('waits while a finding is open, then opens once it is closed and drops its notice', async () => {
    const mem = createMemoryApi({ runs: [first] });
    const model = createPanelModel(mem.api, () => new Date('2026-12-01T11:00:00Z'), undefined);
    await model.load();
    const editing = model.findings.value!;
    const key = editing.items[0]!.key;
    editing.select(key);

    mem.storeRunElsewhere(second);
    await settle(6);

    expect(model.run.value?.id).toBe('run-1');
    expect(model.findings.value).toBe(editing);
    expect(editing.selectedKey.value).toBe(key);
    expect(model.newerRun.value?.id).toBe('run-2');
    expect(model.runs.value.map((r) => r.id)).toEqual(['run-2', 'run-1']);
    expect(model.notice.value).toContain('A newer run');

    editing.select(null);
    await settle(6);
    expect(model.run.value?.id).toBe('run-2');
    expect(model.newerRun.value).toBeNull();
    expect(model.notice.value ?? '').not.toContain('A newer run');
  });

  it('opens its own reconcile once, though the broadcast of its storing arrives while it opens', async () => {
    const mem = createMemoryApi({ runs: [first], reconcile: () => second });
    const reads: string[] = [];
    const getRun = mem.api.getRun.bind(mem.api);
    mem.api.getRun = async (id) => {
      reads.push(id);
      return getRun(id);
    };
    const reconcile = mem.api.reconcile.bind(mem.api);
    // The background announces the stored run as it answers; the panel hears both at once.
    mem.api.reconcile = async (o) => {
      const run = await reconcile(o);
      mem.announceRunsChanged();
      return run;
    };
    const model = createPanelModel(mem.api, () => new Date('2026-12-01T11:00:00Z'), undefined);
    await model.load();
    reads.length = 0;

    await model.reconcile();
    await settle(6);

    expect(model.run.value?.id).toBe('run-2');
    expect(reads.filter((id) => id === 'run-2')).toEqual([]);
    expect(model.newerRun.value).toBeNull();
  });

  it('leaves an older run the user opened on purpose, and lists the new one', async () => {
    const mem = createMemoryApi({ runs: [first, second] });
    const model = createPanelModel(mem.api, () => new Date('2026-12-01T11:00:00Z'), undefined);
    await model.load();
    await model.openRun('run-1');
    const third = makeRun(20, { id: 'run-3', createdAt: '2026-12-01T12:00:00.000Z' });

    mem.storeRunElsewhere(third);
    await settle(6);

    expect(model.run.value?.id).toBe('run-1');
    expect(model.runs.value.map((r) => r.id)).toEqual(['run-3', 'run-2', 'run-1']);
    expect(model.newerRun.value).toBeNull();
  });
});
