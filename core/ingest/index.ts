/** Everything that turns files and pages into model objects (DESIGN §4.1, §4.2, §5). */
export { parseLinesCsv, readLinesCsv, LinesCsvReader, detectDelimiter, type ParseLinesOptions, type ParsedLines } from './csv';
export { formatLinesCsv } from './csv-write';
export { parseCwBundle } from './bundle';
export { readPlatformGrid, rowKey, type PlatformGridResult } from './platform-grid';
export {
  readPlatformOrganizations,
  readPlatformProducts,
  type PlatformOrganizationRow,
  type PlatformProductRow,
  type TabResult,
} from './platform-tabs';
export { readCwAdditionsGrid, savedFromUrl, type CwAdditionsResult, type CwGridOptions } from './cw-grid';
export { scrapePage, detectScreen, cwBundleFromAdditionsPage, type ScrapeResult, type GridScreen, type CwAdditionsScrape } from './page';
export type { GridDiagnostics } from './diagnostics';
export { LINE_HEADERS, REQUIRED_LINE_FIELDS, type LineField } from './headers';
export {
  parseFileDate,
  parseDateInOrder,
  parseNumber,
  splitBadge,
  localeDateOrder,
  localeDecimalSeparator,
  type DateOrder,
} from './values';
