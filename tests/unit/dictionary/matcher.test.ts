import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_DICTIONARY,
  compileMatcher,
  mergeDictionary,
  parseUserEntries,
  surfaceForms,
  type DictionaryEntry,
  type Side,
} from '../../../core/dictionary';

const cw = compileMatcher(BUILTIN_DICTIONARY, { sides: ['connectwise'] });
const platform = compileMatcher(BUILTIN_DICTIONARY, { sides: ['platform'] });

function found(matcher: ReturnType<typeof compileMatcher>, text: string) {
  return matcher.find(text).map((h) => ({ text: text.slice(h.start, h.end), id: h.entry.id, side: h.side }));
}

describe('built-in dictionary (DESIGN §3.1)', () => {
  const pairs: Array<[string, string]> = [
    ['Organizations', 'Companies'],
    ['Invoice lines', 'Additions'],
    ['Offers', 'Products'],
    ['Contracts', 'Agreements'],
    ['Charge Start Date', 'Effective Date'],
    ['Charge End Date', 'Cancelled Date'],
    ['PSA Organization Name', 'Company Name'],
    ['PSA Product Name', 'Product ID'],
    ['PSA Agreement Name', 'Agreement Name'],
    ['Charge Type', 'Description'],
    ['Quantity', 'Quantity'],
    ['Revenue', 'Unit Price'],
    ['Currency', 'Agreement Currency'],
    ['Organization Reference #', 'ERPId'],
    ['Custom invoices', 'Correction Additions'],
  ];

  it.each(pairs)('%s on the Platform and %s in ConnectWise name the same entry', (p, c) => {
    const onPlatform = platform.find(p);
    const onCw = cw.find(c);
    expect(onPlatform).toHaveLength(1);
    expect(onCw).toHaveLength(1);
    expect(onPlatform[0]!.end - onPlatform[0]!.start).toBe(p.length);
    expect(onCw[0]!.end - onCw[0]!.start).toBe(c.length);
    expect(onPlatform[0]!.entry.id).toBe(onCw[0]!.entry.id);
  });

  it('gives every entry a one-line explanation and a guide section', () => {
    for (const e of BUILTIN_DICTIONARY) {
      expect(e.explanation).not.toMatch(/\n/);
      expect(e.explanation.length).toBeLessThanOrEqual(160);
      expect(e.guideSection.trim()).not.toBe('');
    }
    expect(new Set(BUILTIN_DICTIONARY.map((e) => e.id)).size).toBe(BUILTIN_DICTIONARY.length);
  });

  it('marks Contracts ↔ Agreements as close, not one-to-one', () => {
    const contracts = BUILTIN_DICTIONARY.find((e) => e.id === 'contracts')!;
    expect(contracts.explanation).toMatch(/not one-to-one/);
  });
});

