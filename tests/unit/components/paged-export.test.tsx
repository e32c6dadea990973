// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { FindingsView } from '../../../components/findings/FindingsView';
import { createFindingsModel } from '../../../components/findings/model';
import { createProtocolPanelApi } from '../../../components/protocol-api';
import { matchesOf } from '../../../core/app/finding-order';
import type { Report } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { createProtocolClient } from '../../../core/protocol/client';
import { createRouter } from '../../../core/protocol/router';
import { generateScenario } from '../../generator';
import { closeAll } from '../storage/helpers';
import { storageWorld } from '../app/storage-world';
import { click, mount, q, settle } from './render';

/*
 * The panel's JSON export of a run read back in pages: the panel holds neither the run's matches
 * nor its money view, so the background writes the file; filtered, it carries the findings shown
 * and the matches behind them. The file is taken where the page hands it to the browser.
 */

beforeEach(() => fakeBrowser.reset());
let cleanup: (() => void) | undefined;
afterEach(async () => {
  cleanup?.();
  cleanup = undefined;
  vi.restoreAllMocks();
  await closeAll();
});

const RULES = { extensionId: 'ext', extensionOrigin: 'chrome-extension://ext', pages: { panel: ['/sidepanel.html'], options: ['/options.html'] } };

describe('exporting a run read back in pages from the panel', () => {
  it('writes what the filters show with its matches, and everything with every match and the money view', async () => {
    const s = generateScenario({ seed: 5, faults: 'all' });
    const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date('2026-12-01T00:00:00Z') });
    const w = await storageWorld();
    const stored = await w.storage.runs.add({ report, inputs: { captureIds: [] }, settings: {} });
    const route = createRouter(w.service.handlers, RULES);
    const client = createProtocolClient({ send: (m) => route(m, { id: 'ext', url: 'chrome-extension://ext/sidepanel.html' }), listen: () => () => undefined });
    const run = (await createProtocolPanelApi(client).getRun(stored.id))!;
    const model = createFindingsModel(run);
    await model.whole;
    const files: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      files.push(blob as Blob);
      return 'blob:file';
    });
    const view = mount(<FindingsView run={run} model={model} />);
    cleanup = view.unmount;
    const read = async () => {
      for (let i = 0; i < 20 && files.length === 0; i++) await settle();
      expect(files).toHaveLength(1);
      return JSON.parse(await files.pop()!.text()) as Report;
    };

    model.setFilters({ resolved: 'all' });
    model.toggleKind(model.kindsPresent[0]!);
    await settle();
    const shown = model.filtered.value.map((i) => i.finding);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(report.findings.length);
    await click(q(view.container, 'export-json'));
    const filtered = await read();
    expect(new Set(filtered.findings)).toEqual(new Set(shown));
    expect(filtered.findings).toHaveLength(shown.length);
    const behind = matchesOf(shown, report.matches!);
    expect(behind.length).toBeGreaterThan(0);
    expect(filtered.matches).toEqual(behind);

    model.clearFilters();
    model.setFilters({ resolved: 'all' });
    await settle();
    await click(q(view.container, 'export-json'));
    const whole = await read();
    expect(whole.findings).toHaveLength(report.findings.length);
    expect(whole.matches).toEqual(report.matches);
    expect(whole.money).toEqual(report.money);
  });
});
