import { describe, expect, it } from 'vitest';
import { createFindingsModel } from '../../../components/findings/model';
import { makeRun } from './fixtures';

/** A synthetic run whose findings carry amounts at stake: finding i puts i × 10 at stake. */
function stakedRun() {
  const run = makeRun(60, { companies: 3 });
  run.report.findings = run.report.findings.map((f, i) => ({ ...f, atStake: i * 10, currency: i % 2 ? 'EUR' : 'SEK' }));
  return run;
}

describe('amount at stake and review progress in the findings tree', () => {
  it('company and agreement rows sum the shown findings per currency', () => {
    const run = stakedRun();
    const model = createFindingsModel(run);
    model.setFilters({ resolved: 'all' });
    for (const row of model.rows.value) {
      if (row.type !== 'company') continue;
      const mine = model.filtered.value.filter((i) => i.companyKey === row.key);
      const expected: Record<string, number> = {};
      for (const i of mine) expected[i.stake!.currency] = (expected[i.stake!.currency] ?? 0) + i.stake!.amount;
      expect(row.stakes).toEqual(expected);
    }
  });

  it('sorting by amount puts the largest company, agreement and finding first', () => {
    const model = createFindingsModel(stakedRun());
    model.setFilters({ resolved: 'all', sort: 'amount' });
    const list = model.filtered.value;
    expect(list).toHaveLength(60);
    // Within each agreement the findings run largest first.
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.agreementKey === list[i - 1]!.agreementKey) expect(list[i]!.stake!.amount).toBeLessThanOrEqual(list[i - 1]!.stake!.amount);
    }
    const companies = model.rows.value.filter((r) => r.type === 'company');
    const weight = (s: Record<string, number>) => Math.max(...Object.values(s));
    for (let i = 1; i < companies.length; i++) expect(weight(companies[i]!.stakes)).toBeLessThanOrEqual(weight(companies[i - 1]!.stakes));
    // Grouping stays contiguous: each company appears once.
    expect(new Set(companies.map((c) => c.key)).size).toBe(companies.length);
  });

  it('a company row counts its resolved and ignored findings of all it has, whatever the filter shows', async () => {
    const model = createFindingsModel(stakedRun());
    const first = model.items[0]!;
    const mine = model.items.filter((i) => i.companyKey === first.companyKey);
    await model.resolve(mine[0]!.fp);
    await model.ignore(mine[1]!.fp);
    const row = model.rows.value.find((r) => r.type === 'company' && r.key === first.companyKey);
    expect(row && row.type === 'company' && [row.reviewed, row.total]).toEqual([2, mine.length]);
  });

  it('a signed-off run cannot be undone', async () => {
    const run = { ...stakedRun(), signOff: { by: 'Ada', at: '2026-12-02T10:00:00Z' } };
    const model = createFindingsModel(run);
    await model.resolve(model.items[0]!.fp);
    await model.undo();
    expect(model.resolutions.value.size).toBe(0);
    expect(model.error.value).toMatch(/signed off by Ada/);
  });
});
