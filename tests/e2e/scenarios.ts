/**
 * Scenarios shared by the Chromium and the Firefox browser tests. Each browser's driver supplies
 * `send` (a protocol request from an extension page, as the panel makes it) and runs the page
 * functions below in its own way; what is asserted is the same in both browsers.
 *
 * The page functions (`wordPointInPage`, `highlightCountInPage`, `badgesInPage`) are serialised
 * into the page by the drivers, so they must not use anything from their module scope.
 */
import Papa from 'papaparse';
import { expect } from 'vitest';
import { verdictsForAgreement } from '../../core/app/verdicts';
import { findingFingerprint } from '../../core/model/fingerprint';
import type { Finding, FindingKind, Report } from '../../core/model';
import { fieldWords, formatValue, kindLabel } from '../../components/findings/words';
import type { MessageType, PayloadOf, ResponseOf } from '../../core/protocol/messages';
import type { MonthData } from './chromium';

export type Send = <T extends MessageType>(type: T, payload: PayloadOf<T>) => Promise<ResponseOf<T>>;

/** What expected-findings.json names a finding by: its kind and its key (DESIGN §3.6). */
export function keyOf(f: { kind: string; lineId?: string; additionId?: number; agreementId?: number; organization?: string }): string {
  return `${f.kind}|${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization ?? ''}`;
}

/** Platform lines the month holds for an invoice month (`YYYY-MM`). */
export function linesOf(month: MonthData, m: string): number {
  return month.lines.filter((l) => l.invoiceDate.startsWith(m)).length;
}

/** The agreement with the most Additions, and how many it has. */
export function busiestAgreement(month: MonthData): { agreementId: number; additions: number } {
  const counts = new Map<number, number>();
  for (const a of month.bundle.additions) counts.set(a.agreementId, (counts.get(a.agreementId) ?? 0) + 1);
  const [agreementId, additions] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return { agreementId, additions };
}

/** The month's reconcile settings and the sandbox's ConnectWise member, as the options would save them. */
export async function configureMonth(send: Send, month: MonthData, credentials: { companyId: string; publicKey: string; privateKey: string; clientId: string }): Promise<void> {
  await send('settings.set', { patch: { reconcile: month.config, cw: { region: 'na', ...credentials } } });
}

/** A Platform grid capture of one whole month: every row, every page, nothing else. */
export function expectPlatformCapture(capture: ResponseOf<'capture.start'>, month: MonthData, m: string): void {
  const lines = linesOf(month, m);
  expect(capture.kind).toBe('platform');
  expect(capture.rows).toBe(lines);
  expect(capture.gridTotal).toBe(lines);
  expect(capture.complete).toBe(true);
  expect(capture.months).toEqual([m]);
}

export function expectAdditionsCapture(capture: ResponseOf<'capture.start'>, month: MonthData): void {
  const { agreementId, additions } = busiestAgreement(month);
  expect(capture.kind).toBe('connectwise');
  expect(capture.agreementId).toBe(agreementId);
  expect(capture.rows).toBe(additions);
}

export async function pullThroughApi(send: Send): Promise<void> {
  const pull = await send('cw.pull', { jobId: 'pull-1' });
  expect(pull.kind).toBe('api');
  expect(pull.complete).toBe(true);
  expect(pull.rows).toBeGreaterThan(0);
}

/** Reconciles and checks the run holds exactly the month's planted findings; returns the run id. */
export async function reconcileToExpected(send: Send, month: MonthData): Promise<string> {
  const run = await send('reconcile.start', {});
  expect(run.months).toEqual(['2026-10', '2026-11']);
  expect(run.cwComplete).toBe(true);
  const got = await send('runs.get', { runId: run.id });
  expect(got).not.toBeNull();
  expect(got!.report.findings.map(keyOf).sort()).toEqual(month.expected.map(keyOf).sort());
  expect(got!.findings.every((f) => f.fingerprint === findingFingerprint(f.finding))).toBe(true);
  return run.id;
}

export const RESOLUTION_NOTE = 'Fixed the Addition in CW';

/** Marks the run's first error resolved with a note; returns its fingerprint. */
export async function resolveOne(send: Send, runId: string): Promise<string> {
  const got = await send('runs.get', { runId });
  const target = got!.findings.find((f) => f.finding.severity === 'error')!;
  const stored = await send('resolution.set', { fingerprint: target.fingerprint, status: 'resolved', note: RESOLUTION_NOTE });
  expect(stored?.status).toBe('resolved');
  return target.fingerprint;
}

