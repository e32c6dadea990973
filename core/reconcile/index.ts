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
} from '../model';
import { moneyView } from '../money/view';
import { chargeTypes } from '../rules/chargeTypes';
import { resolveConfig } from '../rules/config';
import { cwDirectory } from '../rules/directory';
import { unitPriceMatches } from '../rules/expected';
import { organizationKey } from '../rules/subscriptions';
import { monthOf } from '../shared/dates';
import { compactKey, isBlank, nameKey } from '../shared/text';
import { planLines, type Expectation } from './expectations';
import * as F from './findings';
import { matchAll, type Pair } from './match';
import { referenceFindings } from './references';
import { cancelledOf, effectiveOf, inScope, invoiceMonths, scopeWindow } from './scope';
import type { ReportNames } from '../report/names';
import { carriesLabel } from './tokens';

export interface ReconcileInput {
  lines: PlatformLine[];
  bundle: CwBundle;
  config?: ReconcileConfig;
  skippedRows?: SkippedRow[];
  now: Date;
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

  const cwComplete = input.bundle.complete !== false;
  const incompleteIds = new Set(input.bundle.incompleteAgreementIds ?? []);
  // A partial pull without a list of what was cut short may have missed anything.
  const unread = (agreement: CwAgreement | undefined) =>
    !cwComplete && (incompleteIds.size === 0 || agreement === undefined || incompleteIds.has(agreement.id));

  const additions = input.bundle.additions;
  const scoped = window ? additions.filter((a) => inScope(a, window)) : [];
  const result = matchAll(plan.expectations, scoped, config.lineRefField);

  const ctx = (exp: Expectation, agreement = exp.agreement): F.LineContext => ({
    line: exp.line,
    lineIds: exp.lineIds,
    agreement,
    companyId: exp.company?.id,
  });

  for (const pair of result.matched) findings.push(...compareFields(pair, ctx(pair.exp)));
  for (const pair of result.misplaced) {
    findings.push(F.wrongAgreement(ctx(pair.exp), pair.addition, directory.agreement(pair.addition.agreementId)));
  }
  const missing = new Set<Expectation>();
  for (const exp of result.unmatched) {
    if (unread(exp.agreement)) continue;
    missing.add(exp);
    findings.push(F.missingAddition(ctx(exp)));
  }
  for (const dup of result.duplicates) {
    findings.push(F.duplicateAddition(dup.addition, dup.pair.addition, ctx(dup.pair.exp), directory.agreement(dup.addition.agreementId)));
  }
  const orphans = result.leftovers.filter((addition) => !unread(directory.agreement(addition.agreementId)));
  for (const addition of orphans) findings.push(F.orphanAddition(addition, directory.agreement(addition.agreementId)));

  // Agreement checks: once per agreement that compared lines expect.
  const byAgreement = new Map<number, { agreement: CwAgreement; lineIds: string[] }>();
  for (const exp of plan.expectations) {
    if (!exp.agreement) continue;
    const entry = byAgreement.get(exp.agreement.id);
    if (entry) entry.lineIds.push(exp.line.lineId);
    else byAgreement.set(exp.agreement.id, { agreement: exp.agreement, lineIds: [exp.line.lineId] });
    const currency = agreementCurrency(exp.agreement);
    if (!isBlank(exp.line.currency) && currency !== undefined && nameKey(currency) !== nameKey(exp.line.currency)) {
      findings.push(F.currencyMismatch(ctx(exp), currency));
    }
  }
  for (const { agreement, lineIds } of byAgreement.values()) {
    const ids = [...lineIds].sort();
    if (!isBlank(agreement.agreementStatus) && compactKey(agreement.agreementStatus) !== 'active') findings.push(F.agreementNotActive(agreement, ids));
    if (!isBlank(agreement.billProducts) && compactKey(agreement.billProducts) !== 'billable') findings.push(F.agreementNotBillable(agreement, ids));
  }

  findings.push(...referenceFindings({ lines: input.lines, expectations: plan.expectations, bundle: input.bundle, config, companyOf: plan.companyOf }));

