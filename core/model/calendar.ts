import { z } from 'zod';

/** An invoice month, `YYYY-MM`. */
export const MonthKey = z.string().regex(/^\d{4}-\d{2}$/, 'a YYYY-MM month');
export type MonthKey = z.infer<typeof MonthKey>;

/** A calendar date, `YYYY-MM-DD`, that exists (no 2026-02-30). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a YYYY-MM-DD date')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'a date that exists');
export type CalendarDate = z.infer<typeof CalendarDate>;
