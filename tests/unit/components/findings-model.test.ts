import { describe, expect, it } from 'vitest';
import { createFindingsModel, haystackOf } from '../../../components/findings/model';
import { findingFingerprint } from '../../../components/findings/fingerprint';
import { diffRuns } from '../../../core/app/run-diff';
import { coverageVerdict } from '../../../components/findings/coverage';
import { cwAgreementUrl, cwCompanyUrl, platformUrl } from '../../../components/findings/links';
import { fieldWords } from '../../../components/findings/words';
import { createMemoryApi } from './memory-api';
import { makeRun } from './fixtures';

const fixedNow = () => new Date('2026-12-02T10:00:00Z');

describe('findings model: grouping', () => {
  it('groups findings company → agreement → finding, each finding once', () => {
    const run = makeRun(120, { companies: 4 });
    const m = createFindingsModel(run, [], undefined, fixedNow);
    m.setFilters({ resolved: 'all' });
    const rows = m.rows.value;
    const findingRows = rows.filter((r) => r.type === 'finding');
    expect(findingRows).toHaveLength(120);
    expect(new Set(findingRows.map((r) => r.key)).size).toBe(120);
    // every finding row sits under the company and agreement header it belongs to
    let company = '';
    let agreement = '';
    for (const r of rows) {
      if (r.type === 'company') company = r.key;
      else if (r.type === 'agreement') agreement = r.key;
      else {
        expect(r.item.companyKey).toBe(company);
        expect(r.item.agreementKey).toBe(agreement);
      }
    }
    // company groups are contiguous: a key never reappears after another group
    const companyKeys = rows.filter((r) => r.type === 'company').map((r) => r.key);
    expect(new Set(companyKeys).size).toBe(companyKeys.length);
  });

  it('puts organization-only findings under the company of that name', () => {
    const run = makeRun(40, { companies: 2 });
    const m = createFindingsModel(run);
    const monthIncomplete = m.items.find((i) => i.finding.kind === 'month_incomplete');
    expect(monthIncomplete).toBeDefined();
    const org = monthIncomplete!.finding.organization!;
    const sibling = m.items.find((i) => i.finding.companyId !== undefined && run.names!.companies![String(i.finding.companyId)] === org);
    expect(monthIncomplete!.companyKey).toBe(sibling!.companyKey);
    expect(monthIncomplete!.agreementLabel).toBe('No agreement');
  });

  it('collapses and expands groups', () => {
    const m = createFindingsModel(makeRun(60, { companies: 3 }));
    const first = m.rows.value[0]!;
    expect(first.type).toBe('company');
    const before = m.rows.value.length;
    m.toggleGroup(first.key);
    const after = m.rows.value;
    expect(after.length).toBeLessThan(before);
    expect(after[0]).toMatchObject({ type: 'company', expanded: false });
    expect(after[1]?.type).toBe('company');
    m.setGroupExpanded(first.key, true);
    expect(m.rows.value.length).toBe(before);
  });
});

describe('findings model: filters and search', () => {
  const run = makeRun(190, { companies: 5 });

  it('filters by kind, severity and company, and combines them', () => {
    const m = createFindingsModel(run);
    m.toggleKind('quantity_mismatch');
    expect(m.filtered.value.length).toBeGreaterThan(0);
    expect(m.filtered.value.every((i) => i.finding.kind === 'quantity_mismatch')).toBe(true);
    m.clearFilters();
    m.toggleSeverity('info');
    expect(m.filtered.value.every((i) => i.finding.severity === 'info')).toBe(true);
    const company = m.companies.value[1]!;
    m.setFilters({ company: company.key });
    expect(m.filtered.value.length).toBeGreaterThan(0);
    expect(m.filtered.value.every((i) => i.companyKey === company.key && i.finding.severity === 'info')).toBe(true);
  });

  it('searches ids, messages and labels, all words must match', () => {
    const m = createFindingsModel(run);
    m.setFilters({ search: 'L00042' });
    expect(m.filtered.value.map((i) => i.finding.lineId)).toEqual(['L00042']);
    m.setFilters({ search: 'company 3 quantity' });
    expect(m.filtered.value.length).toBeGreaterThan(0);
    for (const i of m.filtered.value) for (const word of ['company', '3', 'quantity']) expect(haystackOf(i)).toContain(word);
    expect(m.filtered.value.length).toBeLessThan(m.items.length);
    m.setFilters({ search: 'no-such-thing-anywhere' });
    expect(m.filtered.value).toHaveLength(0);
    expect(m.rows.value).toHaveLength(0);
  });
});