/** After a browser restart: the run, its resolution, the captures and the key are all still there. */
export async function expectKeptAcrossRestart(send: Send, runId: string, resolvedFingerprint: string): Promise<void> {
  const runs = await send('runs.list', {});
  expect(runs.map((r) => r.id)).toContain(runId);
  const got = await send('runs.get', { runId });
  const resolved = got!.findings.find((f) => f.fingerprint === resolvedFingerprint);
  expect(resolved?.resolution?.status).toBe('resolved');
  expect(resolved?.resolution?.note).toBe(RESOLUTION_NOTE);
  const captures = await send('captures.list', {});
  expect(captures.map((c) => c.kind).sort()).toEqual(expect.arrayContaining(['api', 'connectwise', 'platform']));
  const settings = await send('settings.get', {});
  expect(settings.cw.hasPrivateKey).toBe(true);
}

/** The CSV export: one row per finding, the same kinds, and no private key anywhere. */
export async function expectCsvExport(send: Send, runId: string, privateKey: string): Promise<void> {
  const got = await send('runs.get', { runId });
  const csv = await send('runs.export', { runId, format: 'csv' });
  expect(csv.filename).toMatch(/\.csv$/);
  const parsed = Papa.parse<Record<string, string>>(csv.text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  expect(parsed.data).toHaveLength(got!.report.findings.length);
  expect(parsed.data.map((r) => r.kind).sort()).toEqual(got!.report.findings.map((f: Finding) => f.kind).sort());
  expect(csv.text).not.toContain(privateKey);
}

/** The terms each site's tooltips explain, with the other system's word for them. */
export const TOOLTIP_TERMS = {
  connectwise: [
    ['Additions', 'Invoice lines'],
    ['Agreements', 'Contracts'],
    ['Effective Date', 'Charge Start Date'],
  ],
  platform: [
    ['Invoice lines', 'Additions'],
    ['Charge Start Date', 'Effective Date'],
    ['Organizations', 'Companies'],
  ],
} as const;

/** Verdict badges expected on an agreement's rows that carry their record id. */
export function badgesByRecordId(report: Report, agreementId: number, rowIds: number[]): Map<number, string> {
  const expected = new Map(verdictsForAgreement(report, agreementId).map((v) => [v.additionId, v.verdict]));
  return new Map(rowIds.filter((id) => expected.has(id)).map((id) => [id, expected.get(id)!]));
}

/**
 * Verdict badges expected on rows with no record id: every judged Addition of the agreement. Rows
 * whose cells tell them apart are matched by cells; rows with identical cells (a duplicate and the
 * twin it copies) by their position, since the grid lists an agreement's Additions in record-id
 * order; so the page shows the same badges as when its rows carry record ids.
 */
export function badgesByCells(report: Report, agreementId: number, month: MonthData): Map<number, string> {
  return new Map(verdictsForAgreement(report, agreementId, month.bundle.additions).map((v) => [v.additionId, v.verdict]));
}

// ---------------------------------------------------------------------------------------------
// Page functions (run inside the page)
// ---------------------------------------------------------------------------------------------

/** The centre of the first visible, non-editable occurrence of `word` in the page's text. */
export function wordPointInPage(word: string): { x: number; y: number } | null {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    const at = n.data.indexOf(word);
    const parent = n.parentElement;
    if (at < 0 || !parent || parent.closest('input, textarea, select, [contenteditable], [role=menu], [role=menubar], cwr-inpage-help')) continue;
    const range = document.createRange();
    range.setStart(n, at);
    range.setEnd(n, at + word.length);
    if (range.getBoundingClientRect().width === 0) continue;
    // Wide grids put later headers off to the right: bring the word on screen first.
    parent.scrollIntoView({ block: 'center', inline: 'center' });
    const r = range.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }
  return null;
}

/** How many term ranges the in-page help has painted (CSS Custom Highlight API). */
export function highlightCountInPage(): number {
  const h = (CSS as unknown as { highlights?: Map<string, Set<unknown>> }).highlights?.get('cwr-term');
  return h ? h.size : 0;
}

/** The badges shown, as [addition id, status] pairs. */
export function badgesInPage(): [number, string][] {
  const host = document.querySelector('cwr-inpage-help');
  const badges = host?.shadowRoot ? Array.from(host.shadowRoot.querySelectorAll<HTMLElement>('.badge')) : [];
  return badges.map((b) => [Number(b.dataset.additionId), b.dataset.status ?? '']);
}

