import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCwBundle, parseLinesCsv } from '../../core/ingest';
import type { CwBundle, Finding, PlatformLine, ReconcileConfig, Report, SkippedRow } from '../../core/model';
import { reconcile } from '../../core/reconcile';

/**
 * The worked example month (DESIGN: examples/month-2026-11), read once per test process: the
 * repository's copy in tests/fixtures, its files parsed by the same readers the CLI uses, and its
 * report reconciled as of the first of December. Tests that change what they read take copies
 * (spread, filter); nothing here is to be changed in place.
 */

/** The folder, built with node:path so happy-dom tests (whose URL cannot resolve file:) reach it too. */
export const WORKED_MONTH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/examples/month-2026-11');

/** When the worked month is reconciled: the morning after its last invoice month. */
export const WORKED_MONTH_NOW = new Date('2026-12-01T00:00:00Z');

export interface WorkedMonth {
  dir: string;
  /** A file of the month by name (config.json, lines.csv, cw.json, expected-findings.json). */
  path(name: string): string;
  read(name: string): string;
  config: ReconcileConfig;
  lines: PlatformLine[];
  skipped: SkippedRow[];
  bundle: CwBundle;
  /** The findings the month is known to produce (expected-findings.json). */
  expected: Finding[];
  /** The month reconciled at WORKED_MONTH_NOW, computed on first use. */
  readonly report: Report;
}

let loaded: WorkedMonth | undefined;

export function workedMonth(): WorkedMonth {
  if (loaded) return loaded;
  const path = (name: string) => join(WORKED_MONTH_DIR, name);
  const read = (name: string) => readFileSync(path(name), 'utf8');
  const config = JSON.parse(read('config.json')) as ReconcileConfig;
  const { lines, skipped } = parseLinesCsv(read('lines.csv'), { file: 'lines.csv', config });
  const bundle = parseCwBundle(read('cw.json'), { file: 'cw.json' });
  const expected = JSON.parse(read('expected-findings.json')) as Finding[];
  let report: Report | undefined;
  loaded = {
    dir: WORKED_MONTH_DIR,
    path,
    read,
    config,
    lines,
    skipped,
    bundle,
    expected,
    get report() {
      report ??= reconcile({ lines, bundle, config, skippedRows: skipped, now: WORKED_MONTH_NOW });
      return report;
    },
  };
  return loaded;
}
