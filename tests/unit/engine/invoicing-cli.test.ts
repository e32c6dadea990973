import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import invoicing from '../../../bin/commands/invoicing';
import { UsageError } from '../../../bin/args';
import { WORKED_MONTH_DIR } from '../worked-month';

// `recon invoicing --thru <date>` over the worked example month, called in-process.

const EXAMPLE = WORKED_MONTH_DIR;
const dir = mkdtempSync(join(tmpdir(), 'recon-invoicing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recon invoicing', () => {
  const args = ['--thru', '2026-11-30', '--cw', join(EXAMPLE, 'cw.json'), '--lines', join(EXAMPLE, 'lines.csv'), '--config', join(EXAMPLE, 'config.json')];

  it('lists ready and blocked agreements with the guide’s steps (text)', async () => {
    const out = join(dir, 'ready.txt');
    expect(await invoicing([...args, '--out', out])).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/Thru Date 2026-11-30/);
    expect(text).toMatch(/BLOCKED Cobalt AB \/ Microsoft 365 Monthly \(#3021\)[\s\S]*Bill Products is "DoNotBill"/);
    expect(text).toMatch(/BLOCKED Kestrel Inc \/ Microsoft 365 Monthly \(#3015\)[\s\S]*Agreement Currency is USD but its Platform lines are in SEK/);
    expect(text).toMatch(/BLOCKED Granite BV[\s\S]*status is "Cancelled"/);
    expect(text).toMatch(/Agreement Invoicing steps[\s\S]*Create Invoices/);
  });

  it('writes json and csv', async () => {
    const json = join(dir, 'ready.json');
    expect(await invoicing([...args, '--format', 'json', '--out', json])).toBe(0);
    const parsed = JSON.parse(readFileSync(json, 'utf8'));
    expect(parsed.agreements.find((a: { agreementId: number }) => a.agreementId === 3039).blockers.map((b: { code: string }) => b.code)).toContain('not_active');
    const csv = join(dir, 'ready.csv');
    expect(await invoicing([...args, '--format', 'csv', '--out', csv])).toBe(0);
    expect(readFileSync(csv, 'utf8').trim().split('\r\n')).toHaveLength(parsed.agreements.length + 1);
  });

  it('rejects a bad Thru Date or a missing --cw as usage errors', async () => {
    await expect(invoicing(['--thru', '30.11.2026', '--cw', 'x.json'])).rejects.toBeInstanceOf(UsageError);
    await expect(invoicing(['--thru', '2026-11-30'])).rejects.toBeInstanceOf(UsageError);
    expect(await invoicing(['--help'])).toBe(0);
  });
});
