/**
 * The worked month pulled through the local ConnectWise API while agreement 3018's Additions
 * answer 503: L00044's Addition sits on 3018 (a wrong_agreement in the full data), so the partial
 * pull must not call it missing, and must name 3018 as the agreement to read again.
 */
import { describe, expect, it } from 'vitest';
import { pullBundle } from '../../../core/connectwise';
import type { Finding } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { mergeSources } from '../../../core/sources';
import { client, sandbox } from '../connectwise/helpers';
import { workedMonth, WORKED_MONTH_NOW } from '../worked-month';

const { config, lines, bundle: full } = workedMonth();
const NOW = WORKED_MONTH_NOW;
const key = (f: Finding) => `${f.kind} ${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}${f.field ? ` ${f.field}` : ''}`;

describe('a pull with agreement 3018 failing (503)', () => {
  it('reports no missing_addition for L00044 and lists it unverified, naming 3018', async () => {
    const s = await sandbox({ bundle: full, faults: { rules: [{ kind: 'server-error', status: 503, match: '/finance/agreements/3018/additions' }] } });
    const { client: c } = client(s, { retry: { retries: 1 } });
    const pulled = await pullBundle(c, { now: NOW });
    expect(pulled.complete).toBe(false);
    expect(pulled.incompleteAgreementIds).toEqual([3018]);

    // The extension's path: the pull becomes a working set like any other source.
    const { bundle } = mergeSources([{ kind: 'api', bundle: pulled, at: NOW.toISOString() }]);
    const report = reconcile({ lines, bundle, config, now: NOW });
    expect(report.findings.filter((f) => f.lineId === 'L00044')).toEqual([]);
    expect(report.findings.filter((f) => f.kind === 'missing_addition')).toEqual([]);
    const l44 = report.coverage.unverified?.find((u) => u.lineId === 'L00044');
    expect(l44).toMatchObject({ agreementId: 3018, state: 'partial' });
    expect(report.coverage.agreementsNotRead).toEqual([
      expect.objectContaining({ agreementId: 3018, agreement: 'Managed Services', company: 'Kestrel Inc', state: 'partial', fix: expect.stringMatching(/capture its Additions tab.*or pull again/) }),
    ]);
    expect(report.coverage.cwComplete).toBe(false);

    // What the full data says, less what 3018 hides: its Additions, and every line no Addition
    // was found for (a wrong_agreement could sit on 3018), which are unverified instead.
    const fullReport = reconcile({ lines, bundle: full, config, now: NOW });
    const unverified = new Set(report.coverage.unverified!.map((u) => u.lineId));
    const hidden = (f: Finding) =>
      (f.kind === 'missing_addition' && unverified.has(f.lineId!)) ||
      (f.kind === 'wrong_agreement' && f.agreementId === 3018 && unverified.has(f.lineId!)) ||
      (f.additionId !== undefined && full.additions.find((a) => a.id === f.additionId)?.agreementId === 3018);
    expect(fullReport.findings.filter((f) => f.kind === 'wrong_agreement' && f.lineId === 'L00044')).toHaveLength(1);
    expect(report.findings.map(key)).toEqual(fullReport.findings.filter((f) => !hidden(f)).map(key));
    expect([...unverified].sort()).toEqual(
      fullReport.findings
        .filter((f) => f.kind === 'missing_addition' || (f.kind === 'wrong_agreement' && f.agreementId === 3018))
        .map((f) => f.lineId!)
        .sort(),
    );
  }, 60_000);
});
