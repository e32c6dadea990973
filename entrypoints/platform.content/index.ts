import { defineContentScript } from 'wxt/utils/define-content-script';
import { runContentScript } from './agent-main';

// The Platform is a white-labelled portal per seller; custom seller domains are registered at
// run time from the options (core/app/service.ts, hosts.sync).
export default defineContentScript({
  matches: ['https://*.rethinkportal.com/*'],
  runAt: 'document_idle',
  main(ctx) {
    runContentScript(ctx, 'platform');
  },
});
