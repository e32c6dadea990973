import type { PlatformLine } from '../../../../core/model';

const HEADER = [
  'Line ID', 'Invoice #', 'Invoice Date', 'Organization', 'Organization Reference #', 'Subscription', 'Offer',
  'Contract ID', 'Currency', 'Charge Type', 'Charge Type Badge', 'Charge Start Date', 'Charge Start Date Badge',
  'Charge End Date', 'Charge End Date Badge', 'Quantity', 'Cost', 'Revenue', 'PSA Organization Name',
  'PSA Product Name', 'PSA Agreement Name', 'Status in PSA', 'Excluded from Sync',
];

function field(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The Export button's file: every column (hidden ones too, so the export always reconciles),
 * ISO dates and plain numbers, in the header the CSV reader documents (DESIGN §4.1).
 */
export function linesToCsv(lines: PlatformLine[]): string {
  const rows = lines.map((l) =>
    [
      l.lineId, l.invoiceNumber, l.invoiceDate, l.organization, l.organizationRef, l.subscription, l.offer,
      l.contractId, l.currency, l.chargeType, l.chargeTypeBadge, l.chargeStartDate, l.chargeStartDateBadge,
      l.chargeEndDate, l.chargeEndDateBadge, l.quantity, l.cost, l.revenue, l.psaOrganizationName,
      l.psaProductName, l.psaAgreementName, l.status, l.excluded ? 'Yes' : 'No',
    ]
      .map(field)
      .join(','),
  );
  return `${[HEADER.join(','), ...rows].join('\r\n')}\r\n`;
}
