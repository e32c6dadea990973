import type { BaseChargeType, CwAddition, CwAgreement, CwCompany, PlatformLine, ReconcileConfig } from '../../core/model';
import { DEFAULT_LABELS } from '../../core/rules/chargeTypes';
import { addDays, endOfMonth, toCwDateTime, type IsoDate } from '../../core/shared/dates';
import type { Random } from './random';

/**
 * The building blocks of a generated month: organizations with their ConnectWise company and
 * agreements, and "items" (a subscription or a one-time line) each paired with the Addition a
 * correct sync leaves behind. Faults are planted afterwards by editing items.
 */

export const PREVIOUS_MONTH = '2026-10';
export const LAST_MONTH = '2026-11';
export const DEFAULT_TYPE = 'Microsoft 365 Monthly';

export interface Product {
  identifier: string;
  offer: string;
  /** Monthly list price per seat in EUR; other currencies scale it. */
  price: number;
}

export const PRODUCTS: readonly Product[] = [
  { identifier: 'M365-BP', offer: 'Microsoft 365 Business Premium', price: 22 },
  { identifier: 'M365-E3', offer: 'Microsoft 365 E3', price: 36 },
  { identifier: 'EXO-P1', offer: 'Exchange Online (Plan 1)', price: 4 },
  { identifier: 'PBI-PRO', offer: 'Power BI Pro', price: 14 },
  { identifier: 'INTUNE', offer: 'Intune Plan 1', price: 8 },
  { identifier: 'ENT-MOB', offer: 'Enterprise Mobility + Security E3', price: 10.6 },
  { identifier: 'DEF-EP2', offer: 'Defender for Endpoint P2', price: 5.2 },
  { identifier: 'VISIO-P2', offer: 'Visio Plan 2', price: 15 },
  { identifier: 'ADOBE-CC', offer: 'Adobe Creative Cloud', price: 79.99 },
  { identifier: 'M365-COP', offer: 'Microsoft 365 Copilot', price: 30 },
  { identifier: 'AZ-PLAN', offer: 'Azure plan', price: 1 },
  { identifier: 'TEAMS-ESS', offer: 'Teams Essentials', price: 4 },
];

/** Products no generated line ever uses: safe for noise and orphans. */
export const UNUSED_PRODUCTS = ['BACKUP-365', 'MAIL-SEC', 'SUPPORT-HRS'] as const;

const CURRENCIES: readonly { code: string; rate: number; decimals: number }[] = [
  { code: 'EUR', rate: 1, decimals: 2 },
  { code: 'NOK', rate: 11, decimals: 2 },
  { code: 'SEK', rate: 11, decimals: 2 },
  { code: 'GBP', rate: 0.85, decimals: 2 },
  { code: 'USD', rate: 1.1, decimals: 2 },
  { code: 'JPY', rate: 160, decimals: 0 },
];

export interface Org {
  name: string;
  short: string;
  ref: string;
  contract: string;
  currency: string;
  decimals: number;
  rate: number;
  company: CwCompany;
  main: CwAgreement;
  managed: CwAgreement;
  /** Set when the org's lines must name their agreement (shared company). */
  psaAgreementName?: string;
  /** How lines spell the company in PSA Organization Name (name or identifier). */
  psaCompany: string;
  shared: boolean;
  /** Month-incomplete orgs have lines only in the previous month. */
  incomplete: boolean;
  excluded: boolean;
}

export interface Item {
  kind: 'continuing' | 'new' | 'ended' | 'oneTime' | 'spanning';
  org: Org;
  lines: PlatformLine[];
  /** The line findings name: a subscription's latest line, or the one-time line. */
  rep: PlatformLine;
  addition: CwAddition;
}

export class World {
  readonly lines: PlatformLine[] = [];
  readonly companies: CwCompany[] = [];
  readonly agreements: CwAgreement[] = [];
  readonly additions: CwAddition[] = [];
  readonly items: Item[] = [];
  readonly orgs: Org[] = [];
  /** Catalog integration cross-references that differ from the product's own offer. */
  readonly xrefOverrides = new Map<string, string>();
  private nextLine = 1;
  private nextAddition = 70001;
  private nextAgreement = 4001;
  private nextCompany = 201;
  private readonly slots = new Set<string>();

  constructor(
    readonly rng: Random,
    readonly config: ReconcileConfig,
  ) {}

  /**
   * A product and start day no other one-time line of the org uses: twins (same product, same
   * day) would make a planted fault's attribution ambiguous.
   */
  slot(org: Org, month: string, fromDay: number, toDay: number): { product: Product; day: number } {
    for (;;) {
      const product = this.rng.pick(PRODUCTS);
      const day = this.rng.int(fromDay, toDay);
      const key = `${org.name}|${product.identifier}|${month}|${day}`;
      if (!this.slots.has(key)) {
        this.slots.add(key);
        return { product, day };
      }
    }
  }

