import { describe, expect, it } from 'vitest';
import { pullBundle } from '../../../core/connectwise';
import { reconcile } from '../../../core/reconcile';
import { generateScenario } from '../../generator';
import { client, sandbox } from './helpers';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('an interrupted pull never reads as missing Additions', () => {
  it('agreements whose Additions could not be read give no missing_addition', async () => {
    const scenario = generateScenario({ seed: 31337, faults: 'none', organizations: 5 });
    // The two agreements holding the most Additions: surely ones the lines expect.
    const counts = new Map<number, number>();
    for (const a of scenario.bundle.additions) counts.set(a.agreementId, (counts.get(a.agreementId) ?? 0) + 1);
    const victims = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([id]) => id).sort((a, b) => a - b);
    const s = await sandbox({
      bundle: scenario.bundle,
      faults: { rules: victims.map((id) => ({ kind: 'drop' as const, match: `/finance/agreements/${id}/additions` })) },
    });
    const { client: c } = client(s, { retry: { retries: 2 } });
    const bundle = await pullBundle(c, { now: NOW });
    expect(bundle.complete).toBe(false);
    expect(bundle.incompleteAgreementIds).toEqual(victims);

    const report = reconcile({ lines: scenario.lines, bundle, config: scenario.config, now: NOW });
    expect(report.coverage.cwComplete).toBe(false);
    expect(report.findings.filter((f) => f.kind === 'missing_addition')).toEqual([]);
    expect(report.findings).toEqual([]);

    // Control: the same partial data passed off as complete would accuse those lines.
    const naive = reconcile({ lines: scenario.lines, bundle: { ...bundle, complete: true, incompleteAgreementIds: undefined }, config: scenario.config, now: NOW });
    const accused = naive.findings.filter((f) => f.kind === 'missing_addition');
    expect(accused.length).toBeGreaterThan(0);
    expect(accused.every((f) => victims.includes(f.agreementId!))).toBe(true);
  });
});
