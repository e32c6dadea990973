// @vitest-environment node
/**
 * One answer on every path (DESIGN §3.5): a generated month with every plantable fault,
 * reconciled by `recon reconcile` over (a) the CSV and the bundle, (b) saved Additions pages of
 * every agreement plus the bundle without Additions, (e) a bundle pulled through the local API
 * while one agreement's Additions fail, and one saved page alone. Where a path cannot see a kind,
 * `PATH_LIMITS` (core/sources/paths.ts) says so; nothing else may differ.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import reconcileCommand from '../../../bin/commands/reconcile';
import { createCwClient, pullBundle } from '../../../core/connectwise';
import { formatLinesCsv } from '../../../core/ingest';
import type { CwBundle, Finding, Report } from '../../../core/model';
import { PATH_LIMITS, seenOn, type CwPath } from '../../../core/sources/paths';
import { generateScenario, type Scenario } from '../../generator';
import { renderSitePage } from '../../sandbox/sites';
import { DEFAULT_CREDENTIALS, startSandbox } from '../../sandbox/server';

const NOW = '2026-11-25T00:00:00Z';
const CW_RECORD = 'https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?recordType=AgreementFV';

let dir: string;
let scenario: Scenario;
let pages: Map<number, string>;
let a: Report;

/**
 * A finding's identity on a path. Without ConnectWise's Addition ids (pages), an Addition-keyed
 * finding is known by its agreement and product instead.
 */
function keyOn(path: CwPath) {
  const ids = PATH_LIMITS[path].additionIds;
  return (f: Finding) => {
    const subject = f.lineId ?? (f.additionId !== undefined ? (ids ? `#${f.additionId}` : `${f.agreementId}/${f.productIdentifier}`) : (f.agreementId ?? f.organization));
    return `${f.kind} ${subject}${f.field ? ` ${f.field}` : ''}`;
  };
}