/** The shown tooltip's two terms, or null while none is visible. */
export function tooltipInPage(): { here: string; there: string } | null {
  const host = document.querySelector('cwr-inpage-help');
  const tip = host?.shadowRoot?.querySelector<HTMLElement>('[role="tooltip"]');
  if (!tip || tip.hidden || tip.getBoundingClientRect().width === 0 || getComputedStyle(tip).visibility === 'hidden') return null;
  return { here: tip.querySelector('.here')?.textContent ?? '', there: tip.querySelector('.there')?.textContent ?? '' };
}

// ---------------------------------------------------------------------------------------------
// Month-end panel steps shared by the Chromium and Firefox panel tests
// ---------------------------------------------------------------------------------------------

/**
 * A complete pull, then one the server cuts short (`cutShort` runs it with the fault on): the
 * complete pull is kept, the partial one beside it, marked; a run still reads ConnectWise whole.
 */
export async function expectPartialPullKeptBeside(send: Send, cutShort: (pull: () => Promise<ResponseOf<'cw.pull'>>) => Promise<ResponseOf<'cw.pull'>>): Promise<string> {
  await pullThroughApi(send);
  const complete = (await send('captures.list', {})).find((c) => c.kind === 'api')!;
  const second = await cutShort(() => send('cw.pull', { jobId: 'pull-cut-short' }));
  expect(second.complete).toBe(false);
  expect(second.rows).toBeLessThan(complete.rows);
  const start = await send('panel.start', {});
  const api = start.captures.filter((c) => c.kind === 'api');
  expect(api.map((c) => [c.rows, c.complete]).sort()).toEqual([[complete.rows, true], [second.rows, false]].sort());
  const run = await send('reconcile.start', {});
  expect(run.cwComplete).toBe(true);
  return run.id;
}

export const BULK_NOTE = 'checked with the vendor';

/** A run signed off in the panel: the stored sign-off names who and why, and no verdict can change it. Returns the run. */
export async function expectSignedOffAndFrozen(send: Send, runId: string, by: string, note: string): Promise<NonNullable<ResponseOf<'runs.get'>>> {
  const got = await send('runs.get', { runId });
  expect(got?.signOff).toMatchObject({ by, note });
  expect(Number.isNaN(Date.parse(got!.signOff!.at))).toBe(false);
  await expect(send('resolutions.apply', { runId, label: 'late', changes: [{ fingerprint: got!.findings[0]!.fingerprint, status: 'ignored' }] })).rejects.toThrow(/signed off/);
  return got!;
}

/**
 * After sign-off, a newer run of the same month changes verdicts on the same findings (one open at
 * sign-off is resolved, one decided is opened again): the signed-off run still shows, and keeps
 * with its sign-off, the verdicts it was signed with. Returns the newer run and the two findings.
 */
export async function expectSignedRunUnchangedByNewerRun(send: Send, runId: string): Promise<{ newerRunId: string; resolvedSince: string; reopenedSince: string }> {
  const verdicts = (got: ResponseOf<'runs.get'>) => new Map(got!.findings.map((f) => [f.fingerprint, f.resolution ? [f.resolution.status, f.resolution.note ?? ''] : null]));
  const signed = await send('runs.get', { runId });
  const atSignOff = verdicts(signed);
  expect(signed!.signOff?.resolutions?.map((r) => r.fingerprint).sort()).toEqual([...atSignOff].filter(([, v]) => v).map(([fp]) => fp).sort());
  const open = signed!.findings.find((f) => !f.resolution?.status);
  const decided = signed!.findings.find((f) => f.resolution?.status && f.resolution.status !== 'open');
  expect(open && decided).toBeTruthy();
  const newer = await send('reconcile.start', {});
  expect(newer.id).not.toBe(runId);
  await send('resolution.set', { runId: newer.id, fingerprint: open!.fingerprint, status: 'resolved', note: 'resolved after the month closed' });
  await send('resolution.set', { runId: newer.id, fingerprint: decided!.fingerprint, status: 'open', note: '' });
  const live = verdicts(await send('runs.get', { runId: newer.id }));
  expect(live.get(open!.fingerprint)).toEqual(['resolved', 'resolved after the month closed']);
  expect(live.get(decided!.fingerprint) ?? null).toBeNull();
  expect(verdicts(await send('runs.get', { runId }))).toEqual(atSignOff);
  return { newerRunId: newer.id, resolvedSince: open!.fingerprint, reopenedSince: decided!.fingerprint };
}

