/**
 * Setup health (DESIGN §1 side panel, `recon health`): the checks the setup guide asks partners to
 * make by hand, over a bundle, optionally the lines (which companies, agreements and products are
 * actually used) and the API member's permissions. Pure: no network, no clock.
 */
import { findPermissionGaps, type SecuritySettings } from '../connectwise/permissions';
import type { CwAgreement, CwBundle, CwCompany, PlatformLine, ReconcileConfig } from '../model';
import { cwDirectory } from '../rules/directory';
import { resolveConfig } from '../rules/config';
import { compactKey, isBlank, nameKey } from '../shared/text';
import type { HealthCheck } from './schema';

export type { SecuritySettings } from '../connectwise/permissions';

export { ConnectionResult, HealthCheck, HealthStatus } from './schema';

export interface HealthReport {
  checks: HealthCheck[];
}

export interface HealthInput {
  bundle: CwBundle;
  lines?: PlatformLine[];
  config?: ReconcileConfig;
  security?: SecuritySettings;
}

const TYPES_SCREEN = 'System → Setup Tables → Agreement Types';
const BILLABLE = 'Billable';

const isBillable = (value: string | null | undefined) => compactKey(value ?? '') === compactKey(BILLABLE);

export function checkHealth(input: HealthInput): HealthReport {
  const config = resolveConfig(input.config);
  const lines = (input.lines ?? []).filter((l) => !l.excluded);
  const usesLines = input.lines !== undefined && input.lines.length > 0;
  const directory = cwDirectory(input.bundle, config.defaultAgreementType);
  const targets = targetAgreements(input.bundle, lines, usesLines, directory);
  const checks: HealthCheck[] = [
    ...defaultTypeChecks(input.bundle, config.defaultAgreementType),
    ...agreementTypeChecks(input.bundle, targets),
    ...companyChecks(input.bundle, lines, usesLines, directory),
    ...agreementChecks(targets),
    ...productChecks(input.bundle, lines, usesLines),
    ...permissionChecks(input.security),
  ];
  return { checks };
}

function defaultTypeChecks(bundle: CwBundle, configured: string | undefined): HealthCheck[] {
  const types = bundle.agreementTypes;
  const id = 'default-agreement-type';
  const title = 'Default agreement type';
  if (!types?.length) {
    return [{ id, status: 'warn', title, detail: 'The ConnectWise data holds no agreement types, so the default type cannot be checked.', fix: 'Pull the data with `recon fetch` (it reads /finance/agreements/types) and run the checks again.' }];
  }
  const name = configured ?? types.find((t) => t.defaultFlag)?.name;
  if (!name) {
    return [{ id, status: 'warn', title, detail: 'No default agreement type is configured and none is flagged Default in ConnectWise.', fix: "Select the Agreement Type on the Platform's Settings → ConnectWise → Configuration tab and set the same name as defaultAgreementType in the config." }];
  }
  const type = types.find((t) => nameKey(t.name) === nameKey(name));
  if (!type) {
    return [{ id, status: 'fail', title, detail: `The default agreement type "${name}" does not exist in ConnectWise; lines with an empty PSA Agreement Name cannot get an agreement.`, fix: `Create "${name}" under ${TYPES_SCREEN}, or pick an existing type on the Platform's Configuration tab.` }];
  }
  if (type.inactiveFlag) {
    return [{ id, status: 'fail', title, detail: `The default agreement type "${type.name}" is inactive in ConnectWise.`, fix: `Reactivate it under ${TYPES_SCREEN}, or pick an active type on the Platform's Configuration tab.` }];
  }
  if (!isBillable(type.billProducts)) {
    return [{ id, status: 'fail', title, detail: `The default agreement type "${type.name}" has Bill Products = ${type.billProducts ?? 'empty'}; Additions synced onto its agreements will not be invoiced.`, fix: `Set Bill Products to Billable on "${type.name}" (${TYPES_SCREEN}).` }];
  }
  return [{ id, status: 'ok', title, detail: `"${type.name}" exists, is active and bills products.`, fix: '' }];
}

