import { describe, expect, it } from 'vitest';
import { engine } from '../../../core/app/cw';
import { mergeBundles } from '../../../core/app/bundles';
import type { PlatformLine } from '../../../core/model';
import { FILE_PART_MAX, MESSAGES, ProtocolError, type FileCapture, type MessageType } from '../../../core/protocol/messages';
import type { ProtocolClient } from '../../../core/protocol/client';
import { createProtocolPanelApi } from '../../../components/protocol-api';
import { bundle, config, lines, storageWorld } from './storage-world';
import { workedMonth } from '../worked-month';

const { expected } = workedMonth();
const keyOf = (f: (typeof expected)[number]) => `${f.kind}|${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization ?? ''}`;

/** The panel's protocol client over the service's handlers, each request validated as the router does. */
async function panelOver() {
  const w = await storageWorld();
  const sent: { type: string; size: number }[] = [];
  const client: Pick<ProtocolClient, 'send' | 'onEvent'> = {
    async send(type, payload) {
      const request = MESSAGES[type as MessageType].request.parse({ ...payload, type });
      sent.push({ type, size: 'text' in request && typeof request.text === 'string' ? request.text.length : 0 });
      return w.call(type, request) as never;
    },
    onEvent: () => () => undefined,
  };
  return { ...w, api: createProtocolPanelApi(client), sent };
}

describe('files stored through the background', () => {
  it('stores the Platform export and a bundle file as captures the reconcile reads, to the month\'s exact findings', async () => {
    const w = await panelOver();
    const stored = await w.api.storeFiles!([
      { kind: 'lines', files: ['oct.csv', 'nov.csv'], lines, skipped: [], complete: true },
      { kind: 'cw', file: 'cw.json', from: 'file', bundle },
    ]);
    expect(stored.map((c) => [c.kind, c.rows, c.file, !c.complete])).toEqual([
      ['platform', lines.length, 'oct.csv, nov.csv', false],
      ['connectwise', bundle.additions.length, 'cw.json', false],
    ]);
    const start = await w.api.getStart();
    expect(start.captures.map((c) => c.file).sort()).toEqual(['cw.json', 'oct.csv, nov.csv']);
    expect(start.cwSource).toBe('captures');
    const run = await w.call<{ id: string; cwComplete: boolean; months: string[] }>('reconcile.start', { cwSource: 'auto' });
    // A bundle file lists its companies: its agreements count as read whole, as `recon --cw` reads them.
    expect(run.cwComplete).toBe(true);
    const got = await w.call<{ report: { findings: (typeof expected)[number][] } }>('runs.get', { runId: run.id });
    expect(got.report.findings.map(keyOf).sort()).toEqual(expected.map(keyOf).sort());
  });

  it('learns the organization, offer and contract names the file\'s lines pair, as a page capture does', async () => {
    const w = await panelOver();
    expect(await w.storage.mappings.list()).toEqual([]);
    await w.api.storeFiles!([{ kind: 'lines', files: ['nov.csv'], lines, skipped: [], complete: true }]);
    const learned = (await w.storage.mappings.list()).map((m) => `${m.kind}|${m.platform}|${m.cw}`).sort();
    const pairs = new Set<string>();
    for (const l of lines) {
      if (l.organization && l.psaOrganizationName) pairs.add(`organization|${l.organization}|${l.psaOrganizationName}`);
    }
    expect(pairs.size).toBeGreaterThan(0);
    for (const pair of pairs) expect(learned).toContain(pair);
  });

  it('merges a bundle file as a file and a saved page as a page', () => {
    const base = { kind: 'connectwise' as const, months: [], rows: 0, skipped: 0, complete: true, bundle };
    const asFile = mergeBundles([{ ...base, id: 'a', createdAt: '2026-12-01T08:00:00Z', file: 'cw.json', fileKind: 'bundle' }], 'auto');
    const asPage = mergeBundles([{ ...base, id: 'a', createdAt: '2026-12-01T08:00:00Z', file: 'cw.html', fileKind: 'page' }], 'auto');
    const r = engine.reconcile({ lines, bundle: asFile.bundle, config, skippedRows: [], now: new Date('2026-12-01T08:00:00Z') });
    expect(r.coverage.cwComplete).toBe(true);
    // The same records as a page say nothing about the company's other agreements.
    expect(asPage.bundle.complete).toBe(false);
  });

  it('sends a large import in pieces no larger than the protocol allows, and stores it whole', async () => {
    const w = await panelOver();
    // About 10,000 lines: the JSON is several pieces long.
    const many: PlatformLine[] = [];
    for (let copy = 0; many.length < 10_000; copy++) for (const l of lines) many.push({ ...l, lineId: `${l.lineId}-${copy}` });
    const capture: FileCapture = { kind: 'lines', files: ['big.csv'], lines: many, skipped: [], complete: true };
    const size = JSON.stringify({ captures: [capture] }).length;
    const [summary] = await w.api.storeFiles!([capture]);
    const parts = w.sent.filter((s) => s.type === 'files.part');
    expect(parts.length).toBe(Math.ceil(size / FILE_PART_MAX));
    expect(parts.length).toBeGreaterThan(1);
    expect(Math.max(...parts.map((p) => p.size))).toBeLessThanOrEqual(FILE_PART_MAX);
    expect(summary!.rows).toBe(many.length);
    const stored = await w.storage.captures.current({ kind: 'platform' });
    expect(stored.flatMap((c) => c.lines ?? []).length).toBe(many.length);
  });

  it('refuses an import whose pieces did not all arrive, or that is not what the panel reads', async () => {
    const w = await panelOver();
    await w.call('files.part', { importId: 'x', index: 0, text: '{"captures":' });
    await expect(w.call('files.store', { importId: 'x', parts: 2 })).rejects.toThrow(/incomplete \(1 of 2 pieces\)/);
    await w.call('files.part', { importId: 'y', index: 0, text: JSON.stringify({ captures: [{ kind: 'lines', files: ['a.csv'], lines: [{ lineId: 'L1' }], complete: true }] }) });
    const err = await w.call('files.store', { importId: 'y', parts: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toMatch(/captures\.0\.lines\.0/);
    expect(await w.storage.captures.list()).toEqual([]);
  });
});
