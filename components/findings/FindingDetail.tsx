import { useEffect, useRef } from 'preact/hooks';
import type { LinkBases } from '../api';
import { statusOf, type FindingsModel } from './model';
import { cwAgreementUrl, cwCompanyUrl, platformUrl } from './links';
import { shownValues } from './values';
import { kindLabel, SEVERITY_LABELS } from './words';
import { formatMoney } from '../panel/money';

/** Keys that act on the open finding; they never fire while typing in a field. */
export const SHORTCUTS = [
  { key: 'r', does: 'Mark resolved' },
  { key: 'i', does: 'Ignore' },
  { key: 'n', does: 'Write a note' },
  { key: 'j', does: 'Next finding' },
  { key: 'k', does: 'Previous finding' },
  { key: 'Esc', does: 'Close the detail' },
] as const;

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
}

/** Moves the selection to the next (or previous) shown finding; answers whether it moved. */
export function step(model: FindingsModel, by: 1 | -1): boolean {
  const list = model.filtered.value;
  if (list.length === 0) return false;
  const at = list.findIndex((i) => i.key === model.selectedKey.value);
  const next = list[at < 0 ? (by > 0 ? 0 : list.length - 1) : at + by];
  if (!next) return false;
  model.select(next.key);
  return true;
}

/**
 * Resolves or ignores the open finding; when the filters then hide it (the open list), the next
 * shown finding opens in its place, so a review moves on without a trip back to the list.
 */
export async function decide(model: FindingsModel, fp: string, status: 'resolved' | 'ignored'): Promise<void> {
  const list = model.filtered.value;
  const at = list.findIndex((i) => i.fp === fp);
  const after = at >= 0 ? (list[at + 1] ?? list[at - 1]) : undefined;
  await (status === 'resolved' ? model.resolve(fp) : model.ignore(fp));
  if (!model.selected.value && after && model.filtered.value.includes(after)) model.select(after.key);
}

/**
 * The keyboard shortcuts of the results view, as a keydown handler for its root (so they work
 * from the list and from the open detail alike).
 */
export function findingShortcuts(model: FindingsModel, focusNote: () => void) {
  return (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape' && model.selected.value) {
      model.select(null);
      e.preventDefault();
      return;
    }
    if (typing(e.target)) return;
    const sel = model.selected.value;
    switch (e.key) {
      case 'j':
        if (step(model, 1)) e.preventDefault();
        return;
      case 'k':
        if (step(model, -1)) e.preventDefault();
        return;
      case 'r':
        if (sel && statusOf(sel.resolution) === 'open') {
          e.preventDefault();
          void decide(model, sel.item.fp, 'resolved');
        }
        return;
      case 'i':
        if (sel && statusOf(sel.resolution) === 'open') {
          e.preventDefault();
          void decide(model, sel.item.fp, 'ignored');
        }
        return;
      case 'n':
        if (sel) {
          e.preventDefault();
          focusNote();
        }
        return;
    }
  };
}

/**
 * One finding in full, opened as a drawer over the list: its actions first (always in view),
 * then both systems' values, reason, fix and links. The note is saved as it is typed.
 */
