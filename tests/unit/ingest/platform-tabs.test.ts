// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readPlatformOrganizations, readPlatformProducts } from '../../../core/ingest';

const parse = (html: string) => new DOMParser().parseFromString(`<html><body>${html}</body></html>`, 'text/html');

const orgTable = `
<div class="toolbar"><button>Sync Organizations</button><button>Columns</button></div>
<table><thead><tr><th>Organization Reference #</th><th>Organization</th><th>PSA Organization Name</th><th>Mapping Status</th><th>Excluded from Sync</th></tr></thead>
<tbody>
<tr><td>ORG-18041</td><td>Kestrel Inc</td><td><span class="placeholder">Click to select</span></td><td></td><td><input type="checkbox"></td></tr>
<tr><td>ORG-94712</td><td>Delta Oy</td><td>Delta Oy</td><td><span class="badge">Response Error</span></td><td><input type="checkbox" checked></td></tr>
</tbody></table><div class="pagination">1–2 of 2</div>`;

const productsAria = `
<div role="grid"><div role="row"><div role="columnheader">PSA Product Name</div><div role="columnheader">Offer Name</div><div role="columnheader">Vendor</div></div>
<div role="row"><div role="gridcell">M365-BP</div><div role="gridcell">Microsoft 365 Business Premium</div><div role="gridcell">Microsoft</div></div>
<div role="row"><div role="gridcell">Click to select</div><div role="gridcell">Visio Plan 2</div><div role="gridcell">Microsoft</div></div>
</div>`;

describe('Platform mapping tabs', () => {
  it('reads the Organizations tab: reference, name, PSA name, excluded toggle, status badge', () => {
    const r = readPlatformOrganizations(parse(orgTable));
    expect(r.rows).toEqual([
      { row: 1, organization: 'Kestrel Inc', organizationRef: 'ORG-18041', excluded: false },
      { row: 2, organization: 'Delta Oy', organizationRef: 'ORG-94712', psaOrganizationName: 'Delta Oy', excluded: true, mappingStatus: 'Response Error' },
    ]);
    expect(r.diagnostics).toMatchObject({ found: true, layout: 'table', complete: true, totalShown: 2, rowsRead: 2 });
  });

  it('reads the Products tab in any column order', () => {
    const r = readPlatformProducts(parse(productsAria));
    expect(r.rows).toEqual([
      { row: 1, offer: 'Microsoft 365 Business Premium', psaProductName: 'M365-BP' },
      { row: 2, offer: 'Visio Plan 2' },
    ]);
    expect(r.diagnostics.layout).toBe('aria');
  });

  it('does not take the invoices grid or the other tab for a mapping tab', () => {
    const invoices = '<table><tr><th>Organization</th><th>PSA Organization Name</th><th>Charge Type</th><th>Offer</th><th>PSA Product Name</th></tr><tr><td>A</td><td>A</td><td>CycleFee</td><td>O</td><td>P</td></tr></table>';
    expect(readPlatformOrganizations(parse(invoices)).diagnostics.found).toBe(false);
    expect(readPlatformProducts(parse(invoices)).diagnostics.found).toBe(false);
    expect(readPlatformProducts(parse(orgTable)).diagnostics.problems[0]).toMatch(/No Products mapping grid/);
  });

  it('an empty tab and a bad toggle value are reported', () => {
    const empty = readPlatformOrganizations(parse('<table><tr><th>Organization</th><th>PSA Organization Name</th></tr><tr><td colspan="2">No records found</td></tr></table>'));
    expect(empty.diagnostics).toMatchObject({ found: true, rowsRead: 0 });
    expect(empty.diagnostics.problems.join(' ')).toMatch(/empty.*No records found/);
    const bad = readPlatformOrganizations(parse('<table><tr><th>Organization</th><th>PSA Organization Name</th><th>Excluded</th></tr><tr><td>A</td><td>A</td><td>Perhaps</td></tr></table>'));
    expect(bad.skipped).toEqual([{ row: 1, column: 'Excluded from Sync', value: 'Perhaps', message: expect.stringMatching(/not Yes or No/) }]);
  });
});
