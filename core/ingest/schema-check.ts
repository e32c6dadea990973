/**
 * A zod schema turned, once, into a plain predicate that accepts exactly what the schema accepts.
 * Parsing a bundle of 100,000 Additions with zod builds a full copy of it; the predicate only
 * reads. Readers run it first and call zod itself only when it fails, for zod's own message, or
 * when the schema changes values (defaults), where zod's output is the data.
 */
import type { z } from 'zod';

export interface CompiledCheck {
  /** True when the value passes the schema. */
  accepts: (value: unknown) => boolean;
  /** True when the schema's output is its input unchanged, so an accepted value can be used as is. */
  passThrough: boolean;
}

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  format?: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, unknown>;
  values?: unknown[];
}

interface CheckDef {
  check: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  pattern?: RegExp;
}

const acceptAll = () => true;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function compileCheck(schema: z.ZodType): CompiledCheck {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  const viaZod = (): CompiledCheck => ({ accepts: (v) => schema.safeParse(v).success, passThrough: false });
  switch (def.type) {
    case 'unknown':
    case 'any':
      return { accepts: acceptAll, passThrough: true };
    case 'boolean':
      return { accepts: (v) => typeof v === 'boolean', passThrough: true };
    case 'string': {
      const checks = (def.checks ?? []).map((c) => c._zod.def);
      const tests: Array<(v: string) => boolean> = [];
      for (const c of checks) {
        if (c.check === 'min_length' && c.minimum !== undefined) tests.push((v) => v.length >= (c.minimum as number));
        else if (c.check === 'max_length' && c.maximum !== undefined) tests.push((v) => v.length <= (c.maximum as number));
        else if (c.check === 'string_format' && c.format === 'regex' && c.pattern) {
          const pattern = c.pattern;
          tests.push((v) => {
            pattern.lastIndex = 0;
            return pattern.test(v);
          });
        }
        else return viaZod();
      }
      return {
        accepts: (v) => {
          if (typeof v !== 'string') return false;
          for (const t of tests) if (!t(v)) return false;
          return true;
        },
        passThrough: true,
      };
    }
    case 'number': {
      const formats = [def.format, ...(def.checks ?? []).map((c) => (c._zod.def.check === 'number_format' ? c._zod.def.format : 'other'))].filter((f) => f !== undefined);
      if (formats.some((f) => f !== 'safeint')) return viaZod();
      const int = formats.length > 0;
      return { accepts: (v) => typeof v === 'number' && (int ? Number.isSafeInteger(v) : Number.isFinite(v)), passThrough: true };
    }
    case 'optional':
    case 'nullable': {
      const inner = compileCheck(def.innerType as z.ZodType);
      const empty = def.type === 'optional' ? undefined : null;
      return { accepts: (v) => v === empty || inner.accepts(v), passThrough: inner.passThrough };
    }
    case 'enum': {
      const allowed = new Set(Object.values(def.entries ?? {}));
      return { accepts: (v) => allowed.has(v), passThrough: true };
    }
    case 'literal': {
      const allowed = new Set(def.values ?? []);
      return { accepts: (v) => allowed.has(v), passThrough: true };
    }
    case 'array': {
      const element = compileCheck(def.element as z.ZodType);
      return {
        accepts: (v) => {
          if (!Array.isArray(v)) return false;
          for (const item of v) if (!element.accepts(item)) return false;
          return true;
        },
        passThrough: element.passThrough,
      };
    }
    case 'union': {
      const options = (def.options ?? []).map(compileCheck);
      return {
        accepts: (v) => {
          for (const o of options) if (o.accepts(v)) return true;
          return false;
        },
        passThrough: options.every((o) => o.passThrough),
      };
    }
    case 'object': {
      const fields = Object.entries(def.shape ?? {}).map(([key, s]) => [key, compileCheck(s)] as const);
      const rest = def.catchall ? compileCheck(def.catchall) : undefined;
      const known = new Set(fields.map(([key]) => key));
      return {
        accepts: (v) => {
          if (!isObject(v)) return false;
          for (const [key, check] of fields) if (!check.accepts(v[key])) return false;
          if (rest && rest.accepts !== acceptAll) {
            for (const key of Object.keys(v)) if (!known.has(key) && !rest.accepts(v[key])) return false;
          }
          return true;
        },
        // A plain object drops unknown keys, so only a loose one gives back its input.
        passThrough: rest !== undefined && rest.passThrough && fields.every(([, c]) => c.passThrough),
      };
    }
    default:
      return viaZod();
  }
}
