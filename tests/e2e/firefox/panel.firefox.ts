/**
 * The side panel's month-end steps in real Firefox (firefox-esr) on the production Firefox build,
 * with the page's viewport at side-panel size (360 × 800) and driven by real clicks and keys,
 * shared with the Chromium panel test through tests/e2e/scenarios.ts: a partial pull kept beside
 * a complete one, the finding drawer and its shortcuts, a note kept through switching findings
 * and stored with the verdict, a ticked range resolved with one note and undone in one step after
 * a browser restart, and a sign-off that freezes the run and goes into the printable evidence the
 * extension builds.
 */
import { describe, expect, it } from 'vitest';
import {
  BULK_NOTE,
  expectPartialPullKeptBeside,
  expectSignedOffAndFrozen,
  noteThroughSwitchInPage,
  resolveOpenInPage,
} from '../scenarios';
import { EXTENSION_ORIGIN, KEYS, seriousAxeViolations, until } from './firefox';
import { openPanelInFirefox, useFirefoxMonth } from './suite';

/** Where the drawer and its controls are, against the viewport and the list under it. */
function drawerLayoutInPage() {
  const box = (id: string) => {
    const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
    return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null;
  };
  const list = document.querySelector('[data-testid="findings-list"]')!.getBoundingClientRect();
  const over = document.elementFromPoint(list.left + list.width / 2, list.top + Math.min(list.height, 200) / 2);
  return {
    innerWidth,
    innerHeight,
    scrollWidth: document.documentElement.scrollWidth,
    drawer: box('finding-detail'),
    actions: Object.fromEntries(['resolve-finding', 'ignore-finding', 'finding-note', 'next-finding', 'close-detail'].map((id) => [id, box(id)])),
    // What a pointer over the list reaches: the drawer, laid over it.
    listCoveredByDrawer: !!over?.closest('[data-testid="finding-detail"]'),
  };
}

function openFingerprintInPage(): string | null {
  return document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-fingerprint') ?? null;
}

