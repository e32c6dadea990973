import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCwBundle } from '../../../core/ingest';
import { errorOf } from './errors';

// A copy of ../shared/examples/month-2026-11/cw.json, the worked example month.
const EXAMPLE = new URL('../../fixtures/bundles/month-2026-11-cw.json', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/bundles/${name}`, import.meta.url), 'utf8');


describe('parseCwBundle', () => {
  it('parses the worked example from text or from parsed JSON, keeping unknown fields', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const fromText = parseCwBundle(text, { file: 'cw.json' });
    expect(fromText.additions).toHaveLength(44);
    expect(fromText.companies).toHaveLength(8);
    expect(parseCwBundle(JSON.parse(text))).toEqual(fromText);
    expect((fromText.additions[0] as Record<string, unknown>).uom).toBe('Month');
    expect((fromText.catalog?.[0] as Record<string, unknown>).customerDescription).toBeDefined();
  });

  it('accepts a BOM', () => {
    expect(parseCwBundle('\uFEFF' + fixture('small.json')).additions).toHaveLength(5);
  });

  it('names the object and the field when a required field is missing', () => {
    const e = errorOf(() => parseCwBundle(fixture('missing-agreement-id.json'), { file: 'b.json' }));
    expect(e).toMatchObject({ file: 'b.json', row: 'additions[1] (id 50013)', field: 'agreementId' });
    expect(e.message).toBe('b.json, additions[1] (id 50013), field "agreementId": missing required field');
  });

  it('names nested fields and wrong types with their value', () => {
    const b = JSON.parse(fixture('small.json'));
    b.additions[0].quantity = 'ten';
    const e = errorOf(() => parseCwBundle(b, { file: 'b.json' }));
    expect(e).toMatchObject({ row: 'additions[0] (id 50011)', field: 'quantity', value: '"ten"' });
    delete b.additions[0].quantity;
    b.agreements[1].company = { name: 'x' };
    const nested = errorOf(() => parseCwBundle({ ...b, additions: [] }));
    expect(nested).toMatchObject({ row: 'agreements[1] (id 3005)', field: 'company.id' });
  });

  it('rejects bad dates, bad JSON, a missing list and a non-object', () => {
    const b = JSON.parse(fixture('small.json'));
    b.additions[2].effectiveDate = '11/01/2026';
    expect(errorOf(() => parseCwBundle(b))).toMatchObject({ field: 'effectiveDate', value: '11/01/2026' });
    expect(errorOf(() => parseCwBundle('{"companies": [', { file: 'x.json' })).message).toMatch(/^x\.json: not valid JSON/);
    expect(errorOf(() => parseCwBundle({ companies: [], agreements: [] })).message).toMatch(/field "additions": missing required list/);
    expect(errorOf(() => parseCwBundle([1, 2])).message).toMatch(/expected a JSON object/);
  });
});