/**
 * In the panel page, with the results open: types a note on the first finding, moves to the next
 * and back, and answers what the note field shows then (it must be the typed note) and the
 * finding's fingerprint. Serialised into the page: uses nothing from this module.
 */
export async function noteThroughSwitchInPage(note: string): Promise<{ fingerprint: string; shownAfterSwitch: string }> {
  const until = async <T>(get: () => T | null | undefined, what: string): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const v = get();
      if (v) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const byId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  (await until(() => document.querySelectorAll<HTMLElement>('[data-testid="finding-row"]')[0], 'a finding row')).click();
  const detail = await until(() => byId('finding-detail'), 'the drawer');
  const fingerprint = detail.getAttribute('data-fingerprint')!;
  const area = await until(() => byId('finding-note') as HTMLTextAreaElement | null, 'the note field');
  area.value = note;
  area.dispatchEvent(new Event('input', { bubbles: true }));
  byId('next-finding')!.click();
  await until(() => byId('finding-detail')?.getAttribute('data-fingerprint') !== fingerprint, 'the next finding');
  byId('close-detail')!.click();
  await until(() => !byId('finding-detail'), 'the list');
  document.querySelector<HTMLElement>(`[data-testid="finding-row"][data-fingerprint="${fingerprint}"]`)!.click();
  await until(() => byId('finding-detail')?.getAttribute('data-fingerprint') === fingerprint, 'the first finding again');
  return { fingerprint, shownAfterSwitch: (byId('finding-note') as HTMLTextAreaElement).value };
}

/** In the panel page: resolves the open finding with the button and answers once it is done. */
export async function resolveOpenInPage(): Promise<boolean> {
  const button = document.querySelector<HTMLElement>('[data-testid="resolve-finding"]');
  if (!button) return false;
  button.click();
  return true;
}

/** What the panel's detail shows for one finding, read from the page by either browser. */
export interface ShownFinding {
  title: string;
  message: string;
  values: Array<{ label: string; value: string | null }>;
  stake: string;
}

/** Reads the open finding's detail in the panel page (runs in the page). */
export function shownFindingInPage(): ShownFinding | null {
  const detail = document.querySelector('[data-testid="finding-detail"]');
  if (!detail) return null;
  return {
    title: detail.querySelector('#detail-title')?.textContent ?? '',
    message: detail.querySelector('[data-testid="finding-message"]')?.textContent ?? '',
    values: [...detail.querySelectorAll('[data-testid="finding-values"] .value')].map((v) => ({ label: v.querySelector('dt')!.textContent!.trim(), value: v.querySelector('dd')!.textContent })),
    stake: detail.querySelector('[data-testid="finding-stake"]')?.textContent ?? '',
  };
}

/**
 * The detail shown for a finding of `kind` is the report's: its kind's label, a message the report
 * holds, each value under the system that holds it (the Platform's side is `expected`) and the
 * amount at stake in its currency.
 */
export function expectShownAsReport(report: Report, kind: FindingKind, shown: ShownFinding): void {
  expect(shown.title).toContain(kindLabel(kind));
  const finding = report.findings.find((f) => f.kind === kind && f.message === shown.message);
  expect(finding, `${kind} ("${shown.message}") is a finding of the report`).toBeDefined();
  const f = finding!;
  if (!f.field) expect(shown.values).toEqual([]);
  else if (kind === 'correction_spans_periods') {
    expect(shown.values).toEqual([{ label: 'AppXite Platform Charge Start Date to Charge End Date', value: formatValue(f.expected) }]);
  } else {
    const w = fieldWords(f.field);
    if (!w) expect(shown.values).toEqual([]);
    else {
      const want = [];
      if (f.expected !== undefined) want.push({ label: `AppXite Platform ${w.platform}`, value: formatValue(f.expected) });
      if (f.actual !== undefined || f.expected !== undefined) want.push({ label: `ConnectWise ${w.connectwise}`, value: formatValue(f.actual) });
      expect(shown.values, kind).toEqual(want);
    }
  }
  if ((f.atStake ?? 0) > 0) {
    expect(Number(shown.stake.replace(/[^\d.]/g, '')), kind).toBeCloseTo(f.atStake!, 2);
    expect(shown.stake).toContain(f.currency!);
  } else expect(shown.stake, kind).toMatch(/nothing/);
}
