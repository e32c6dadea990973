import type { Report } from '../model';
import { renderCsv } from './csv';
import { renderText } from './text';

export type ReportFormat = 'json' | 'csv' | 'text';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'csv', 'text'];

/** DESIGN §4.4: the same findings in each format; JSON is the full report. */
export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'csv':
      return renderCsv(report);
    case 'text':
      return renderText(report);
  }
}

export { CSV_COLUMNS, MONEY_CSV_COLUMNS, renderMoneyCsv } from './csv';
export type { ReportNames } from './names';
