import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { Report } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { CSV_COLUMNS, renderReport } from '../../../core/report';
import { generateScenario } from '../../generator';

const NOW = new Date('2026-12-01T00:00:00Z');
const scenario = generateScenario({ seed: 42, faults: 'all', organizations: 6 });
const report = reconcile({ lines: scenario.lines, bundle: scenario.bundle, config: scenario.config, now: NOW });

describe('renderReport', () => {
  it('json is the §4.4 report and validates against the model', () => {
    const parsed = Report.parse(JSON.parse(renderReport(report, 'json')));
    expect(parsed.schema).toBe('cw-reconciler/report@1');
    expect(parsed.generatedAt).toBe('2026-12-01T00:00:00.000Z');
    expect(parsed.findings).toEqual(report.findings);
    expect(parsed.matches?.length).toBe(report.coverage.additionsMatched);
  });

  it('csv carries the same rows as json, quoted so every message survives', () => {
    const csv = renderReport(report, 'csv');
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(report.findings.length);
    rows.forEach((row, i) => {
      const f = report.findings[i]!;
      expect(row.kind).toBe(f.kind);
      expect(row.lineId).toBe(f.lineId ?? '');
      expect(row.additionId).toBe(f.additionId === undefined ? '' : String(f.additionId));
      expect(row.message).toBe(f.message);
      expect(row.fix).toBe(f.fix);
    });
  });

  it('csv of a clean run is the header alone', () => {
    const clean = generateScenario({ seed: 1 });
    const empty = reconcile({ lines: clean.lines, bundle: clean.bundle, config: clean.config, now: NOW });
    expect(renderReport(empty, 'csv').trim()).toBe(CSV_COLUMNS.join(','));
  });

  it('text shows coverage first, then every finding once, grouped by company and agreement', () => {
    const text = renderReport(report, 'text');
    const coverageAt = text.indexOf('Coverage');
    const findingsAt = text.indexOf('Findings:');
    expect(coverageAt).toBeGreaterThan(0);
    expect(findingsAt).toBeGreaterThan(coverageAt);
    expect(text).toContain(`Platform lines read ${report.coverage.linesRead}, compared ${report.coverage.linesCompared}`);
    for (const f of report.findings) expect(text.split(f.message).length - 1).toBeGreaterThanOrEqual(1);
    const findingLines = text.split('\n').filter((l) => /^ {4}(ERROR|WARN |INFO )/.test(l));
    expect(findingLines).toHaveLength(report.findings.length);
    // Within the findings section, each company header comes before its agreements.
    const body = text.slice(findingsAt).split('\n');
    let company = false;
    for (const line of body) {
      if (line.startsWith('Company ') || line === 'No ConnectWise company') company = true;
      if (line.startsWith('  Agreement ') || line === '  (no agreement)') expect(company).toBe(true);
    }
    const named = report.findings.find((f) => f.companyId !== undefined && f.agreementId !== undefined)!;
    const names = (report as { names?: { companies: Record<string, string> } }).names!;
    expect(text).toContain(`Company ${names.companies[named.companyId!]} (#${named.companyId})`);
  });

  it('text never calls an empty or partial run clean', () => {
    const empty = reconcile({ lines: [], bundle: { companies: [], agreements: [], additions: [] }, now: NOW });
    expect(renderReport(empty, 'text')).toMatch(/this is not a clean result/);
    const clean = generateScenario({ seed: 3 });
    const partial = reconcile({ lines: clean.lines, bundle: { ...clean.bundle, complete: false }, config: clean.config, now: NOW });
    const text = renderReport(partial, 'text');
    expect(text).toMatch(/ConnectWise data PARTIAL/);
    expect(text).toMatch(/not a clean result/);
    const full = reconcile({ lines: clean.lines, bundle: clean.bundle, config: clean.config, now: NOW });
    expect(renderReport(full, 'text')).toMatch(/None: ConnectWise holds what the Platform says/);
  });
});
