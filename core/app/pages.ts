import type { App, PageContext, Screen } from '../model';

type Reported = Omit<PageContext, 'tabId' | 'reachable'>;

/**
 * What each tab shows, as its content script last reported (on load and on every SPA
 * navigation). A tab that never reported is described from its URL alone, unreachable.
 */
export function createPageContexts(knownHosts: () => { platform: RegExp[]; connectwise: RegExp[] }) {
  const byTab = new Map<number, Reported>();
  return {
    report(tabId: number, context: Reported): PageContext {
      byTab.set(tabId, context);
      return { ...context, tabId, reachable: true };
    },
    forget(tabId: number): void {
      byTab.delete(tabId);
    },
    get(tabId: number | null, url: string | null): PageContext {
      const known = tabId === null ? undefined : byTab.get(tabId);
      // A report for another URL is stale: the tab navigated and its new page has not spoken yet.
      if (known && (!url || sameDocument(known.url, url))) return { ...known, tabId, reachable: true };
      return fromUrl(tabId, url ?? '', knownHosts());
    },
  };
}

function sameDocument(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    // ConnectWise's single-page address moves between records in the `#…state={…}` part alone.
    const stateful = /state=/i.test(x.hash) || /state=/i.test(y.hash);
    return x.origin === y.origin && x.pathname === y.pathname && x.search === y.search && (!stateful || x.hash === y.hash);
  } catch {
    return a === b;
  }
}

export function appOfUrl(url: string, hosts: { platform: RegExp[]; connectwise: RegExp[] }): App | null {
  if (hosts.platform.some((re) => re.test(url))) return 'platform';
  if (hosts.connectwise.some((re) => re.test(url))) return 'connectwise';
  return null;
}

function fromUrl(tabId: number | null, url: string, hosts: { platform: RegExp[]; connectwise: RegExp[] }): PageContext {
  const app = appOfUrl(url, hosts);
  const screen: Screen = app === 'platform' ? 'platform.other' : app === 'connectwise' ? 'connectwise.other' : 'none';
  return { tabId, url, app, screen, capturable: false, reachable: false };
}

/** Turns a match pattern (`https://*.example.com/*`) into a RegExp over URLs. */
export function matchPatternToRegExp(pattern: string): RegExp | null {
  const m = /^(\*|https?):\/\/(\*|\*\.[^/*]+|[^/*]+)(\/.*)$/.exec(pattern.trim());
  if (!m) return null;
  const [, scheme, host, path] = m as unknown as [string, string, string, string];
  const esc = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const schemeRe = scheme === '*' ? 'https?' : scheme;
  const hostRe = host === '*' ? '[^/]+' : host.startsWith('*.') ? `(?:[^/]+\\.)?${esc(host.slice(2))}` : esc(host);
  const pathRe = path.split('*').map(esc).join('.*');
  return new RegExp(`^${schemeRe}://${hostRe}(?::\\d+)?${pathRe}$`, 'i');
}

/**
 * A host as a user types it (`billing.example.com`, `https://cw.example.com/`, or already a
 * pattern) → the match pattern the extension requests and registers scripts for.
 */
export function hostToMatchPattern(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  // Already a pattern (it has a wildcard): keep it if the browser would accept it.
  if (text.includes('*')) return matchPatternToRegExp(text) ? text : null;
  // Another scheme (ftp://, file://) is nothing the extension can run on.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(/^https?:\/\//.test(text) ? text : `https://${text}`);
    if (!url.hostname || /[*]/.test(url.hostname)) return null;
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return null;
  }
}