  // Lines not compared still predict what the sync will do (DESIGN §3.4).
  for (const p of plan.predictions) {
    const lc: F.LineContext = { line: p.line, companyId: p.company?.id };
    if (p.line.status === 'Error' || p.line.status === 'Response Error') {
      findings.push(F.syncFailed(lc));
      continue;
    }
    if (isBlank(p.line.psaOrganizationName)) findings.push(F.unmappedOrganization(lc));
    if (isBlank(p.line.psaProductName)) findings.push(F.unmappedProduct(lc));
    if (isBlank(p.line.psaOrganizationName)) continue;
    if (isBlank(p.line.psaAgreementName)) {
      const key = p.company ? `#${p.company.id}` : `n:${nameKey(p.line.psaOrganizationName)}`;
      const orgs = plan.orgsPerCompany.get(key)?.size ?? 0;
      if (orgs > 1) findings.push(F.agreementRequired(lc, orgs));
    } else if (p.company && directory.agreementNameUnknown(p.company, p.line.psaAgreementName)) {
      findings.push(F.agreementNotFound(lc));
    }
  }
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
  if (!cwComplete) {
    warnings.push(
      incompleteIds.size
        ? `ConnectWise data is partial: Additions of agreement(s) ${[...incompleteIds].sort((a, b) => a - b).join(', ')} were not fully read; nothing there is reported missing or orphaned.`
        : 'ConnectWise data is partial (complete: false): no Addition is reported missing or orphaned.',
    );
  }
  for (const label of plan.unknownLabels) {
    warnings.push(`Charge Type ${JSON.stringify(label)} matches no charge type or Custom Charge Type Name; its lines are treated as one-time.`);
  }
  const skipped = input.skippedRows ?? [];
  if (skipped.length) warnings.push(`${skipped.length} row(s) could not be read and were skipped; see skippedRows.`);

  const linesSkipped: Record<string, number> = { ...plan.skipped };
  if (skipped.length) linesSkipped.invalid = skipped.length;

  const sorted = sortFindings(findings);
  const money = moneyFor(months, result, missing, orphans, directory, types, plan.months);
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
    },
    findings: sorted,
    matches,
    names: namesFor([...sorted, ...money.rows.map((r) => ({ companyId: r.companyId, agreementId: r.agreementId }))], directory),
    money,
  };
}

/** The money view over this run's pairs (issue 8); expectations carry their covered lines. */
function moneyFor(
  months: string[],
  result: ReturnType<typeof matchAll>,
  missing: Set<Expectation>,
  orphans: CwAddition[],
  directory: ReturnType<typeof cwDirectory>,
  types: ReturnType<typeof chargeTypes>,
  facts: ReturnType<typeof planLines>['months'],
) {
  return moneyView({
    months,
    matched: result.matched,
    misplaced: result.misplaced,
    unmatched: result.unmatched,
    duplicates: result.duplicates.map((d) => d.addition),
    orphans,
    missing,
    agreement: (id) => directory.agreement(id),
    types,
    lastMonth: facts.lastMonth,
    incomplete: (line) => facts.incompleteOrgs.get(organizationKey(line)),
  });
}

/** Display names of the companies and agreements findings mention, for the text rendering. */
function namesFor(findings: Pick<Finding, 'companyId' | 'agreementId'>[], directory: ReturnType<typeof cwDirectory>): ReportNames {
  const companies: Record<string, string> = {};
  const agreements: Record<string, string> = {};
  for (const f of findings) {
    if (f.companyId !== undefined) {
      const company = directory.company(f.companyId);
      if (company) companies[f.companyId] = company.name;
    }
    if (f.agreementId !== undefined) {
      const agreement = directory.agreement(f.agreementId);
      if (agreement) agreements[f.agreementId] = agreement.name;
    }
  }
  return { companies: sortKeys(companies), agreements: sortKeys(agreements) };
}

function compareFields(pair: Pair, ctx: F.LineContext): Finding[] {
  const { exp, addition } = pair;
  const v = exp.values;
  const out: Finding[] = [];
  const effective = effectiveOf(addition);
  if (effective !== v.effectiveDate) out.push(F.fieldMismatch('effectiveDate', ctx, addition, v.effectiveDate, effective));
  const cancelled = cancelledOf(addition);
  if (cancelled !== v.cancelledDate) {
    const note = exp.ended ? ' (the subscription has no line in the last loaded month, so it ended)' : '';
    out.push(F.fieldMismatch('cancelledDate', ctx, addition, v.cancelledDate, cancelled, note));
  }
  if (Math.abs(addition.quantity - v.quantity) > 1e-9) out.push(F.fieldMismatch('quantity', ctx, addition, v.quantity, addition.quantity));
  const price = addition.unitPrice ?? null;
  if (price === null || !unitPriceMatches(price, v, exp.line.currency)) {
    out.push(F.fieldMismatch('unitPrice', ctx, addition, roundForShow(v.unitPrice), price));
  }
  if (!carriesLabel(addition.description, addition.invoiceDescription, v.description)) {
    out.push(F.fieldMismatch('description', ctx, addition, v.description, addition.description ?? null));
  }
  return out;
}

function agreementCurrency(agreement: CwAgreement): string | undefined {
  const c = agreement.currency;
  const code = c?.currencyCode ?? c?.currencyIdentifier;
  return isBlank(code) ? undefined : code;
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

function roundForShow(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => cmp(a, b)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
