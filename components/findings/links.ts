import type { LinkBases } from '../api';

/**
 * Deep links into ConnectWise's web UI (openrecord.rails, reference/connectwise-api.md §6.1) and
 * the Platform. Only http(s) origins are accepted so a stored value cannot become a script URL.
 */
function safeOrigin(origin: string | undefined): string | null {
  if (!origin) return null;
  try {
    const u = new URL(origin);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

export function cwRecordUrl(bases: LinkBases | undefined, recordType: 'AgreementFV' | 'CompanyFV', id: number): string | null {
  const origin = safeOrigin(bases?.cwWebOrigin);
  if (!origin || !Number.isInteger(id)) return null;
  const q = new URLSearchParams({ locale: 'en_US', recordType, recid: String(id) });
  if (bases?.cwCompanyId) q.set('companyName', bases.cwCompanyId);
  return `${origin}/v4_6_release/services/system_io/router/openrecord.rails?${q.toString()}`;
}

export const cwAgreementUrl = (b: LinkBases | undefined, id: number) => cwRecordUrl(b, 'AgreementFV', id);
export const cwCompanyUrl = (b: LinkBases | undefined, id: number) => cwRecordUrl(b, 'CompanyFV', id);

/** The Platform has no public per-line route; its origin lands the user on the portal to open Mapping → Invoices. */
export function platformUrl(bases: LinkBases | undefined): string | null {
  return safeOrigin(bases?.platformOrigin);
}
