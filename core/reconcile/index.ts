import {
  FINDING_KINDS,
  REPORT_SCHEMA,
  type CwAddition,
  type CwAgreement,
  type CwBundle,
  type Finding,
  type Match,
  type PlatformLine,
  type ReconcileConfig,
  type Report,
  type SkippedRow,
  type AgreementNotRead,
  type UnverifiedLine,
} from '../model';
import { moneyView, type MisplacedKind } from '../money/view';
import { withStakes } from '../money/stake';
import { chargeTypes } from '../rules/chargeTypes';
import { resolveConfig } from '../rules/config';
import { cwDirectory } from '../rules/directory';
import { organizationKey } from '../rules/subscriptions';
import { monthOf } from '../shared/dates';
import { planLines, type Expectation } from './expectations';
import * as F from './findings';
import { cancelledBefore, matchAll, type Pair } from './match';
import { misplacedFinding, pairFindings, reopenFinding, unmatchedFinding } from './compare';
import { referenceFindings } from './references';
import { inScope, invoiceMonths, readGapFor, scopeWindow, type ReadGap } from './scope';
import { agreementState, readStatesOf } from '../sources';
import type { ReportNames } from '../report/names';
import { agreementChecks, predictionFindings } from './checks';

export interface ReconcileInput {
  lines: PlatformLine[];
  bundle: CwBundle;
  config?: ReconcileConfig;
  skippedRows?: SkippedRow[];
  now: Date;
  /**
   * Whether to build the money view (default yes). A caller that shows only the findings (the
   * CLI's CSV without --money-csv) spares its cost; the JSON and text reports carry it.
   */
  money?: boolean;
}

/**
 * DESIGN §3: what ConnectWise must hold for the Platform's lines, what it holds, and every
 * difference with its fix. Pure and deterministic: the same inputs in any order give the same
 * report (findings and matches are sorted on their keys).
 */
