// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { PanelApi, Resolution, PanelRun } from '../../../components/api';
import { memoryNoteDrafts, storageNoteDrafts, unsavedDrafts } from '../../../components/findings/drafts';
import { createFindingsModel, NOTE_SAVE_DELAY_MS, type ResolutionStore } from '../../../components/findings/model';
import { createPanelModel } from '../../../components/panel/model';
import { createMemoryApi } from './memory-api';
import { workedMonth } from '../worked-month';

const { report } = workedMonth();
const RUN: PanelRun = { id: 'run-month', createdAt: '2026-12-01T09:00:00.000Z', report };

/** A store that records each save as it is asked for, and answers only when told to. */
function heldStore() {
  const asked: Array<{ r: Resolution; undoable: boolean }> = [];
  const release: Array<() => void> = [];
  const store: ResolutionStore = {
    putResolution(r, _runId, opts) {
      asked.push({ r, undoable: opts?.undoable ?? true });
      return new Promise<void>((done) => release.push(done));
    },
    deleteResolution: () => new Promise<void>((done) => release.push(done)),
  };
  return { store, asked, release };
}

afterEach(() => localStorage.clear());

describe('saving a note before its typing pause is over', () => {
  it('sends every waiting note before the first await, so a pagehide handler has sent them all', () => {
    const { store, asked } = heldStore();
    const model = createFindingsModel(RUN, [], store);
    const [a, b] = model.items;
    model.typeNote(a!.fp, 'asked finance');
    model.typeNote(b!.fp, 'credit note 4411');
    expect(asked).toHaveLength(0);
    void model.flushNote();
    // Synchronously, without a tick in between: both messages have left.
    expect(asked.map((x) => [x.r.fingerprint, x.r.note, x.undoable])).toEqual([
      [a!.fp, 'asked finance', false],
      [b!.fp, 'credit note 4411', false],
    ]);
    expect(model.notePending(a!.fp)).toBe(false);
  });

  it('saves the note of the finding being left as another one opens', () => {
    const { store, asked } = heldStore();
    const model = createFindingsModel(RUN, [], store);
    const [a, b] = model.items;
    model.select(a!.key);
    model.typeNote(a!.fp, 'asked finance');
    model.select(b!.key);
    expect(asked.map((x) => [x.r.fingerprint, x.r.note])).toEqual([[a!.fp, 'asked finance']]);
    // And it is still shown when the finding opens again.
    model.select(a!.key);
    expect(model.selected.value?.resolution?.note).toBe('asked finance');
  });

  it('keeps each keystroke as a draft until the store has the note, then drops it', async () => {
    const drafts = memoryNoteDrafts();
    const { store, release } = heldStore();
    const model = createFindingsModel(RUN, [], store, () => new Date('2026-12-01T10:00:00Z'), null, drafts);
    const fp = model.items[0]!.fp;
    model.typeNote(fp, 'asked');
    model.typeNote(fp, 'asked finance');
    expect(drafts.list()).toEqual([{ fingerprint: fp, note: 'asked finance', runId: RUN.id, at: '2026-12-01T10:00:00.000Z' }]);
    const saved = model.flushNote(fp);
    expect(drafts.list()).toHaveLength(1);
    release.forEach((done) => done());
    await saved;
    expect(drafts.list()).toEqual([]);
  });
});

