import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page, in light and in dark colour scheme, and returns the serious and
 * critical violations. Evaluated through the debugging protocol, so an extension page's CSP,
 * which forbids injected script tags, does not stand in the way.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeProblem[]> {
  const problems: AxeProblem[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.evaluate(axeSource);
    const found = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
    });
    problems.push(...found.map((p) => ({ ...p, id: `${colorScheme}: ${p.id}` })));
  }
  await page.emulateMedia({ colorScheme: null });
  return problems;
}