describe('compileMatcher', () => {
  it('matches singular, plural and any letter case', () => {
    expect(found(cw, 'one addition, two ADDITIONS, a Company and the companies')).toEqual([
      { text: 'addition', id: 'invoice-lines', side: 'connectwise' },
      { text: 'ADDITIONS', id: 'invoice-lines', side: 'connectwise' },
      { text: 'Company', id: 'organizations', side: 'connectwise' },
      { text: 'companies', id: 'organizations', side: 'connectwise' },
    ]);
    expect(found(platform, 'an Invoice line; the invoice lines; one Offer').map((h) => h.text)).toEqual([
      'Invoice line',
      'invoice lines',
      'Offer',
    ]);
  });

  it('prefers the longest term at a position', () => {
    expect(found(platform, 'PSA Agreement Name').map((h) => h.text)).toEqual(['PSA Agreement Name']);
    expect(found(cw, 'Agreement Name and Agreement').map((h) => h.text)).toEqual(['Agreement Name', 'Agreement']);
    expect(found(cw, 'Correction Additions').map((h) => h.id)).toEqual(['custom-invoices']);
  });

  it('only matches whole words', () => {
    expect(found(cw, 'subadditions Additionsx Agreements2 _Company')).toEqual([]);
    expect(found(cw, '(Additions), "Agreement".')).toHaveLength(2);
    // A term ending in a symbol still needs a boundary after it; the shorter form is kept.
    expect(found(platform, 'Organization Reference #7').map((h) => h.text)).toEqual(['Organization Reference']);
    expect(found(platform, 'Organization Reference # 7').map((h) => h.text)).toEqual(['Organization Reference #']);
  });

  it('lets any run of white space stand for a space', () => {
    expect(found(cw, 'Effective\u00a0Date / Effective\n  Date').map((h) => h.id)).toEqual(['charge-start-date', 'charge-start-date']);
  });

  it('reports which side a term belongs to when looking for both', () => {
    const both = compileMatcher(BUILTIN_DICTIONARY);
    expect(found(both, 'Offers are Products')).toEqual([
      { text: 'Offers', id: 'offers', side: 'platform' },
      { text: 'Products', id: 'offers', side: 'connectwise' },
    ]);
  });

  it('finds nothing with no entries', () => {
    const none = compileMatcher([]);
    expect(none.find('Additions')).toEqual([]);
    expect(none.test('Additions')).toBe(false);
  });

  it('agrees with a naive per-term scan on random text', () => {
    const sides: Side[] = ['connectwise'];
    const forms = BUILTIN_DICTIONARY.flatMap((e) => surfaceForms(e, 'connectwise'));
    const naive = (text: string) => {
      const out: Array<{ start: number; end: number }> = [];
      const lower = text.toLowerCase();
      const isWord = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
      let i = 0;
      while (i < text.length) {
        let best = -1;
        if (!isWord(text[i - 1])) {
          for (const f of forms) {
            const end = i + f.length;
            if (lower.startsWith(f.toLowerCase(), i) && !isWord(text[end]) && f.length > best) best = f.length;
          }
        }
        if (best > 0) {
          out.push({ start: i, end: i + best });
          i += best;
        } else i++;
      }
      return out;
    };
    const matcher = compileMatcher(BUILTIN_DICTIONARY, { sides });
    const piece = fc.oneof(
      fc.constantFrom(...forms),
      fc.constantFrom(...forms).map((f) => f.toUpperCase()),
      fc.constantFrom(' ', ', ', 'x', '_', '-', '#', 's', ' and ', '1'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const got = matcher.find(text).map(({ start, end }) => ({ start, end }));
        expect(got).toEqual(naive(text));
        expect(matcher.test(text)).toBe(got.length > 0);
      }),
      { numRuns: 400 },
    );
  });
});

describe('user entries', () => {
  it('are validated, merged and win over built-in spellings', () => {
    const user = parseUserEntries([
      { platform: 'Billing Day', connectwise: 'Billing Cycle', explanation: 'When the contract bills.' },
      { platform: 'Invoice lines', connectwise: 'Additions', explanation: 'Our team calls them adds.', guideSection: 'Team wiki' },
    ]);
    expect(user[0]).toMatchObject({ kind: 'field', origin: 'user', guideSection: 'Your own entry' });
    expect(user[0]!.id).toBe('user:billingday:billingcycle');
    const merged = mergeDictionary(user);
    expect(merged.length).toBe(BUILTIN_DICTIONARY.length + 2);
    const m = compileMatcher(merged, { sides: ['connectwise'] });
    expect(found(m, 'Billing Cycle').map((h) => h.id)).toEqual(['user:billingday:billingcycle']);
    expect(m.find('Additions')[0]!.entry.explanation).toBe('Our team calls them adds.');
  });

  it('replace a built-in entry with the same id', () => {
    const replacement: DictionaryEntry = { ...BUILTIN_DICTIONARY[0]!, explanation: 'Ours.' };
    const merged = mergeDictionary([replacement]);
    expect(merged.filter((e) => e.id === replacement.id)).toEqual([{ ...replacement, origin: 'user' }]);
  });

  it('reject a bad entry naming its position, field and value', () => {
    expect(() => parseUserEntries([{ platform: 'A', connectwise: 'B', explanation: 'ok' }, { platform: '', connectwise: 'B', explanation: 'x' }])).toThrow(
      /entry 2: field platform = ""/,
    );
    expect(() => parseUserEntries({})).toThrow(/must be a list/);
  });
});