export function reconcile(input: ReconcileInput): Report {
  const config = resolveConfig(input.config);
  const types = chargeTypes(config);
  const directory = cwDirectory(input.bundle, config.defaultAgreementType);
  const months = invoiceMonths(input.lines);
  const window = scopeWindow(months);
  const plan = planLines(input.lines, months, config, types, directory);
  const findings: Finding[] = [];
  const warnings: string[] = [];

  // DESIGN §3.5: what is judged missing, orphaned or duplicated follows each agreement's read state.
  const reads = readStatesOf(input.bundle);
  const byCompany = new Map<number, CwAgreement[]>();
  for (const a of input.bundle.agreements) {
    const list = byCompany.get(a.company.id);
    if (list) list.push(a);
    else byCompany.set(a.company.id, [a]);
  }
  const firstPartial = Object.entries(reads.agreements).find(([, state]) => state === 'partial')?.[0];
  const partialAgreement = firstPartial === undefined ? undefined : directory.agreement(Number(firstPartial));
  const known = {
    reads,
    listed: new Set(reads.companiesListed),
    agreementsOf: (id: number) => byCompany.get(id) ?? [],
    partial:
      firstPartial === undefined
        ? undefined
        : ({
            state: 'partial',
            agreementId: Number(firstPartial),
            ...(partialAgreement ? { agreement: partialAgreement.name, companyId: partialAgreement.company.id, company: directory.company(partialAgreement.company.id)?.name ?? partialAgreement.company.name } : {}),
          } as ReadGap),
  };
  const isRead = (agreementId: number) => agreementState(reads, agreementId) === 'read';

  const additions = input.bundle.additions;
  const scoped = window ? additions.filter((a) => inScope(a, window)) : [];
  const result = matchAll(plan.expectations, scoped, config.lineRefField, window ? cancelledBefore(additions, window.from) : []);

  const ctx = (exp: Expectation, agreement = exp.agreement): F.LineContext => ({
    line: exp.line,
    lineIds: exp.lineIds,
    agreement,
    companyId: exp.company?.id,
  });

  for (const pair of result.matched) for (const f of pairFindings(pair, ctx(pair.exp))) findings.push(f);
  for (const pair of result.reopen) findings.push(reopenFinding(pair, ctx(pair.exp)));
  // The money view explains each misplaced line's gap by the finding it gave.
  const misplaced: { exp: Expectation; addition: CwAddition; kind: MisplacedKind }[] = [];
  for (const pair of result.misplaced) {
    const finding = misplacedFinding(pair, ctx(pair.exp), directory, reads.companies);
    findings.push(finding);
    misplaced.push({ ...pair, kind: finding.kind as MisplacedKind });
  }
  const missing = new Set<Expectation>();
  const unverified = new Map<Expectation, ReadGap>();
  for (const exp of result.unmatched) {
    const gap = readGapFor(exp, known);
    if (gap) {
      unverified.set(exp, gap);
      continue;
    }
    missing.add(exp);
    const finding = unmatchedFinding(exp, ctx(exp), directory, reads.companies);
    if (finding) findings.push(finding);
  }
  const duplicates = result.duplicates.filter((dup) => isRead(dup.addition.agreementId));
  for (const dup of duplicates) {
    findings.push(F.duplicateAddition(dup.addition, dup.pair.addition, ctx(dup.pair.exp), directory.agreement(dup.addition.agreementId)));
  }
  const orphans = result.leftovers.filter((addition) => isRead(addition.agreementId));
  for (const addition of orphans) findings.push(F.orphanAddition(addition, directory.agreement(addition.agreementId)));

  // Lines not compared still predict what the sync will do (DESIGN §3.4); agreement checks cover both.
  // A company whose agreements were not all listed (pages alone) cannot be said to lack one.
  const predictDirectory = { ...directory, agreementNameUnknown: (company: Parameters<typeof directory.agreementNameUnknown>[0], name: string | undefined) => known.listed.has(company.id) && directory.agreementNameUnknown(company, name) };
  const predicted = predictionFindings(plan, predictDirectory, reads.companies);
  // One by one, not spread: a spread's cost is the call stack, and these grow with the input.
  for (const f of predicted.findings) findings.push(f);
  for (const f of agreementChecks(plan.expectations, predicted.predicted)) findings.push(f);

  for (const f of referenceFindings({ lines: input.lines, expectations: plan.expectations, bundle: input.bundle, config, companyOf: plan.companyOf })) findings.push(f);

  for (const { line, values } of plan.oneTime) {
    if (values.cancelledDate !== null && monthOf(values.cancelledDate) !== monthOf(values.effectiveDate)) {
      const company = plan.companyOf(line);
      findings.push(F.correctionSpansPeriods({ line, companyId: company?.id }, values.effectiveDate, values.cancelledDate));
    }
  }
  if (plan.months.lastMonth && plan.months.incompleteOrgs.size > 0) {
    const firstLine = new Map<string, PlatformLine>();
    for (const l of input.lines) if (!l.excluded && !firstLine.has(organizationKey(l))) firstLine.set(organizationKey(l), l);
    for (const [key, name] of plan.months.incompleteOrgs) {
      const line = firstLine.get(key);
      const company = line ? plan.companyOf(line) : undefined;
      findings.push(F.monthIncomplete(name, plan.months.lastMonth, company?.id));
    }
  }

  if (input.lines.length === 0) warnings.push('No Platform invoice lines were read: nothing was compared, so nothing is known to be in order.');
  if (input.lines.length > 0 && plan.expectations.length === 0) warnings.push('No line is Synced: nothing was compared with ConnectWise.');
  if (additions.length === 0 && plan.expectations.length > 0) warnings.push('The ConnectWise data holds no Additions at all: check that the right agreements were loaded.');
  const notRead = readGaps(reads, unverified, directory);
  const unverifiedLines = [...unverified].map(([exp, gap]) => unverifiedLine(exp, gap)).sort((a, b) => cmp(a.lineId, b.lineId));
  const partlyRead = notRead.filter((g) => g.state === 'partial');
  const cwComplete = partlyRead.length === 0 && unverifiedLines.length === 0;
  if (partlyRead.length) {
    warnings.push(
      `ConnectWise data is partial: the Additions of ${partlyRead.length} agreement(s) (${partlyRead.map((g) => (g.agreementId !== undefined ? `#${g.agreementId}` : g.agreement)).join(', ')}) were read only in part; nothing there is reported missing, orphaned or duplicated.`,
    );
  }
  if (unverifiedLines.length) {
    warnings.push(`${unverifiedLines.length} compared line(s) are unverified: an agreement that could hold their Addition was not read (see agreementsNotRead); they are not reported missing.`);
  }
  for (const label of plan.unknownLabels) {
    warnings.push(`Charge Type ${JSON.stringify(label)} matches no charge type or Custom Charge Type Name; its lines are treated as one-time.`);
  }
  const skipped = input.skippedRows ?? [];
  if (skipped.length) warnings.push(`${skipped.length} row(s) could not be read and were skipped; see skippedRows.`);

  const linesSkipped: Record<string, number> = { ...plan.skipped };
  if (skipped.length) linesSkipped.invalid = skipped.length;

  const sorted = withStakes(sortFindings(findings), input.lines, input.bundle);
  const money = input.money === false ? undefined : moneyFor(months, { ...result, duplicates, misplaced }, missing, orphans, directory, types, plan.months, new Set(unverified.keys()));
  const matches: Match[] = result.matched.map(toMatch).sort((a, b) => cmp(a.lineId, b.lineId) || a.additionId - b.additionId);
  return {
    schema: REPORT_SCHEMA,
    generatedAt: input.now.toISOString(),
    window: { from: window?.from ?? null, to: window?.to ?? null },
    coverage: {
      linesRead: input.lines.length + skipped.length,
      linesCompared: plan.expectations.length,
      linesSkipped: sortKeys(linesSkipped),
      additionsRead: additions.length,
      additionsInScope: scoped.length,
      additionsMatched: result.matched.length,
      cwComplete,
      invoiceMonths: months,
      skippedRows: [...skipped].sort((a, b) => cmp(a.file ?? '', b.file ?? '') || a.row - b.row),
      warnings,
      agreementsNotRead: notRead,
      unverified: unverifiedLines,
    },
    findings: sorted,
    matches,
    names: namesFor(sorted, money?.rows ?? [], directory),
    ...(money ? { money } : {}),
  };
}