function agreementTypeChecks(bundle: CwBundle, targets: Map<number, Target>): HealthCheck[] {
  const types = bundle.agreementTypes ?? [];
  if (!types.length) return [];
  const used = new Set([...targets.values()].map((t) => t.agreement.type?.id).filter((id): id is number => id !== undefined));
  const out: HealthCheck[] = [];
  for (const type of types) {
    if (type.inactiveFlag) continue;
    const inUse = used.has(type.id);
    if (!type.billingCycle) {
      out.push({ id: `agreement-type-cycle:${type.id}`, status: 'warn', title: `Agreement type "${type.name}": billing cycle`, detail: `"${type.name}" has no Billing Cycle, so ConnectWise does not know how often to invoice its agreements.`, fix: `Set a Billing Cycle matching the Platform contracts' cadence on "${type.name}" (${TYPES_SCREEN}).` });
    }
    if (!isBillable(type.billProducts)) {
      out.push({
        id: `agreement-type-bill-products:${type.id}`,
        status: inUse ? 'fail' : 'warn',
        title: `Agreement type "${type.name}": Bill Products`,
        detail: `"${type.name}" has Bill Products = ${type.billProducts ?? 'empty'}${inUse ? ' and agreements the lines use have this type' : ''}; Additions on such agreements are not invoiced.`,
        fix: `Set Bill Products to Billable on "${type.name}" (${TYPES_SCREEN}).`,
      });
    }
  }
  if (!out.length) out.push({ id: 'agreement-types', status: 'ok', title: 'Agreement types', detail: `All ${types.filter((t) => !t.inactiveFlag).length} active agreement types have a billing cycle and bill products.`, fix: '' });
  return out;
}

