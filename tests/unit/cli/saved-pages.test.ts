// @vitest-environment node
/**
 * `recon reconcile` over saved pages of a seeded scenario finds exactly the planted
 * faults. The pages are the sandbox look-alikes' own HTML, saved as a browser would (with the
 * "saved from url" comment that names the agreement's record), one Platform page per invoice
 * month and one ConnectWise Additions page per agreement.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import reconcileCommand from '../../../bin/commands/reconcile';
import type { Report } from '../../../core/model';
import { seenOn, type CwPath } from '../../../core/sources/paths';
import { generateScenario, type PlantedFault, type Scenario } from '../../generator';
import { renderSitePage } from '../../sandbox/sites';

const CW_RECORD = 'https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?recordType=AgreementFV';

/**
 * The planted faults as a path shows them (core/sources/paths.ts): pages alone lack agreement
 * status, a company's list of agreements and custom fields. A product_mismatch's Addition is found
 * by its line-reference custom field.
 */
function plantedOn(path: CwPath): PlantedFault[] {
  const withAddition = scenario.planted.map((p) => {
    if (p.kind !== 'product_mismatch' || p.additionId !== undefined) return p;
    const addition = scenario.bundle.additions.find((a) => a.customFields?.some((c) => c.value === p.lineId));
    return addition ? { ...p, additionId: addition.id } : p;
  });
  return seenOn(path, withAddition);
}

let dir: string;
let scenario: Scenario;
let linePages: string[];
let cwPages: string[];

function savedPage(url: string, html: string): string {
  return `<!-- saved from url=(${String(url.length).padStart(4, '0')})${url} -->\n${html}`;
}

function keyOf(f: { kind: string; lineId?: string; additionId?: number; agreementId?: number; organization?: string }): string {
  return `${f.kind} ${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}`;
}

async function run(args: string[]): Promise<Report> {
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const code = await reconcileCommand([...args, '--config', join(dir, 'config.json'), '--now', '2026-11-25T00:00:00Z', '--out', out]);
  expect(code).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Report;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recon-saved-'));
  scenario = generateScenario({ seed: 7, faults: 'all' });
  const data = { lines: scenario.lines, bundle: scenario.bundle };
  const months = [...new Set(scenario.lines.map((l) => l.invoiceDate.slice(0, 7)))].sort();
  linePages = months.map((month) => {
    const url = `https://demo.rethinkportal.com/mapping/invoices?month=${month}&pageSize=100000`;
    const file = join(dir, `invoices-${month}.html`);
    writeFileSync(file, savedPage(url, renderSitePage(data, url).body));
    return file;
  });
  cwPages = scenario.bundle.agreements.map((a) => {
    const url = `${CW_RECORD}&recid=${a.id}`;
    const file = join(dir, `agreement-${a.id}.html`);
    // static=1: rows in the served HTML (the live page fills them after load); recids=1: the
    // record id on each row, as the grid's row model carries it.
    writeFileSync(file, savedPage(url, renderSitePage(data, `${url}&static=1&recids=1`).body));
    return file;
  });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(scenario.config));
  writeFileSync(
    join(dir, 'agreements.json'),
    JSON.stringify({ companies: scenario.bundle.companies, agreements: scenario.bundle.agreements, additions: [] }),
  );
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recon reconcile over saved pages', () => {
  it('finds every planted fault the Additions pages can show, and nothing else', async () => {
    const report = await run([...linePages.flatMap((f) => ['--lines', f]), '--cw', ...cwPages]);
    const visible = plantedOn('pages');
    expect(visible.length).toBeGreaterThan(10);
    expect(report.findings.map(keyOf).sort()).toEqual(visible.map(keyOf).sort());
    // A synced line naming an agreement the pages do not show may name one not captured: unverified.
    const synced = new Set(scenario.lines.filter((l) => l.status === 'Synced').map((l) => l.lineId));
    const unknownAgreement = scenario.planted.filter((p) => p.kind === 'agreement_not_found' && synced.has(p.lineId!)).map((p) => p.lineId);
    expect(report.coverage.unverified?.map((u) => u.lineId)).toEqual(unknownAgreement);
    expect(report.coverage.cwComplete).toBe(unknownAgreement.length === 0);
    expect(report.coverage.invoiceMonths).toHaveLength(2);
  }, 180_000);

  it('finds exactly the planted faults once the agreements themselves are given as JSON', async () => {
    const report = await run([
      ...linePages.flatMap((f) => ['--lines', f]),
      '--cw',
      join(dir, 'agreements.json'),
      ...cwPages,
    ]);
    expect(report.findings.map(keyOf).sort()).toEqual(plantedOn('pages+bundle').map(keyOf).sort());
  }, 180_000);

  it('writes the money view as its own CSV, each gap split into explained and residual to the cent', async () => {
    const moneyCsv = join(dir, 'money.csv');
    const report = await run([...linePages.flatMap((f) => ['--lines', f]), '--cw', join(dir, 'agreements.json'), ...cwPages, '--money-csv', moneyCsv]);
    const money = (report as unknown as { money: { rows: { difference: number; explained: number; residual: number }[] } }).money;
    const [header, ...rows] = readFileSync(moneyCsv, 'utf8').trim().split('\r\n');
    expect(header).toBe('month,companyId,company,agreementId,agreement,currency,platform,connectwise,difference,explained,residual,explainedBy');
    expect(rows).toHaveLength(money.rows.length);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const cells = row.split(',');
      const [difference, explained, residual] = [cells[8], cells[9], cells[10]].map(Number);
      expect(Math.round((explained! + residual!) * 100)).toBe(Math.round(difference! * 100));
    }
  }, 180_000);

  it('refuses a line that two files describe differently', async () => {
    const first = readFileSync(linePages[1]!, 'utf8');
    const line = scenario.lines.find((l) => l.invoiceDate.startsWith('2026-11') && l.quantity === 1 && first.includes(`>${l.lineId}<`));
    expect(line).toBeDefined();
    const changed = join(dir, 'changed.csv');
    writeFileSync(changed, `Line ID,Invoice Date,Organization,Charge Type,Charge Start Date,Quantity,Revenue\n${line!.lineId},${line!.invoiceDate},${line!.organization},${line!.chargeType},${line!.chargeStartDate},7,1\n`);
    await expect(
      reconcileCommand(['--lines', linePages[1]!, '--lines', changed, '--cw', ...cwPages, '--out', join(dir, 'x.json')]),
    ).rejects.toThrow(new RegExp(`changed\\.csv.*Line ID.*${line!.lineId}|${line!.lineId}.*other values`));
  }, 180_000);
});
