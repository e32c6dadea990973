import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../core/reconcile';
import { generateLarge } from '../../generator';

/**
 * The benchmark's month shape (scripts/bench-reconcile.ts): the same lines against fewer
 * Additions, because more subscriptions run through both months and share one Addition, and
 * still nothing to report.
 */
const NOW = new Date('2026-12-01T00:00:00Z');

describe('generateLarge', () => {
  it('draws one Addition per line by default and reconciles clean', () => {
    const s = generateLarge(2_000, 11);
    expect(s.lines).toHaveLength(2_000);
    expect(s.bundle.additions).toHaveLength(2_000);
    const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: NOW });
    expect(report.findings).toEqual([]);
  });

  it('draws three Additions for four lines with additionsPerLine 0.75, every line covered and nothing to report', () => {
    const s = generateLarge(2_000, 11, { additionsPerLine: 0.75 });
    expect(s.lines).toHaveLength(2_000);
    expect(s.bundle.additions).toHaveLength(1_500);
    const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: NOW });
    expect(report.findings).toEqual([]);
    const c = report.coverage;
    // Every line is either compared or covered by its subscription's latest line; none is left out.
    expect(c.linesRead).toBe(2_000);
    expect(c.linesCompared + (c.linesSkipped.coveredBySubscription ?? 0)).toBe(2_000);
    expect(c.additionsMatched).toBe(c.linesCompared);
    // Fewer Additions than lines because two-month subscriptions share one.
    expect(c.linesSkipped.coveredBySubscription).toBe(2_000 - c.linesCompared);
    expect(c.linesCompared).toBeLessThan(c.linesRead);
  });

  it('keeps the default month unchanged when the option is 1', () => {
    const a = generateLarge(500, 5);
    const b = generateLarge(500, 5, { additionsPerLine: 1 });
    expect(b).toEqual(a);
  });

  it('refuses a share of Additions it cannot draw', () => {
    expect(() => generateLarge(500, 5, { additionsPerLine: 0.5 })).toThrow(/additionsPerLine/);
  });
});
