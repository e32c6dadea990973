import type { DictionaryEntry, Side } from '../../core/dictionary/types';
import type { Overlay } from './overlay';
import type { MappingKind, Site } from './types';

export interface Anchor {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export type TooltipContent =
  | { type: 'term'; entry: DictionaryEntry; side: Side; found: string }
  | { type: 'entity'; site: Site; kind: MappingKind; name: string; mappedTo: string[] | 'loading'; canMap: boolean };

const SYSTEM: Record<Side, string> = { platform: 'Platform', connectwise: 'ConnectWise' };
const OTHER: Record<Side, Side> = { platform: 'connectwise', connectwise: 'platform' };

/** What each side calls the entity kinds (the tooltip speaks both systems' words). */
const ENTITY_WORD: Record<MappingKind, Record<Side, [string, string]>> = {
  organization: { platform: ['organization', 'organizations'], connectwise: ['company', 'companies'] },
  offer: { platform: ['offer', 'offers'], connectwise: ['product', 'products'] },
  contract: { platform: ['contract', 'contracts'], connectwise: ['agreement', 'agreements'] },
};

export interface Tooltip {
  readonly visible: boolean;
  readonly content: TooltipContent | undefined;
  show(content: TooltipContent, anchor: Anchor, announce: boolean): void;
  hide(): void;
  /** Focus the tooltip's action, if it has one (keyboard users). */
  focusAction(): boolean;
  element: HTMLElement;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

let tipCounter = 0;

export function createTooltip(
  doc: Document,
  overlay: Overlay,
  onMap: (kind: MappingKind, name: string) => void,
): Tooltip {
  const tip = el(doc, 'div', 'tip');
  tip.id = `cwr-tip-${++tipCounter}`;
  tip.setAttribute('role', 'tooltip');
  tip.tabIndex = -1;
  tip.hidden = true;
  overlay.layer.appendChild(tip);
  let current: TooltipContent | undefined;

  function termBody(c: Extract<TooltipContent, { type: 'term' }>): string {
    const other = OTHER[c.side];
    const terms = el(doc, 'div', 'terms');
    terms.append(
      el(doc, 'span', 'sys', SYSTEM[c.side]),
      el(doc, 'span', 'here', c.entry[c.side]),
      el(doc, 'span', 'arrow', '⇄'),
      el(doc, 'span', 'sys', SYSTEM[other]),
      el(doc, 'span', 'there', c.entry[other]),
    );
    // A user's own entry may carry no explanation and no guide section.
    tip.append(terms, el(doc, 'p', 'expl', c.entry.explanation || '—'));
    if (c.entry.guideSection) tip.append(el(doc, 'p', 'guide', `Setup guide: ${c.entry.guideSection}`));
    return `${c.found}: in ${SYSTEM[other]} this is ${c.entry[other]}. ${c.entry.explanation}`;
  }

  function entityBody(c: Extract<TooltipContent, { type: 'entity' }>): string {
    const here: Side = c.site;
    const there = OTHER[here];
    const [hereWord] = ENTITY_WORD[c.kind][here];
    const [thereOne, thereMany] = ENTITY_WORD[c.kind][there];
    const terms = el(doc, 'div', 'terms');
    terms.append(el(doc, 'span', 'sys', `${SYSTEM[here]} ${hereWord}`), el(doc, 'span', 'here', c.name));
    tip.append(terms);
    let text: string;
    if (c.mappedTo === 'loading') {
      text = 'Looking up the mapping…';
      tip.append(el(doc, 'p', 'expl', text));
    } else if (c.mappedTo.length > 0) {
      const noun = c.mappedTo.length === 1 ? thereOne : thereMany;
      text = `Mapped to ${SYSTEM[there]} ${noun}: ${c.mappedTo.join(', ')}`;
      tip.append(el(doc, 'p', 'expl', text));
    } else {
      text = `Not mapped to any ${SYSTEM[there]} ${thereOne} yet.`;
      tip.append(el(doc, 'p', 'expl', text));
      if (c.canMap) {
        const button = el(doc, 'button', undefined, 'Map it…');
        button.type = 'button';
        button.addEventListener('click', () => onMap(c.kind, c.name));
        tip.append(button);
      }
    }
    return `${c.name}: ${text}`;
  }

  function place(anchor: Anchor): void {
    const win = doc.defaultView;
    const vw = win?.innerWidth ?? 1024;
    const vh = win?.innerHeight ?? 768;
    const w = tip.offsetWidth || 300;
    const h = tip.offsetHeight || 80;
    const left = Math.max(4, Math.min(anchor.left, vw - w - 4));
    const below = anchor.bottom + 6;
    const top = below + h <= vh || anchor.top - h - 6 < 0 ? below : anchor.top - h - 6;
    tip.style.left = `${Math.round(left)}px`;
    tip.style.top = `${Math.round(top)}px`;
  }

  return {
    get visible() {
      return !tip.hidden;
    },
    get content() {
      return current;
    },
    element: tip,
    show(content, anchor, announce) {
      current = content;
      tip.replaceChildren();
      const spoken = content.type === 'term' ? termBody(content) : entityBody(content);
      tip.hidden = false;
      place(anchor);
      // Hover needs no announcement (the text is already read); the keyboard shortcut does.
      overlay.live.textContent = announce ? spoken : '';
    },
    hide() {
      current = undefined;
      tip.hidden = true;
      tip.replaceChildren();
    },
    focusAction() {
      const button = tip.querySelector('button');
      if (!button) return false;
      button.focus();
      return true;
    },
  };
}
