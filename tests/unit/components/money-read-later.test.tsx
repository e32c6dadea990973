// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MoneyPanel } from '../../../components/panel/MoneyPanel';
import { createProtocolPanelApi } from '../../../components/protocol-api';
import { reconcile } from '../../../core/reconcile';
import { createProtocolClient } from '../../../core/protocol/client';
import { createRouter } from '../../../core/protocol/router';
import { generateScenario } from '../../generator';
import { closeAll } from '../storage/helpers';
import { storageWorld } from '../app/storage-world';
import { mount, q, qa, settle } from './render';

/*
 * The money view of a run read back in pages is not in the run's first message (it can run to
 * megabytes); the view reads it from the background when it is opened, over the real service,
 * router, storage and panel adapter.
 */

beforeEach(() => fakeBrowser.reset());
let cleanup: (() => void) | undefined;
afterEach(async () => {
  cleanup?.();
  cleanup = undefined;
  await closeAll();
});

const RULES = { extensionId: 'ext', extensionOrigin: 'chrome-extension://ext', pages: { panel: ['/sidepanel.html'], options: ['/options.html'] } };

describe('the money view of a run read back in pages', () => {
  it('is read when the view opens, then shown as the run was stored', async () => {
    const s = generateScenario({ seed: 5, faults: 'all' });
    const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date('2026-12-01T00:00:00Z') });
    const w = await storageWorld();
    const stored = await w.storage.runs.add({ report, inputs: { captureIds: [] }, settings: {} });
    const route = createRouter(w.service.handlers, RULES);
    const asked: string[] = [];
    const client = createProtocolClient({
      send: (message) => {
        asked.push((message as { type: string }).type);
        return route(message, { id: 'ext', url: 'chrome-extension://ext/sidepanel.html' });
      },
      listen: () => () => undefined,
    });
    const run = (await createProtocolPanelApi(client).getRun(stored.id))!;
    expect(run.report.money).toBeUndefined();
    expect(asked).not.toContain('runs.money');

    const view = mount(<MoneyPanel run={run} />);
    cleanup = view.unmount;
    expect(q(view.container, 'money-reading')).not.toBeNull();
    for (let i = 0; i < 20 && !q(view.container, 'money-view'); i++) await settle();
    expect(q(view.container, 'money-view')).not.toBeNull();
    expect(q(view.container, 'money-empty')).toBeNull();
    expect(asked.filter((t) => t === 'runs.money')).toHaveLength(1);
    expect(qa(view.container, 'money-row')).toHaveLength(report.money!.rows.length);
  });
});
