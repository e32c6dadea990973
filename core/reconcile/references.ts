import type { CwAgreement, CwBundle, CwCompany, Finding, PlatformLine } from '../model';
import type { ResolvedConfig } from '../rules/config';
import { isBlank, nameKey } from '../shared/text';
import type { Expectation } from './expectations';
import { SEVERITY } from './findings';
import { customFieldValue } from './match';

/**
 * Cross-reference checks (DESIGN §3.7; setup guide section 4): identifiers the partner keeps in
 * ConnectWise custom fields, and catalog items' integration cross-reference. Each check runs only
 * when its field is configured (or, for products, filled in on the catalog item).
 */
export function referenceFindings(input: {
  lines: readonly PlatformLine[];
  expectations: readonly Expectation[];
  bundle: CwBundle;
  config: ResolvedConfig;
  companyOf: (line: PlatformLine) => CwCompany | undefined;
}): Finding[] {
  const out: Finding[] = [];
  const active = input.lines.filter((l) => !l.excluded);
  // Appended one by one: a spread of input-sized arrays is bounded by the call stack.
  if (input.config.companyRefField) for (const f of companyReferences(active, input.config.companyRefField, input.companyOf)) out.push(f);
  if (input.config.agreementRefField) for (const f of agreementReferences(input.expectations, input.config.agreementRefField)) out.push(f);
  for (const f of productReferences(active, input.bundle)) out.push(f);
  return out;
}

/** A field may list several references (a company shared by organizations): any one will do. */
function holds(value: string | undefined, wanted: string): boolean {
  if (value === undefined) return false;
  const want = nameKey(wanted);
  return value.split(/[,;|]/).some((part) => nameKey(part) === want);
}

function companyReferences(lines: PlatformLine[], field: string, companyOf: (line: PlatformLine) => CwCompany | undefined): Finding[] {
  const seen = new Map<string, { line: PlatformLine; company: CwCompany }>();
  for (const line of lines) {
    if (isBlank(line.organizationRef)) continue;
    const company = companyOf(line);
    if (!company) continue;
    const key = `${nameKey(line.organization)}\u0000${company.id}`;
    const prior = seen.get(key);
    if (!prior || line.lineId < prior.line.lineId) seen.set(key, { line, company });
  }
  const out: Finding[] = [];
  for (const { line, company } of seen.values()) {
    const value = customFieldValue(company, field);
    if (holds(value, line.organizationRef!)) continue;
    out.push({
      kind: 'company_reference_mismatch',
      severity: SEVERITY.company_reference_mismatch,
      organization: line.organization,
      companyId: company.id,
      field,
      expected: line.organizationRef!,
      actual: value ?? null,
      related: { lineIds: [line.lineId] },
      message: `Organization "${line.organization}" has Organization Reference # ${line.organizationRef}, but ConnectWise Company "${company.name}" holds ${value === undefined ? 'nothing' : `"${value}"`} in its custom field "${field}".`,
      fix: `In ConnectWise open Company "${company.name}" and set the custom field "${field}" to ${line.organizationRef} (setup guide section 4), or correct the PSA Organization mapping on the Platform if the Company is the wrong one.`,
    });
  }
  return out;
}

function agreementReferences(expectations: readonly Expectation[], field: string): Finding[] {
  const byAgreement = new Map<number, { agreement: CwAgreement; contracts: Set<string>; lineIds: string[] }>();
  for (const exp of expectations) {
    if (!exp.agreement || isBlank(exp.line.contractId)) continue;
    let entry = byAgreement.get(exp.agreement.id);
    if (!entry) byAgreement.set(exp.agreement.id, (entry = { agreement: exp.agreement, contracts: new Set(), lineIds: [] }));
    entry.contracts.add(exp.line.contractId.trim());
    entry.lineIds.push(exp.line.lineId);
  }
  const out: Finding[] = [];
  for (const { agreement, contracts, lineIds } of byAgreement.values()) {
    const value = customFieldValue(agreement, field);
    const wanted = [...contracts].sort();
    if (wanted.some((c) => holds(value, c))) continue;
    out.push({
      kind: 'agreement_reference_mismatch',
      severity: SEVERITY.agreement_reference_mismatch,
      agreementId: agreement.id,
      companyId: agreement.company.id,
      field,
      expected: wanted.join(', '),
      actual: value ?? null,
      related: { lineIds: [...lineIds].sort() },
      message: `Agreement "${agreement.name}" (#${agreement.id}) receives lines of Invoice Contract ${wanted.join(', ')}, but its custom field "${field}" holds ${value === undefined ? 'nothing' : `"${value}"`}.`,
      fix: `In ConnectWise set the Agreement's custom field "${field}" to the Platform Contract ID (${wanted.join(', ')}), or map the lines to the Agreement that carries their contract.`,
    });
  }
  return out;
}

function productReferences(lines: PlatformLine[], bundle: CwBundle): Finding[] {
  const offers = new Map<string, Set<string>>();
  for (const line of lines) {
    if (isBlank(line.psaProductName) || isBlank(line.offer)) continue;
    const key = nameKey(line.psaProductName);
    const set = offers.get(key) ?? new Set<string>();
    set.add(line.offer.trim());
    offers.set(key, set);
  }
  const out: Finding[] = [];
  for (const item of [...(bundle.catalog ?? [])].sort((a, b) => a.id - b.id)) {
    if (isBlank(item.integrationXRef)) continue;
    const mapped = offers.get(nameKey(item.identifier));
    if (!mapped || holdsAny(item.integrationXRef, mapped)) continue;
    const names = [...mapped].sort();
    out.push({
      kind: 'product_reference_mismatch',
      severity: SEVERITY.product_reference_mismatch,
      productIdentifier: item.identifier,
      field: 'integrationXRef',
      expected: names.join(', '),
      actual: item.integrationXRef,
      message: `ConnectWise Product "${item.identifier}" names Offer "${item.integrationXRef}" in its Integration Cross Reference, but the Platform maps Offer ${names.map((n) => `"${n}"`).join(', ')} to it (PSA Product Name).`,
      fix: `Correct the Product's Integration Cross Reference in the ConnectWise Product Catalog, or the PSA Product Name of the Offer on the Platform, so both name the same product.`,
    });
  }
  return out;
}

function holdsAny(value: string, wanted: Set<string>): boolean {
  for (const w of wanted) if (holds(value, w)) return true;
  return false;
}
