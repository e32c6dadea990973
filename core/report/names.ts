import type { Report } from '../model';

/**
 * Display names for the ids findings carry. The engine adds them as the report's optional
 * `names` section (the report schema allows extra keys); without it ids stand alone.
 */
export interface ReportNames {
  companies: Record<string, string>;
  agreements: Record<string, string>;
}

export function reportNames(report: Report): { company(id: number): string; agreement(id: number): string } {
  const names = (report as { names?: Partial<ReportNames> }).names ?? {};
  return {
    company: (id) => (names.companies?.[id] ? `${names.companies[id]} (#${id})` : `#${id}`),
    agreement: (id) => (names.agreements?.[id] ? `${names.agreements[id]} (#${id})` : `#${id}`),
  };
}
