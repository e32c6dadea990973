/**
 * The Additions tab as real ConnectWise draws it, in the browser: the look-alike draws every
 * agreement's Additions tab in each page variant (record or single-page address, Bill as text or
 * checkbox, a breadcrumb banner, the user's own columns in their own order), the extension
 * captures each through its content script, and the captures alone reconcile to the findings of
 * the bundle the pages were drawn from, less what pages cannot show (core/sources/paths.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../core/model';
import { reconcile } from '../../core/reconcile';
import { PATH_LIMITS, seenOn } from '../../core/sources/paths';
import { CW_PAGE_VARIANTS, variantAddress, type CwPageVariant } from '../sandbox/sites/cw/variants';
import { CW_HOST, captureInvoiceMonths, exampleMonth, useSandboxedExtension, waitForScreen } from './harness';
import { configureMonth } from './scenarios';

const month = exampleMonth();
const NOW = new Date('2026-11-25T00:00:00Z');

/** A finding as a page can name it: without ConnectWise's Addition ids, by agreement and product. */
function key(f: Finding): string {
  const subject = f.lineId ?? (f.additionId !== undefined ? `${f.agreementId}/${f.productIdentifier}` : (f.agreementId ?? f.organization));
  return `${f.kind} ${subject}${f.field ? ` ${f.field}` : ''}`;
}

describe('the Additions tab is captured in every ConnectWise page variant', () => {
  const env = useSandboxedExtension(() => month);
  const reference = reconcile({ lines: month.lines, bundle: month.bundle, config: month.config, now: NOW });
  /** What a variant's pages can show, given the optional columns its Additions list has. */
  const expectedFor = (variant: CwPageVariant) => seenOn('pages', reference.findings, variant.cols).map(key).sort();
  const held = [...new Set(month.bundle.additions.map((a) => a.agreementId))].sort((a, b) => a - b);

  beforeAll(async () => {
    const { session, sandbox } = env;
    await configureMonth(session.send, month, sandbox.credentials);
    await captureInvoiceMonths(session, month, '&pageSize=50');
  }, 300_000);

  it('the worked month gives findings of many kinds to compare', () => {
    expect(held.length).toBe(month.bundle.agreements.length);
    // Keys name Additions by agreement and product because pages carry no ids.
    expect(PATH_LIMITS.pages.additionIds).toBe(false);
    expect(new Set(seenOn('pages', reference.findings).map((f) => f.kind)).size).toBeGreaterThan(5);
    // One agreement is not active, so the status column has something to carry.
    expect(reference.findings.filter((f) => f.kind === 'agreement_not_active').length).toBeGreaterThan(0);
  });

  it.each(CW_PAGE_VARIANTS.map((v) => [v.name, v] as const))(
    'variant %s: every agreement captured, reconciled to the bundle\'s findings',
    async (_name, variant) => {
      const { session } = env;
      // Only this variant's captures: the previous variant's would stand in for a failed one.
      for (const c of await session.send('captures.list', {})) if (c.kind === 'connectwise') await session.send('captures.delete', { id: c.id });
      for (const agreementId of held) {
        const page = await session.context.newPage();
        await page.goto(`https://${CW_HOST}${variantAddress(variant, agreementId)}`);
        await page.locator('tr.cw-ml-row').first().waitFor();
        const tabId = await waitForScreen(session, page, 'connectwise.additions');
        const capture = await session.send('capture.start', { tabId });
        expect(capture.kind).toBe('connectwise');
        expect(capture.agreementId).toBe(agreementId);
        expect(capture.rows).toBe(month.bundle.additions.filter((a) => a.agreementId === agreementId).length);
        expect(capture.complete).toBe(true);
        await page.close();
      }
      const captured = (await session.send('captures.list', {})).filter((c) => c.kind === 'connectwise');
      expect(captured.map((c) => c.agreementId).sort((a, b) => a! - b!)).toEqual(held);

      const run = await session.send('reconcile.start', { cwSource: 'captures' });
      const got = await session.send('runs.get', { runId: run.id });
      const report = got!.report as Report;
      expect(report.findings.map(key).sort()).toEqual(expectedFor(variant));
      // Every agreement was shown: no line waits for one.
      expect(report.coverage.unverified ?? []).toEqual([]);
    },
    300_000,
  );
});
