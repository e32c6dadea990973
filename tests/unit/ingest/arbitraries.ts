/** fast-check generators of Platform lines for reader round-trip tests. */
import fc from 'fast-check';
import type { Badge, PlatformLine, SyncStatus } from '../../../core/model';
import { ymd } from '../../../core/shared/dates';

const WORDS = ['Kestrel', 'Delta', 'Birch', 'Oy', 'AS', 'BV', 'Inc', 'Microsoft', '365', 'Plan', '2', 'Pro', '&', 'Co.', 'Ström', 'Müller', '#1', '(Delta #1)', 'E5'];
// Values a screen shows as "no value" or that read as a badge are not realistic names.
const RESERVED = /^(click to select|select|none|n\/a|—|–)$|updated/i;

export const name = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 })
  .map((w) => w.join(' '))
  .filter((s) => !RESERVED.test(s));

export const isoDate = fc.record({ y: fc.integer({ min: 2024, max: 2027 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }).map(({ y, m, d }) => ymd(y, m, d));

const cents = fc.integer({ min: -2_000_000_00, max: 2_000_000_00 }).map((c) => c / 100);
const badge: fc.Arbitrary<Badge | undefined> = fc.constantFrom<Badge | undefined>(undefined, undefined, 'System Updated', 'User Updated');
const status: fc.Arbitrary<SyncStatus> = fc.constantFrom<SyncStatus>('Synced', 'Not Synced', 'Error', 'Response Error');
const chargeType = fc.constantFrom('CycleFee', 'PurchaseFee', 'Cycle Fee', 'Monthly subscription', 'Correction', 'UsageFee', 'One Time Fee', 'UserCorrection');

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A line as a reader returns it: optional fields absent, `row` left to the caller. */
export const line: fc.Arbitrary<PlatformLine> = fc
  .record({
    lineId: fc.stringMatching(/^L\d{5}$/),
    invoiceNumber: fc.option(fc.stringMatching(/^INV-\d{6}-\d{3}$/), { nil: undefined }),
    invoiceDate: isoDate,
    organization: name,
    organizationRef: fc.option(fc.stringMatching(/^ORG-\d{4}$/), { nil: undefined }),
    subscription: fc.option(name, { nil: undefined }),
    offer: fc.option(name, { nil: undefined }),
    contractId: fc.option(fc.stringMatching(/^IC-\d{5}$/), { nil: undefined }),
    currency: fc.option(fc.constantFrom('EUR', 'GBP', 'NOK', 'SEK', 'USD'), { nil: undefined }),
    chargeType,
    chargeTypeBadge: badge,
    chargeStartDate: isoDate,
    chargeStartDateBadge: badge,
    chargeEndDate: fc.option(isoDate, { nil: undefined }),
    chargeEndDateBadge: badge,
    quantity: fc.integer({ min: -50, max: 25_000 }),
    cost: fc.option(cents, { nil: undefined }),
    revenue: cents,
    psaOrganizationName: fc.option(name, { nil: undefined }),
    psaProductName: fc.option(fc.stringMatching(/^[A-Z]{3,5}-[A-Z0-9]{1,3}$/), { nil: undefined }),
    psaAgreementName: fc.option(name, { nil: undefined }),
    status,
    excluded: fc.boolean(),
  })
  .map((l) => {
    const out = strip(l) as PlatformLine;
    // A badge on the end date needs an end date to sit beside.
    if (!out.chargeEndDate) delete out.chargeEndDateBadge;
    return out;
  });

/**
 * Lines with distinct ids, numbered by row. A source either has the Status in PSA column or not
 * (a blank cell in it is Not Synced), so the lines of one source all have a status or none has.
 */
export const lines = (max = 12) =>
  fc
    .tuple(fc.uniqueArray(line, { minLength: 1, maxLength: max, selector: (l) => l.lineId }), fc.boolean())
    .map(([ls, statusColumn]) =>
      ls.map((l, i) => {
        const { status: _status, ...rest } = l;
        return statusColumn ? { ...l, row: i + 1 } : { ...rest, row: i + 1 };
      }),
    );
