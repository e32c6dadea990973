import axe from 'axe-core';

export interface AxeProblem {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core over a rendered root and returns the serious and critical violations. In
 * happy-dom there is no layout, so rules that need rendering (contrast, scrollable regions) are
 * left to the real-Chromium run; pass `{ layout: true }` there to keep them.
 */
export async function seriousViolations(root: Element | Document, opts: { layout?: boolean } = {}): Promise<AxeProblem[]> {
  const rules: axe.RuleObject = opts.layout
    ? {}
    : { 'color-contrast': { enabled: false }, 'scrollable-region-focusable': { enabled: false }, 'target-size': { enabled: false } };
  const result = await axe.run(root as Element, { rules, resultTypes: ['violations'] });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}
