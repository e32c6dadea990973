import type { CwAgreement, Finding, PlatformLine } from '../model';
import type { CwDirectory } from '../rules/directory';
import { isoDatePart } from '../shared/dates';
import { compactKey, isBlank, nameKey } from '../shared/text';
import type { Expectation, LinePlan } from './expectations';
import * as F from './findings';

/**
 * The agreement currency a line must carry (DESIGN §3.3): `currencyCode`, or `currencyIdentifier`
 * when the code is absent or blank (an empty string must fall through, not hide the identifier).
 */
export function agreementCurrency(agreement: CwAgreement): string | undefined {
  const c = agreement.currency;
  if (!isBlank(c?.currencyCode)) return c!.currencyCode!.trim();
  if (!isBlank(c?.currencyIdentifier)) return c!.currencyIdentifier!.trim();
  return undefined;
}

/** An agreement's end date when it has one (a "No End Date" flag or an empty date means open). */
export function agreementEnd(agreement: CwAgreement): string | null {
  if (agreement.noEndingDateFlag) return null;
  return isoDatePart(agreement.endDate);
}

interface AgreementUse {
  agreement: CwAgreement;
  /** Lines of compared expectations (the named line of each). */
  compared: string[];
  /** Lines not compared: their findings are predictions, warnings only. */
  predicted: string[];
  /** The lines whose Charge Start Date falls after the agreement's end date. */
  afterEnd: string[];
  afterEndCompared: boolean;
  /** Earliest Charge Start Date after the end, for the message. */
  firstAfterEnd?: string;
}

/**
 * Currency per line, and status, billing and end date per agreement, for compared lines (errors)
 * and lines not compared yet (warnings: what will go wrong once they sync, DESIGN §3.4 and §3.6).
 */
export function agreementChecks(
  expectations: readonly Expectation[],
  predicted: readonly { line: PlatformLine; agreement?: CwAgreement; companyId?: number }[],
): Finding[] {
  const findings: Finding[] = [];
  const uses = new Map<number, AgreementUse>();
  const use = (agreement: CwAgreement, line: PlatformLine, compared: boolean) => {
    let u = uses.get(agreement.id);
    if (!u) uses.set(agreement.id, (u = { agreement, compared: [], predicted: [], afterEnd: [], afterEndCompared: false }));
    (compared ? u.compared : u.predicted).push(line.lineId);
    const end = agreementEnd(agreement);
    if (end !== null && line.chargeStartDate > end) {
      u.afterEnd.push(line.lineId);
      if (compared) u.afterEndCompared = true;
      if (u.firstAfterEnd === undefined || line.chargeStartDate < u.firstAfterEnd) u.firstAfterEnd = line.chargeStartDate;
    }
  };
  // A month repeats a few currency spellings on every line: each is keyed once.
  const keys = new Map<string, string>();
  const keyOf = (code: string) => {
    let key = keys.get(code);
    if (key === undefined) keys.set(code, (key = nameKey(code)));
    return key;
  };
  const differs = (line: PlatformLine, agreement: CwAgreement): string | undefined => {
    const code = agreementCurrency(agreement);
    return !isBlank(line.currency) && code !== undefined && keyOf(code) !== keyOf(line.currency) ? code : undefined;
  };
  for (const exp of expectations) {
    if (!exp.agreement) continue;
    use(exp.agreement, exp.line, true);
    const code = differs(exp.line, exp.agreement);
    if (code !== undefined) findings.push(F.currencyMismatch({ line: exp.line, lineIds: exp.lineIds, agreement: exp.agreement, companyId: exp.company?.id }, code, false));
  }
  for (const p of predicted) {
    if (!p.agreement) continue;
    use(p.agreement, p.line, false);
    const code = differs(p.line, p.agreement);
    if (code !== undefined) findings.push(F.currencyMismatch({ line: p.line, agreement: p.agreement, companyId: p.companyId }, code, true));
  }
  for (const u of uses.values()) {
    const { agreement } = u;
    const prediction = u.compared.length === 0;
    const notActive = !isBlank(agreement.agreementStatus) && compactKey(agreement.agreementStatus) !== 'active';
    const notBillable = !isBlank(agreement.billProducts) && compactKey(agreement.billProducts) !== 'billable';
    // The lines are listed only for an agreement that gives a finding.
    const ids = notActive || notBillable ? [...u.compared, ...u.predicted].sort() : [];
    if (notActive) findings.push(F.agreementNotActive(agreement, ids, prediction));
    if (notBillable) findings.push(F.agreementNotBillable(agreement, ids, prediction));
    if (u.afterEnd.length > 0) findings.push(F.agreementEnded(agreement, [...u.afterEnd].sort(), u.firstAfterEnd!, !u.afterEndCompared));
  }
  return findings;
}

/**
 * What lines not compared with ConnectWise predict (DESIGN §3.4): failed syncs, missing mappings,
 * a company or agreement the mapping names but ConnectWise lacks. Agreement-level predictions are
 * made by `agreementChecks` from the agreements returned here.
 */
export function predictionFindings(
  plan: LinePlan,
  directory: CwDirectory,
  companiesComplete: boolean,
): { findings: Finding[]; predicted: { line: PlatformLine; agreement?: CwAgreement; companyId?: number }[] } {
  const findings: Finding[] = [];
  const predicted: { line: PlatformLine; agreement?: CwAgreement; companyId?: number }[] = [];
  for (const p of plan.predictions) {
    const lc: F.LineContext = { line: p.line, companyId: p.company?.id };
    if (p.line.status === 'Error' || p.line.status === 'Response Error') findings.push(F.syncFailed(lc));
    if (isBlank(p.line.psaOrganizationName)) findings.push(F.unmappedOrganization(lc));
    if (isBlank(p.line.psaProductName)) findings.push(F.unmappedProduct(lc));
    if (isBlank(p.line.psaOrganizationName)) continue;
    if (isBlank(p.line.psaAgreementName)) {
      const key = p.company ? `#${p.company.id}` : `n:${nameKey(p.line.psaOrganizationName)}`;
      const orgs = plan.orgsPerCompany.get(key)?.size ?? 0;
      // The Platform asks which agreement before syncing: none can be predicted yet.
      if (orgs > 1) {
        findings.push(F.agreementRequired(lc, orgs));
        continue;
      }
    }
    if (!p.company) {
      if (companiesComplete) findings.push(F.companyNotFound(lc, true));
      continue;
    }
    if (!isBlank(p.line.psaAgreementName) && directory.agreementNameUnknown(p.company, p.line.psaAgreementName)) {
      findings.push(F.agreementNotFound(lc, true));
      continue;
    }
    const agreement = directory.agreementFor(p.company, p.line.psaAgreementName, p.line.invoiceDate);
    predicted.push({ line: p.line, agreement, companyId: p.company.id });
  }
  return { findings, predicted };
}
