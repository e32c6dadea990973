import type { CwAddition, CwAgreement, CwCompany, PlatformLine } from '../model';
import { agreementState, type ReadStates } from '../sources';
import { endOfMonth, isoDatePart, monthOf, type IsoDate } from '../shared/dates';
import { perSpelling } from '../shared/memo';

export interface Window {
  from: IsoDate;
  to: IsoDate;
}

/** The loaded invoice months, sorted (`YYYY-MM`). */
export function invoiceMonths(lines: readonly PlatformLine[]): string[] {
  const months = new Set<string>();
  for (const line of lines) months.add(monthOf(line.invoiceDate));
  return [...months].sort();
}

/** DESIGN §3.5: first day of the earliest loaded invoice month to the last day of the latest. */
export function scopeWindow(months: readonly string[]): Window | null {
  if (months.length === 0) return null;
  return { from: `${months[0]!}-01`, to: endOfMonth(`${months[months.length - 1]!}-01`) };
}

/** An Addition is in scope when it starts by the window's end and is not cancelled before it. */
export function inScope(addition: CwAddition, window: Window): boolean {
  const effective = effectiveOf(addition);
  if (effective !== null && effective > window.to) return false;
  const cancelled = cancelledOf(addition);
  return cancelled === null || cancelled >= window.from;
}

// An Addition's dates are read many times while matching, and a month of Additions shares a few
// dozen distinct date texts: each text is read once. Keyed by the text itself, so an Addition
// edited in place is read again.
// Bounded wider: texts with a time of day can all differ.
const dayOfText = perSpelling(isoDatePart, 100_000);

function dayOf(value: string | null | undefined): IsoDate | null {
  return value ? dayOfText(value) : null;
}

export function effectiveOf(addition: CwAddition): IsoDate | null {
  return dayOf(addition.effectiveDate);
}

export function cancelledOf(addition: CwAddition): IsoDate | null {
  return dayOf(addition.cancelledDate);
}

/** Why a line's Addition could not be looked for everywhere it may sit (DESIGN §3.5). */
export interface ReadGap {
  state: 'partial' | 'unread';
  agreementId?: number;
  agreement?: string;
  companyId?: number;
  company?: string;
}

/**
 * The agreement a line's judgement waits for, or undefined when every agreement that could hold
 * its Addition was read: its expected agreement, every other agreement of its company, and any
 * agreement read only in part (the matcher finds a wrong_agreement on whichever agreement holds
 * the exact Addition, another company's too, so a list cut short may hide any line's Addition).
 * A company the data does not know leaves the line waiting unless the company list was read whole
 * (then the company does not exist in ConnectWise); an expected agreement the data does not know
 * leaves it waiting unless the company's agreements were all listed (then it does not exist).
 */
export function readGapFor(
  exp: { line: PlatformLine; company?: CwCompany; agreement?: CwAgreement },
  known: {
    reads: ReadStates;
    listed: ReadonlySet<number>;
    agreementsOf: (companyId: number) => readonly CwAgreement[];
    /** The first agreement read only in part, anywhere in the data. */
    partial?: ReadGap;
  },
): ReadGap | undefined {
  const { line, company, agreement } = exp;
  const { reads, listed, agreementsOf } = known;
  if (!company) {
    if (reads.companies) return undefined;
    return { state: 'unread', company: line.psaOrganizationName ?? line.organization, ...(line.psaAgreementName ? { agreement: line.psaAgreementName } : {}) };
  }
  if (!agreement && !listed.has(company.id)) {
    return { state: 'unread', companyId: company.id, company: company.name, ...(line.psaAgreementName ? { agreement: line.psaAgreementName } : {}) };
  }
  const candidates = agreement ? [agreement, ...agreementsOf(company.id).filter((a) => a.id !== agreement.id)] : agreementsOf(company.id);
  for (const a of candidates) {
    const state = agreementState(reads, a.id);
    if (state !== 'read') return { state, agreementId: a.id, agreement: a.name, companyId: company.id, company: company.name };
  }
  return known.partial;
}
