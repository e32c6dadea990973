import type { Finding } from '../model';
import { unitPriceMatches } from '../rules/expected';
import type { CwDirectory } from '../rules/directory';
import { isBlank } from '../shared/text';
import type { Expectation } from './expectations';
import * as F from './findings';
import { cancelledMatches, type Pair } from './match';
import { cancelledOf, effectiveOf } from './scope';
import { carriesLabel, labelKey, productKey } from './tokens';

/** Bill Customer values under which ConnectWise invoices nothing for an Addition (guide §9). */
const NOT_BILLED = new Set(['donotbill', 'nocharge']);

/**
 * Field findings of a matched pair (DESIGN §3.6): each value the Addition must hold, then what
 * keeps ConnectWise from billing what the Platform says (Bill Customer, Less Included), and for a
 * pair made through the line-reference field, the product it carries.
 */
export function pairFindings(pair: Pair, ctx: F.LineContext): Finding[] {
  const { exp, addition } = pair;
  const v = exp.values;
  const out: Finding[] = [];
  if (pair.byReference && productKey(addition.product.identifier) !== exp.productKey) out.push(F.productMismatch(ctx, addition, pair.referenceField ?? 'line reference'));
  const effective = effectiveOf(addition);
  if (effective !== v.effectiveDate) out.push(F.fieldMismatch('effectiveDate', ctx, addition, v.effectiveDate, effective));
  const cancelled = cancelledOf(addition);
  if (!cancelledMatches(exp, cancelled)) out.push(cancelledMismatch(exp, ctx, pair, cancelled));
  if (Math.abs(addition.quantity - v.quantity) > 1e-9) out.push(F.fieldMismatch('quantity', ctx, addition, v.quantity, addition.quantity));
  const price = addition.unitPrice ?? null;
  if (price === null || !unitPriceMatches(price, v, exp.line.currency)) {
    out.push(F.fieldMismatch('unitPrice', ctx, addition, roundForShow(v.unitPrice), price));
  }
  if (!carriesLabel(addition.description, addition.invoiceDescription, v.description)) {
    out.push(F.fieldMismatch('description', ctx, addition, v.description, addition.description ?? null));
  }
  if (exp.line.revenue !== 0 && !isBlank(addition.billCustomer) && NOT_BILLED.has(labelKey(addition.billCustomer))) {
    out.push(F.additionNotBilled(ctx, addition));
  }
  if ((addition.lessIncluded ?? 0) > 0) out.push(F.lessIncluded(ctx, addition));
  return out;
}

function cancelledMismatch(exp: Expectation, ctx: F.LineContext, pair: Pair, cancelled: string | null): Finding {
  const v = exp.values;
  if (exp.alsoCancelledOn !== undefined) {
    const expected = `empty or ${exp.alsoCancelledOn}`;
    return F.fieldMismatch('cancelledDate', ctx, pair.addition, expected, cancelled, '', F.cancelledDateFix(v.cancelledDate, exp.alsoCancelledOn));
  }
  const note = exp.ended ? ' (the subscription has no line in the last loaded month, so it ended)' : '';
  return F.fieldMismatch('cancelledDate', ctx, pair.addition, v.cancelledDate, cancelled, note, F.cancelledDateFix(v.cancelledDate));
}

/**
 * An open subscription whose Addition was cancelled before the loaded months: the Addition is
 * there but stopped billing, so the finding is its Cancelled Date, not a missing Addition.
 */
export function reopenFinding(pair: Pair, ctx: F.LineContext): Finding {
  const note = ' (it was cancelled before the loaded months, so ConnectWise no longer bills it)';
  return F.fieldMismatch('cancelledDate', ctx, pair.addition, null, cancelledOf(pair.addition), note, F.cancelledDateFix(null));
}

/**
 * A line whose Addition sits on an agreement it does not expect. When the line's own mapping names
 * a company or agreement ConnectWise lacks, that is the finding (the Addition shows where it went);
 * otherwise the Addition is on the wrong agreement.
 */
export function misplacedFinding(pair: Pair, ctx: F.LineContext, directory: CwDirectory, companiesComplete: boolean): Finding {
  const { exp, addition } = pair;
  const holder = directory.agreement(addition.agreementId);
  if (!exp.company && companiesComplete && !isBlank(exp.line.psaOrganizationName)) return F.companyNotFound(ctx, false, addition, holder);
  if (exp.company && directory.agreementNameUnknown(exp.company, exp.line.psaAgreementName)) return F.agreementNotFound(ctx, false, addition, holder);
  return F.wrongAgreement(ctx, addition, holder);
}

/**
 * A compared line no Addition was found for. A mapping that names a company or agreement
 * ConnectWise lacks is the cause and the finding; otherwise the Addition is missing.
 */
export function unmatchedFinding(exp: Expectation, ctx: F.LineContext, directory: CwDirectory, companiesComplete: boolean): Finding | null {
  if (!exp.company) {
    if (isBlank(exp.line.psaOrganizationName)) return F.missingAddition(ctx);
    return companiesComplete ? F.companyNotFound(ctx, false) : null;
  }
  if (directory.agreementNameUnknown(exp.company, exp.line.psaAgreementName)) return F.agreementNotFound(ctx, false);
  return F.missingAddition(ctx);
}

function roundForShow(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
