// @vitest-environment node
/**
 * `recon reconcile` judges only what it was given to read (DESIGN §3.5), on the worked month:
 * one saved Additions page reports missing Additions on its own agreement and nowhere else, and
 * a bundle whose pull failed on agreement 3018 calls nothing missing that 3018 could hold.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import reconcileCommand from '../../../bin/commands/reconcile';
import type { CwBundle, Report } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { renderCwAdditions } from '../ingest/render-cw';
import { workedMonth } from '../worked-month';

const { config, lines, bundle: full, path: monthFile } = workedMonth();
const NOW = '2026-12-01T00:00:00Z';
const AGREEMENT = 3010;
const recordUrl = (id: number) => `https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=AgreementFV&recid=${id}`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recon-read-state-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The agreement's Additions tab as a browser saves it: no record ids, the address in a comment. */
function savePage(name: string, bundle: CwBundle, agreementId: number): string {
  const agreement = bundle.agreements.find((a) => a.id === agreementId)!;
  const company = bundle.companies.find((c) => c.id === agreement.company.id)!;
  const html = renderCwAdditions(
    bundle.additions.filter((a) => a.agreementId === agreementId),
    {
      columns: ['effectiveDate', 'cancelledDate', 'product', 'description', 'invoiceDescription', 'quantity', 'unitPrice', 'extPrice', 'billCustomer'],
      banner: `Agreement: ${agreement.name}`,
      companyId: company.identifier ?? undefined,
      companyName: company.name,
      recordIds: 'none',
      savedFrom: recordUrl(agreementId),
      money: 'code',
      currency: agreement.currency?.currencyCode ?? 'USD',
    },
  );
  const file = join(dir, name);
  writeFileSync(file, html);
  return file;
}

async function recon(cw: string[], format: 'json' | 'csv' | 'text' = 'json'): Promise<string> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.${format}`);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const code = await reconcileCommand(['--lines', monthFile('lines.csv'), '--cw', ...cw, '--config', join(dir, 'config.json'), '--now', NOW, '--format', format, '--out', out]);
  expect(code).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('recon reconcile over one saved Additions page', () => {
  const fullReport = reconcile({ lines, bundle: full, config, now: new Date(NOW) });
  // A line the full data matches on the agreement with nothing else to say about it.
  const flagged = new Set(fullReport.findings.map((f) => f.lineId));
  const victim = fullReport.matches!.find((m) => m.agreementId === AGREEMENT && !flagged.has(m.lineId) && !m.lineIds)!;

  it('reports the Addition removed from the page as missing, and no missing Addition elsewhere', async () => {
    expect(victim).toBeDefined();
    const page = savePage('one-removed.html', { ...full, additions: full.additions.filter((a) => a.id !== victim.additionId) }, AGREEMENT);
    const report = JSON.parse(await recon([page])) as Report;
    expect(report.findings.filter((f) => f.kind === 'missing_addition').map((f) => [f.lineId, f.agreementId])).toEqual([[victim.lineId, AGREEMENT]]);
    // Every finding about ConnectWise records is on the captured agreement.
    const aboutCw = report.findings.filter((f) => f.agreementId !== undefined || f.additionId !== undefined);
    expect(aboutCw.length).toBeGreaterThan(1);
    expect(aboutCw.every((f) => f.agreementId === AGREEMENT)).toBe(true);
    // The other agreements' lines wait for their agreements, named by the lines' own mapping.
    const others = fullReport.matches!.filter((m) => m.agreementId !== AGREEMENT).map((m) => m.lineId);
    const unverified = new Set(report.coverage.unverified!.map((u) => u.lineId));
    expect(others.length).toBeGreaterThan(10);
    expect(others.every((id) => unverified.has(id))).toBe(true);
    expect(report.coverage.unverified!.every((u) => u.state === 'unread' && u.agreementId === undefined && u.company)).toBe(true);
    expect(report.coverage.cwComplete).toBe(false);
  });

  it('the same page whole reports nothing missing', async () => {
    const report = JSON.parse(await recon([savePage('whole.html', full, AGREEMENT)])) as Report;
    expect(report.findings.filter((f) => f.kind === 'missing_addition')).toEqual([]);
  });
});

describe('recon reconcile over a bundle whose pull failed on agreement 3018', () => {
  const partial: CwBundle = { ...full, additions: full.additions.filter((a) => a.agreementId !== 3018), complete: false, incompleteAgreementIds: [3018] };

  it('reports no missing_addition for L00044 and lists it unverified, with what to do', async () => {
    const file = join(dir, 'partial.json');
    writeFileSync(file, JSON.stringify(partial));
    const report = JSON.parse(await recon([file])) as Report;
    expect(report.findings.filter((f) => f.lineId === 'L00044')).toEqual([]);
    expect(report.findings.filter((f) => f.kind === 'missing_addition')).toEqual([]);
    expect(report.coverage.unverified).toContainEqual(expect.objectContaining({ lineId: 'L00044', agreementId: 3018, state: 'partial' }));
    expect(report.coverage.agreementsNotRead).toEqual([expect.objectContaining({ agreementId: 3018, state: 'partial', lines: report.coverage.unverified!.length })]);

    const csv = await recon([file], 'csv');
    expect(csv).toMatch(/\r\nagreement_not_read,info,,,3018,/);
    expect(csv).toMatch(/\r\nunverified,info,L00044,,3018,/);

    const text = await recon([file], 'text');
    expect(text).toMatch(/Agreement "Managed Services" \(#3018\).*read only in part/);
    expect(text).toMatch(/Unverified line L00044\b.*#3018/);
  });
});
