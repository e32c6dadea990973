// No manifest CSS: a ::highlight() rule present from page load makes every one of the page's own
// style recalculations dearer (measured on the 5,000-row Additions grid: same number of
// recalculations, +300 to +500 ms of style time), whether or not anything is ever marked. The
// painter adopts the rule when it first paints a term, after the user has reached the page.
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runLoader } from '../../components/inpage/loader';
import { CONNECTWISE_WEB_MATCHES } from '../../core/shared/hosts';

// ConnectWise cloud web hosts; on-premise hosts are registered at run time from the options.
export default defineContentScript({
  matches: CONNECTWISE_WEB_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    runLoader(ctx, 'connectwise');
  },
});
