// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createUndoLog, type UndoStep, type UndoStore } from '../../../core/app/undo';
import type { Finding, FindingKind } from '../../../core/model';
import type { Resolution, PanelRun } from '../../../components/api';
import { renderEvidenceHtml } from '../../../components/findings/exports';
import { FindingsView } from '../../../components/findings/FindingsView';
import { createFindingsModel, NOTE_SAVE_DELAY_MS, type ResolutionStore } from '../../../components/findings/model';
import { shownValues } from '../../../components/findings/values';
import { fieldWords, formatValue } from '../../../components/findings/words';
import { click, mount, q, qa, settle, type } from './render';
import { workedMonth } from '../worked-month';

const { report } = workedMonth();
const RUN: PanelRun = { id: 'run-month', createdAt: '2026-12-01T09:00:00.000Z', report };

/** A store that keeps what it is given, as the background does, including its undo steps. */
function recordingStore() {
  const saved = new Map<string, Resolution>();
  const writes: Array<{ r: Resolution; undoable: boolean }> = [];
  const steps: Array<{ label: string; before: Array<Resolution | { fingerprint: string }> }> = [];
  const store: Required<ResolutionStore> = {
    async putResolution(r, _runId, opts) {
      writes.push({ r, undoable: opts?.undoable ?? true });
      saved.set(r.fingerprint, r);
    },
    async deleteResolution(fp) {
      saved.delete(fp);
    },
    async applyResolutions(next, label) {
      steps.push({ label, before: next.map((r) => saved.get(r.fingerprint) ?? { fingerprint: r.fingerprint }) });
      for (const r of next) {
        if (r.status || r.note) saved.set(r.fingerprint, r);
        else saved.delete(r.fingerprint);
      }
    },
    async undoLast() {
      const step = steps.pop();
      if (!step) return null;
      const restored = step.before.map((b) => ({ updatedAt: '', ...b }) as Resolution);
      for (const r of restored) {
        if (r.status || r.note) saved.set(r.fingerprint, r);
        else saved.delete(r.fingerprint);
      }
      return { label: step.label, restored };
    },
  };
  return { store, saved, writes, steps };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('notes are never lost', () => {
  it('keeps a typed note through switching findings, saves it after the pause, and resolves with it', async () => {
    const { store, saved, writes } = recordingStore();
    const model = createFindingsModel(RUN, [], store);
    const view = mount(<FindingsView run={RUN} model={model} />);
    cleanup = view.unmount;
    await settle();
    const rows = qa(view.container, 'finding-row');
    await click(rows[0]);
    const first = q(view.container, 'finding-detail')!.getAttribute('data-fingerprint')!;
    await type(q(view.container, 'finding-note')!, 'credit note 4411 asked from vendor');
    await click(qa(view.container, 'finding-row')[1]);
    expect(q(view.container, 'finding-detail')!.getAttribute('data-fingerprint')).not.toBe(first);
    await click(qa(view.container, 'finding-row')[0]);
    expect((q(view.container, 'finding-note') as HTMLTextAreaElement).value).toBe('credit note 4411 asked from vendor');

    await wait(NOTE_SAVE_DELAY_MS + 50);
    expect(saved.get(first)?.note).toBe('credit note 4411 asked from vendor');
    expect(writes.at(-1)).toMatchObject({ undoable: false });

    await type(q(view.container, 'finding-note')!, 'credit note 4411 received');
    await click(q(view.container, 'resolve-finding'));
    // Resolved at once, with the note typed a moment before (no pause needed).
    expect(saved.get(first)).toMatchObject({ status: 'resolved', note: 'credit note 4411 received' });
  });
});

/** The system and words a report value belongs to, said independently of values.ts. */
function expectedShown(f: Finding): Array<{ system: string; value: string }> {
  if (f.kind === 'correction_spans_periods') return [{ system: 'AppXite Platform', value: String(f.expected) }];
  if (!f.field) return [];
  const w = fieldWords(f.field)!;
  const out: Array<{ system: string; value: string }> = [];
  if (f.expected !== undefined) out.push({ system: `AppXite Platform ${w.platform}`, value: formatValue(f.expected) });
  if (f.actual !== undefined || f.expected !== undefined) out.push({ system: `ConnectWise ${w.connectwise}`, value: formatValue(f.actual) });
  return out;
}

describe('every finding shows the values the report holds', () => {
  const kinds = [...new Set(report.findings.map((f) => f.kind))].sort() as FindingKind[];

  it('the worked month has findings of many kinds to compare', () => {
    expect(kinds.length).toBeGreaterThan(8);
    expect(kinds).toContain('correction_spans_periods');
  });

  it.each(kinds)('%s: the panel and the evidence show the report’s values under the right system', async (kind) => {
    const model = createFindingsModel(RUN);
    model.setFilters({ resolved: 'all' });
    const items = model.items.filter((i) => i.finding.kind === kind);
    expect(items.length).toBeGreaterThan(0);
    const view = mount(<FindingsView run={RUN} model={model} />);
    cleanup = view.unmount;
    const evidence = new DOMParser().parseFromString(renderEvidenceHtml(RUN, new Map()), 'text/html');
    for (const item of items) {
      const f = item.finding;
      model.select(item.key);
      await settle();
      {
        const want = expectedShown(f);
        const shown = qa(view.container, 'finding-values').flatMap((dl) => [...dl.querySelectorAll('.value')]);
        expect(shown.map((v) => ({ system: v.querySelector('dt')!.textContent!.trim(), value: v.querySelector('dd')!.textContent }))).toEqual(
          want.map((w) => ({ system: kind === 'correction_spans_periods' ? `${w.system} Charge Start Date to Charge End Date` : w.system, value: w.value })),
        );
        if (kind === 'correction_spans_periods') {
          // Both dates are the line's: Charge Start and Charge End, and nothing on the ConnectWise side.
          expect(f.expected).toMatch(/^\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/);
          expect(f.actual).toBeUndefined();
          expect(shownValues(f).every((v) => v.system === 'AppXite Platform')).toBe(true);
        }
        const cells = [...evidence.querySelectorAll('tbody tr')].find((tr) => tr.textContent!.includes(f.message))!;
        expect(cells).toBeDefined();
        const tds = cells.querySelectorAll('td');
        const platform = [...tds[2]!.querySelectorAll('[data-from]')].map((s) => s.textContent);
        const cw = [...tds[3]!.querySelectorAll('[data-from]')].map((s) => s.textContent);
        expect(platform).toEqual(want.filter((w) => w.system.startsWith('AppXite')).map((w) => w.value));
        expect(cw).toEqual(want.filter((w) => w.system.startsWith('ConnectWise')).map((w) => w.value));
      }
    }
  });
});

describe('month-end bulk decisions', () => {
  it('ticks a shift-range, resolves it with one note as one step, and one undo restores every finding', async () => {
    const { store, saved, steps } = recordingStore();
    const model = createFindingsModel(RUN, [], store);
    const keys = model.filtered.value.map((i) => i.key);
    model.toggleChecked(keys[1]!);
    model.toggleChecked(keys[4]!, true);
    expect([...model.checked.value].sort()).toEqual(keys.slice(1, 5).sort());
    await model.markChecked('resolved', 'agreed with finance');
    expect(steps).toHaveLength(1);
    const fps = model.items.filter((i) => keys.slice(1, 5).includes(i.key)).map((i) => i.fp);
    for (const fp of fps) expect(saved.get(fp)).toMatchObject({ status: 'resolved', note: 'agreed with finance' });
    expect(model.counts.value.resolved).toBe(4);

    // A new panel (after a restart) still offers the stored step, and undoing it reopens all four.
    const again = createFindingsModel(RUN, [...saved.values()], store, undefined, steps.at(-1)!.label);
    expect(again.canUndo.value).toBe(true);
    expect(again.lastAction.value).toBe('Marked resolved: 4 findings');
    await again.undo();
    expect(again.counts.value.resolved).toBe(0);
    for (const fp of fps) expect(saved.has(fp)).toBe(false);
    expect(again.canUndo.value).toBe(false);
  });

  it('"all N matching this filter" ticks every match, not only the rows on screen', () => {
    const model = createFindingsModel(RUN);
    model.setFilters({ severities: new Set(['warn']) });
    model.checkAllMatching();
    expect(model.checked.value.size).toBe(report.findings.filter((f) => f.severity === 'warn').length);
  });

  it('a search that matches nothing shows no stale selected finding', () => {
    const model = createFindingsModel(RUN);
    model.select(model.items[0]!.key);
    expect(model.selected.value).not.toBeNull();
    model.setFilters({ search: 'no-such-finding-anywhere' });
    expect(model.selected.value).toBeNull();
  });
});

describe('the undo log', () => {
  it('outlives the log that wrote it (a restarted service worker reads the same store)', async () => {
    let kept: UndoStep[] = [];
    const store: UndoStore = { load: async () => structuredClone(kept), save: async (s) => void (kept = structuredClone(s)) };
    const finding = report.findings[0]!;
    await createUndoLog(store).push({ label: 'Ignored: 1 finding', at: '2026-12-01T10:00:00Z', changes: [{ fingerprint: 'a', finding, before: null }] });
    const restarted = createUndoLog(store);
    expect((await restarted.peek())?.label).toBe('Ignored: 1 finding');
    expect((await restarted.pop())?.changes[0]?.fingerprint).toBe('a');
    expect(await createUndoLog(store).pop()).toBeUndefined();
  });
});

describe('month sign-off', () => {
  it('freezes the run and goes into the printable evidence', async () => {
    const signed = { ...RUN, signOff: { by: 'Dana Billing', at: '2026-12-02T10:00:00.000Z', note: 'closed with finance' } };
    const { store, saved } = recordingStore();
    const model = createFindingsModel(signed, [], store);
    await model.resolve(model.items[0]!.fp);
    expect(saved.size).toBe(0);
    expect(model.error.value).toMatch(/signed off by Dana Billing/);
    const html = renderEvidenceHtml(signed, new Map());
    expect(html).toContain('Signed off</strong> by Dana Billing on 2026-12-02T10:00:00.000Z: closed with finance');
    expect(renderEvidenceHtml(RUN, new Map())).toContain('Not signed off.');
  });
});
