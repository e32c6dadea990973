// Declared in the manifest so the highlight style is there from page load: adding it later forces
// a full style recalculation on large grids.
import '../../components/inpage/highlight.css';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runContentScript } from '../../components/inpage/content-script';
import { CONNECTWISE_WEB_MATCHES } from '../../core/shared/hosts';

// ConnectWise cloud web hosts; on-premise hosts are registered at run time from the options.
export default defineContentScript({
  matches: CONNECTWISE_WEB_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    runContentScript(ctx, 'connectwise');
  },
});
