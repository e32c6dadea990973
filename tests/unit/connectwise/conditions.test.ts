import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildQuery, cond, dateLiteral, encodeQueryValue, literal, resolveApiHost, parseLinkHeader, linkParam } from '../../../core/connectwise';
import { matcher } from '../../sandbox/cw-api/conditions';

describe('conditions builder', () => {
  it('quotes strings, brackets dates, leaves numbers, booleans and null bare', () => {
    expect(cond.eq('company/name', 'Oak Inc').text).toBe('company/name = "Oak Inc"');
    expect(cond.ge('effectiveDate', new Date('2026-11-01T00:00:00.000Z')).text).toBe('effectiveDate >= [2026-11-01T00:00:00Z]');
    expect(dateLiteral('2026-11-30')).toBe('[2026-11-30T00:00:00Z]');
    expect(cond.in('company/id', [1, 2, 3]).text).toBe('company/id in (1, 2, 3)');
    expect(cond.eq('inactiveFlag', false).text).toBe('inactiveFlag = false');
    expect(cond.eq('cancelledDate', null).text).toBe('cancelledDate = null');
    expect(literal(2.5)).toBe('2.5');
  });

  it('picks quotes that need no escaping, escapes when both kinds appear', () => {
    expect(literal(`Say "hi"`)).toBe(`'Say "hi"'`);
    expect(literal(`O'Brien`)).toBe(`"O'Brien"`);
    expect(literal(`O'Brien "Jr"`)).toBe(`"O'Brien \\"Jr\\""`);
  });

  it('and/or parenthesise their parts and drop absent ones', () => {
    expect(cond.and(cond.eq('a', 1), undefined, cond.or(cond.eq('b', 'x'), cond.eq('c', null)))?.text).toBe('(a = 1) and ((b = "x") or (c = null))');
    expect(cond.and(undefined, false)).toBeUndefined();
    expect(cond.and(cond.eq('a', 1))?.text).toBe('a = 1');
  });

  it('rejects field paths and values that could inject', () => {
    expect(() => cond.eq('name = "x" or id', 1)).toThrow(/field path/);
    expect(() => cond.eq('id', Number.NaN)).toThrow(/finite/);
    expect(() => cond.in('id', [])).toThrow(/at least one/);
    expect(() => dateLiteral('yesterday')).toThrow(/Not a date/);
  });

  it('startsWith escapes LIKE wildcards in the prefix', () => {
    const c = cond.startsWith('identifier', '100%_[x]');
    expect(c.text).toBe('identifier like "100[%][_][[]x]%"');
    const test = matcher(c.text);
    expect(test({ identifier: '100%_[x] and more' })).toBe(true);
    expect(test({ identifier: '1000_[x]' })).toBe(false);
  });

  it('encodes & " \' * % + and spaces in query values', () => {
    expect(encodeQueryValue(`a&b"c'd*e%f+g h`)).toBe('a%26b%22c%27d%2Ae%25f%2Bg%20h');
    expect(buildQuery({ conditions: cond.eq('name', 'A&B'), page: 1, fields: undefined })).toBe('?conditions=name%20%3D%20%22A%26B%22&page=1');
  });

  it('any string survives builder → URL → server parser and matches only itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (value, other) => {
        const query = buildQuery({ conditions: cond.eq('name', value) });
        const decoded = new URLSearchParams(query.slice(1)).get('conditions')!;
        const test = matcher(decoded);
        expect(test({ name: value })).toBe(true);
        if (other.toLowerCase() !== value.toLowerCase()) expect(test({ name: other })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hosts', () => {
  it.each([
    ['na.myconnectwise.net', 'https://api-na.myconnectwise.net', 'https://na.myconnectwise.net'],
    ['https://eu.myconnectwise.net/v4_6_release/ConnectWise.aspx', 'https://api-eu.myconnectwise.net', 'https://eu.myconnectwise.net'],
    ['api-aus.myconnectwise.net', 'https://api-aus.myconnectwise.net', 'https://aus.myconnectwise.net'],
    ['AU.MyConnectWise.net', 'https://api-au.myconnectwise.net', 'https://au.myconnectwise.net'],
    ['za.myconnectwise.net', 'https://api-za.myconnectwise.net', 'https://za.myconnectwise.net'],
    ['staging.connectwisedev.com', 'https://api-staging.connectwisedev.com', 'https://staging.connectwisedev.com'],
    ['cw.example.com', 'https://cw.example.com', 'https://cw.example.com'],
    ['https://psa.example.org:8443/', 'https://psa.example.org:8443', 'https://psa.example.org:8443'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://localhost:4010', 'http://localhost:4010', 'http://localhost:4010'],
  ])('%s → %s', (site, origin, web) => {
    expect(resolveApiHost(site)).toMatchObject({ origin, webOrigin: web });
  });

  it('refuses plain http off loopback and nonsense', () => {
    expect(() => resolveApiHost('http://cw.example.com')).toThrow(/plain http/);
    expect(() => resolveApiHost('ftp://cw.example.com')).toThrow(/scheme/);
    expect(() => resolveApiHost('  ')).toThrow(/empty/);
  });
});

describe('Link header', () => {
  it('reads rels even when URLs contain commas', () => {
    const header = '<https://x/apis/3.0/a?conditions=id%20in%20(1,2)&page=2>; rel="next", <https://x/apis/3.0/a?conditions=id in (1,2)&page=7>; rel="last"';
    const links = parseLinkHeader(header);
    expect(linkParam(links.next, 'page')).toBe(2);
    expect(linkParam(links.last, 'page')).toBe(7);
    expect(parseLinkHeader('')).toEqual({});
  });
});
