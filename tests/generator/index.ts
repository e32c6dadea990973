import { CORE_FINDING_KINDS, REFERENCE_FINDING_KINDS, type BaseChargeType, type CwBundle, type FindingKind, type PlatformLine, type ReconcileConfig } from '../../core/model';
import { addDays, endOfMonth, toCwDateTime } from '../../core/shared/dates';
import { Random } from './random';
import { DEFAULT_TYPE, LAST_MONTH, PREVIOUS_MONTH, PRODUCTS, UNUSED_PRODUCTS, World, type Item, type Org } from './world';

/**
 * Scenario generator (tests, sandbox, demo, benchmarks). A scenario is a consistent two-month
 * world (October and November 2026) in which a correct sync left ConnectWise exactly as the
 * Platform says, plus optional planted faults, each listed in `planted` with the id the engine
 * must report it under. Noise (records the engine must ignore) never produces a finding.
 */

export interface PlantedFault {
  kind: FindingKind;
  lineId?: string;
  additionId?: number;
  agreementId?: number;
  organization?: string;
  productIdentifier?: string;
}

export interface Scenario {
  lines: PlatformLine[];
  bundle: CwBundle;
  config: ReconcileConfig;
  planted: PlantedFault[];
}

export interface ScenarioOptions {
  seed: number;
  /** Organizations with ordinary content (default 8); planted faults may add a few more. */
  organizations?: number;
  /** `'all'` plants one of each supported kind; default `'none'`. */
  faults?: 'all' | 'none' | FindingKind[];
  /** Records the engine must ignore (out-of-window, other agreements, excluded orgs); default true. */
  noise?: boolean;
  /**
   * Fill in cross-references (DESIGN §3.7): Company "ERPId", Agreement "Platform Contract" and
   * catalog integrationXRef, with the config naming them. Default false; planting a reference
   * kind turns it on.
   */
  references?: boolean;
}

/** The DESIGN §3.6 kinds the generator can plant (the §3.7 reference kinds come later). */
export const PLANTABLE_KINDS: readonly FindingKind[] = CORE_FINDING_KINDS;

/** DESIGN §3.7 kinds: planted only when asked for by name (they need `references`). */
export const REFERENCE_KINDS: readonly FindingKind[] = REFERENCE_FINDING_KINDS;

export const COMPANY_REF_FIELD = 'ERPId';
/** The Addition custom field holding the Platform line id, when a scenario configures one. */
export const LINE_REF_FIELD = 'Platform Line';
export const AGREEMENT_REF_FIELD = 'Platform Contract';

const NAMES = [
  'Aurora', 'Bluebird', 'Cobalt', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper',
  'Kestrel', 'Linden', 'Maple', 'Nordlys', 'Oak', 'Pine', 'Quartz', 'Raven', 'Spruce', 'Tundra',
  'Umber', 'Vale', 'Willow', 'Yarrow', 'Zephyr',
];
const SUFFIXES = ['AS', 'AB', 'Oy', 'Inc', 'GmbH', 'BV', 'Ltd', 'SA'];
const ONE_TIME: readonly BaseChargeType[] = ['Correction', 'UsageFee', 'ItemFee', 'OneTimeFee', 'UserCorrection'];

export function generateScenario(opts: ScenarioOptions): Scenario {
  const rng = new Random(opts.seed);
  const world = new World(rng, pickConfig(rng));
  const faults = opts.faults === 'all' ? [...PLANTABLE_KINDS] : opts.faults === 'none' || !opts.faults ? [] : opts.faults;
  for (const kind of faults) {
    if (!PLANTABLE_KINDS.includes(kind) && !REFERENCE_KINDS.includes(kind)) throw new Error(`generateScenario: cannot plant "${kind}"`);
  }
  const references = opts.references ?? faults.some((k) => REFERENCE_KINDS.includes(k));
  if (references) {
    world.config.companyRefField = COMPANY_REF_FIELD;
    world.config.agreementRefField = AGREEMENT_REF_FIELD;
  }
  const noise = opts.noise ?? true;
  const count = Math.max(1, opts.organizations ?? 8);
  const names = orgNames(rng, count + 8);

  const normal: Org[] = [];
  for (let i = 0; i < count; i++) normal.push(world.newOrg(names.next()));
  const needsShared = faults.includes('agreement_required') || (count >= 4 && rng.chance(0.7));
  if (needsShared) {
    const company = world.company(`${names.peekStem()} Group ${rng.pick(SUFFIXES)}`);
    normal.push(world.newOrg(names.next(), { company }), world.newOrg(names.next(), { company }));
  }
  for (const org of normal) fillOrg(world, org);

  const planted: PlantedFault[] = [];
  for (const kind of faults) planted.push(plant(world, kind, normal, names));

  if (noise) addNoise(world, normal, names);
  return finish(world, planted, references);
}

