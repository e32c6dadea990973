import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { OptionsApi, PanelApi, PanelRun } from '../../../components/api';
import type { InPageHelpOptions, LookupEntity } from '../../../components/inpage/types';
import type { DictionaryEntry as EngineDictionaryEntry } from '../../../core/dictionary/types';
import type { HealthCheck as EngineHealthCheck } from '../../../core/health';
import type { invoicingReadiness } from '../../../core/invoicing';
import {
  Report,
  type FindingsDiff,
  type Mapping,
  type MappingKind,
  type PageContext,
  type ReportNames,
  type MoneyView,
  type RunFinding,
  type RunNames,
  type RunSummary,
} from '../../../core/model';
import type { MoneyView as EngineMoneyView } from '../../../core/money/view';
import type { ResponseOf } from '../../../core/protocol/messages';
import type { CaptureRecord, DictionaryRecord, MappingRecord, ResolutionRecord } from '../../../storage/records';
import type { CapturesPort, StoredCaptureMeta } from '../../../core/app/ports';
import type { BundleCaptureInput, LinesCaptureInput } from '../../../storage/captures';
import type { DictionaryEntryInput } from '../../../storage/dictionary';
import type { MappingInput } from '../../../storage/mappings';
import type { ResolutionPatch } from '../../../storage/resolutions';
import type { GridScreen } from '../../../core/ingest/page';
import type { CaptureKind, CaptureOrigin, CaptureSummary, Resolution, ResolutionStatus, Screen } from '../../../core/model';
import type { NewDictionaryEntry } from '../../../core/dictionary/schema';
import type { RunsRepo } from '../../../storage/runs';
import { workedMonth } from '../worked-month';

/*
 * Each domain concept has one shape: the engine, storage, the protocol and the views name the
 * same type, so nothing translates it on the way. The type assertions below are checked by the
 * compiler (`tsc` over the tests); a second definition of a concept fails them.
 */

type Element<T> = T extends readonly (infer E)[] ? E : never;
type Resolved<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

