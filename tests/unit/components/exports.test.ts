import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { PANEL_CSV_COLUMNS, renderCsv, renderEvidenceHtml, renderJson } from '../../../components/findings/exports';
import { createFindingsModel } from '../../../components/findings/model';
import type { Resolution } from '../../../components/api';
import { Report } from '../../../core/model';
import { generateScenario } from '../../generator';
import { reconcile } from '../../../core/reconcile';
import { makeRun } from './fixtures';

function realRun() {
  const s = generateScenario({ seed: 7, faults: 'all' });
  const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date('2026-12-01T00:00:00Z') });
  return { id: 'real', createdAt: '2026-12-01T00:00:00Z', report };
}

describe('exports', () => {
  it('CSV has one row per finding, the CLI columns first, and the verdict and note', async () => {
    const run = realRun();
    expect(run.report.findings.length).toBeGreaterThan(5);
    const m = createFindingsModel(run, [], undefined);
    const target = m.items[0]!;
    await m.resolve(target.fp);
    await m.setNote(target.fp, 'fixed in CW, "=cmd" typed by someone');
    const csv = renderCsv(run, m.resolutions.value);
    const parsed = Papa.parse<Record<string, string>>(csv.trim(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...PANEL_CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(run.report.findings.length);
    const row = parsed.data.find((r) => r.fingerprint === target.fp)!;
    expect(row.status).toBe('resolved');
    expect(row.note).toBe('fixed in CW, "=cmd" typed by someone');
    expect(row.kind).toBe(target.finding.kind);
    expect(parsed.data.filter((r) => r.status === 'open')).toHaveLength(run.report.findings.length - 1);
  });

  it('neutralises spreadsheet formulas but keeps negative numbers', () => {
    const run = makeRun(1);
    run.report.findings[0] = { ...run.report.findings[0]!, message: '=HYPERLINK("x")', expected: -5 };
    const csv = renderCsv(run, new Map());
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain(',-5,');
  });

  it('JSON is the report as the CLI writes it, plus the resolutions of its findings', () => {
    const run = realRun();
    const m = createFindingsModel(run);
    const fp = m.items[1]!.fp;
    const stale: Resolution = { fingerprint: 'gone|lineId=X', status: 'ignored', updatedAt: 'x' };
    const res = new Map<string, Resolution>([[fp, { fingerprint: fp, status: 'ignored', updatedAt: 'y' }], [stale.fingerprint, stale]]);
    const parsed = JSON.parse(renderJson(run.report, res));
    expect(Report.parse(parsed).findings).toEqual(run.report.findings);
    expect(parsed.resolutions).toEqual([{ fingerprint: fp, status: 'ignored', updatedAt: 'y' }]);
  });

  it('the evidence page is static HTML with every finding and the coverage, escaped', () => {
    const run = makeRun(12);
    run.report.findings[0] = { ...run.report.findings[0]!, message: '<script>alert(1)</script>' };
    const html = renderEvidenceHtml(run, new Map());
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
    expect(html.match(/<tr><td>/g)).toHaveLength(12);
    expect(html).toContain('invoice lines compared');
  });
});
