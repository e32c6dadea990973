/**
 * How a grid's header row names the screen it belongs to: each screen's header score, the least
 * score that names it, and which wins when two score alike. The readers (`detectScreen`) and the
 * content script's page outline rank the same way through this one table.
 */
import type { GridScreen } from './page';
import { invoiceScore } from './platform-grid';
import { organizationsScore, productsScore } from './platform-tabs';

type NamedScreen = Exclude<GridScreen, 'none'>;

/** The least score that names each screen: the invoices grid and the Additions tab need three known columns, the mapping tabs two. */
const MINIMUM: Record<NamedScreen, number> = { 'connectwise.additions': 3, 'platform.invoices': 3, 'platform.organizations': 2, 'platform.products': 2 };

/** The Platform grids' header scores, in the order a tie goes. */
export const PLATFORM_GRID_SCORES: ReadonlyArray<readonly [NamedScreen, (headers: string[]) => number]> = [
  ['platform.invoices', invoiceScore],
  ['platform.organizations', organizationsScore],
  ['platform.products', productsScore],
];

/** The screen with the highest score that reaches its minimum; on a tie, the one listed first. */
export function rankScreens(scores: Iterable<readonly [NamedScreen, number]>): NamedScreen | undefined {
  let pick: NamedScreen | undefined;
  let top = 0;
  for (const [screen, score] of scores) if (score >= MINIMUM[screen] && score > top) [pick, top] = [screen, score];
  return pick;
}