describe('findings model: resolve, ignore, note, undo', () => {
  it('persists verdicts by fingerprint and undoes them step by step', async () => {
    const mem = createMemoryApi();
    const run = makeRun(30);
    const m = createFindingsModel(run, [], mem.api, fixedNow);
    const [a, b] = m.items;
    expect(m.counts.value.open).toBe(30);

    await m.resolve(a!.fp);
    await m.ignore(b!.fp);
    await m.setNote(a!.fp, '  checked with finance  ');
    expect(mem.resolutions.get(a!.fp)).toEqual({ fingerprint: a!.fp, status: 'resolved', note: 'checked with finance', updatedAt: fixedNow().toISOString() });
    expect(mem.resolutions.get(b!.fp)?.status).toBe('ignored');
    expect(m.counts.value).toMatchObject({ open: 28, resolved: 1, ignored: 1 });
    // the default filter shows open findings only
    expect(m.filtered.value.some((i) => i.fp === a!.fp)).toBe(false);
    m.setFilters({ resolved: 'resolved' });
    expect(m.filtered.value.map((i) => i.fp)).toEqual([a!.fp]);

    await m.undo(); // note
    expect(mem.resolutions.get(a!.fp)?.note).toBeUndefined();
    await m.undo(); // ignore
    expect(mem.resolutions.has(b!.fp)).toBe(false);
    await m.undo(); // resolve
    expect(mem.resolutions.has(a!.fp)).toBe(false);
    expect(m.canUndo.value).toBe(false);
    expect(m.counts.value.open).toBe(30);
  });

  it('keeps verdicts across runs: a new run of the same problems starts resolved', async () => {
    const mem = createMemoryApi();
    const first = createFindingsModel(makeRun(20, { id: 'r1' }), [], mem.api, fixedNow);
    await first.resolve(first.items[5]!.fp);
    const second = createFindingsModel(makeRun(20, { id: 'r2' }), await mem.api.listResolutions(), mem.api, fixedNow);
    expect(second.resolutions.value.get(first.items[5]!.fp)?.status).toBe('resolved');
    expect(second.counts.value.resolved).toBe(1);
  });

  it('counts a stored resolution whose status is open, with a note, as open and unreviewed', () => {
    const run = makeRun(6);
    const fps = createFindingsModel(run).items.map((i) => i.fp);
    const t = fixedNow().toISOString();
    const m = createFindingsModel(
      run,
      [
        { fingerprint: fps[0]!, status: 'open', note: 'asked the customer', updatedAt: t },
        { fingerprint: fps[1]!, status: 'resolved', updatedAt: t },
      ],
      undefined,
      fixedNow,
    );
    expect(m.counts.value).toMatchObject({ open: 5, resolved: 1, ignored: 0 });
    const reviewed = m.rows.value.reduce((n, r) => n + (r.type === 'company' ? r.reviewed : 0), 0);
    expect(reviewed).toBe(1);
    m.setFilters({ resolved: 'open' });
    expect(m.filtered.value.map((i) => i.fp)).toContain(fps[0]);
    expect(m.filtered.value.map((i) => i.fp)).not.toContain(fps[1]);
  });

  it('reopen keeps the note; clearing both removes the record', async () => {
    const mem = createMemoryApi();
    const m = createFindingsModel(makeRun(5), [], mem.api, fixedNow);
    const fp = m.items[0]!.fp;
    await m.ignore(fp);
    await m.setNote(fp, 'vendor credit pending');
    await m.reopen(fp);
    expect(mem.resolutions.get(fp)).toMatchObject({ note: 'vendor credit pending' });
    expect(mem.resolutions.get(fp)?.status).toBe('open');
    await m.setNote(fp, '');
    expect(mem.resolutions.has(fp)).toBe(false);
  });

  it('reports a failed save and keeps the change on screen', async () => {
    const m = createFindingsModel(makeRun(3), [], {
      putResolution: () => Promise.reject(new Error('quota exceeded')),
      deleteResolution: () => Promise.resolve(),
    });
    await m.resolve(m.items[0]!.fp);
    expect(m.error.value).toContain('quota exceeded');
  });
});

