import type { Overlay } from './overlay';
import type { AdditionVerdict } from './types';
import { additionRowElement, readCwAdditionsGrid, type CwGridOptions } from '../../core/ingest/cw-grid';
import { isoDatePart } from '../../core/shared/dates';
import { CW_SELECTORS, cwRowRecordId } from '../../core/sites/connectwise';

/**
 * Verdict badges over a ConnectWise Additions grid. They live in our overlay, positioned over the
 * rows, so GWT keeps sole ownership of its rows (it recycles them on scroll and would drop or
 * trip over foreign nodes). Each layout re-reads which Addition every visible row shows.
 */

const BADGE_SIZE = 20;

const GLYPH: Record<AdditionVerdict['verdict'], string> = { matched: '✓', mismatch: '⚠', orphan: '∅', duplicate: '⧉' };

export function badgeLabel(v: AdditionVerdict): string {
  switch (v.verdict) {
    case 'matched':
      return v.lineId ? `Matched with Platform invoice line ${v.lineId}` : 'Matched with a Platform invoice line';
    case 'mismatch':
      return `Differs from the Platform: ${v.fields.join(', ') || 'see finding'}`;
    case 'orphan':
      return 'Not on the Platform: no invoice line expects this Addition';
    case 'duplicate':
      return 'Duplicate Addition: another Addition already holds this invoice line';
  }
}

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

function isScroller(el: Element): boolean {
  const win = el.ownerDocument.defaultView;
  if (!win) return false;
  const s = win.getComputedStyle(el);
  return /(auto|scroll|hidden)/.test(`${s.overflowY} ${s.overflowX}`);
}

/** Visible part of the viewport the rows of this table can be seen through. */
function clipFor(table: Element): Box {
  const win = table.ownerDocument.defaultView;
  let box: Box = { top: 0, left: 0, bottom: win?.innerHeight ?? Infinity, right: win?.innerWidth ?? Infinity };
  for (let el = table.parentElement; el && el !== table.ownerDocument.body; el = el.parentElement) {
    if (!isScroller(el)) continue;
    const r = el.getBoundingClientRect();
    box = {
      top: Math.max(box.top, r.top),
      left: Math.max(box.left, r.left),
      bottom: Math.min(box.bottom, r.bottom),
      right: Math.min(box.right, r.right),
    };
  }
  return box;
}

/** First row whose bottom is below `top`: rows of one table stack downwards. */
function firstVisible(rows: readonly Element[], top: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.getBoundingClientRect().bottom < top) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface BadgeLayer {
  setVerdicts(v: readonly AdditionVerdict[] | null): void;
  /** Move badges over the rows now on screen (after scroll, resize or grid mutations). */
  layout(): void;
  /** The grid's rows were added, removed or replaced: list them again at the next layout. */
  rowsChanged(): void;
  clear(): void;
  readonly count: number;
}

