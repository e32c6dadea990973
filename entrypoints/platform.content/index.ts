// The highlight rule is in the manifest, there before the page is parsed (why it is written
// for the root element only: components/inpage/highlight.css).
import '../../components/inpage/highlight.css';
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