function companyChecks(bundle: CwBundle, lines: PlatformLine[], usesLines: boolean, directory: ReturnType<typeof cwDirectory>): HealthCheck[] {
  const out: HealthCheck[] = [];
  const companies = new Map<number, CwCompany>();
  if (usesLines) {
    const names = [...new Set(lines.map((l) => l.psaOrganizationName).filter((n): n is string => !isBlank(n)))];
    for (const name of names) {
      const company = directory.companyFor(name);
      if (company) companies.set(company.id, company);
      else {
        out.push({ id: `company-missing:${nameKey(name)}`, status: 'fail', title: `Company "${name}"`, detail: `PSA Organization Name "${name}" names no ConnectWise company.`, fix: "Create or rename the company in ConnectWise, or re-map the organization on the Platform's Mapping → Organizations tab." });
      }
    }
  } else {
    for (const c of bundle.companies) companies.set(c.id, c);
  }
  let healthy = 0;
  const statusNames = new Set<string>();
  const typedClient: string[] = [];
  for (const company of companies.values()) {
    const problems: HealthCheck[] = [];
    const subject = `Company "${company.name}"`;
    // Status names are each tenant's own ("Credit Hold"); only the status table's inactiveFlag,
    // which a pull copies onto the reference, says whether the company counts as inactive.
    const status = company.status?.name;
    const inactive = (company.status as { inactiveFlag?: unknown } | null | undefined)?.inactiveFlag === true;
    if (company.deletedFlag) problems.push({ id: `company-active:${company.id}`, status: 'fail', title: subject, detail: `${subject} is deleted in ConnectWise.`, fix: 'Restore the company or map the organization to another company on the Platform.' });
    else if (inactive) {
      problems.push({ id: `company-active:${company.id}`, status: 'fail', title: subject, detail: `${subject} has status ${status ?? `#${company.status?.id}`}, which ConnectWise marks inactive; inactive companies do not appear in the Platform's PSA Organization Name dropdown.`, fix: 'Give the company an active status in ConnectWise (Companies → Company), or map the organization to another company.' });
    }
    if (status) statusNames.add(status);
    const types = (company.types ?? []).map((t) => compactKey(t.name ?? ''));
    if (!types.includes('customer')) {
      // "Client" is ConnectWise's stock type for customers: accepted, and noted once below.
      if (types.includes('client')) typedClient.push(company.name);
      else {
        problems.push({ id: `company-type:${company.id}`, status: 'warn', title: subject, detail: `${subject} is not typed Customer${company.types?.length ? ` (types: ${company.types.map((t) => t.name ?? t.id).join(', ')})` : ''}.`, fix: 'Add the Customer type to the company in ConnectWise; companies that are invoiced should be Customers.' });
      }
    }
    if (!company.site) {
      problems.push({ id: `company-site:${company.id}`, status: 'fail', title: subject, detail: `${subject} has no site; the site gives the billing address on invoices.`, fix: 'Add a site (default: Main) to the company in ConnectWise.' });
    }
    for (const p of problems) out.push(p);
    if (!problems.length) healthy++;
  }
  if (healthy) {
    const statuses = statusNames.size ? ` Statuses: ${[...statusNames].sort().join(', ')}.` : '';
    out.push({ id: 'companies', status: 'ok', title: 'Companies', detail: `${healthy} ${usesLines ? 'mapped ' : ''}compan${healthy === 1 ? 'y is' : 'ies are'} active, typed Customer or Client and have a site.${statuses}`, fix: '' });
  }
  if (typedClient.length) {
    const named = typedClient.slice(0, 5).join(', ') + (typedClient.length > 5 ? ', …' : '');
    out.push({ id: 'company-type-client', status: 'ok', title: 'Companies typed Client', detail: `${typedClient.length} compan${typedClient.length === 1 ? 'y is' : 'ies are'} typed Client (${named}), ConnectWise's stock type for customers; accepted, though the setup guide names the type Customer.`, fix: '' });
  }
  return out;
}

interface Target {
  agreement: CwAgreement;
  currencies: Set<string>;
}

function targetAgreements(bundle: CwBundle, lines: PlatformLine[], usesLines: boolean, directory: ReturnType<typeof cwDirectory>): Map<number, Target> {
  const targets = new Map<number, Target>();
  const add = (agreement: CwAgreement, currency?: string) => {
    const t = targets.get(agreement.id) ?? { agreement, currencies: new Set<string>() };
    if (currency && !isBlank(currency)) t.currencies.add(currency.trim().toUpperCase());
    targets.set(agreement.id, t);
  };
  if (usesLines) {
    for (const line of lines) {
      const company = directory.companyFor(line.psaOrganizationName);
      const agreement = company && directory.agreementFor(company, line.psaAgreementName, line.invoiceDate);
      if (agreement) add(agreement, line.currency);
    }
  } else {
    // Without lines, the agreements Additions sit on are the ones in use.
    const used = new Set(bundle.additions.map((a) => a.agreementId));
    for (const agreement of bundle.agreements) if (used.has(agreement.id)) add(agreement);
  }
  return targets;
}

function agreementChecks(targets: Map<number, Target>): HealthCheck[] {
  const out: HealthCheck[] = [];
  let healthy = 0;
  for (const { agreement, currencies } of [...targets.values()].sort((a, b) => a.agreement.id - b.agreement.id)) {
    const subject = `Agreement "${agreement.name}" (${agreement.company.name ?? agreement.company.id})`;
    const before = out.length;
    if (compactKey(agreement.agreementStatus ?? '') !== 'active') {
      out.push({ id: `agreement-active:${agreement.id}`, status: 'fail', title: subject, detail: `${subject} has status ${agreement.agreementStatus ?? 'unknown'}; cancelled agreements cannot receive Additions and only active ones are invoiced.`, fix: 'Reactivate the agreement in ConnectWise (Finance → Agreements), or point the lines at an active agreement on the Platform.' });
    }
    if (!isBillable(agreement.billProducts)) {
      out.push({ id: `agreement-billable:${agreement.id}`, status: 'fail', title: subject, detail: `${subject} has Bill Products = ${agreement.billProducts ?? 'empty'}; its Additions will not appear on invoices.`, fix: 'Set Bill Products to Billable in the agreement\'s Finance Information Defaults (Finance → Agreements).' });
    }
    const code = (agreement.currency?.currencyCode ?? agreement.currency?.currencyIdentifier ?? '').trim().toUpperCase();
    const others = [...currencies].filter((c) => c !== code);
    if (currencies.size && !code) {
      out.push({ id: `agreement-currency:${agreement.id}`, status: 'warn', title: subject, detail: `${subject} has no currency in the data; the lines are in ${[...currencies].join(', ')}.`, fix: 'Check the Currency in the agreement\'s Recurring Invoicing Parameters.' });
    } else if (others.length) {
      out.push({ id: `agreement-currency:${agreement.id}`, status: 'fail', title: subject, detail: `${subject} is in ${code} but its lines are in ${others.join(', ')}; ConnectWise does not convert currencies.`, fix: 'Set the Currency in the agreement\'s Recurring Invoicing Parameters to match the Platform contract, or map the lines to an agreement in their currency.' });
    }
    if (out.length === before) healthy++;
  }
  if (healthy) out.push({ id: 'agreements', status: 'ok', title: 'Agreements', detail: `${healthy} target agreement${healthy === 1 ? ' is' : 's are'} active, billable${targets.size ? ' and in the lines\' currency' : ''}.`, fix: '' });
  return out;
}

function productChecks(bundle: CwBundle, lines: PlatformLine[], usesLines: boolean): HealthCheck[] {
  const wanted = usesLines ? lines.map((l) => l.psaProductName).filter((n): n is string => !isBlank(n)) : bundle.additions.map((a) => a.product.identifier);
  const names = [...new Map(wanted.map((n) => [nameKey(n), n.trim()])).values()];
  if (!names.length) return [];
  if (!bundle.catalog) {
    return [{ id: 'products', status: 'warn', title: 'Products', detail: 'The ConnectWise data holds no product catalog, so the products cannot be checked.', fix: 'Pull the data with `recon fetch` (it reads the catalog items in use) and run the checks again.' }];
  }
  const catalog = new Map(bundle.catalog.map((p) => [nameKey(p.identifier), p]));
  const out: HealthCheck[] = [];
  let healthy = 0;
  for (const name of names) {
    const item = catalog.get(nameKey(name));
    const subject = `Product "${name}"`;
    if (!item) {
      out.push({ id: `product-missing:${nameKey(name)}`, status: 'fail', title: subject, detail: `${subject} is not in the ConnectWise Product Catalog.`, fix: 'Create it under Procurement → Product Catalog (Product ID = the PSA Product Name), or re-map the offer on the Platform\'s Mapping → Products tab.' });
    } else if (item.inactiveFlag) {
      out.push({ id: `product-active:${item.id}`, status: 'fail', title: subject, detail: `${subject} is inactive in the Product Catalog.`, fix: 'Reactivate the product (Procurement → Product Catalog) or map the offer to an active product.' });
    } else if (compactKey(item.productClass ?? '') === 'bundle') {
      out.push({ id: `product-class:${item.id}`, status: 'fail', title: subject, detail: `${subject} has Product Class Bundle; bundles cannot be Additions.`, fix: 'Use a Non-Inventory product for the offer (Procurement → Product Catalog → Product Class).' });
    } else healthy++;
  }
  if (healthy) out.push({ id: 'products', status: 'ok', title: 'Products', detail: `${healthy} product${healthy === 1 ? ' is' : 's are'} in the catalog, active and not bundles.`, fix: '' });
  return out;
}

export function permissionChecks(security: SecuritySettings | undefined): HealthCheck[] {
  if (!security) {
    return [{ id: 'permissions', status: 'warn', title: 'API member permissions', detail: 'Not checked: no ConnectWise connection was given.', fix: 'Run the checks with the API credentials (recon health --site …, or Test connection in the options).' }];
  }
  const gaps = findPermissionGaps(security);
  if (!gaps.length) return [{ id: 'permissions', status: 'ok', title: 'API member permissions', detail: "The Security Role covers the setup guide's permission matrix (section 10).", fix: '' }];
  const byFunction = new Map<string, typeof gaps>();
  for (const gap of gaps) {
    const key = `${gap.module} → ${gap.functionName}`;
    byFunction.set(key, [...(byFunction.get(key) ?? []), gap]);
  }
  return [...byFunction.entries()].map(([key, list]) => ({
    id: `permission:${compactKey(key)}`,
    status: 'fail' as const,
    title: `Permission ${key}`,
    detail: `The API member's Security Role lacks ${list.map((g) => `${g.right[0]!.toUpperCase()}${g.right.slice(1)} = ${g.required} (${g.actual === 'missing' ? 'not in the role' : `is ${g.actual}`})`).join(', ')} on ${key}.`,
    fix: `In ConnectWise, System → Security Roles → the API member's role → ${key.split(' → ')[0]}: set ${list.map((g) => `${g.right[0]!.toUpperCase()}${g.right.slice(1)} to ${g.required}`).join(', ')} for ${list[0]!.functionName}.`,
  }));
}
