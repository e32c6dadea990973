// No manifest CSS: a ::highlight() rule present from page load makes every one of the page's own
// style recalculations dearer (measured on the 5,000-row Additions grid: same number of
// recalculations, +300 to +500 ms of style time), whether or not anything is ever marked. The
// painter adopts the rule when it first paints a term, after the user has reached the page.
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runLoader } from '../../components/inpage/loader';
import { PLATFORM_MATCHES } from '../../core/shared/hosts';

// The Platform is a white-labelled portal per seller; custom seller domains are registered at
// run time from the options (core/app/service.ts, hosts.sync).
export default defineContentScript({
  matches: PLATFORM_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    runLoader(ctx, 'platform');
  },
});
