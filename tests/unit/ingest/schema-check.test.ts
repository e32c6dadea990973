import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileCheck } from '../../../core/ingest/schema-check';
import { CwAddition, CwAgreement, CwBundle, CwCompany, PlatformLine, Report } from '../../../core/model';
import { generateScenario } from '../../generator';

// A copy of ../shared/examples/month-2026-11/cw.json, the worked example month.
const EXAMPLE = JSON.parse(readFileSync(new URL('../../fixtures/bundles/month-2026-11-cw.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Values a damaged bundle may hold where a field should be. */
const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, 1.5, -0),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('2026-11-01', '2026-11-01T00:00:00Z', ''),
  fc.constant([]),
  fc.constant({}),
  fc.constant({ id: 1 }),
  fc.constant([{ id: 'x' }]),
);

/** Replaces or deletes the value at one path of a deep copy. */
function damage(root: unknown, path: Array<string | number>, value: unknown, remove: boolean): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    if (typeof next !== 'object' || next === null) return copy;
    cur = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (remove) delete cur[last];
  else cur[last] = value;
  return copy;
}

/** Every path in a value, for choosing where to damage it. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) {
    const p = [...prefix, Array.isArray(value) ? Number(k) : k];
    out.push(p);
    paths(v, p, out);
  }
  return out;
}

describe('compileCheck', () => {
  const check = compileCheck(CwBundle);

  it('gives back a bundle unchanged and says so, and knows a schema with defaults does not', () => {
    expect(check.passThrough).toBe(true);
    expect(compileCheck(PlatformLine).passThrough).toBe(false);
    expect(compileCheck(z.object({ a: z.string() })).passThrough).toBe(false);
    expect(check.accepts(EXAMPLE)).toBe(true);
    expect(CwBundle.parse(EXAMPLE)).toEqual(EXAMPLE);
  });

  it('accepts exactly what zod accepts for every damaged copy of the worked bundle', () => {
    const all = paths(EXAMPLE);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), junk, fc.boolean(), (i, value, remove) => {
        const damaged = damage(EXAMPLE, all[i] as Array<string | number>, value, remove);
        return check.accepts(damaged) === CwBundle.safeParse(damaged).success;
      }),
      { numRuns: 600 },
    );
  });

  it('accepts exactly what zod accepts for arbitrary values against each model schema', () => {
    const schemas = { CwBundle, CwAddition, CwAgreement, CwCompany, PlatformLine, Report };
    const value = fc.anything({ withNullPrototype: false, maxDepth: 3 });
    const disagree: string[] = [];
    for (const [name, schema] of Object.entries(schemas)) {
      const compiled = compileCheck(schema);
      fc.assert(fc.property(value, (v) => compiled.accepts(v) === schema.safeParse(v).success || (disagree.push(name), false)), { numRuns: 300 });
    }
    expect(disagree).toEqual([]);
  });

  it('accepts generated months, as zod does', () => {
    for (const seed of [1, 2, 3]) {
      const { bundle } = generateScenario({ seed, faults: [] });
      expect(check.accepts(JSON.parse(JSON.stringify(bundle)))).toBe(true);
    }
  });
});