export interface LargeOptions {
  /**
   * Additions per line, from 0.7 to 1 (default 1). Below 1, organizations hold more subscriptions
   * that run through both months (two lines, one persistent Addition, DESIGN §3.3) in place of
   * new subscriptions and one-time lines (one line, one Addition each), so the month has the
   * same number of lines and fewer Additions, and still reconciles clean. A large partner's
   * month looks like this: most lines are the monthly cycle fees of long-running subscriptions.
   */
  additionsPerLine?: number;
}

/**
 * A large consistent world for benchmarks: about n lines and n Additions (10 lines and 10
 * Additions per organization, two of them noise the engine must ignore); with
 * `additionsPerLine` below 1, the same lines against fewer Additions.
 */
export function generateLarge(n: number, seed: number, opts: LargeOptions = {}): Scenario {
  const rng = new Random(seed);
  const world = new World(rng, pickConfig(rng));
  const orgs = Math.max(1, Math.round(n / 10));
  const ratio = opts.additionsPerLine ?? 1;
  if (!(ratio >= 0.7 && ratio <= 1)) throw new Error(`generateLarge: additionsPerLine must be within 0.7 and 1, got ${ratio}`);
  // Each organization holds 10 lines and 10 Additions in the default mix; each pair of one-line
  // items turned into one more continuing subscription keeps its 10 lines and saves one Addition.
  const saved = (i: number) => Math.round(i * 10 * (1 - ratio));
  for (let i = 0; i < orgs; i++) {
    const org = world.newOrg(`Cust${String(i + 1).padStart(6, '0')} ${SUFFIXES[i % SUFFIXES.length]!}`);
    const longer = saved(i + 1) - saved(i);
    const fresh = Math.max(0, 2 - longer);
    world.subscription(org, 'continuing', rng.pick(PRODUCTS), 1);
    world.subscription(org, 'continuing', rng.pick(PRODUCTS), 2);
    for (let k = 0; k < longer; k++) world.subscription(org, 'continuing', rng.pick(PRODUCTS), 3 + k);
    for (let k = 0; k < fresh; k++) world.subscription(org, 'new', rng.pick(PRODUCTS), 3 + longer + k);
    addOneTimes(world, org, 4 - 2 * longer + (2 - fresh));
    outOfWindow(world, org);
    world.addition(org.managed, { product: 'BACKUP-365', qty: rng.int(1, 40), unit: 3.5, effective: '2026-01-01', cancelled: null, description: 'Cycle Fee', invoiceDescription: 'Cloud backup for 365' });
  }
  return finish(world, []);
}

function pickConfig(rng: Random): ReconcileConfig {
  const config: ReconcileConfig = { defaultAgreementType: DEFAULT_TYPE };
  const names: ReconcileConfig['chargeTypeNames'] = {};
  if (rng.chance(0.6)) names.CycleFee = 'Monthly subscription';
  if (rng.chance(0.3)) names.Correction = 'Credit adjustment';
  if (rng.chance(0.2)) names.UsageFee = 'Consumption';
  if (Object.keys(names).length) config.chargeTypeNames = names;
  return config;
}

