import type { CwBundle, Finding, PlatformLine, Report } from '../../../core/model';
import { REPORT_SCHEMA } from '../../../core/model';
import { openStorage } from '../../../storage';
import { openDatabase } from '../../../storage/db';
import type { ReconStorage, StorageOptions } from '../../../storage';

let counter = 0;

/** A database name no other test uses. */
export function freshName(label = 'db'): string {
  counter += 1;
  return `storage-test-${label}-${counter}-${Math.random().toString(36).slice(2)}`;
}

/** A clock that moves one second per reading, so "newest" is never a tie. */
export function tickingClock(start = '2026-11-25T10:00:00.000Z'): { now: () => Date; advance(ms: number): void } {
  let t = Date.parse(start);
  return {
    now: () => {
      t += 1000;
      return new Date(t);
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

const opened: ReconStorage[] = [];

/** Opens storage on a fresh database; closed by `closeAll` after each test. */
export async function open(options: StorageOptions = {}): Promise<ReconStorage> {
  const storage = await openStorage({ name: freshName(), now: tickingClock().now, ...options });
  opened.push(storage);
  return storage;
}

export function track(storage: ReconStorage): ReconStorage {
  opened.push(storage);
  return storage;
}

export async function closeAll(): Promise<void> {
  for (const storage of opened.splice(0)) {
    await storage.idle();
    storage.close();
  }
}

export function line(over: Partial<PlatformLine> = {}): PlatformLine {
  return {
    lineId: 'L1',
    invoiceDate: '2026-11-30',
    organization: 'Acme Ltd',
    offer: 'Microsoft 365 Business Basic',
    chargeType: 'CycleFee',
    chargeStartDate: '2026-11-01',
    quantity: 5,
    revenue: 30,
    psaOrganizationName: 'Acme',
    psaProductName: 'M365-BB',
    status: 'Synced',
    excluded: false,
    ...over,
  };
}

export function bundle(agreementIds: number[] = [3001], companyName = 'Acme'): CwBundle {
  return {
    companies: [{ id: 10, name: companyName }],
    agreements: agreementIds.map((id) => ({ id, name: `Agreement ${id}`, company: { id: 10, name: companyName } })),
    additions: agreementIds.map((agreementId, i) => ({
      id: 9000 + i,
      agreementId,
      product: { identifier: 'M365-BB' },
      quantity: 5,
      unitPrice: 6,
      effectiveDate: '2026-11-01T00:00:00Z',
      description: 'CycleFee',
    })),
    complete: true,
  };
}

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    kind: 'quantity_mismatch',
    severity: 'error',
    lineId: 'L00012',
    additionId: 9001,
    agreementId: 3001,
    field: 'quantity',
    expected: 5,
    actual: 4,
    message: 'The Platform bills 5 but the Addition in ConnectWise has quantity 4.',
    fix: 'Correct the Addition quantity in ConnectWise; do not re-sync.',
    ...over,
  };
}

export function report(findings: Finding[] = [finding()]): Report {
  return {
    schema: REPORT_SCHEMA,
    generatedAt: '2026-11-25T10:00:00.000Z',
    window: { from: '2026-11-01', to: '2026-11-30' },
    coverage: {
      linesRead: 10,
      linesCompared: 8,
      linesSkipped: { notSynced: 2 },
      additionsRead: 9,
      additionsInScope: 9,
      additionsMatched: 7,
      cwComplete: true,
      invoiceMonths: ['2026-11'],
      skippedRows: [],
      warnings: [],
    },
    findings,
  };
}

/**
 * The captures store as the raw database holds it after the storage is opened once, and again
 * after a second opening: an upgrade that has run must find nothing left to change.
 */
export async function capturesOpenedTwice(name: string): Promise<[unknown[], unknown[]]> {
  const openAndRead = async (): Promise<unknown[]> => {
    track(await openStorage({ name })).close();
    const raw = await openDatabase(name);
    const all = await raw.getAll('captures');
    raw.close();
    return all;
  };
  const first = await openAndRead();
  return [first, await openAndRead()];
}