describe('a note whose save never arrived (the panel closed inside the typing pause)', () => {
  it('is saved from its draft when the panel opens again, and shown', async () => {
    const drafts = memoryNoteDrafts();
    const mem = createMemoryApi({ runs: [RUN] });
    // The first panel's messages are lost: the page went before any was delivered.
    const lost: PanelApi = { ...mem.api, putResolution: () => new Promise<void>(() => undefined) };
    const first = createPanelModel(lost, () => new Date('2026-12-01T10:00:00Z'), drafts);
    await first.load();
    const fp = first.findings.value!.items[0]!.fp;
    first.findings.value!.typeNote(fp, 'asked finance for the credit');
    void first.flushNotes();
    expect(mem.resolutions.get(fp)).toBeUndefined();

    const second = createPanelModel(mem.api, () => new Date('2026-12-01T10:05:00Z'), drafts);
    await second.load();
    expect(mem.resolutions.get(fp)).toMatchObject({ fingerprint: fp, note: 'asked finance for the credit' });
    expect(second.findings.value!.resolutions.value.get(fp)?.note).toBe('asked finance for the credit');
    expect(drafts.list()).toEqual([]);
    expect(second.error.value).toBeNull();
  });

  it('is not saved again once the store has it or a later word', () => {
    const drafts = [
      { fingerprint: 'a', note: 'same', at: '2026-12-01T10:00:00Z' },
      { fingerprint: 'b', note: 'typed first', at: '2026-12-01T10:00:00Z' },
      { fingerprint: 'c', note: 'typed later', at: '2026-12-01T10:09:00Z' },
      { fingerprint: 'd', note: 'never saved', at: '2026-12-01T10:00:00Z' },
      { fingerprint: 'e', note: '', at: '2026-12-01T10:00:00Z' },
    ];
    const stored = new Map([
      ['a', { updatedAt: '2026-12-01T09:00:00Z', note: 'same' }],
      ['b', { updatedAt: '2026-12-01T10:05:00Z', note: 'overwritten by a later verdict' }],
      ['c', { updatedAt: '2026-12-01T10:05:00Z', note: 'older' }],
    ]);
    expect(unsavedDrafts(drafts, stored).map((d) => d.fingerprint)).toEqual(['c', 'd']);
  });

  it('keeps drafts in the page’s Web Storage, one per finding, dropped only while unchanged', () => {
    const drafts = storageNoteDrafts(localStorage);
    drafts.put({ fingerprint: 'a', note: 'one', at: '2026-12-01T10:00:00Z' });
    drafts.put({ fingerprint: 'a', note: 'one two', at: '2026-12-01T10:00:01Z' });
    drafts.put({ fingerprint: 'b', note: 'other', at: '2026-12-01T10:00:02Z' });
    // A second reader (the next page load) sees what the first wrote.
    expect(storageNoteDrafts(localStorage).list().map((d) => [d.fingerprint, d.note])).toEqual([
      ['a', 'one two'],
      ['b', 'other'],
    ]);
    drafts.drop('a', 'one');
    expect(drafts.list()).toHaveLength(2);
    drafts.drop('a', 'one two');
    drafts.drop('b');
    expect(drafts.list()).toEqual([]);
    expect(localStorage.getItem('cwr.noteDrafts')).toBeNull();
    localStorage.setItem('cwr.noteDrafts', 'not json');
    expect(drafts.list()).toEqual([]);
  });

  it('waits for the typing pause when nothing hides the panel', async () => {
    const { store, asked } = heldStore();
    const model = createFindingsModel(RUN, [], store);
    model.typeNote(model.items[0]!.fp, 'x');
    expect(asked).toHaveLength(0);
    await new Promise((r) => setTimeout(r, NOTE_SAVE_DELAY_MS + 50));
    expect(asked).toHaveLength(1);
  });
});

describe('a signed-off run in the panel', () => {
  it('shows the verdicts it was signed off with, not those given since in a newer run', async () => {
    const fps = createFindingsModel(RUN, []).items.map((i) => i.fp);
    const [a, b] = fps;
    const signed: PanelRun = {
      ...RUN,
      signOff: {
        by: 'Dana Billing',
        at: '2026-12-02T09:00:00.000Z',
        resolutions: [{ fingerprint: a!, status: 'resolved', note: 'credit note 4411', updatedAt: '2026-12-01T12:00:00.000Z' }],
      },
    };
    const mem = createMemoryApi({ runs: [signed] });
    // Since then, in a newer run: a reopened with another note, b resolved.
    await mem.api.putResolution({ fingerprint: a!, status: 'open', note: 'reopened in December', updatedAt: '2026-12-05T09:00:00.000Z' });
    await mem.api.putResolution({ fingerprint: b!, status: 'resolved', updatedAt: '2026-12-05T09:00:00.000Z' });
    const panel = createPanelModel(mem.api, () => new Date('2026-12-06T09:00:00Z'), memoryNoteDrafts());
    await panel.load();
    const shown = panel.findings.value!;
    expect(shown.frozen).toBe(true);
    expect(shown.resolutions.value.get(a!)).toMatchObject({ status: 'resolved', note: 'credit note 4411' });
    expect(shown.resolutions.value.get(b!)).toBeUndefined();
    expect(shown.counts.value).toMatchObject({ resolved: 1, open: fps.length - 1 });
  });
});