/** The money view over this run's pairs; expectations carry their covered lines. */
function moneyFor(
  months: string[],
  result: Omit<ReturnType<typeof matchAll>, 'misplaced'> & { misplaced: { exp: Expectation; addition: CwAddition; kind: MisplacedKind }[] },
  missing: Set<Expectation>,
  orphans: CwAddition[],
  directory: ReturnType<typeof cwDirectory>,
  types: ReturnType<typeof chargeTypes>,
  facts: ReturnType<typeof planLines>['months'],
  unverified: Set<Expectation>,
) {
  return moneyView({
    months,
    // A reopened subscription's Addition is its pair: its Cancelled Date explains the gap.
    matched: [...result.matched, ...result.reopen],
    misplaced: result.misplaced,
    unmatched: result.unmatched,
    duplicates: result.duplicates.map((d) => d.addition),
    orphans,
    missing,
    unverified,
    agreement: (id) => directory.agreement(id),
    types,
    lastMonth: facts.lastMonth,
    incomplete: (line) => facts.incompleteOrgs.get(organizationKey(line)),
  });
}

function gapName(gap: ReadGap): string {
  if (gap.agreementId !== undefined) return `Agreement "${gap.agreement ?? ''}" (#${gap.agreementId})${gap.company ? ` of Company "${gap.company}"` : ''}`;
  if (gap.companyId !== undefined) return `the Agreement ${gap.agreement ? `"${gap.agreement}"` : 'the line lands on (default Agreement Type)'} of Company "${gap.company ?? ''}", which the data given does not hold`;
  return `the Agreements of Company "${gap.company ?? ''}", which the data given does not hold`;
}

/** What to do so the next run can judge what this gap left unverified. */
function gapFix(gap: ReadGap): string {
  if (gap.state === 'partial') {
    return `Read ${gapName(gap)} again: capture its Additions tab in ConnectWise until every row is read, or pull again through the API. Do not re-sync the lines.`;
  }
  return `Capture the Additions tab of ${gapName(gap)} in ConnectWise, or pull through the API. Do not re-sync the lines.`;
}

function unverifiedLine(exp: Expectation, gap: ReadGap): UnverifiedLine {
  const out: UnverifiedLine = {
    lineId: exp.line.lineId,
    organization: exp.line.organization,
    state: gap.state,
    message: `No Addition was found for invoice line ${exp.line.lineId}, but ${gapName(gap)} was ${gap.state === 'partial' ? 'read only in part' : 'not read'}; it may hold it, so the line is not reported missing.`,
  };
  if (exp.lineIds.length > 1) out.lineIds = exp.lineIds;
  if (gap.agreementId !== undefined) out.agreementId = gap.agreementId;
  if (gap.agreement !== undefined) out.agreement = gap.agreement;
  if (gap.companyId !== undefined) out.companyId = gap.companyId;
  if (gap.company !== undefined) out.company = gap.company;
  return out;
}

