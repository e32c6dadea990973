import type { Finding, ResolutionStatus } from '../../model';
import { findingFingerprint } from '../../model/fingerprint';
import { ProtocolError } from '../../protocol/messages';
import type { Handlers } from '../../protocol/router';
import type { ServiceContext } from './context';

/** A finding's status and note, set one at a time or in bulk, with undo that outlives a restart. */
export function resolutionHandlers(ctx: ServiceContext): Handlers {
  const { ports, undo, changed } = ctx;
  // A step made in a run that has since been signed off stays as signed: undo refuses it.
  const notFrozen = async (step: { runId?: string }) => ctx.frozen(step.runId ? await ports.runs.get(step.runId) : await ctx.latestRun());
  return {
    'resolution.set': async ({ fingerprint, runId, status, note, undoable }) => {
      const run = runId ? await ports.runs.get(runId) : await ctx.latestRun();
      ctx.frozen(run);
      const finding = run?.report.findings.find((f) => findingFingerprint(f) === fingerprint);
      if (!finding) throw new ProtocolError('not_found', 'That finding is not in the run any more; reconcile again.');
      const before = await ports.resolutions.get(finding);
      const next = {
        status: status ?? before?.status ?? 'open',
        note: note === undefined ? before?.note : note.trim() || undefined,
      };
      if (undoable !== false) {
        await undo.push({
          label: next.status === 'open' ? 'Reopened' : next.status === 'resolved' ? 'Marked resolved' : 'Ignored',
          at: ports.now().toISOString(),
          ...(run?.id ? { runId: run.id } : {}),
          changes: [{ fingerprint, finding, before: before ? { status: before.status, note: before.note } : null }],
        });
      }
      const stored = await ports.resolutions.put(finding, next);
      changed('resolutions');
      return stored;
    },
    'resolution.undo': async ({ fingerprint }) => {
      const entry = await undo.popFinding(fingerprint, notFrozen);
      if (!entry) throw new ProtocolError('not_found', 'There is nothing to undo for this finding.');
      const restored = await ports.resolutions.put(entry.finding, entry.before ?? { status: 'open' });
      changed('resolutions');
      return restored;
    },
    'resolutions.apply': async ({ runId, label, changes }) => {
      const run = runId ? await ports.runs.get(runId) : await ctx.latestRun();
      if (!run) throw new ProtocolError('not_found', 'That run is no longer stored; reconcile again.');
      ctx.frozen(run);
      const byFp = new Map(run.report.findings.map((f) => [findingFingerprint(f), f]));
      const stored = new Map((await ports.resolutions.list()).map((r) => [r.fingerprint, r]));
      const step: { fingerprint: string; finding: Finding; before: { status: ResolutionStatus; note?: string } | null }[] = [];
      const writes: { finding: Finding; state: { status: ResolutionStatus; note?: string } }[] = [];
      for (const c of changes) {
        const finding = byFp.get(c.fingerprint);
        if (!finding) continue;
        const before = stored.get(c.fingerprint);
        step.push({ fingerprint: c.fingerprint, finding, before: before ? { status: before.status, note: before.note } : null });
        writes.push({ finding, state: { status: c.status, note: c.note?.trim() || undefined } });
      }
      if (step.length === 0) throw new ProtocolError('not_found', 'None of those findings is in the run any more; reconcile again.');
      await undo.push({ label, at: ports.now().toISOString(), runId: run.id, changes: step });
      for (const w of writes) await ports.resolutions.put(w.finding, w.state);
      changed('resolutions');
      return { changed: writes.length };
    },
    'resolutions.undo': async () => {
      const step = await undo.pop(notFrozen);
      if (!step) return null;
      const restored: { fingerprint: string; status: ResolutionStatus; note?: string }[] = [];
      for (const c of step.changes) {
        const state = c.before ?? { status: 'open' as const };
        await ports.resolutions.put(c.finding, state);
        restored.push({ fingerprint: c.fingerprint, status: state.status, ...(state.note ? { note: state.note } : {}) });
      }
      changed('resolutions');
      return { label: step.label, restored };
    },
    'resolutions.undoable': async () => ({ label: (await undo.peek())?.label ?? null }),
    'resolutions.list': () => ports.resolutions.list(),
  };
}