describe('one shape per concept', () => {
  it('a run summary is the model’s in storage, the protocol and the panel', () => {
    expectTypeOf<Element<ResponseOf<'runs.list'>>>().toEqualTypeOf<RunSummary>();
    expectTypeOf<Element<Resolved<RunsRepo['list']>>>().toEqualTypeOf<RunSummary>();
    expectTypeOf<Element<Resolved<PanelApi['listRuns']>>>().toEqualTypeOf<RunSummary>();
    expectTypeOf<NonNullable<ResponseOf<'runs.get'>>['names']>().toEqualTypeOf<RunNames>();
    expectTypeOf<NonNullable<PanelRun['names']>>().toEqualTypeOf<RunNames>();
    // runs.diff answers in the words the panel's own diff uses (added, gone, kept).
    expectTypeOf<Omit<ResponseOf<'runs.diff'>, 'runId' | 'baseRunId'>>().toEqualTypeOf<FindingsDiff<RunFinding>>();
  });

  it('a mapping kind is the model’s in storage, the protocol, the panel and the page help', () => {
    expectTypeOf<MappingRecord['kind']>().toEqualTypeOf<MappingKind>();
    expectTypeOf<Element<ResponseOf<'mappings.list'>>>().toEqualTypeOf<Mapping>();
    expectTypeOf<Element<Resolved<PanelApi['listMappings']>>>().toEqualTypeOf<Mapping>();
    expectTypeOf<Parameters<LookupEntity>[0]>().toEqualTypeOf<MappingKind>();
  });

  it('stored mappings, resolutions and dictionary entries are the model’s shapes plus their keys', () => {
    // Every model field under its model name and type: a renamed or retyped field fails these.
    expectTypeOf<Pick<MappingRecord, keyof Mapping>>().toEqualTypeOf<Mapping>();
    expectTypeOf<Pick<ResolutionRecord, keyof Resolution>>().toEqualTypeOf<Resolution>();
    expectTypeOf<Pick<DictionaryRecord, keyof EngineDictionaryEntry>>().toEqualTypeOf<EngineDictionaryEntry>();
    // What the repositories take is named as the model names it.
    expectTypeOf<MappingInput>().toEqualTypeOf<Pick<Mapping, 'kind' | 'platform' | 'cw' | 'cwId'>>();
    expectTypeOf<NonNullable<ResolutionPatch['status']>>().toEqualTypeOf<ResolutionStatus>();
    expectTypeOf<DictionaryEntryInput['platform']>().toEqualTypeOf<NewDictionaryEntry['platform']>();
    expectTypeOf<DictionaryEntryInput['connectwise']>().toEqualTypeOf<NewDictionaryEntry['connectwise']>();
  });

  it('a capture summary is the model’s in the protocol and the panel (no kind → source, complete → partial)', () => {
    expectTypeOf<Element<ResponseOf<'captures.list'>>>().toEqualTypeOf<CaptureSummary>();
    expectTypeOf<Element<Resolved<PanelApi['getStart']>['captures']>>().toEqualTypeOf<CaptureSummary>();
    expectTypeOf<Resolved<PanelApi['capture']>>().toEqualTypeOf<CaptureSummary>();
    expectTypeOf<Resolved<PanelApi['pull']>>().toEqualTypeOf<CaptureSummary>();
  });

  it('a stored capture is the model’s summary plus its keys (no capturedAt → createdAt, count → rows, partial → complete)', () => {
    // Every summary field under its model name and type: a renamed or retyped field fails these.
    expectTypeOf<Pick<CaptureRecord, keyof CaptureSummary>>().toEqualTypeOf<CaptureSummary>();
    expectTypeOf<Pick<StoredCaptureMeta, keyof CaptureSummary>>().toEqualTypeOf<CaptureSummary>();
    // What the repository and the port take to store one is named as the model names it.
    expectTypeOf<Pick<LinesCaptureInput, keyof CaptureOrigin>>().toEqualTypeOf<CaptureOrigin>();
    expectTypeOf<Pick<BundleCaptureInput, keyof CaptureOrigin>>().toEqualTypeOf<CaptureOrigin>();
    expectTypeOf<Pick<Parameters<CapturesPort['addBundle']>[0], keyof CaptureOrigin>>().toEqualTypeOf<CaptureOrigin>();
  });

  it('a capture’s kind is the model’s in storage and the app layer (no platform-lines → platform)', () => {
    expectTypeOf<CaptureRecord['kind']>().toEqualTypeOf<CaptureKind>();
    expectTypeOf<StoredCaptureMeta['kind']>().toEqualTypeOf<CaptureKind>();
    expectTypeOf<CaptureSummary['kind']>().toEqualTypeOf<CaptureKind>();
  });

  it('a resolution is the model’s in the protocol and the panel (no missing status → open)', () => {
    expectTypeOf<Element<ResponseOf<'resolutions.list'>>>().toEqualTypeOf<Resolution>();
    expectTypeOf<Element<Resolved<PanelApi['listResolutions']>>>().toEqualTypeOf<Resolution>();
    expectTypeOf<Parameters<PanelApi['putResolution']>[0]>().toEqualTypeOf<Resolution>();
    expectTypeOf<Resolution['status']>().toEqualTypeOf<ResolutionStatus>();
  });

  it('a screen the grid readers tell apart has the model’s name (no cw-additions → connectwise.additions)', () => {
    expectTypeOf<GridScreen>().toExtend<Screen>();
  });

  it('a health check is the engine’s in the protocol and the panel (no ok → pass → ok)', () => {
    expectTypeOf<Element<ResponseOf<'health.check'>>>().toEqualTypeOf<EngineHealthCheck>();
    expectTypeOf<Element<Resolved<PanelApi['health']>>>().toEqualTypeOf<EngineHealthCheck>();
    expectTypeOf<Element<Resolved<OptionsApi['testConnection']>['checks']>>().toEqualTypeOf<EngineHealthCheck>();
  });

  it('a dictionary entry is the engine’s in the protocol, the panel and the page help (no section ↔ guideSection)', () => {
    expectTypeOf<Element<ResponseOf<'dictionary.list'>>>().toEqualTypeOf<EngineDictionaryEntry>();
    expectTypeOf<Element<Resolved<PanelApi['listDictionary']>>>().toEqualTypeOf<EngineDictionaryEntry>();
    expectTypeOf<Element<NonNullable<InPageHelpOptions['entries']>>>().toEqualTypeOf<EngineDictionaryEntry>();
  });

  it('invoicing readiness is the engine’s in the protocol and the panel', () => {
    expectTypeOf<ResponseOf<'invoicing.readiness'>>().toEqualTypeOf<ReturnType<typeof invoicingReadiness>>();
    expectTypeOf<Resolved<PanelApi['invoicingReadiness']>>().toEqualTypeOf<ReturnType<typeof invoicingReadiness>>();
  });

  it('the panel sees the page as the protocol says it (no connectwise.additions → cw-additions)', () => {
    expectTypeOf<Resolved<PanelApi['getStart']>['page']>().toEqualTypeOf<PageContext>();
    expectTypeOf<ResponseOf<'page.context'>>().toEqualTypeOf<PageContext>();
  });

  it('the report declares its names and money view', () => {
    expectTypeOf<Report['names']>().toEqualTypeOf<ReportNames | undefined>();
    expectTypeOf<Report['money']>().toEqualTypeOf<MoneyView | undefined>();
    expectTypeOf<EngineMoneyView>().toEqualTypeOf<MoneyView>();
  });
});