describe('run diff', () => {
  it('names findings added and gone between runs', () => {
    const prev = makeRun(50, { skip: [3, 4] });
    const cur = makeRun(50, { skip: [10] });
    const d = diffRuns(prev.report.findings, cur.report.findings);
    expect(d.added.map(findingFingerprint).sort()).toEqual([cur.report.findings.find((f) => f.message.includes('L00003'))!, cur.report.findings.find((f) => f.message.includes('L00004'))!].map(findingFingerprint).sort());
    expect(d.gone).toHaveLength(1);
    expect(d.gone[0]!.message).toContain('L00010');
    expect(d.kept).toBe(47);
  });
});

describe('coverage verdict', () => {
  const base = makeRun(0).report.coverage;
  it('never calls empty input clean', () => {
    expect(coverageVerdict({ ...base, linesRead: 0, linesCompared: 0 }, 0).status).toBe('empty');
    expect(coverageVerdict({ ...base, linesRead: 10, linesCompared: 0 }, 0).status).toBe('empty');
  });
  it('never calls partial input clean', () => {
    expect(coverageVerdict({ ...base, linesRead: 10, linesCompared: 10, cwComplete: false }, 0).status).toBe('partial');
    expect(
      coverageVerdict({ ...base, linesRead: 10, linesCompared: 9, skippedRows: [{ row: 3, message: 'bad date' }] }, 0).status,
    ).toBe('partial');
  });
  it('is clean only with compared lines, complete data and no open findings', () => {
    expect(coverageVerdict({ ...base, linesRead: 10, linesCompared: 10 }, 0).status).toBe('clean');
    expect(coverageVerdict({ ...base, linesRead: 10, linesCompared: 10 }, 2).status).toBe('issues');
  });
});

describe('links and words', () => {
  it('builds openrecord.rails links and refuses non-http origins', () => {
    const bases = { cwWebOrigin: 'https://na.myconnectwise.net/whatever', cwCompanyId: 'acme co' };
    const url = new URL(cwAgreementUrl(bases, 3021)!);
    expect(url.origin + url.pathname).toBe('https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails');
    expect(url.searchParams.get('recordType')).toBe('AgreementFV');
    expect(url.searchParams.get('recid')).toBe('3021');
    expect(url.searchParams.get('companyName')).toBe('acme co');
    expect(new URL(cwCompanyUrl(bases, 7)!).searchParams.get('recordType')).toBe('CompanyFV');
    expect(cwAgreementUrl({ cwWebOrigin: 'javascript:alert(1)' }, 1)).toBeNull();
    expect(platformUrl({ platformOrigin: 'https://demo.rethinkportal.com/x' })).toBe('https://demo.rethinkportal.com');
  });
  it('shows each system its own word for a field', () => {
    expect(fieldWords('effectiveDate')).toEqual({ platform: 'Charge Start Date', connectwise: 'Effective Date' });
    expect(fieldWords('cancelled_date')).toEqual({ platform: 'Charge End Date', connectwise: 'Cancelled Date' });
    expect(fieldWords('unitPrice')?.connectwise).toBe('Unit Price');
    expect(fieldWords(undefined)).toBeNull();
  });
});

describe('fingerprints from the background', () => {
  it('uses the fingerprints the background sent, index for index, and computes them otherwise', () => {
    const run = makeRun(4);
    const given = run.report.findings.map((f) => `bg:${findingFingerprint(f)}`);
    const m = createFindingsModel({ ...run, fingerprints: given });
    expect(m.items.map((i) => i.fp).sort()).toEqual([...given].sort());
    const mismatched = createFindingsModel({ ...run, fingerprints: given.slice(1) });
    expect(mismatched.items.map((i) => i.fp).sort()).toEqual(run.report.findings.map(findingFingerprint).sort());
  });
});

describe('bulk verdicts', () => {
  it('ignores every shown finding as one step, and one undo brings them all back', async () => {
    const mem = createMemoryApi();
    const m = createFindingsModel(makeRun(95), [], mem.api, fixedNow);
    m.toggleKind('orphan_addition');
    const shown = m.filtered.value.map((i) => i.fp);
    expect(shown.length).toBe(5);
    await m.markShown('ignored');
    expect(shown.every((fp) => mem.resolutions.get(fp)?.status === 'ignored')).toBe(true);
    expect(m.filtered.value).toHaveLength(0);
    expect(m.lastAction.value).toBe('Ignored: 5 findings');
    expect(m.counts.value.ignored).toBe(5);
    await m.undo();
    expect(shown.some((fp) => mem.resolutions.has(fp))).toBe(false);
    expect(m.filtered.value).toHaveLength(5);
    expect(m.canUndo.value).toBe(false);
  });
});
