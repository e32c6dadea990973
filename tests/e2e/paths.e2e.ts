/**
 * One answer on every path, in the browser: a generated month with every plantable fault, served
 * by the look-alike sites and the local API. (c) the extension captures the Platform grid and
 * every agreement's Additions tab; (d) it pulls through the API. Both are reconciled by the
 * extension and compared with the engine over the full data, less what the path cannot see
 * (core/sources/paths.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../core/model';
import { reconcile } from '../../core/reconcile';
import { PATH_LIMITS, seenOn, type CwPath } from '../../core/sources/paths';
import { generateScenario } from '../generator';
import { cwAgreementUrl, platformUrl, useSandboxedExtension, waitForScreen } from './harness';
import { configureMonth } from './scenarios';

const scenario = generateScenario({ seed: 11, faults: 'all' });
const month = { lines: scenario.lines, bundle: scenario.bundle, config: scenario.config, expected: [] };
const NOW = new Date('2026-11-25T00:00:00Z');

/** A finding's identity on a path; without ConnectWise's Addition ids, by agreement and product. */
function keyOn(path: CwPath) {
  const ids = PATH_LIMITS[path].additionIds;
  return (f: Finding) => {
    const subject = f.lineId ?? (f.additionId !== undefined ? (ids ? `#${f.additionId}` : `${f.agreementId}/${f.productIdentifier}`) : (f.agreementId ?? f.organization));
    return `${f.kind} ${subject}${f.field ? ` ${f.field}` : ''}`;
  };
}

describe('the extension gives the CLI\'s answer on every path', () => {
  const env = useSandboxedExtension(() => month);
  const reference = reconcile({ lines: scenario.lines, bundle: scenario.bundle, config: scenario.config, now: NOW });

  it('captures both invoice months and every agreement\'s Additions tab', async () => {
    const { session, sandbox } = env;
    await configureMonth(session.send, month, sandbox.credentials);
    for (const m of ['2026-10', '2026-11']) {
      const page = await session.context.newPage();
      await page.goto(platformUrl('/mapping/invoices', `month=${m}&pageSize=50`));
      const tabId = await waitForScreen(session, page, 'platform.invoices');
      const capture = await session.send('capture.start', { tabId });
      expect(capture.complete).toBe(true);
      await page.close();
    }
    // Agreements holding Additions: an empty one shows no grid to capture, and no line needs it.
    const held = new Set(scenario.bundle.additions.map((a) => a.agreementId));
    for (const agreement of scenario.bundle.agreements.filter((a) => held.has(a.id))) {
      const page = await session.context.newPage();
      await page.goto(cwAgreementUrl(agreement.id));
      await page.locator('tr.cw-ml-row').first().waitFor();
      const tabId = await waitForScreen(session, page, 'connectwise.additions');
      const capture = await session.send('capture.start', { tabId });
      expect(capture.agreementId).toBe(agreement.id);
      expect(capture.rows).toBe(scenario.bundle.additions.filter((a) => a.agreementId === agreement.id).length);
      await page.close();
    }
  }, 600_000);

  it('(c) captures alone give the full data\'s findings, less what pages cannot show', async () => {
    const { session } = env;
    const run = await session.send('reconcile.start', { cwSource: 'captures' });
    const got = await session.send('runs.get', { runId: run.id });
    const report = got!.report as Report;
    const key = keyOn('pages');
    expect(report.findings.map(key).sort()).toEqual(seenOn('pages', reference.findings).map(key).sort());
    // Lines naming an agreement no page showed wait for it, never missing.
    const synced = new Set(scenario.lines.filter((l) => l.status === 'Synced').map((l) => l.lineId));
    const waiting = reference.findings.filter((f) => f.kind === 'agreement_not_found' && synced.has(f.lineId!)).map((f) => f.lineId);
    expect((report.coverage.unverified ?? []).map((u) => u.lineId).sort()).toEqual(waiting.sort());
  }, 300_000);

  it('(d) a pull through the local API gives the full data\'s findings', async () => {
    const { session } = env;
    const pull = await session.send('cw.pull', { jobId: 'paths-pull' });
    expect(pull.complete).toBe(true);
    const run = await session.send('reconcile.start', { cwSource: 'api' });
    expect(run.cwComplete).toBe(true);
    const got = await session.send('runs.get', { runId: run.id });
    const key = keyOn('bundle');
    expect((got!.report as Report).findings.map(key).sort()).toEqual(reference.findings.map(key).sort());
  }, 300_000);
});