describe('the report schema', () => {
  it('declares every key a report of the worked month carries, down to its money rows', () => {
    const { report } = workedMonth();
    expect(report.money?.rows.length).toBeGreaterThan(0);
    expect(Object.keys(report.names?.companies ?? {}).length).toBeGreaterThan(0);
    // A strict parse rejects any key the schema does not declare; the result is the report itself.
    expect(Report.strict().parse(report)).toEqual(report);
  });
});

describe('concept definitions in the source', () => {
  const ROOT = resolve(__dirname, '../../..');
  const CONCEPTS = [
    'MappingKind',
    'Mapping',
    'RunSummary',
    'RunNames',
    'RunDiff',
    'HealthCheck',
    'HealthStatus',
    'DictionaryEntry',
    'InvoicingRow',
    'InvoicingReadiness',
    'PageContext',
    'LinkBases',
    'SignOff',
    'MoneyView',
    'ReportNames',
    'Resolution',
    'ResolutionStatus',
    'CaptureKind',
    'CaptureSummary',
    'CaptureFileKind',
    'CaptureOrigin',
  ];
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return files(path);
      return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
    });
  const sources = ['core', 'storage', 'components', 'entrypoints', 'bin'].flatMap((d) => files(join(ROOT, d)));

  it('the field names stored records used before schema v3 live only where old records are read', () => {
    const old = /\b(platformName|cwName|otherTerm)\b/;
    const where = sources.filter((f) => old.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f)).sort();
    expect(where).toEqual(['storage/db.ts', 'storage/legacy.ts', 'storage/records.ts']);
  });

  it('the capture kinds stored before schema v4 live only where old records are read', () => {
    const old = /'(platform-lines|cw-bundle)'/;
    const where = sources.filter((f) => old.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f)).sort();
    expect(where).toEqual(['storage/legacy.ts']);
  });

  it('the capture field names stored before schema v5 live only where old records are read', () => {
    // `capturedAt` (now `createdAt`) and the `file:<what>:<names>` source (now `file`, `fileKind`).
    const old = /\bcapturedAt\b|file:\(bundle/;
    const where = sources.filter((f) => old.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f)).sort();
    expect(where).toEqual(['storage/db.ts', 'storage/legacy.ts', 'storage/records.ts']);
  });

  it.each(CONCEPTS)('%s is defined in one file', (name) => {
    // A definition, not a re-export: `export const X =`, `export type X =`, `export interface X`.
    const definition = new RegExp(`^export (?:const|type|interface) ${name}\\b(?!\\s*\\})`, 'm');
    const where = sources.filter((f) => definition.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(where).toHaveLength(1);
  });
});