export function FindingDetail({ model, links }: { model: FindingsModel; links?: LinkBases }) {
  const sel = model.selected.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const fp = sel?.item.fp;
  // Opening a finding moves focus into the drawer, so keyboard and screen reader users land on it.
  useEffect(() => {
    if (fp) heading.current?.focus();
  }, [fp]);

  if (!sel) return null;
  const { item, resolution } = sel;
  const f = item.finding;
  const values = shownValues(f);
  const agreementId = f.agreementId ?? item.agreementId;
  const companyId = f.companyId ?? item.companyId;
  const agreementLink = agreementId !== undefined ? cwAgreementUrl(links, agreementId) : null;
  const companyLink = companyId !== undefined ? cwCompanyUrl(links, companyId) : null;
  const platformLink = f.lineId || f.organization ? platformUrl(links) : null;
  const status = statusOf(resolution);
  const note = resolution?.note ?? '';
  const list = model.filtered.value;
  const at = list.findIndex((i) => i.key === item.key);

  return (
    <section class="detail drawer" role="dialog" aria-modal="false" aria-labelledby="detail-title" data-testid="finding-detail" data-fingerprint={fp}>
      <div class="drawer-bar">
        <button type="button" class="icon" data-testid="close-detail" aria-label="Back to the list (Esc)" onClick={() => model.select(null)}>
          ← List
        </button>
        <span class="muted" data-testid="detail-position">{at >= 0 ? `${at + 1} of ${list.length}` : ''}</span>
        <button type="button" data-testid="next-finding" aria-keyshortcuts="j" disabled={at < 0 || at >= list.length - 1} onClick={() => step(model, 1)}>
          Next
        </button>
      </div>
      <div class="drawer-body">
        <h2 id="detail-title" tabIndex={-1} ref={heading}>
          <span class={`sev sev-${f.severity}`}>{SEVERITY_LABELS[f.severity]}</span> {kindLabel(f.kind)}
        </h2>
        <p class="muted">
          {item.companyLabel} · {item.agreementLabel}
          {f.lineId && <> · Platform line {f.lineId}</>}
          {f.additionId !== undefined && <> · Addition {f.additionId}</>}
        </p>
        {item.stake && (
          <p data-testid="finding-stake">
            At stake: <strong>{item.stake.amount > 0 ? formatMoney(item.stake.amount, item.stake.currency) : 'nothing (no amount is billed wrongly)'}</strong>
          </p>
        )}
        <div class="actions" role="group" aria-label="Verdict">
          {model.frozen ? (
            <span class="muted" data-testid="frozen">Signed off: {status}</span>
          ) : status !== 'open' ? (
            <button type="button" data-testid="reopen-finding" onClick={() => void model.reopen(item.fp)}>
              Reopen ({status})
            </button>
          ) : (
            <>
              <button type="button" class="primary" data-testid="resolve-finding" aria-keyshortcuts="r" onClick={() => void decide(model, item.fp, 'resolved')}>
                Mark resolved
              </button>
              <button type="button" data-testid="ignore-finding" aria-keyshortcuts="i" onClick={() => void decide(model, item.fp, 'ignored')}>
                Ignore
              </button>
            </>
          )}
        </div>
        <div class="note">
          <label for="finding-note">Note (saved as you type; kept across runs)</label>
          <textarea
            id="finding-note"
            data-testid="finding-note"
            rows={2}
            readOnly={model.frozen}
            aria-keyshortcuts="n"
            value={note}
            onInput={(e) => model.typeNote(item.fp, e.currentTarget.value)}
            onBlur={() => void model.flushNote(item.fp)}
          />
        </div>
        {values.length > 0 && (
          <dl class="values" data-testid="finding-values">
            {values.map((v) => (
              <div key={v.from} class={`value value-${v.from}`}>
                <dt>
                  <span class="system">{v.system}</span> {v.label}
                </dt>
                <dd data-testid={`value-${v.from}`}>{v.value}</dd>
              </div>
            ))}
          </dl>
        )}
        <h3>Why</h3>
        <p data-testid="finding-message">{f.message}</p>
        <h3>Fix</h3>
        <p data-testid="finding-fix">{f.fix}</p>
        <p class="links">
          {agreementLink && <a href={agreementLink} target="_blank" rel="noopener noreferrer" data-testid="link-cw-agreement">Open Agreement in ConnectWise</a>}
          {companyLink && <a href={companyLink} target="_blank" rel="noopener noreferrer" data-testid="link-cw-company">Open Company in ConnectWise</a>}
          {platformLink && <a href={platformLink} target="_blank" rel="noopener noreferrer" data-testid="link-platform">Open the Platform</a>}
        </p>
      </div>
    </section>
  );
}