function orgNames(rng: Random, _count: number) {
  const stems = rng.shuffle([...NAMES]);
  let i = 0;
  const stem = (k: number) => (k < stems.length ? stems[k]! : `${stems[k % stems.length]!}${Math.floor(k / stems.length) + 1}`);
  return {
    next(): string {
      const name = `${stem(i)} ${SUFFIXES[(i * 7 + 3) % SUFFIXES.length]!}`;
      i++;
      return name;
    },
    peekStem: () => stem(i),
  };
}

/** Ordinary content: the first subscription continues into the last month so the org is complete. */
function fillOrg(world: World, org: Org): void {
  const { rng } = world;
  const subs = rng.int(2, 3);
  for (let k = 1; k <= subs; k++) {
    const kind = k === 1 ? 'continuing' : rng.pick(['continuing', 'continuing', 'new', 'ended'] as const);
    world.subscription(org, kind, rng.pick(PRODUCTS), k);
  }
  addOneTimes(world, org, rng.int(1, 3));
}

function addOneTimes(world: World, org: Org, count: number, month?: string): void {
  const { rng } = world;
  for (let k = 0; k < count; k++) {
    const m = month ?? (rng.chance(0.6) ? LAST_MONTH : PREVIOUS_MONTH);
    const { product, day } = world.slot(org, m, 2, 25);
    world.oneTime(org, rng.pick(ONE_TIME), product, m, day);
  }
}

function outOfWindow(world: World, org: Org): void {
  const { rng } = world;
  const start = `2026-08-${String(rng.int(2, 20)).padStart(2, '0')}`;
  const product = rng.pick(PRODUCTS);
  world.addition(org.main, {
    product: product.identifier,
    qty: rng.int(1, 9),
    unit: world.unitPrice(org, product),
    effective: start,
    cancelled: rng.chance(0.5) ? endOfMonth(start) : '2026-09-30',
    description: 'One Time Fee',
    invoiceDescription: `${product.offer} - One Time Fee`,
  });
}

function addNoise(world: World, orgs: Org[], names: ReturnType<typeof orgNames>): void {
  const { rng } = world;
  for (const org of orgs) {
    outOfWindow(world, org);
    world.addition(org.managed, { product: rng.pick(UNUSED_PRODUCTS), qty: rng.int(1, 40), unit: 3.5, effective: '2026-01-01', cancelled: null, description: 'Cycle Fee', invoiceDescription: 'Cloud backup for 365' });
    if (rng.chance(0.4)) {
      // Predicted but not yet synced, fully mapped: nothing to report.
      const product = rng.pick(PRODUCTS);
      world.line(org, 'OneTimeFee', { month: LAST_MONTH, start: `${LAST_MONTH}-${String(rng.int(2, 20)).padStart(2, '0')}`, end: `${LAST_MONTH}-30`, qty: 1, unit: world.unitPrice(org, product), product, status: 'Not Synced' });
    }
  }
  // An older and a future agreement of the default type: the dated one in force is chosen.
  const target = orgs.find((o) => !o.shared && !o.incomplete);
  if (target) {
    const older = world.agreement(target.company, DEFAULT_TYPE, DEFAULT_TYPE, target.currency, '2023-01-01');
    world.agreement(target.company, DEFAULT_TYPE, DEFAULT_TYPE, target.currency, '2027-01-01');
    const product = rng.pick(PRODUCTS);
    world.addition(older, { product: product.identifier, qty: 997, unit: world.unitPrice(target, product), effective: '2026-11-01', cancelled: null, description: 'Cycle Fee', invoiceDescription: `${product.offer} (old) - Cycle Fee` });
  }
  // A deliberately excluded organization: its lines say nothing, however broken.
  const excluded = world.newOrg(names.next(), { excluded: true });
  const product = rng.pick(PRODUCTS);
  const base = { qty: 2, unit: world.unitPrice(excluded, product), product };
  world.line(excluded, 'CycleFee', { ...base, month: LAST_MONTH, start: `${LAST_MONTH}-01`, end: `${LAST_MONTH}-30`, subscription: `${product.offer} (${excluded.short} #1)` });
  world.line(excluded, 'OneTimeFee', { ...base, month: LAST_MONTH, start: `${LAST_MONTH}-05`, end: `${LAST_MONTH}-30`, status: 'Error' });
  const unmapped = world.line(excluded, 'UserCorrection', { ...base, month: PREVIOUS_MONTH, start: `${PREVIOUS_MONTH}-20`, end: `${LAST_MONTH}-10`, status: 'Not Synced' });
  unmapped.psaOrganizationName = undefined;
  unmapped.psaProductName = undefined;
  // A CW customer with no Platform lines at all.
  const stranger = world.company(`${names.peekStem()}stad ${rng.pick(SUFFIXES)}`);
  const agreement = world.agreement(stranger, DEFAULT_TYPE, DEFAULT_TYPE, 'EUR');
  world.addition(agreement, { product: 'M365-BP', qty: 999, unit: 22, effective: '2026-11-01', cancelled: null, description: 'Cycle Fee', invoiceDescription: 'Microsoft 365 Business Premium (x) - Cycle Fee' });
}

