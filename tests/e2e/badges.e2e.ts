import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { verdictsForAgreement } from '../../core/app/verdicts';
import type { Finding, FindingKind, Report } from '../../core/model';
import { captureInvoiceMonths, cwAgreementUrl, exampleMonth, useSandboxedExtension, waitForScreen, type ExtensionSession } from './harness';
import { badgesByCells, badgesByRecordId, configureMonth, expectShownAsReport, pullThroughApi, reconcileToExpected, shownFindingInPage } from './scenarios';

/**
 * The worked month in real Chromium: badges on the rows that matter most (a duplicate Addition and
 * its matched twin, an Addition on the wrong agreement) compared with the run's own verdicts; and
 * every finding kind opened in the panel, its values and amount compared with the report.
 */
describe('badges and finding values against the report', () => {
  const month = exampleMonth();
  const env = useSandboxedExtension(() => month);
  let session: ExtensionSession;
  let report: Report;

  beforeAll(async () => {
    session = env.session;
    await configureMonth(session.send, month, env.sandbox.credentials);
    await captureInvoiceMonths(session, month);
    await pullThroughApi(session.send);
    const runId = await reconcileToExpected(session.send, month);
    report = (await session.send('runs.get', { runId }))!.report;
  }, 180_000);

  async function badgesOn(page: Page, expected: number): Promise<Map<number, string>> {
    const badges = page.locator('cwr-inpage-help .badge');
    await expect.poll(() => badges.count(), { timeout: 10_000 }).toBe(expected);
    const shown = await badges.evaluateAll((bs) => bs.map((b) => [Number((b as HTMLElement).dataset.additionId), (b as HTMLElement).dataset.status]));
    return new Map(shown as [number, string][]);
  }

  /** The agreements whose grids carry a finding of `kind`, with the Addition it names. */
  function rowsOf(kind: FindingKind): Array<{ agreementId: number; additionId: number; finding: Finding }> {
    return report.findings
      .filter((f) => f.kind === kind && f.additionId !== undefined)
      .map((f) => ({ agreementId: month.bundle.additions.find((a) => a.id === f.additionId)!.agreementId, additionId: f.additionId!, finding: f }));
  }

  it.each([
    ['duplicate_addition', 'duplicate'],
    ['wrong_agreement', 'mismatch'],
  ] as const)('%s: the row carries the run’s verdict, with and without record ids, beside the row’s controls', async (kind, verdict) => {
    const rows = rowsOf(kind);
    expect(rows.length).toBeGreaterThan(0);
    for (const { agreementId, additionId, finding } of rows) {
      const fromRun = new Map(verdictsForAgreement(report, agreementId, month.bundle.additions).map((v) => [v.additionId, v.verdict]));
      expect(fromRun.get(additionId)).toBe(verdict);
      if (kind === 'duplicate_addition') {
        // Its matched twin is badged too (as the run judged it), never as the duplicate.
        const twin = finding.related?.additionIds?.[0];
        expect(twin).toBeDefined();
        expect(fromRun.get(twin!)).not.toBe('duplicate');
      }

      // Rows with their record id: matched exactly.
      const page = await session.context.newPage();
      await page.goto(cwAgreementUrl(agreementId, 'recids=1'));
      await page.locator('tr.cw-ml-row').first().waitFor();
      await waitForScreen(session, page, 'connectwise.additions');
      const ids = await page.locator('tr.cw-ml-row').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-recid'))));
      const expected = badgesByRecordId(report, agreementId, ids);
      const shown = await badgesOn(page, expected.size);
      expect(shown).toEqual(expected);
      expect(shown.get(additionId)).toBe(verdict);
      // Beside the row: the badge overlaps none of the row's own controls and sits on its line.
      const geometry = await page.evaluate((id) => {
        const badge = [...document.querySelectorAll('cwr-inpage-help')].flatMap((h) => [...(h.shadowRoot?.querySelectorAll<HTMLElement>('.badge') ?? [])]).find((b) => b.dataset.additionId === String(id))!;
        const row = document.querySelector(`tr.cw-ml-row[data-recid="${id}"]`)!;
        const box = (e: Element) => {
          const r = e.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        };
        return { badge: box(badge), row: box(row), controls: [...row.querySelectorAll('input, button, a, select')].map(box) };
      }, additionId);
      const overlaps = (a: typeof geometry.badge, b: typeof geometry.badge) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(geometry.controls.filter((c) => overlaps(geometry.badge, c))).toEqual([]);
      const middle = (geometry.badge.top + geometry.badge.bottom) / 2;
      expect(middle).toBeGreaterThanOrEqual(geometry.row.top);
      expect(middle).toBeLessThanOrEqual(geometry.row.bottom);
      await page.close();

      // Rows with no record id: told apart by cells, identical twins by their position.
      const bare = await session.context.newPage();
      await bare.goto(cwAgreementUrl(agreementId));
      await bare.locator('tr.cw-ml-row').first().waitFor();
      await waitForScreen(session, bare, 'connectwise.additions');
      const byCells = badgesByCells(report, agreementId, month);
      expect(await badgesOn(bare, byCells.size)).toEqual(byCells);
      await bare.close();
    }
  });

  it('every finding kind shows, in the panel, the report’s values under each system and its amount at stake', async () => {
    const panel = await session.panel();
    await panel.setViewportSize({ width: 360, height: 800 });
    await panel.reload();
    await panel.getByTestId('start-view').waitFor();
    await panel.getByTestId('nav-results').click();
    await panel.getByTestId('findings-list').waitFor();
    await panel.getByTestId('filter-resolved').selectOption('all');
    const kinds = [...new Set(report.findings.map((f) => f.kind))].sort();
    expect(kinds.length).toBeGreaterThan(8);
    for (const kind of kinds) {
      await panel.getByTestId('filter-kind').selectOption(kind);
      const row = panel.getByTestId('finding-row').first();
      await row.click();
      await panel.getByTestId('finding-detail').waitFor();
      expectShownAsReport(report, kind, (await panel.evaluate(shownFindingInPage))!);
      await panel.getByTestId('close-detail').click();
    }
  });
});
