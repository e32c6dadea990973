import { defineContentScript } from 'wxt/utils/define-content-script';
import { runContentScript } from '../platform.content/agent-main';

// ConnectWise cloud web hosts; on-premise hosts are registered at run time from the options.
export default defineContentScript({
  matches: [
    'https://na.myconnectwise.net/*',
    'https://eu.myconnectwise.net/*',
    'https://au.myconnectwise.net/*',
    'https://aus.myconnectwise.net/*',
    'https://za.myconnectwise.net/*',
    'https://staging.connectwisedev.com/*',
  ],
  runAt: 'document_idle',
  main(ctx) {
    runContentScript(ctx, 'connectwise');
  },
});
