import type { DictionaryEntry, TermHit } from '../../core/dictionary/types';
import type { AdditionVerdict, App, MappingKind } from '../../core/model';

/** The system whose page the help runs on. */
export type Site = App;

/**
 * Names on the other system the entity is mapped to: empty when unmapped, null when the answer
 * is unknown (no storage yet, lookup failed), which shows nothing rather than a wrong "unmapped".
 */
export type LookupEntity = (kind: MappingKind, name: string) => Promise<string[] | null>;

export type { AdditionVerdict, DictionaryEntry, MappingKind, TermHit };

export interface InPageHelpOptions {
  doc: Document;
  site: Site;
  /** Full dictionary (built-in merged with the user's); default: the built-in one. */
  entries?: readonly DictionaryEntry[];
  lookupEntity?: LookupEntity;
  /** Verdicts for the agreement on screen (ConnectWise only); badges are drawn for these. */
  verdicts?: readonly AdditionVerdict[] | null;
  /** A badge was clicked. The caller opens the verdict's finding in the side panel. */
  onOpenFinding?: (verdict: AdditionVerdict) => void;
  /** The user asked to map an unmapped entity from its tooltip. */
  onMapRequest?: (request: { kind: MappingKind; name: string; site: Site }) => void;
  enabled?: boolean;
  /** The app's content region; default `doc.body`. */
  root?: Element;
  /** Extra selector for regions to leave alone (besides inputs, editors, menus, our own UI). */
  skipSelector?: string;
  /** Which Addition a ConnectWise grid row shows, when the row carries no record id. */
  rowAdditionId?: (row: Element) => number | undefined;
  /** Hover delay before a tooltip shows (ms). */
  hoverDelayMs?: number;
  /**
   * How long the page must stay unscrolled before painted terms follow it (ms). Any change to a
   * highlight repaints the whole document, which on a big page costs several frames; so terms
   * are repainted once a scroll has settled, never on every scrolled frame. A page that scrolls
   * slowly is given twice the longest gap between its scroll events, up to 600 ms.
   */
  scrollSettleMs?: number;
  /**
   * Paint only marks near the viewport (default) or all of them.
   * Either way every mark answers hover and the keyboard shortcut.
   */
  paint?: 'visible' | 'all';
  /** How long mutations are gathered before they are processed together (ms). */
  batchDelayMs?: number;
}

export interface InPageHelp {
  stop(): void;
  setEnabled(on: boolean): void;
  setVerdicts(verdicts: readonly AdditionVerdict[] | null): void;
  /** Process gathered mutations now instead of after the batch delay (tests, benchmarks). */
  flush(): void;
  /** Explain the term at the caret or selection (what Alt+Shift+D does); true when one was found. */
  explainSelection(): boolean;
  readonly enabled: boolean;
  /** How many term occurrences are marked right now. */
  readonly markedCount: number;
  /** How many of them are painted (those near the viewport). */
  readonly paintedCount: number;
}
