import { describe, expect, it } from 'vitest';
import {
  dateOrdersFitting,
  inferDecimalSeparator,
  localeDateOrder,
  localeDecimalSeparator,
  parseBadge,
  parseDateInOrder,
  parseFileDate,
  parseNumber,
  parseSyncStatus,
  parseYesNo,
  splitBadge,
} from '../../../core/ingest/values';

describe('file dates (§4.1)', () => {
  it('reads YYYY-MM-DD with or without a time part', () => {
    expect(parseFileDate('2026-11-01')).toBe('2026-11-01');
    expect(parseFileDate('2026-11-01T00:00:00Z')).toBe('2026-11-01');
    expect(parseFileDate('2026-11-01 13:45')).toBe('2026-11-01');
    expect(parseFileDate('2026-11-01T13:45:10.123+01:00')).toBe('2026-11-01');
  });
  it('reads DD.MM.YYYY', () => {
    expect(parseFileDate('01.11.2026')).toBe('2026-11-01');
    expect(parseFileDate('1.2.2026')).toBe('2026-02-01');
  });
  it('reads slashed dates only with a configured order', () => {
    expect(parseFileDate('03/04/2026')).toBeNull();
    expect(parseFileDate('03/04/2026', 'DD/MM/YYYY')).toBe('2026-04-03');
    expect(parseFileDate('03/04/2026', 'MM/DD/YYYY')).toBe('2026-03-04');
  });
  it('rejects impossible and malformed dates', () => {
    for (const bad of ['2026-02-30', '31.04.2026', '2026/11/01', 'Nov 1 2026', '', '13/13/2026']) expect(parseFileDate(bad, 'DD/MM/YYYY')).toBeNull();
  });
});

describe('screen dates in a locale order', () => {
  it('reads each order with any separator and short years', () => {
    expect(parseDateInOrder('11/1/2026', 'MDY')).toBe('2026-11-01');
    expect(parseDateInOrder('1/11/2026', 'DMY')).toBe('2026-11-01');
    expect(parseDateInOrder('01-11-26', 'DMY')).toBe('2026-11-01');
    expect(parseDateInOrder('2026.11.01', 'YMD')).toBe('2026-11-01');
    expect(parseDateInOrder('13/1/2026', 'MDY')).toBeNull();
  });
  it('finds the orders that fit every value', () => {
    expect(dateOrdersFitting(['11/30/2026', '11/1/2026'])).toEqual(['MDY']);
    expect(dateOrdersFitting(['30.11.2026', ''])).toEqual(['DMY']);
    expect(dateOrdersFitting(['01/02/2026'])).toEqual(['DMY', 'MDY']);
  });
  it('knows the date order and decimal separator of common locales', () => {
    expect(localeDateOrder('en-US')).toBe('MDY');
    expect(localeDateOrder('en_GB')).toBe('DMY');
    expect(localeDateOrder('de')).toBe('DMY');
    expect(localeDateOrder('sv-SE')).toBe('YMD');
    expect(localeDecimalSeparator('de-DE')).toBe(',');
    expect(localeDecimalSeparator('en-US')).toBe('.');
    expect(localeDateOrder('not a locale!')).toBeUndefined();
  });
});

describe('numbers', () => {
  it('reads thousands separators, symbols, codes and signs', () => {
    expect(parseNumber('1,234.56')).toEqual({ value: 1234.56 });
    expect(parseNumber('€1,234.56')).toEqual({ value: 1234.56 });
    expect(parseNumber('$ -12.50')).toEqual({ value: -12.5 });
    expect(parseNumber('-$12.50')).toEqual({ value: -12.5 });
    expect(parseNumber('NOK 1,359.83')).toEqual({ value: 1359.83, currency: 'NOK' });
    expect(parseNumber('79.99 sek')).toEqual({ value: 79.99, currency: 'SEK' });
    expect(parseNumber('($1,000.00)')).toEqual({ value: -1000 });
    expect(parseNumber('(GBP 5.00)')).toEqual({ value: -5, currency: 'GBP' });
    expect(parseNumber('12-')).toEqual({ value: -12 });
    expect(parseNumber("1'234.5")).toEqual({ value: 1234.5 });
  });
  it('reads a decimal comma when told', () => {
    expect(parseNumber('1.234,56', ',')).toEqual({ value: 1234.56 });
    expect(parseNumber('1 234,56 €', ',')).toEqual({ value: 1234.56 });
    expect(parseNumber('1\u00a0234,5 kr', ',')).toEqual({ value: 1234.5 });
    expect(parseNumber('-0,5', ',')).toEqual({ value: -0.5 });
  });
  it('rejects ambiguous or broken numbers instead of guessing', () => {
    expect(parseNumber('1,5')).toBeNull();
    expect(parseNumber('1.5', ',')).toBeNull();
    expect(parseNumber('12x')).toBeNull();
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('1,23,4.0')).toBeNull();
  });
  it('infers a column decimal separator from its values', () => {
    expect(inferDecimalSeparator(['1.234,56', '12'])).toBe(',');
    expect(inferDecimalSeparator(['79,99', '10'])).toBe(',');
    expect(inferDecimalSeparator(['79.99', '1,000'])).toBe('.');
    expect(inferDecimalSeparator(['10', '20'])).toBe('.');
  });
});

describe('badges, flags, statuses', () => {
  it('splits a badge off a cell value', () => {
    expect(splitBadge('01.11.2026 (System Updated)')).toEqual({ text: '01.11.2026', badge: 'System Updated' });
    expect(splitBadge('Monthly subscription User Updated')).toEqual({ text: 'Monthly subscription', badge: 'User Updated' });
    expect(splitBadge('2026-11-01 [system-updated]')).toEqual({ text: '2026-11-01', badge: 'System Updated' });
    expect(splitBadge('2026-11-01')).toEqual({ text: '2026-11-01' });
    expect(parseBadge('')).toBeUndefined();
    expect(parseBadge('User Updated')).toBe('User Updated');
    expect(parseBadge('Updated by Bob')).toBeNull();
  });
  it('reads yes/no and PSA statuses', () => {
    expect(parseYesNo('Yes')).toBe(true);
    expect(parseYesNo(' no ')).toBe(false);
    expect(parseYesNo('')).toBe(false);
    expect(parseYesNo('maybe')).toBeNull();
    expect(parseSyncStatus('Not synced')).toEqual({ status: 'Not Synced' });
    expect(parseSyncStatus('Response Error')).toEqual({ status: 'Response Error' });
    expect(parseSyncStatus('Excluded')).toEqual({ status: 'Not Synced', excluded: true });
    expect(parseSyncStatus('Unknown')).toBeNull();
  });
});