describe('Firefox: the side panel at month-end', () => {
  const env = useFirefoxMonth();
  let runId: string;

  /** The panel page at side-panel size with the results open. */
  const openResults = () => openPanelInFirefox(env.session, 'nav-results', '[data-testid="findings-list"]');

  const stored = async () => new Map((await env.session.send('resolutions.list', {})).map((r) => [r.fingerprint, r]));

  it('keeps a complete pull when a later pull stops part-way, and marks the partial one in the panel', async () => {
    runId = await expectPartialPullKeptBeside(env.session.send, async (pull) => {
      // The server drops every Additions page after the first: the pull stops part-way.
      env.sandbox.setFaults({ rules: [{ kind: 'drop', match: '/additions', skip: 1 }] });
      try {
        return await pull();
      } finally {
        env.sandbox.setFaults({});
      }
    });
    const panel = await env.session.openTab(`${EXTENSION_ORIGIN}/sidepanel.html`);
    const marks = await panel.waitFor(() => [...document.querySelectorAll('[data-testid="capture-partial"]')].map((m) => m.textContent ?? ''), undefined, 'the partial mark');
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatch(/partial/);
    await panel.close();
  });

  it('opens a finding as a drawer over the list at 360 px, with its actions in view, its shortcuts working and nothing serious for axe', async () => {
    const panel = await openResults();
    await panel.clickOn('[data-testid="finding-row"]');
    const first = await panel.waitFor(openFingerprintInPage, undefined, 'the drawer');
    const layout = await panel.evaluate(drawerLayoutInPage);
    expect([layout.innerWidth, layout.innerHeight]).toEqual([360, 800]);
    expect(layout.scrollWidth).toBeLessThanOrEqual(360);
    expect(layout.drawer!.left).toBeGreaterThanOrEqual(0);
    expect(layout.drawer!.right).toBeLessThanOrEqual(360);
    expect(layout.drawer!.top).toBeLessThan(10);
    expect(layout.listCoveredByDrawer).toBe(true);
    for (const [id, r] of Object.entries(layout.actions)) {
      expect(r, id).not.toBeNull();
      expect([id, r!.left >= 0, r!.top >= 0, r!.right <= 360, r!.bottom <= 800]).toEqual([id, true, true, true, true]);
    }
    expect(await seriousAxeViolations(env.session, panel)).toEqual([]);

    // j: the next finding opens in the drawer.
    await panel.press('j');
    const second = await panel.waitFor((was) => { const fp = document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-fingerprint'); return fp && fp !== was ? fp : null; }, first, 'the next finding');
    expect(await panel.evaluate(() => document.querySelector('[data-testid="detail-position"]')?.textContent)).toMatch(/^2 of \d+$/);
    // n: the note field takes the focus, and what is typed there is saved as typed.
    await panel.press('n');
    expect(await panel.evaluate(() => document.activeElement?.id)).toBe('finding-note');
    await panel.press('asked the vendor');
    await until(stored, (m) => m.get(second)?.note === 'asked the vendor', 'the note saved as typed');
    // Out of the field (a Tab), r resolves the open finding with its note and the next one opens.
    await panel.press(KEYS.tab, 'r');
    await until(stored, (m) => m.get(second)?.status === 'resolved', 'the resolve by r');
    expect((await stored()).get(second)).toMatchObject({ status: 'resolved', note: 'asked the vendor' });
    const third = await panel.waitFor((was) => { const fp = document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-fingerprint'); return fp && fp !== was ? fp : null; }, second, 'the finding after the resolved one');
    // i ignores it, and Esc goes back to the list.
    await panel.press('i');
    await until(stored, (m) => m.get(third)?.status === 'ignored', 'the ignore by i');
    await panel.waitFor((was) => document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-fingerprint') !== was, third, 'the finding after the ignored one');
    await panel.press(KEYS.escape);
    await panel.waitFor(() => !document.querySelector('[data-testid="finding-detail"]'), undefined, 'the list again');
    expect((await stored()).get(first)?.status ?? 'open').toBe('open');
    expect(await seriousAxeViolations(env.session, panel)).toEqual([]);
    await panel.close();
  });

  it('keeps a note through switching findings and stores it with the verdict', async () => {
    const panel = await openResults();
    const { fingerprint, shownAfterSwitch } = await panel.evaluate(noteThroughSwitchInPage, 'credit note 4411 received');
    expect(shownAfterSwitch).toBe('credit note 4411 received');
    expect(await panel.evaluate(resolveOpenInPage)).toBe(true);
    const stored = await until(
      async () => (await env.session.send('resolutions.list', {})).find((r) => r.fingerprint === fingerprint),
      (r) => r?.status === 'resolved',
      'the stored verdict',
    );
    expect(stored).toMatchObject({ status: 'resolved', note: 'credit note 4411 received' });
    await panel.close();
  });

  it('resolves a shift-ticked range with one note, and undoes it in one step after a restart', async () => {
    let panel = await openResults();
    await panel.clickOn('[data-testid="finding-check"]', { index: 0 });
    await panel.clickOn('[data-testid="finding-check"]', { index: 2, shift: true });
    expect(await panel.waitFor(() => document.querySelector('[data-testid="checked-count"]')?.textContent, undefined, 'the selection')).toBe('3 selected');
    // The ticked ones are the first three rows: the range runs from the first box to the shift-clicked one.
    const rows = await panel.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="finding-row"]')].map((r) => ({ fp: r.dataset.fingerprint!, ticked: r.querySelector<HTMLInputElement>('[data-testid="finding-check"]')!.checked })),
    );
    const fps = rows.slice(0, 3).map((r) => r.fp);
    expect(rows.filter((r) => r.ticked).map((r) => r.fp)).toEqual(fps);
    await panel.clickOn('[data-testid="bulk-note"]');
    await panel.press(BULK_NOTE);
    await panel.clickOn('[data-testid="resolve-checked"]');
    expect(await panel.waitFor(() => document.querySelector('[data-testid="undo-label"]')?.textContent ?? '', undefined, 'the undo offer')).toMatch(/Marked resolved: 3 findings/);
    await until(stored, (m) => fps.every((fp) => m.get(fp)?.status === 'resolved'), 'the three verdicts');
    const before = await stored();
    for (const fp of fps) expect(before.get(fp)).toMatchObject({ status: 'resolved', note: BULK_NOTE });
    const earlier = [...before.values()].filter((r) => r.status && !fps.includes(r.fingerprint));
    await panel.close();

    await env.restart();
    // The panel offers the step kept from before the restart, and one click undoes all three.
    panel = await openResults();
    expect(await panel.waitFor(() => document.querySelector('[data-testid="undo-label"]')?.textContent ?? '', undefined, 'the undo offer after the restart')).toMatch(/Marked resolved: 3 findings/);
    await panel.clickOn('[data-testid="undo"]');
    const after = await until(stored, (m) => fps.every((fp) => !m.get(fp)?.status), 'the undone verdicts');
    // The steps before it (the shortcut verdicts and the resolve with its note) are untouched.
    expect(earlier.length).toBeGreaterThanOrEqual(3);
    for (const r of earlier) {
      // Field by field: a verdict given without a note holds no note key at all.
      expect(after.get(r.fingerprint)?.status).toBe(r.status);
      expect(after.get(r.fingerprint)?.note).toBe(r.note);
    }
    expect([...after.values()].filter((r) => r.status)).toHaveLength(earlier.length);
    await panel.close();
  });

  it('signs the month off in the panel, freezes the run, and the evidence Firefox opens carries the sign-off', async () => {
    const panel = await openResults();
    await panel.clickOn('.sign-off summary');
    await panel.clickOn('[data-testid="sign-off-by"]');
    await panel.press('Dana Billing');
    await panel.clickOn('[data-testid="sign-off-note"]');
    await panel.press('November closed with finance');
    await panel.clickOn('[data-testid="sign-off"]');
    const signed = await panel.waitFor(() => document.querySelector('[data-testid="signed-off"]')?.textContent ?? '', undefined, 'the sign-off');
    expect(signed).toMatch(/Signed off by Dana Billing on .*: November closed with finance\. The run is frozen\./);
    const got = await expectSignedOffAndFrozen(env.session.send, runId, 'Dana Billing', 'November closed with finance');
    // The page offers no verdict any more.
    expect(await panel.evaluate(() => ['bulk-bar', 'select-all-matching', 'undo'].filter((id) => document.querySelector(`[data-testid="${id}"]`)))).toEqual([]);

    // The printable evidence: built by the panel page and opened by Firefox in a tab of its own.
    const before = await env.session.handles();
    await panel.clickOn('[data-testid="export-evidence"]');
    const evidence = await env.session.newTab(before, 'the printable evidence');
    expect(await evidence.url()).toMatch(new RegExp(`^blob:${EXTENSION_ORIGIN}/`));
    const text = await evidence.waitFor(() => (document.querySelector('[data-testid="sign-off"]') as HTMLElement | null)?.innerText, undefined, 'the sign-off in the evidence');
    expect(text).toBe(`Signed off by Dana Billing on ${got.signOff!.at}: November closed with finance.`);
    expect(await evidence.evaluate(() => document.querySelector('h1')?.textContent)).toBe('ConnectWise reconciliation evidence');
    await evidence.close();
    await panel.close();
  });
});