async function recon(...cw: string[]): Promise<Report> {
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const code = await reconcileCommand(['--lines', join(dir, 'lines.csv'), '--cw', ...cw, '--config', join(dir, 'config.json'), '--now', NOW, '--out', out]);
  expect(code).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Report;
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Additions per agreement, busiest first: the agreements many lines expect. */
function busiest(bundle: CwBundle): number[] {
  const counts = new Map<number, number>();
  for (const x of bundle.additions) counts.set(x.agreementId, (counts.get(x.agreementId) ?? 0) + 1);
  return [...counts].sort((p, q) => q[1] - p[1] || p[0] - q[0]).map(([id]) => id);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'recon-paths-'));
  scenario = generateScenario({ seed: 11, faults: 'all' });
  write('lines.csv', formatLinesCsv(scenario.lines));
  write('config.json', JSON.stringify(scenario.config));
  write('cw.json', JSON.stringify(scenario.bundle));
  const data = { lines: scenario.lines, bundle: scenario.bundle };
  pages = new Map();
  for (const agreement of scenario.bundle.agreements) {
    const url = `${CW_RECORD}&recid=${agreement.id}`;
    // static=1: rows in the served HTML, as a saved page holds them; no record ids, as the list view shows none.
    const html = renderSitePage(data, `${url}&static=1`).body;
    pages.set(agreement.id, write(`agreement-${agreement.id}.html`, `<!-- saved from url=(${String(url.length).padStart(4, '0')})${url} -->\n${html}`));
  }
  a = await recon(join(dir, 'cw.json'));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one generated month on every path', () => {
  it('(a) the CSV and the bundle give exactly the planted faults', () => {
    const key = (f: { kind: string; lineId?: string; additionId?: number; agreementId?: number; organization?: string }) =>
      `${f.kind} ${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}`;
    expect(a.findings.length).toBeGreaterThan(15);
    expect(a.findings.map(key).sort()).toEqual(scenario.planted.map(key).sort());
    expect(a.coverage.cwComplete).toBe(true);
    expect(a.coverage.unverified).toEqual([]);
  });

  it('(b) saved pages of every agreement plus the bundle without Additions give (a), less what pages cannot show', async () => {
    const agreementsOnly: CwBundle = {
      ...scenario.bundle,
      additions: [],
      // Nothing about Additions was read in this file: every agreement waits for its page.
      complete: false,
      incompleteAgreementIds: scenario.bundle.agreements.map((x) => x.id).sort((p, q) => p - q),
    };
    const b = await recon(write('agreements.json', JSON.stringify(agreementsOnly)), ...pages.values());
    const key = keyOn('pages+bundle');
    expect(b.findings.map(key).sort()).toEqual(seenOn('pages+bundle', a.findings).map(key).sort());
    expect(b.coverage.unverified).toEqual([]);
    expect(b.coverage.cwComplete).toBe(true);
  }, 180_000);

  it('(e) a pull with one agreement failing gives (a) less what that agreement hides, which is unverified', async () => {
    const victim = busiest(scenario.bundle)[0]!;
    const sandbox = await startSandbox({ bundle: scenario.bundle, faults: { rules: [{ kind: 'server-error', status: 503, match: `/finance/agreements/${victim}/additions` }] } });
    let pulled: CwBundle;
    try {
      const client = createCwClient({ site: sandbox.url, ...DEFAULT_CREDENTIALS, sleep: async () => undefined, random: () => 0.5, retry: { retries: 1 } });
      pulled = await pullBundle(client, { now: new Date(NOW) });
    } finally {
      await sandbox.close();
    }
    expect(pulled.incompleteAgreementIds).toEqual([victim]);
    const e = await recon(write('partial.json', JSON.stringify(pulled)));

    const onVictim = new Set(scenario.bundle.additions.filter((x) => x.agreementId === victim).map((x) => x.id));
    // Lines whose Addition the full data found on the victim, or found nowhere: the victim may hold them.
    const waiting = new Set([
      ...a.matches!.filter((m) => m.agreementId === victim).map((m) => m.lineId),
      ...a.findings.filter((f) => f.kind === 'missing_addition' || (f.kind === 'wrong_agreement' && f.agreementId === victim)).map((f) => f.lineId!),
    ]);
    const hidden = (f: Finding) => (f.additionId !== undefined && onVictim.has(f.additionId)) || (f.lineId !== undefined && waiting.has(f.lineId) && f.kind !== 'currency_mismatch' && f.kind !== 'correction_spans_periods');
    const key = keyOn('bundle');
    expect(waiting.size).toBeGreaterThan(1);
    expect(e.findings.map(key).sort()).toEqual(a.findings.filter((f) => !hidden(f)).map(key).sort());
    expect(e.findings.filter((f) => f.kind === 'missing_addition')).toEqual([]);
    expect(e.coverage.unverified!.map((u) => u.lineId).sort()).toEqual([...waiting].sort());
    expect(e.coverage.unverified!.every((u) => u.agreementId === victim && u.state === 'partial')).toBe(true);
    expect(e.coverage.agreementsNotRead).toEqual([expect.objectContaining({ agreementId: victim, state: 'partial', lines: waiting.size })]);
    expect(e.coverage.cwComplete).toBe(false);
  }, 180_000);

  it('one saved page alone gives findings only on its agreement, and the rest unverified', async () => {
    const only = busiest(scenario.bundle)[0]!;
    const one = await recon(pages.get(only)!);
    const aboutCw = one.findings.filter((f) => f.agreementId !== undefined || f.additionId !== undefined);
    expect(aboutCw.length).toBeGreaterThan(0);
    expect(aboutCw.every((f) => f.agreementId === only)).toBe(true);
    // Missing on the page's agreement: what (a) calls missing there, and the lines whose Addition
    // (a) found on another agreement, which one page cannot show.
    const expectedMissing = a.findings
      .filter((f) => (f.kind === 'missing_addition' && f.agreementId === only) || (f.kind === 'wrong_agreement' && f.related?.agreementIds?.includes(only)))
      .map((f) => f.lineId!)
      .sort();
    expect(one.findings.filter((f) => f.kind === 'missing_addition').map((f) => f.lineId!).sort()).toEqual(expectedMissing);
    // Every line (a) matched elsewhere waits for its agreement.
    const elsewhere = a.matches!.filter((m) => m.agreementId !== only).map((m) => m.lineId);
    const unverified = new Set(one.coverage.unverified!.map((u) => u.lineId));
    expect(elsewhere.length).toBeGreaterThan(5);
    expect(elsewhere.filter((id) => !unverified.has(id))).toEqual([]);
  }, 180_000);
});

describe('the one table of what a path cannot see', () => {
  const status = { kind: 'agreement_not_active', agreementId: 3039 } as const;
  const missing = { kind: 'missing_addition', lineId: 'L1', agreementId: 3039 } as const;

  it('pages alone drop the agreement-status finding, unless their list had the Agreement Status column', () => {
    expect(PATH_LIMITS.pages.unseen).toContain('agreement_not_active');
    expect(seenOn('pages', [status, missing]).map((f) => f.kind)).toEqual(['missing_addition']);
    const column = PATH_LIMITS.pages.shownWithColumn?.agreement_not_active;
    expect(column).toBe('agreementStatus');
    expect(seenOn('pages', [status, missing], [column!]).map((f) => f.kind)).toEqual(['agreement_not_active', 'missing_addition']);
  });
});
