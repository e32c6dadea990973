// The highlight rule is in the manifest, there before the page is parsed (why it is written
// for the root element only: components/inpage/highlight.css).
import '../../components/inpage/highlight.css';
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
