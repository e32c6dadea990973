import { useEffect, useState } from 'preact/hooks';
import type { TargetedKeyboardEvent } from 'preact';
import { VirtualList } from '../ui/VirtualList';
import { statusOf, type FindingRow, type FindingsModel } from './model';
import { formatStakes, formatValue, kindLabel, SEVERITY_LABELS } from './words';
import { formatMoney } from '../panel/money';

export const ROW_HEIGHT = 44;

function rowLevel(r: FindingRow): number {
  return r.type === 'company' ? 1 : r.type === 'agreement' ? 2 : 3;
}

function FindingRowView({ row, active, selected, model }: { row: FindingRow; active: boolean; selected: boolean; model: FindingsModel }) {
  if (row.type !== 'finding') {
    const stake = formatStakes(row.stakes, formatMoney);
    return (
      <>
        <span class="tree-twisty" aria-hidden="true">{row.expanded ? '▾' : '▸'}</span>
        <span class={`tree-group-label ${row.type}`} style={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>{row.label}</span>
        <span class="count" aria-label={`${row.count} findings`}>{row.count}</span>
        {stake && (
          <span class="muted" data-testid={`${row.type}-stake`} title="Amount at stake of the findings shown">
            {stake}
          </span>
        )}
        {row.type === 'company' && (
          <span class="muted" data-testid="company-progress" aria-label={`${row.reviewed} of ${row.total} findings reviewed`}>
            {row.reviewed}/{row.total} reviewed
          </span>
        )}
      </>
    );
  }
  const f = row.item.finding;
  const status = statusOf(row.resolution);
  const checked = model.checked.value.has(row.key);
  return (
    <>
      <input
        type="checkbox"
        class="frow-check"
        tabIndex={-1}
        data-testid="finding-check"
        aria-label={`Select ${kindLabel(f.kind)}${f.lineId ? ` line ${f.lineId}` : f.additionId !== undefined ? ` Addition ${f.additionId}` : ''}`}
        checked={checked}
        onClick={(e) => {
          // Ticking is not opening: the click stays on the box (shift-click ticks a range).
          e.stopPropagation();
          model.toggleChecked(row.key, e.shiftKey);
        }}
      />
      <span class={`sev sev-${f.severity}`}>{SEVERITY_LABELS[f.severity]}</span>
      <span class="frow-main">
        <span class="frow-kind">{kindLabel(f.kind)}</span>
        <span class="frow-sub">
          {f.lineId
            ? `Line ${f.lineId}`
            : f.additionId !== undefined
              ? `Addition ${f.additionId}`
              : f.agreementId !== undefined
                ? `Agreement ${f.agreementId}`
                : f.organization ?? f.productIdentifier ?? ''}
          {f.field ? ` · ${formatValue(f.expected)} → ${formatValue(f.actual)}` : ''}
        </span>
      </span>
      {row.item.stake && row.item.stake.amount > 0 && (
        <span class="muted" data-testid="finding-row-stake" aria-label={`At stake ${formatMoney(row.item.stake.amount, row.item.stake.currency)}`}>
          {formatMoney(row.item.stake.amount, row.item.stake.currency)}
        </span>
      )}
      {status !== 'open' && <span class={`status status-${status}`}>{status === 'resolved' ? 'Resolved' : 'Ignored'}</span>}
      {row.resolution?.note && <span class="note-mark" title="Has a note" aria-label="Has a note">✎</span>}
      {selected && !active && <span class="sr-only">(open)</span>}
    </>
  );
}

/**
 * The findings as a tree (company → agreement → finding) rendered through a windowed list. The
 * tree keeps focus on its container and moves aria-activedescendant, so rows can be recycled
 * without losing keyboard focus.
 */
export function FindingsTree({ model, idPrefix = 'ft' }: { model: FindingsModel; idPrefix?: string }) {
  const rows = model.rows.value;
  const [active, setActive] = useState(0);
  const current = Math.min(active, rows.length - 1);
  const selectedKey = model.selectedKey.value;

  // A selection made elsewhere (a badge click, a search) moves the keyboard position with it.
  useEffect(() => {
    if (!selectedKey) return;
    const i = model.rows.peek().findIndex((r) => r.type === 'finding' && r.key === selectedKey);
    if (i >= 0) setActive(i);
  }, [selectedKey, model]);

  function activate(i: number) {
    const row = rows[i];
    if (!row) return;
    if (row.type === 'finding') model.select(row.key);
    else model.toggleGroup(row.key);
  }

  function parentIndex(i: number): number {
    const level = rowLevel(rows[i]!);
    for (let j = i - 1; j >= 0; j--) if (rowLevel(rows[j]!) < level) return j;
    return i;
  }

  function onKeyDown(e: TargetedKeyboardEvent<HTMLDivElement>) {
    if (rows.length === 0) return;
    const row = rows[current];
    let next = current;
    switch (e.key) {
      case 'ArrowDown': next = current + 1; break;
      case 'ArrowUp': next = current - 1; break;
      case 'Home': next = 0; break;
      case 'End': next = rows.length - 1; break;
      case 'PageDown': next = current + 10; break;
      case 'PageUp': next = current - 10; break;
      case 'ArrowRight':
        if (row && row.type !== 'finding' && !row.expanded) model.setGroupExpanded(row.key, true);
        else next = current + 1;
        break;
      case 'ArrowLeft':
        if (row && row.type !== 'finding' && row.expanded) model.setGroupExpanded(row.key, false);
        else next = parentIndex(current);
        break;
      case 'Enter':
        activate(current);
        break;
      case ' ':
        // Space ticks a finding for a bulk action (shift extends the range); Enter opens it.
        if (row?.type === 'finding') model.toggleChecked(row.key, e.shiftKey);
        else activate(current);
        break;
      default:
        return;
    }
    e.preventDefault();
    setActive(Math.max(0, Math.min(rows.length - 1, next)));
  }

  if (rows.length === 0) {
    return (
      <p class="empty" data-testid="findings-empty" role="status">
        {model.counts.value.total === 0
          ? 'This run has no findings.'
          : 'No finding matches these filters. Clear the filters or search to see the rest.'}
      </p>
    );
  }

  return (
    <VirtualList
      count={rows.length}
      rowHeight={ROW_HEIGHT}
      ensureVisible={current}
      testId="findings-list"
      className="findings-tree"
      containerProps={{
        role: 'tree',
        'aria-label': 'Findings by company and agreement',
        tabIndex: 0,
        'aria-activedescendant': `${idPrefix}-${current}`,
        onKeyDown,
      }}
      renderRow={(i) => {
        const row = rows[i]!;
        const level = rowLevel(row);
        return (
          <div
            key={row.key}
            id={`${idPrefix}-${i}`}
            role="treeitem"
            aria-level={level}
            aria-expanded={row.type === 'finding' ? undefined : row.expanded}
            aria-selected={row.type === 'finding' ? row.key === selectedKey : undefined}
            class={`trow level-${level} ${i === current ? 'active' : ''} ${row.type === 'finding' && row.key === selectedKey ? 'selected' : ''}`}
            data-testid={row.type === 'finding' ? 'finding-row' : `group-${row.type}`}
            data-fingerprint={row.type === 'finding' ? row.item.fp : undefined}
            data-kind={row.type === 'finding' ? row.item.finding.kind : undefined}
            style={{ height: `${ROW_HEIGHT}px` }}
            onClick={() => {
              setActive(i);
              activate(i);
            }}
          >
            <FindingRowView row={row} active={i === current} selected={row.type === 'finding' && row.key === selectedKey} model={model} />
          </div>
        );
      }}
    />
  );
}
