import type { Report } from '../model';

export type { ReportNames } from '../model';

/** Display names for the ids findings carry; without the report's `names` section ids stand alone. */
export function reportNames(report: Report): { company(id: number): string; agreement(id: number): string } {
  const companies = report.names?.companies ?? {};
  const agreements = report.names?.agreements ?? {};
  return {
    company: (id) => (companies[id] ? `${companies[id]} (#${id})` : `#${id}`),
    agreement: (id) => (agreements[id] ? `${agreements[id]} (#${id})` : `#${id}`),
  };
}