  label(base: BaseChargeType): string {
    return this.config.chargeTypeNames?.[base] ?? DEFAULT_LABELS[base];
  }

  renamed(base: BaseChargeType): boolean {
    return this.config.chargeTypeNames?.[base] !== undefined;
  }

  company(name: string): CwCompany {
    const id = this.nextCompany++;
    const company: CwCompany = {
      id,
      identifier: `${name.replace(/[^A-Za-z]/g, '').toUpperCase().slice(0, 12)}${id}`,
      name,
      status: { id: 1, name: 'Active' },
      types: [{ id: 1, name: 'Customer' }],
    };
    this.companies.push(company);
    return company;
  }

  agreement(company: CwCompany, name: string, typeName: string, currency: string, startDate = '2025-01-01'): CwAgreement {
    const agreement: CwAgreement = {
      id: this.nextAgreement++,
      name,
      type: { id: typeName === DEFAULT_TYPE ? 1 : 2, name: typeName },
      company: { id: company.id, identifier: company.identifier ?? undefined, name: company.name },
      startDate: toCwDateTime(startDate),
      endDate: null,
      noEndingDateFlag: true,
      agreementStatus: 'Active',
      cancelledFlag: false,
      billProducts: 'Billable',
      billingCycle: { id: 1, name: 'Monthly' },
      currency: { id: 1, currencyCode: currency, currencyIdentifier: currency, name: currency, symbol: currency },
      autoInvoiceFlag: false,
    };
    this.agreements.push(agreement);
    return agreement;
  }

  newOrg(name: string, opts: { company?: CwCompany; incomplete?: boolean; excluded?: boolean } = {}): Org {
    const cur = this.rng.pick(CURRENCIES);
    const company = opts.company ?? this.company(name);
    const shared = opts.company !== undefined;
    const short = name.split(' ')[0]!;
    const mainName = shared ? `Cloud Services ${name}` : DEFAULT_TYPE;
    const main = this.agreement(company, mainName, DEFAULT_TYPE, cur.code);
    const managed = this.agreement(company, `Managed Services ${short}`, 'Managed Service', cur.code);
    const org: Org = {
      name,
      short,
      ref: `ORG-${10000 + this.orgs.length}`,
      contract: `IC-${100000 + this.orgs.length}`,
      currency: cur.code,
      decimals: cur.decimals,
      rate: cur.rate,
      company,
      main,
      managed,
      psaAgreementName: shared ? mainName : undefined,
      psaCompany: !shared && this.rng.chance(0.15) && company.identifier ? company.identifier : company.name,
      shared,
      incomplete: opts.incomplete ?? false,
      excluded: opts.excluded ?? false,
    };
    this.orgs.push(org);
    return org;
  }

  money(org: Org, amount: number): number {
    const f = 10 ** org.decimals;
    return Math.round(amount * f) / f;
  }

  unitPrice(org: Org, product: Product): number {
    return this.money(org, product.price * org.rate);
  }

  line(
    org: Org,
    base: BaseChargeType,
    v: {
      month: string;
      start: IsoDate;
      end: IsoDate;
      qty: number;
      unit: number;
      product: Product;
      subscription?: string;
      startBadge?: 'System Updated' | 'User Updated';
      endBadge?: 'System Updated' | 'User Updated';
      status?: PlatformLine['status'];
    },
  ): PlatformLine {
    const n = this.nextLine++;
    const revenue = this.money(org, v.qty * v.unit);
    const line: PlatformLine = {
      lineId: `GL${String(n).padStart(6, '0')}`,
      invoiceNumber: `INV-${v.month.replace('-', '')}-${org.ref.slice(4)}`,
      invoiceDate: `${v.month}-01`,
      organization: org.name,
      organizationRef: org.ref,
      subscription: v.subscription,
      offer: v.product.offer,
      contractId: org.contract,
      currency: org.currency,
      chargeType: this.label(base),
      chargeTypeBadge: this.renamed(base) ? 'System Updated' : undefined,
      chargeStartDate: v.start,
      chargeStartDateBadge: v.startBadge,
      chargeEndDate: v.end,
      chargeEndDateBadge: v.endBadge,
      quantity: v.qty,
      cost: this.money(org, revenue * 0.8),
      revenue,
      psaOrganizationName: org.psaCompany,
      psaProductName: v.product.identifier,
      psaAgreementName: org.psaAgreementName,
      status: v.status ?? 'Synced',
      excluded: org.excluded,
    };
    this.lines.push(line);
    return line;
  }