/**
 * The agreements not read whole: every partly read one in the data, and every one compared lines
 * wait for, each with the number of lines it left unverified and what to do.
 */
function readGaps(reads: ReturnType<typeof readStatesOf>, unverified: Map<Expectation, ReadGap>, directory: ReturnType<typeof cwDirectory>): AgreementNotRead[] {
  const gaps = new Map<string, { gap: ReadGap; lines: number }>();
  const keyOf = (g: ReadGap) => (g.agreementId !== undefined ? `#${g.agreementId}` : `${g.companyId ?? g.company ?? ''}|${g.agreement ?? ''}`);
  for (const [id, state] of Object.entries(reads.agreements)) {
    if (state !== 'partial') continue;
    const agreement = directory.agreement(Number(id));
    const gap: ReadGap = { state, agreementId: Number(id) };
    if (agreement) {
      gap.agreement = agreement.name;
      gap.companyId = agreement.company.id;
      const company = directory.company(agreement.company.id)?.name ?? agreement.company.name;
      if (company) gap.company = company;
    }
    gaps.set(keyOf(gap), { gap, lines: 0 });
  }
  for (const gap of unverified.values()) {
    const entry = gaps.get(keyOf(gap));
    if (entry) entry.lines++;
    else gaps.set(keyOf(gap), { gap, lines: 1 });
  }
  return [...gaps.values()]
    .map(({ gap, lines }) => {
      const out: AgreementNotRead = { state: gap.state, lines, fix: gapFix(gap) };
      if (gap.agreementId !== undefined) out.agreementId = gap.agreementId;
      if (gap.agreement !== undefined) out.agreement = gap.agreement;
      if (gap.companyId !== undefined) out.companyId = gap.companyId;
      if (gap.company !== undefined) out.company = gap.company;
      return out;
    })
    .sort((a, b) => (a.agreementId ?? Infinity) - (b.agreementId ?? Infinity) || cmp(a.company ?? '', b.company ?? '') || cmp(a.agreement ?? '', b.agreement ?? ''));
}

/** Display names of the companies and agreements findings mention, for the text rendering. */
function namesFor(findings: readonly Finding[], rows: readonly Pick<Finding, 'companyId' | 'agreementId'>[], directory: ReturnType<typeof cwDirectory>): ReportNames {
  const companies: Record<string, string> = {};
  const agreements: Record<string, string> = {};
  const name = (f: Pick<Finding, 'companyId' | 'agreementId'>) => {
    if (f.companyId !== undefined) {
      const company = directory.company(f.companyId);
      if (company) companies[f.companyId] = company.name;
    }
    if (f.agreementId !== undefined) {
      const agreement = directory.agreement(f.agreementId);
      if (agreement) agreements[f.agreementId] = agreement.name;
    }
  };
  for (const f of findings) name(f);
  for (const r of rows) name(r);
  return { companies: sortKeys(companies), agreements: sortKeys(agreements) };
}

function toMatch(pair: Pair): Match {
  const match: Match = { lineId: pair.exp.line.lineId, additionId: pair.addition.id, agreementId: pair.addition.agreementId };
  if (pair.exp.lineIds.length > 1) match.lineIds = pair.exp.lineIds;
  return match;
}

const KIND_ORDER = new Map(FINDING_KINDS.map((k, i) => [k, i]));

/** Kind order of the taxonomy, then the kind's key, then the field: stable across input orders. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) ||
      cmp(a.lineId ?? '', b.lineId ?? '') ||
      (a.additionId ?? 0) - (b.additionId ?? 0) ||
      (a.agreementId ?? 0) - (b.agreementId ?? 0) ||
      cmp(a.organization ?? '', b.organization ?? '') ||
      cmp(a.productIdentifier ?? '', b.productIdentifier ?? '') ||
      cmp(a.field ?? '', b.field ?? '') ||
      cmp(a.message, b.message),
  );
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => cmp(a, b)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
