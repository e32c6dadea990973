/**
 * Files handed in to the side panel in real Firefox (firefox-esr), on the production Firefox
 * build, with the page's viewport at side-panel size (360 × 800): the Platform's own CSV export of
 * each month and a ConnectWise bundle chosen in the panel's file input (Marionette sets its files as
 * the picker would), previewed, stored as captures and reconciled to the month's planted findings;
 * a file the panel cannot read is named and nothing is offered to store. The same files dropped on
 * the panel's drop zone (a drag carrying them, as Firefox hands a drop from the desktop to the page)
 * give the same preview and the same stored captures.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import { linesToCsv } from '../../sandbox/sites/platform/export';
import { exampleMonth, ROOT, startTlsSandbox, type MonthData } from '../chromium';
import { linesOf, reconcileToExpected } from '../scenarios';
import { EXTENSION_ORIGIN, KEYS, launchFirefox, removeProfile, seriousAxeViolations, type FirefoxSession, type FirefoxTab } from './firefox';

const FILE_INPUT = '[data-testid="file-input"]';

describe('Firefox: files in the side panel', () => {
  let sandbox: Sandbox;
  let session: FirefoxSession;
  let dir: string;
  const month: MonthData = exampleMonth();
  const months = ['2026-10', '2026-11'];
  const exportName = (m: string) => `invoice-lines-${m}.csv`;
  const bundlePath = join(ROOT, 'tests/fixtures/examples/month-2026-11/cw.json');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cwr-firefox-files-'));
    // The Platform's Export button's file for each month, as the look-alike Platform serves it.
    for (const m of months) writeFileSync(join(dir, exportName(m)), linesToCsv(month.lines.filter((l) => l.invoiceDate.startsWith(m))));
    writeFileSync(join(dir, 'broken.json'), '{"companies": [');
    sandbox = await startTlsSandbox(month);
    session = await launchFirefox({ sandboxPort: sandbox.port });
    await session.send('settings.set', { patch: { reconcile: month.config } });
  });

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.profileDir);
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The panel page at side-panel size, on its start view with the file import. */
  async function panelAt360(): Promise<FirefoxTab> {
    const panel = await session.openTab(`${EXTENSION_ORIGIN}/sidepanel.html`);
    expect(await session.sizeViewport(panel, 360, 800)).toEqual({ width: 360, height: 800 });
    await panel.waitFor(() => !!document.querySelector('[data-testid="file-import"]'), undefined, 'the file import');
    return panel;
  }

  it('names a file it cannot read, offers nothing to store, and stores nothing', async () => {
    const panel = await panelAt360();
    await panel.setFiles(FILE_INPUT, [join(dir, 'broken.json')]);
    await expectBrokenJsonNamed(panel);
    expect(await panel.evaluate(() => document.querySelector<HTMLButtonElement>('[data-testid="file-store"]')?.disabled)).toBe(true);
    expect(await seriousAxeViolations(session, panel)).toEqual([]);
    // Esc inside the preview (it has the focus) drops it.
    expect(await panel.evaluate(() => document.activeElement?.id)).toBe('file-preview-h');
    await panel.press(KEYS.escape);
    await panel.waitFor(() => !document.querySelector('[data-testid="file-preview"]'), undefined, 'the preview to close');
    expect((await session.send('panel.start', {})).captures).toEqual([]);
    await panel.close();
  });

  /** The preview names broken.json and says why it cannot be read. */
  async function expectBrokenJsonNamed(panel: FirefoxTab) {
    const problem = await panel.waitFor(
      () => {
        const p = document.querySelector<HTMLElement>('[data-testid="file-problem"]');
        return p ? { file: p.dataset.file, text: p.innerText } : null;
      },
      undefined,
      'the named problem',
    );
    expect(problem.file).toBe('broken.json');
    expect(problem.text).toMatch(/^broken\.json: not valid JSON/);
  }

  /** Every entry of the open preview: file, kind and rows. */
  async function previewEntries(panel: FirefoxTab) {
    return panel.waitFor(
      () => {
        const list = [...document.querySelectorAll<HTMLElement>('[data-testid="file-preview-entry"]')];
        return list.length ? list.map((e) => [e.dataset.file, e.dataset.kind, Number(e.dataset.rows)]) : null;
      },
      undefined,
      'the preview',
    );
  }

  const expectedEntries = () => [...months.map((m) => [exportName(m), 'lines', linesOf(month, m)]), ['cw.json', 'cw', month.bundle.additions.length]];

  it('reads the same files dropped on the panel: a broken one is named, the month is previewed as from the picker', async () => {
    const panel = await panelAt360();
    type Given = { name: string; type: string; text: string }[];
    const drop = (list: Given) =>
      panel.evaluate((given: Given) => {
        const zone = document.querySelector('[data-testid="file-drop"]');
        if (!zone) return false;
        const dt = new DataTransfer();
        for (const f of given) dt.items.add(new File([f.text], f.name, { type: f.type }));
        for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        return true;
      }, list);

    expect(await drop([{ name: 'broken.json', type: 'application/json', text: '{"companies": [' }])).toBe(true);
    await expectBrokenJsonNamed(panel);
    await panel.press(KEYS.escape);
    await panel.waitFor(() => !document.querySelector('[data-testid="file-preview"]'), undefined, 'the preview to close');

    const files: Given = [
      ...months.map((m) => ({ name: exportName(m), type: 'text/csv', text: readFileSync(join(dir, exportName(m)), 'utf8') })),
      { name: 'cw.json', type: 'application/json', text: readFileSync(bundlePath, 'utf8') },
    ];
    expect(await drop(files)).toBe(true);
    expect(await previewEntries(panel)).toEqual(expectedEntries());
    expect(await panel.evaluate(() => document.querySelectorAll('[data-testid="file-problem"]').length)).toBe(0);
    // Dropping previews only; Esc leaves nothing stored, so the picker test below starts empty.
    expect((await session.send('panel.start', {})).captures).toEqual([]);
    await panel.press(KEYS.escape);
    await panel.waitFor(() => !document.querySelector('[data-testid="file-preview"]'), undefined, 'the preview to close');
    expect((await session.send('panel.start', {})).captures).toEqual([]);
    await panel.close();
  });

  it('reads the Platform export of two months and a bundle chosen in the file input, previews them, stores them and reconciles', async () => {
    const panel = await panelAt360();
    await panel.setFiles(FILE_INPUT, [...months.map((m) => join(dir, exportName(m))), bundlePath]);
    expect(await previewEntries(panel)).toEqual(expectedEntries());
    expect(await panel.evaluate(() => document.querySelectorAll('[data-testid="file-problem"]').length)).toBe(0);
    // Nothing is stored before Store.
    expect((await session.send('panel.start', {})).captures).toEqual([]);
    // The preview takes the focus, fits the panel's width and is axe clean there.
    const fit = await panel.evaluate(() => ({
      focus: document.activeElement?.id,
      storeRight: document.querySelector('[data-testid="file-store"]')!.getBoundingClientRect().right,
      scrollWidth: document.documentElement.scrollWidth,
    }));
    expect(fit).toEqual({ focus: 'file-preview-h', storeRight: expect.any(Number), scrollWidth: expect.any(Number) });
    expect(fit.storeRight).toBeLessThanOrEqual(360);
    expect(fit.scrollWidth).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(session, panel)).toEqual([]);
    await panel.screenshot('panel-files-preview-360');

    await panel.clickOn('[data-testid="file-store"]');
    const notice = await panel.waitFor(
      () => (!document.querySelector('[data-testid="file-preview"]') && document.querySelector('[data-testid="panel-notice"]')?.textContent) || null,
      undefined,
      'the stored notice',
    );
    expect(notice).toMatch(/^Stored from files/);
    const start = await session.send('panel.start', {});
    expect(start.captures.map((c) => [c.kind, c.file, c.rows, c.complete]).sort()).toEqual(
      [
        ['platform', months.map(exportName).join(', '), month.lines.length, true],
        ['connectwise', 'cw.json', month.bundle.additions.length, true],
      ].sort(),
    );
    // The start view lists them, and a reconcile reads them to the month's planted findings.
    expect(await panel.waitFor(() => document.querySelectorAll('[data-testid="capture-item"]').length, undefined, 'the captures listed')).toBe(2);
    await reconcileToExpected(session.send, month);
    await panel.close();
  });
});