  addition(
    agreement: CwAgreement,
    v: {
      product: string;
      qty: number;
      unit: number;
      effective: IsoDate;
      cancelled: IsoDate | null;
      description: string;
      invoiceDescription: string;
    },
  ): CwAddition {
    const addition: CwAddition = {
      id: this.nextAddition++,
      agreementId: agreement.id,
      product: { identifier: v.product },
      quantity: v.qty,
      lessIncluded: 0,
      unitPrice: v.unit,
      unitCost: Math.round(v.unit * 80) / 100,
      extPrice: Math.round(v.unit * v.qty * 100) / 100,
      billCustomer: 'Billable',
      effectiveDate: toCwDateTime(v.effective),
      cancelledDate: v.cancelled ? toCwDateTime(v.cancelled) : null,
      description: v.description,
      invoiceDescription: v.invoiceDescription,
      agreementStatus: 'Active',
    };
    this.additions.push(addition);
    return addition;
  }

  cloneAddition(source: CwAddition): CwAddition {
    const copy: CwAddition = { ...source, id: this.nextAddition++ };
    this.additions.push(copy);
    return copy;
  }

  /** A recurring subscription and the one Addition every sync of it updates. */
  subscription(org: Org, kind: 'continuing' | 'new' | 'ended', product: Product, index: number): Item {
    const name = `${product.offer} (${org.short} #${index})`;
    const unit = this.unitPrice(org, product);
    const qty = this.rng.int(1, 60);
    const lines: PlatformLine[] = [];
    const prev = `${PREVIOUS_MONTH}-01`;
    const last = `${LAST_MONTH}-01`;
    if (kind === 'new') {
      // A purchase mid-month, its start date moved by a rule (System Updated badge).
      const start = addDays(last, this.rng.int(3, 20));
      lines.push(this.line(org, 'PurchaseFee', { month: LAST_MONTH, start, end: endOfMonth(start), qty, unit, product, subscription: name, startBadge: 'System Updated' }));
    } else {
      const firstBase: BaseChargeType = this.rng.chance(0.3) ? 'PurchaseFee' : 'CycleFee';
      const firstStart = firstBase === 'PurchaseFee' ? addDays(prev, this.rng.int(2, 20)) : prev;
      const firstQty = kind === 'ended' ? qty : Math.max(1, qty - this.rng.int(0, 3));
      lines.push(this.line(org, firstBase, { month: PREVIOUS_MONTH, start: firstStart, end: endOfMonth(prev), qty: firstQty, unit, product, subscription: name }));
      if (kind === 'continuing') {
        lines.push(this.line(org, 'CycleFee', { month: LAST_MONTH, start: last, end: endOfMonth(last), qty, unit, product, subscription: name }));
      }
    }
    const rep = lines[lines.length - 1]!;
    const description = rep.chargeType;
    const addition = this.addition(org.main, {
      product: product.identifier,
      qty: rep.quantity,
      unit,
      effective: rep.chargeStartDate,
      cancelled: kind === 'ended' ? endOfMonth(prev) : null,
      description,
      invoiceDescription: `${name} - ${description}`,
    });
    const item: Item = { kind, org, lines, rep, addition };
    this.items.push(item);
    return item;
  }

  /** A one-time line (correction, usage, item or one-time fee) and its own Addition. */
  oneTime(org: Org, base: BaseChargeType, product: Product, month: string, day: number, opts: { spanning?: boolean } = {}): Item {
    const start = `${month}-${String(day).padStart(2, '0')}`;
    const negative = base === 'Correction' || base === 'UserCorrection';
    const qty = base === 'UsageFee' ? 1 : this.rng.int(1, 5);
    const listUnit = base === 'UsageFee' ? this.money(org, this.rng.int(50, 900) * org.rate * 0.37) : this.unitPrice(org, product);
    const unit = negative ? -listUnit : listUnit;
    let end = endOfMonth(start);
    let endBadge: 'User Updated' | undefined;
    let cancelled: IsoDate = end;
    if (opts.spanning) {
      end = addDays(endOfMonth(start), this.rng.int(3, 20));
      cancelled = end;
    } else if (base === 'UsageFee') {
      end = addDays(start, this.rng.int(0, Number(endOfMonth(start).slice(8)) - day));
      endBadge = 'User Updated';
      cancelled = end;
    } else if (base === 'UserCorrection') {
      end = addDays(start, this.rng.int(0, Number(endOfMonth(start).slice(8)) - day));
      cancelled = end;
    }
    const line = this.line(org, base, { month, start, end, qty, unit, product, endBadge });
    const description = base === 'UserCorrection' ? this.label('Correction') : line.chargeType;
    const addition = this.addition(org.main, {
      product: product.identifier,
      qty,
      unit,
      effective: start,
      cancelled,
      description,
      invoiceDescription: `${product.offer} - ${description}`,
    });
    const item: Item = { kind: opts.spanning ? 'spanning' : 'oneTime', org, lines: [line], rep: line, addition };
    this.items.push(item);
    return item;
  }
}