export function createBadgeLayer(
  root: Element,
  overlay: () => Overlay,
  onOpen: (v: AdditionVerdict) => void,
  rowAdditionId?: (row: Element) => number | undefined,
): BadgeLayer {
  let verdicts = new Map<number, AdditionVerdict>();
  const shown = new Map<number, HTMLButtonElement>();
  // The rows of each table, kept between layouts: a scroll moves rows but does not change
  // them, and listing 5,000 rows on every frame would cost more than placing the visible ones.
  let tables: Map<Element, Element[]> | undefined;

  function rowsByTable(): Map<Element, Element[]> {
    if (tables) return tables;
    tables = new Map();
    for (const row of Array.from(root.querySelectorAll(CW_SELECTORS.additionRow))) {
      const table = row.closest('table') ?? root;
      const list = tables.get(table);
      if (list) list.push(row);
      else tables.set(table, [row]);
    }
    return tables;
  }

  function badgeFor(v: AdditionVerdict): HTMLButtonElement {
    let b = shown.get(v.additionId);
    if (!b) {
      const doc = root.ownerDocument;
      b = doc.createElement('button');
      b.type = 'button';
      b.className = 'badge';
      b.addEventListener('click', (e) => {
        e.preventDefault();
        e.stopPropagation();
        const current = verdicts.get(Number(b!.dataset.additionId));
        if (current) onOpen(current);
      });
      overlay().badges.appendChild(b);
      shown.set(v.additionId, b);
    }
    b.dataset.additionId = String(v.additionId);
    b.dataset.status = v.verdict;
    b.textContent = GLYPH[v.verdict];
    const label = badgeLabel(v);
    b.title = label;
    b.setAttribute('aria-label', `Addition ${v.additionId}: ${label}`);
    return b;
  }

  function place(b: HTMLElement, row: Element, clip: Box): boolean {
    const r = row.getBoundingClientRect();
    const hasLayout = r.width > 0 || r.height > 0;
    if (hasLayout && (r.bottom <= clip.top || r.top >= clip.bottom)) return false;
    // Beside the row, never over the host's own controls (its leading cell holds the row's
    // checkbox): left of the row when there is room, else right of it, else inside its far end.
    const left =
      r.left - BADGE_SIZE - 4 >= clip.left
        ? r.left - BADGE_SIZE - 4
        : r.right + 4 + BADGE_SIZE <= clip.right
          ? r.right + 4
          : Math.min(r.right, clip.right) - BADGE_SIZE - 2;
    b.style.left = `${Math.round(Math.max(clip.left, left))}px`;
    b.style.top = `${Math.round(r.top + (r.height - BADGE_SIZE) / 2)}px`;
    return true;
  }

  function layout(): void {
    if (verdicts.size === 0) {
      clear();
      return;
    }
    const used = new Set<number>();
    for (const [table, rows] of rowsByTable()) {
      const clip = clipFor(table);
      const hasLayout = table.getBoundingClientRect().height > 0;
      const from = hasLayout ? firstVisible(rows, clip.top) : 0;
      for (let i = from; i < rows.length; i++) {
        const row = rows[i]!;
        if (hasLayout && row.getBoundingClientRect().top >= clip.bottom) break;
        const id = rowAdditionId?.(row) ?? cwRowRecordId(row);
        const v = id === undefined ? undefined : verdicts.get(id);
        if (!v || used.has(id!)) continue;
        const b = badgeFor(v);
        if (place(b, row, clip)) used.add(v.additionId);
      }
    }
    for (const [id, b] of shown) {
      if (!used.has(id)) {
        b.remove();
        shown.delete(id);
      }
    }
  }

  function clear(): void {
    for (const b of shown.values()) b.remove();
    shown.clear();
  }

  return {
    setVerdicts(v) {
      verdicts = new Map((v ?? []).map((x) => [x.additionId, x]));
      layout();
    },
    layout,
    rowsChanged() {
      tables = undefined;
    },
    clear,
    get count() {
      return shown.size;
    },
  };
}

const same = (x: number | undefined, y: number | undefined) => x !== undefined && y !== undefined && Math.abs(x - y) < 1e-6;

/**
 * Rows whose cells are identical (a duplicate Addition and the twin it copies) are told apart by
 * position: the grid lists an agreement's Additions in ConnectWise's own order (by record id), so
 * the n-th of the look-alike rows is the n-th of the look-alike Additions. `known` rows (a record
 * id, or an unambiguous match of cells) are kept; only a group with exactly as many rows as
 * Additions is paired, so a row is never badged with another Addition's verdict.
 */
export function rowsByPosition(
  root: ParentNode,
  verdicts: readonly AdditionVerdict[],
  known: ReadonlyMap<Element, number> = new Map(),
  opts: CwGridOptions = {},
): Map<Element, number> {
  const out = new Map(known);
  const taken = new Set(known.values());
  const free = verdicts.filter((v) => v.productIdentifier !== undefined && !taken.has(v.additionId));
  if (free.length === 0) return out;
  const groups = new Map<string, { rows: Element[]; candidates: AdditionVerdict[] }>();
  for (const a of readCwAdditionsGrid(root, opts).additions) {
    const row = additionRowElement(a);
    if (!row || out.has(row)) continue;
    const effective = isoDatePart(a.effectiveDate);
    const cancelled = isoDatePart(a.cancelledDate) ?? null;
    const product = a.product.identifier.trim().toLowerCase();
    const candidates = free.filter(
      (v) =>
        v.productIdentifier!.trim().toLowerCase() === product &&
        v.effectiveDate === effective &&
        same(v.quantity, typeof a.quantity === 'number' ? a.quantity : undefined) &&
        (typeof a.unitPrice !== 'number' || v.unitPrice === undefined || same(v.unitPrice, a.unitPrice)) &&
        (v.cancelledDate ?? null) === cancelled,
    );
    if (candidates.length < 2) continue;
    const key = candidates.map((v) => v.additionId).sort((x, y) => x - y).join(',');
    const group = groups.get(key) ?? { rows: [], candidates };
    group.rows.push(row);
    groups.set(key, group);
  }
  for (const { rows, candidates } of groups.values()) {
    if (rows.length !== candidates.length) continue;
    const ordered = [...candidates].sort((x, y) => x.additionId - y.additionId);
    rows.forEach((row, i) => out.set(row, ordered[i]!.additionId));
  }
  return out;
}