function plant(world: World, kind: FindingKind, orgs: Org[], names: ReturnType<typeof orgNames>): PlantedFault {
  const { rng } = world;
  const pool = orgs.filter((o) => !o.incomplete && !o.excluded);
  const org = rng.pick(pool);
  const freshSub = (o: Org = org): Item => world.subscription(o, 'continuing', rng.pick(PRODUCTS), 10 + world.items.length);
  const predicted = (o: Org, status: PlatformLine['status'] = 'Not Synced'): PlatformLine => {
    const product = rng.pick(PRODUCTS);
    const start = `${LAST_MONTH}-${String(rng.int(2, 20)).padStart(2, '0')}`;
    return world.line(o, 'OneTimeFee', { month: LAST_MONTH, start, end: endOfMonth(start), qty: 1, unit: world.unitPrice(o, product), product, status });
  };
  switch (kind) {
    case 'missing_addition': {
      const item = rng.chance(0.5) ? freshSub() : freshOneTime(world, org);
      world.additions.splice(world.additions.indexOf(item.addition), 1);
      return { kind, lineId: item.rep.lineId };
    }
    case 'wrong_agreement': {
      const item = rng.chance(0.5) ? freshSub() : freshOneTime(world, org);
      item.addition.agreementId = org.managed.id;
      return { kind, lineId: item.rep.lineId };
    }
    case 'effective_date_mismatch': {
      const item = freshSub();
      item.addition.effectiveDate = toCwDateTime(addDays(item.rep.chargeStartDate, rng.int(2, 9)));
      return { kind, lineId: item.rep.lineId };
    }
    case 'cancelled_date_mismatch': {
      if (rng.chance(0.5)) {
        // An ended subscription left open.
        const item = world.subscription(org, 'ended', rng.pick(PRODUCTS), 10 + world.items.length);
        item.addition.cancelledDate = null;
        return { kind, lineId: item.rep.lineId };
      }
      const item = freshSub();
      item.addition.cancelledDate = toCwDateTime(`${LAST_MONTH}-30`);
      return { kind, lineId: item.rep.lineId };
    }
    case 'quantity_mismatch': {
      const item = freshSub();
      item.addition.quantity += rng.int(1, 5);
      return { kind, lineId: item.rep.lineId };
    }
    case 'unit_price_mismatch': {
      const item = rng.chance(0.5) ? freshSub() : freshOneTime(world, org);
      const unit = item.addition.unitPrice ?? 0;
      item.addition.unitPrice = world.money(org, unit * 1.2 + (unit < 0 ? -1 : 1));
      return { kind, lineId: item.rep.lineId };
    }
    case 'description_mismatch': {
      const item = freshSub();
      item.addition.description = 'Misc charge';
      item.addition.invoiceDescription = `${item.rep.subscription ?? item.rep.offer} - Misc charge`;
      return { kind, lineId: item.rep.lineId };
    }
    case 'currency_mismatch': {
      const item = rng.chance(0.5) ? freshSub() : freshOneTime(world, org);
      item.rep.currency = org.decimals === 0 ? (org.currency === 'KRW' ? 'JPY' : 'KRW') : org.currency === 'EUR' ? 'USD' : 'EUR';
      return { kind, lineId: item.rep.lineId };
    }
    case 'unmapped_organization': {
      const line = predicted(org);
      line.psaOrganizationName = undefined;
      return { kind, lineId: line.lineId };
    }
    case 'unmapped_product': {
      const line = predicted(org);
      line.psaProductName = undefined;
      return { kind, lineId: line.lineId };
    }
    case 'agreement_required': {
      const shared = rng.pick(pool.filter((o) => o.shared));
      const line = predicted(shared);
      line.psaAgreementName = undefined;
      return { kind, lineId: line.lineId };
    }
    case 'agreement_not_found': {
      const line = predicted(org);
      line.psaAgreementName = `Legacy Agreement ${rng.int(10, 99)}`;
      return { kind, lineId: line.lineId };
    }
    case 'sync_failed': {
      const line = predicted(org, rng.chance(0.5) ? 'Error' : 'Response Error');
      return { kind, lineId: line.lineId };
    }
    case 'correction_spans_periods': {
      const { product, day } = world.slot(org, LAST_MONTH, 10, 20);
      const item = world.oneTime(org, 'UserCorrection', product, LAST_MONTH, day, { spanning: true });
      return { kind, lineId: item.rep.lineId };
    }
    case 'duplicate_addition': {
      // A copy of a named subscription's Addition: its invoice description names a subscription
      // that already has its pair, so no other line may claim it. A nameless one-time copy could
      // rightly pair with a line whose Addition another fault removed (same price and dates), and
      // the month would then hold a mismatch instead of the planted missing + duplicate.
      const item = freshSub();
      const copy = world.cloneAddition(item.addition);
      return { kind, additionId: copy.id };
    }
    case 'orphan_addition': {
      const addition = world.addition(org.main, { product: 'MAIL-SEC', qty: rng.int(1, 30), unit: world.money(org, 2 * org.rate), effective: `${PREVIOUS_MONTH}-01`, cancelled: null, description: 'Cycle Fee', invoiceDescription: 'Mail security - Cycle Fee' });
      return { kind, additionId: addition.id };
    }
    case 'agreement_not_active':
    case 'agreement_not_billable':
    case 'agreement_ended': {
      // A dedicated organization, so the agreement-level finding stands alone.
      const own = world.newOrg(names.next());
      fillOrg(world, own);
      if (kind === 'agreement_not_active') {
        own.main.agreementStatus = 'Cancelled';
        own.main.cancelledFlag = true;
      } else if (kind === 'agreement_not_billable') own.main.billProducts = 'DoNotBill';
      else {
        // Ended with the previous month: the last month's lines start after it.
        own.main.endDate = toCwDateTime(endOfMonth(`${PREVIOUS_MONTH}-01`));
        own.main.noEndingDateFlag = false;
      }
      return { kind, agreementId: own.main.id };
    }
    case 'company_not_found': {
      // A line not synced yet whose PSA Organization Name names no ConnectWise company.
      const line = predicted(org);
      line.psaOrganizationName = `${org.name} Holding`;
      return { kind, lineId: line.lineId };
    }
    case 'addition_not_billed': {
      const item = rng.chance(0.5) ? freshSub() : freshOneTime(world, org);
      item.addition.billCustomer = rng.chance(0.5) ? 'DoNotBill' : 'NoCharge';
      return { kind, lineId: item.rep.lineId };
    }
    case 'less_included': {
      const item = freshSub();
      item.addition.lessIncluded = rng.int(1, Math.max(1, item.addition.quantity));
      return { kind, lineId: item.rep.lineId };
    }
    case 'product_mismatch': {
      // Paired through the line-reference field, but carrying another product.
      world.config.lineRefField = LINE_REF_FIELD;
      const item = freshOneTime(world, org);
      item.addition.product = { identifier: rng.pick(UNUSED_PRODUCTS) };
      item.addition.customFields = [{ id: 3, caption: LINE_REF_FIELD, type: 'Text', value: item.rep.lineId }];
      return { kind, lineId: item.rep.lineId };
    }
    case 'company_reference_mismatch': {
      const own = rng.pick(pool.filter((o) => !o.shared));
      own.company.customFields = [{ id: 1, caption: COMPANY_REF_FIELD, type: 'Text', value: rng.chance(0.5) ? 'ORG-00000' : '' }];
      return { kind, organization: own.name };
    }
    case 'agreement_reference_mismatch': {
      org.main.customFields = [{ id: 2, caption: AGREEMENT_REF_FIELD, type: 'Text', value: rng.chance(0.5) ? 'IC-000000' : null }];
      return { kind, agreementId: org.main.id };
    }
    case 'product_reference_mismatch': {
      const used = [...new Set(world.items.filter((i) => !i.org.excluded).map((i) => i.rep.psaProductName!))].sort();
      const free = used.filter((p) => !world.xrefOverrides.has(p));
      const identifier = rng.pick(free.length ? free : used);
      world.xrefOverrides.set(identifier, 'Dynamics 365 Sales');
      return { kind, productIdentifier: identifier };
    }
    case 'month_incomplete': {
      const own = world.newOrg(names.next(), { incomplete: true });
      // Lines only in the previous month; the subscriptions are not judged ended.
      for (let k = 1; k <= 2; k++) {
        const item = world.subscription(own, 'ended', rng.pick(PRODUCTS), k);
        item.addition.cancelledDate = null;
      }
      addOneTimes(world, own, 1, PREVIOUS_MONTH);
      return { kind, organization: own.name };
    }
    default:
      throw new Error(`generateScenario: cannot plant "${kind}"`);
  }
}

