import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSitePage, siteForHost } from '../../sandbox/sites';
import { exampleMonth, serveSites, type Served } from './helpers';

let served: Served;
beforeAll(async () => {
  served = await serveSites(exampleMonth());
});
afterAll(() => served.close());

describe('siteForHost', () => {
  it('knows the Platform portals and the ConnectWise web hosts, not the API hosts', () => {
    expect(siteForHost('demo.rethinkportal.com')).toBe('platform');
    expect(siteForHost('Demo.RethinkPortal.com:8443')).toBe('platform');
    for (const h of ['na.myconnectwise.net', 'eu.myconnectwise.net', 'aus.myconnectwise.net', 'staging.connectwisedev.com']) {
      expect(siteForHost(h)).toBe('connectwise');
    }
    expect(siteForHost('api-na.myconnectwise.net')).toBeNull();
    expect(siteForHost('127.0.0.1:4000')).toBeNull();
    expect(siteForHost('notrethinkportal.com')).toBeNull();
  });
});

describe('routing', () => {
  it('serves the Platform at / on a portal host and under /platform/ on loopback', async () => {
    const byHost = await served.get('/mapping/invoices', 'demo.rethinkportal.com');
    const byPrefix = await served.get('/platform/mapping/invoices');
    expect(byHost.status).toBe(200);
    expect(byPrefix.status).toBe(200);
    expect(byHost.body).toContain('data-app="platform"');
    // Links follow the mount point, so the loopback copy never leaves its prefix.
    expect(byPrefix.body).toContain('href="/platform/mapping/products"');
    expect(byHost.body).toContain('href="/mapping/products"');
  });

  it('serves ConnectWise at / on a region host and under /cw/ on loopback', async () => {
    const byHost = await served.get('/companies', 'na.myconnectwise.net');
    const byPrefix = await served.get('/cw/companies');
    expect(byHost.status).toBe(200);
    expect(byPrefix.body).toContain('data-app="connectwise"');
    expect(byPrefix.body).toContain('/cw/v4_6_release/services/system_io/router/openrecord.rails?');
  });

  it('redirects the roots to the main screens', async () => {
    const platform = await served.get('/', 'demo.rethinkportal.com');
    expect(platform.status).toBe(302);
    expect(platform.headers.location).toBe('/mapping/invoices');
    const mapping = await served.get('/platform/mapping?layout=aria');
    expect(mapping.headers.location).toBe('/platform/mapping/organizations?layout=aria');
  });

  it("leaves the REST API's paths and other hosts' paths to the composing server", async () => {
    for (const [path, host] of [
      ['/v4_6_release/apis/3.0/company/companies', 'na.myconnectwise.net'],
      ['/v2025_1/apis/3.0/finance/agreements', 'api-na.myconnectwise.net'],
      ['/login/companyinfo/sandbox', 'na.myconnectwise.net'],
      ['/v4_6_release/apis/3.0/system/info', undefined],
      ['/anything', undefined],
      ['/platformx', undefined],
    ] as const) {
      const reply = await served.get(path, host);
      expect(reply.headers['x-handled-by'], path).toBe('not-sites');
    }
  });

  it('answers unknown screens of a site with its own 404 page', async () => {
    const p = await served.get('/platform/nowhere');
    expect(p.status).toBe(404);
    expect(p.body).toContain('Page not found');
    const c = await served.get('/v4_6_release/services/system_io/router/openrecord.rails?recordType=AgreementFV&recid=999999', 'eu.myconnectwise.net');
    expect(c.status).toBe(404);
    expect(c.body).toContain('Agreement 999999 was not found');
  });
});

describe('renderSitePage', () => {
  it('renders the same page as the server, without one', async () => {
    const data = exampleMonth();
    const page = renderSitePage(data, 'https://demo.rethinkportal.com/mapping/invoices?month=2026-11&layout=aria');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const served = await serveSites(data);
    try {
      expect((await served.get('/mapping/invoices?month=2026-11&layout=aria', 'demo.rethinkportal.com')).body).toBe(page.body);
    } finally {
      await served.close();
    }
    expect(renderSitePage(data, 'http://127.0.0.1:9/cw/nowhere').status).toBe(404);
    expect(() => renderSitePage(data, 'http://127.0.0.1:9/v4_6_release/apis/3.0/system/info')).toThrow(/not a page/);
  });
});
