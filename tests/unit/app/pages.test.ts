import { describe, expect, it } from 'vitest';
import { appOfUrl, createPageContexts, hostToMatchPattern, matchPatternToRegExp } from '../../../core/app/pages';

describe('host patterns', () => {
  it('turns what a user types into a match pattern', () => {
    expect(hostToMatchPattern('billing.example.com')).toBe('https://billing.example.com/*');
    expect(hostToMatchPattern('https://cw.example.com/v4_6_release/')).toBe('https://cw.example.com/*');
    expect(hostToMatchPattern('https://*.example.com/*')).toBe('https://*.example.com/*');
    expect(hostToMatchPattern('')).toBeNull();
    expect(hostToMatchPattern('ftp://x')).toBeNull();
  });

  it('matches URLs the way the browser does', () => {
    const re = matchPatternToRegExp('https://*.rethinkportal.com/*')!;
    expect(re.test('https://demo.rethinkportal.com/mapping/invoices')).toBe(true);
    expect(re.test('https://rethinkportal.com/')).toBe(true);
    expect(re.test('https://demo.rethinkportal.com.evil.example/')).toBe(false);
    expect(re.test('http://demo.rethinkportal.com/')).toBe(false);
  });

  it('tells which app a URL belongs to', () => {
    const hosts = { platform: [matchPatternToRegExp('https://*.rethinkportal.com/*')!], connectwise: [matchPatternToRegExp('https://na.myconnectwise.net/*')!] };
    expect(appOfUrl('https://na.myconnectwise.net/v4_6_release/x', hosts)).toBe('connectwise');
    expect(appOfUrl('https://example.com/', hosts)).toBeNull();
  });
});

describe('page contexts', () => {
  const hosts = () => ({ platform: [matchPatternToRegExp('https://*.rethinkportal.com/*')!], connectwise: [] });
  it('uses the content script report while the tab shows that document, the URL alone after', () => {
    const pages = createPageContexts(hosts);
    const url = 'https://demo.rethinkportal.com/mapping/invoices?month=2026-11';
    pages.report(1, { url, app: 'platform', screen: 'platform.invoices', capturable: true });
    expect(pages.get(1, url)).toMatchObject({ screen: 'platform.invoices', reachable: true, tabId: 1 });
    expect(pages.get(1, 'https://demo.rethinkportal.com/dashboard')).toMatchObject({ screen: 'platform.other', reachable: false });
    pages.forget(1);
    expect(pages.get(1, url)).toMatchObject({ reachable: false });
    expect(pages.get(2, 'chrome://newtab/')).toMatchObject({ app: null, screen: 'none' });
  });
});
