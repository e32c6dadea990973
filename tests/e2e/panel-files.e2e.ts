import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { linesToCsv } from '../sandbox/sites/platform/export';
import { seriousAxeViolations } from './axe';
import { ROOT, exampleMonth, screenshot, useSandboxedExtension, type MonthData } from './harness';
import { linesOf, reconcileToExpected } from './scenarios';

/**
 * Files handed in to the side panel at side-panel width: the Platform's own CSV export of each
 * month and a ConnectWise bundle, by the file picker and by a drop, previewed, stored as
 * captures and reconciled to the month's planted findings.
 */
describe('files in the side panel', () => {
  const env = useSandboxedExtension();
  const month: MonthData = exampleMonth();
  const months = ['2026-10', '2026-11'];
  let dir: string;
  const exportName = (m: string) => `invoice-lines-${m}.csv`;
  const bundlePath = join(ROOT, 'tests/fixtures/examples/month-2026-11/cw.json');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cwr-files-'));
    // The Platform's Export button's file for each month, as the look-alike Platform serves it.
    for (const m of months) writeFileSync(join(dir, exportName(m)), linesToCsv(month.lines.filter((l) => l.invoiceDate.startsWith(m))));
    await env.session.send('settings.set', { patch: { reconcile: month.config } });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function panelAt360(): Promise<Page> {
    const panel = await env.session.panel();
    await panel.setViewportSize({ width: 360, height: 800 });
    await panel.reload();
    await panel.getByTestId('file-import').waitFor();
    return panel;
  }

  async function expectPreviewOfTheMonth(panel: Page): Promise<void> {
    const entries = panel.getByTestId('file-preview-entry');
    await panel.getByTestId('file-preview').waitFor();
    expect(await entries.evaluateAll((els) => els.map((e) => [e.getAttribute('data-file'), e.getAttribute('data-kind'), Number(e.getAttribute('data-rows'))]))).toEqual([
      ...months.map((m) => [exportName(m), 'lines', linesOf(month, m)]),
      ['cw.json', 'cw', month.bundle.additions.length],
    ]);
    expect(await panel.getByTestId('file-problem').count()).toBe(0);
    // Nothing is stored before Store.
    expect((await env.session.send('panel.start', {})).captures).toEqual([]);
  }

  async function storeAndReconcile(panel: Page): Promise<void> {
    await panel.getByTestId('file-store').click();
    await panel.getByTestId('file-preview').waitFor({ state: 'detached' });
    const notice = panel.getByTestId('panel-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/^Stored from files/);
    const start = await env.session.send('panel.start', {});
    expect(start.captures.map((c) => [c.kind, c.file, c.rows, c.complete]).sort()).toEqual(
      [
        ['platform', months.map(exportName).join(', '), month.lines.length, true],
        ['connectwise', 'cw.json', month.bundle.additions.length, true],
      ].sort(),
    );
    // The start view lists them beside any other capture, and a reconcile reads them.
    expect(await panel.getByTestId('capture-item').count()).toBe(2);
    await reconcileToExpected(env.session.send, month);
  }

  it('reads the Platform export of two months and a bundle chosen with the file picker, previews them, stores them and reconciles', async () => {
    const panel = await panelAt360();
    await panel.getByTestId('file-input').setInputFiles([...months.map((m) => join(dir, exportName(m))), bundlePath]);
    await expectPreviewOfTheMonth(panel);
    // The preview takes the focus, fits the panel's width and is axe clean there.
    expect(await panel.evaluate(() => document.activeElement?.id)).toBe('file-preview-h');
    const box = (await panel.getByTestId('file-store').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(await panel.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(panel)).toEqual([]);
    await screenshot(panel, 'panel-files-preview-360');
    await storeAndReconcile(panel);
  });

  it('reads the same files dropped on the panel, and names a file it cannot read', async () => {
    await env.session.send('data.clear', { confirm: true });
    const panel = await panelAt360();
    const files = [
      ...months.map((m) => ({ name: exportName(m), type: 'text/csv', text: readFileSync(join(dir, exportName(m)), 'utf8') })),
      { name: 'cw.json', type: 'application/json', text: readFileSync(bundlePath, 'utf8') },
    ];
    const drop = async (list: typeof files) =>
      panel.getByTestId('file-drop').evaluate((zone, given) => {
        const dt = new DataTransfer();
        for (const f of given) dt.items.add(new File([f.text], f.name, { type: f.type }));
        for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, list);

    // A broken bundle first: named by file, nothing offered to store, Cancel drops it.
    await drop([{ name: 'broken.json', type: 'application/json', text: '{"companies": [' }]);
    const problem = panel.getByTestId('file-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-file')).toBe('broken.json');
    expect(await problem.innerText()).toMatch(/^broken\.json: not valid JSON/);
    expect(await panel.getByTestId('file-store').isDisabled()).toBe(true);
    expect(await seriousAxeViolations(panel)).toEqual([]);
    await panel.keyboard.press('Escape');
    await panel.getByTestId('file-preview').waitFor({ state: 'detached' });

    await drop(files);
    await expectPreviewOfTheMonth(panel);
    await storeAndReconcile(panel);
  });
});
