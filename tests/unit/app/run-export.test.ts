import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { renderCsv, renderJson } from '../../../components/findings/exports';
import type { Resolution as PanelResolution } from '../../../components/api';
import { findingFingerprint } from '../../../core/model/fingerprint';
import { findingKeys, RUN_EXPORT_CSV_COLUMNS } from '../../../core/report/run-export';
import type { Report, RunNames } from '../../../core/model';
import { closeAll, finding, report } from '../storage/helpers';
import { bundle, storageWorld } from './storage-world';

/*
 * One export of a run: the background's `runs.export` and the panel's export buttons write through
 * core/report/run-export.ts, so the same run, verdicts and names give the same file.
 */

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

async function storedRun() {
  const w = await storageWorld();
  await w.ports.captures.addBundle({ bundle, kind: 'api', scope: 'api', months: ['2026-11'] });
  const agreement = bundle.agreements[0]!;
  const findings = [
    finding({ lineId: 'L1', agreementId: agreement.id }),
    finding({ lineId: 'L2', kind: 'orphan_addition', severity: 'info', additionId: 77, agreementId: agreement.id }),
    finding({ lineId: '=HYPERLINK("x")', organization: 'Nowhere Ltd', agreementId: undefined, additionId: undefined }),
  ];
  const run = await w.storage.runs.add({ report: report(findings), inputs: { captureIds: [] }, settings: {} });
  await w.call('resolution.set', { fingerprint: findingFingerprint(findings[0]!), runId: run.id, status: 'resolved', note: 'Credited on 1182' });
  const got = await w.call<{ report: Report; names: RunNames }>('runs.get', { runId: run.id });
  const resolutions = new Map((await w.call<PanelResolution[]>('resolutions.list')).map((r) => [r.fingerprint, r]));
  return { w, run, findings, got, resolutions, agreement };
}

describe('run export', () => {
  it('gives the background and the panel the same CSV, with verdicts, notes and names', async () => {
    const { w, run, got, resolutions, agreement } = await storedRun();
    const background = await w.call<{ filename: string; mime: string; text: string }>('runs.export', { runId: run.id, format: 'csv' });
    expect(background.filename).toBe(`cw-reconciler-${run.createdAt.slice(0, 10)}-${run.id}.csv`);
    expect(background.mime).toBe('text/csv');
    expect(background.text).toBe(renderCsv(got, resolutions));

    const rows = Papa.parse<Record<string, string>>(background.text, { header: true, skipEmptyLines: true });
    expect(rows.meta.fields).toEqual([...RUN_EXPORT_CSV_COLUMNS]);
    expect(rows.data.map((r) => [r.lineId, r.status, r.note])).toEqual([
      ['L1', 'resolved', 'Credited on 1182'],
      ['L2', 'open', ''],
      [`'=HYPERLINK("x")`, 'open', ''],
    ]);
    expect(rows.data[0]).toMatchObject({ agreement: agreement.name, company: agreement.company.name });
    expect(rows.data[2]).toMatchObject({ agreement: '', company: 'Nowhere Ltd' });
  });

  it('writes only the findings the panel shows, row for row as in the full export', async () => {
    const { w, run, findings, got, resolutions } = await storedRun();
    const keys = findingKeys(findings.map(findingFingerprint));
    const shown = renderCsv(got, resolutions, new Set([keys[0]!, keys[2]!]));
    const full = (await w.call<{ text: string }>('runs.export', { runId: run.id, format: 'csv' })).text.split('\r\n');
    expect(shown.split('\r\n')).toEqual([full[0], full[1], full[3], '']);
  });

  it('carries the verdicts of the exported findings in JSON, in the background and the panel alike', async () => {
    const { w, run, findings, got, resolutions } = await storedRun();
    const background = await w.call<{ text: string; mime: string }>('runs.export', { runId: run.id, format: 'json' });
    expect(background.mime).toBe('application/json');
    expect(background.text).toBe(renderJson(got.report, resolutions));
    const parsed = JSON.parse(background.text) as { findings: unknown[]; resolutions: { fingerprint: string; note?: string }[] };
    expect(parsed.findings).toHaveLength(3);
    expect(parsed.resolutions).toEqual([expect.objectContaining({ fingerprint: findingFingerprint(findings[0]!), note: 'Credited on 1182' })]);
    // The second finding alone carries no verdict, so none is written.
    const only = JSON.parse(renderJson(got.report, resolutions, new Set([findingFingerprint(findings[1]!)]))) as { findings: { lineId: string }[]; resolutions?: unknown };
    expect(only.findings.map((f) => f.lineId)).toEqual(['L2']);
    expect(only.resolutions).toBeUndefined();
  });

  it('keys a repeated fingerprint apart so each copy can be picked', () => {
    expect(findingKeys(['a', 'b', 'a', 'a'])).toEqual(['a', 'b', 'a#1', 'a#2']);
  });

  it('renders text for the background, naming each finding', async () => {
    const { w, run } = await storedRun();
    const text = await w.call<{ text: string; filename: string }>('runs.export', { runId: run.id, format: 'text' });
    expect(text.filename).toMatch(/\.txt$/);
    expect(text.text).toContain('L1');
    expect(text.text).toContain('L2');
  });
});
