import type { DictionaryEntry, Side } from './types';

/** Display terms may carry a note in brackets ("Company (name)"); the page never shows it. */
function stripNote(term: string): string {
  return term.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
}

export function normaliseSpaces(term: string): string {
  return term.replace(/\s+/g, ' ').trim();
}

function pluralOf(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

function singularOf(word: string): string | undefined {
  if (/ies$/i.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(sses|xes|ches|shes)$/i.test(word)) return word.slice(0, -2);
  if (/[^su]s$/i.test(word)) return word.slice(0, -1);
  return undefined;
}

/** The term as written plus its singular or plural, changing only the last word. */
export function numberForms(term: string): string[] {
  const clean = normaliseSpaces(stripNote(term));
  if (clean === '') return [];
  const cut = clean.lastIndexOf(' ');
  const head = clean.slice(0, cut + 1);
  const last = clean.slice(cut + 1);
  const forms = [clean];
  // Only real words inflect: "Product ID" → "Product IDs", but not "Reference #".
  if (/^\p{L}{2,}$/u.test(last)) {
    const singular = singularOf(last);
    if (singular !== undefined) forms.push(head + singular);
    else forms.push(head + pluralOf(last));
  }
  return forms;
}

/** Every spelling of an entry on one side, display term first. */
export function surfaceForms(entry: DictionaryEntry, side: Side): string[] {
  const terms = [entry[side], ...(entry.aliases?.[side] ?? [])];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const term of terms) {
    for (const form of numberForms(term)) {
      const key = form.toLowerCase();
      if (!seen.has(key)) {
        seen.add(key);
        out.push(form);
      }
    }
  }
  return out;
}