function freshOneTime(world: World, org: Org): Item {
  const { product, day } = world.slot(org, LAST_MONTH, 2, 27);
  return world.oneTime(org, world.rng.pick(ONE_TIME), product, LAST_MONTH, day);
}

function finish(world: World, planted: PlantedFault[], references = false): Scenario {
  const { rng } = world;
  if (references) fillReferences(world);
  const lines = rng.shuffle([...world.lines]).map((line, i) => ({ ...stripUndefined(line), row: i + 1 }));
  const bundle: CwBundle = {
    companies: rng.shuffle([...world.companies]),
    agreements: rng.shuffle([...world.agreements]),
    additions: rng.shuffle([...world.additions]),
    agreementTypes: [
      { id: 1, name: DEFAULT_TYPE, defaultFlag: true, billProducts: 'Billable', billingCycle: { id: 1, name: 'Monthly' }, autoInvoiceFlag: false, inactiveFlag: false },
      { id: 2, name: 'Managed Service', defaultFlag: false, billProducts: 'Billable', billingCycle: { id: 1, name: 'Monthly' }, autoInvoiceFlag: false, inactiveFlag: false },
    ],
    catalog: [...PRODUCTS.map((p, i) => ({ id: 900 + i, identifier: p.identifier, description: p.offer, price: p.price, inactiveFlag: false, ...(references ? { integrationXRef: world.xrefOverrides.get(p.identifier) ?? p.offer } : {}) })),
      ...UNUSED_PRODUCTS.map((identifier, i) => ({ id: 950 + i, identifier, description: identifier, price: 3.5, inactiveFlag: false }))],
    fetchedAt: '2026-11-30T12:00:00Z',
    complete: true,
  };
  return { lines, bundle, config: world.config, planted };
}

/** Consistent cross-references, except where a planted fault already set one. */
function fillReferences(world: World): void {
  const refs = new Map<number, string[]>();
  for (const org of world.orgs) refs.set(org.company.id, [...(refs.get(org.company.id) ?? []), org.ref]);
  for (const company of world.companies) {
    if (company.customFields) continue;
    const values = refs.get(company.id);
    if (values) company.customFields = [{ id: 1, caption: COMPANY_REF_FIELD, type: 'Text', value: values.join(', ') }];
  }
  for (const org of world.orgs) {
    if (!org.main.customFields) org.main.customFields = [{ id: 2, caption: AGREEMENT_REF_FIELD, type: 'Text', value: org.contract }];
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
