// @vitest-environment happy-dom
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scrapePage, type ScrapeResult } from '../../../core/ingest';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/pages');
const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));

interface Expected {
  screen: ScrapeResult['screen'];
  lines?: unknown[];
  rows?: unknown[];
  additions?: Array<{ id: number }>;
  agreement?: object;
  company?: object;
  syntheticIds?: boolean;
  diagnostics?: object;
}

describe('saved-page fixtures', () => {
  it('has at least three layouts per app', () => {
    expect(pages.filter((p) => p.startsWith('platform-invoices')).length).toBeGreaterThanOrEqual(3);
    expect(pages.filter((p) => p.startsWith('cw-additions')).length).toBeGreaterThanOrEqual(3);
  });

  for (const file of pages) {
    it(`${file} yields exactly its expected rows`, () => {
      const name = file.replace(/\.html$/, '');
      const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
      const configUrl = join(dir, `${name}.config.json`);
      const config = existsSync(configUrl) ? JSON.parse(readFileSync(configUrl, 'utf8')) : {};
      const doc = new DOMParser().parseFromString(readFileSync(join(dir, file), 'utf8'), 'text/html');
      const result = scrapePage(doc, { config });

      expect(result.screen).toBe(expected.screen);
      if (expected.diagnostics) expect(result.diagnostics).toMatchObject(expected.diagnostics);
      if (result.screen === 'platform.invoices') {
        expect(result.skipped).toEqual([]);
        expect(result.lines).toEqual(expected.lines);
      }
      if (result.screen === 'platform.organizations' || result.screen === 'platform.products') expect(result.rows).toEqual(expected.rows);
      if (result.screen === 'connectwise.additions') {
        expect(result.skipped).toEqual([]);
        expect(result.agreement).toMatchObject(expected.agreement ?? {});
        expect(result.company).toMatchObject(expected.company ?? {});
        if (expected.syntheticIds) {
          expect(result.additions.every((a) => a.id < 0)).toBe(true);
          expect(result.additions.map((a) => ({ ...a, id: 0 }))).toEqual(expected.additions?.map((a) => ({ ...a, id: 0 })));
        } else {
          expect(result.additions).toEqual(expected.additions);
        }
      }
    });
  }
});
