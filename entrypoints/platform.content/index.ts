// Declared in the manifest so the highlight style is there from page load: adding it later forces
// a full style recalculation on large grids.
import '../../components/inpage/highlight.css';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runContentScript } from '../../components/inpage/content-script';
import { PLATFORM_MATCHES } from '../../core/shared/hosts';

// The Platform is a white-labelled portal per seller; custom seller domains are registered at
// run time from the options (core/app/service.ts, hosts.sync).
export default defineContentScript({
  matches: PLATFORM_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    runContentScript(ctx, 'platform');
  },
});
