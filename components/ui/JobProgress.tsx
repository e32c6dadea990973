import { useState } from 'preact/hooks';

export interface JobProgressProps {
  /** What the job is doing, e.g. `Reconciling`. */
  label: string;
  /** The step the background reported, in words. */
  phase?: string;
  done: number;
  /** Absent while the job cannot say how far it is: the bar is then indeterminate. */
  total?: number;
  /** The job's kind, for the test id (`reconcile-progress`). */
  kind: string;
  onCancel(): void;
}

/**
 * A running background job: its step, a bar (a percentage when the job knows its total) and a
 * Cancel button. After Cancel the job may still be finishing a step it cannot interrupt, so the
 * button turns into "Cancelling…" until the background answers, instead of looking ignored.
 */
export function JobProgress({ label, phase, done, total, kind, onCancel }: JobProgressProps) {
  const [cancelling, setCancelling] = useState(false);
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  const id = `${kind}-progress-bar`;
  const text = percent !== undefined && total === 100 ? `${percent}%` : `${done}${total !== undefined ? ` of ${total}` : ''}`;
  return (
    <div class="task" data-testid={`${kind}-progress`} data-phase={phase ?? ''} data-percent={percent ?? ''}>
      <label for={id}>
        {label}
        {phase ? ` — ${phase}` : ''}: {text}
      </label>
      <progress id={id} max={total ?? undefined} value={total !== undefined ? done : undefined} aria-valuetext={phase ? `${phase}, ${text}` : text} />
      <button
        type="button"
        data-testid="cancel-task"
        disabled={cancelling}
        onClick={() => {
          setCancelling(true);
          onCancel();
        }}
      >
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
