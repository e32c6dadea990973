import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { CONNECTWISE_API_MATCHES, CONNECTWISE_WEB_MATCHES, PLATFORM_MATCHES } from './core/shared/hosts';

// Shipped host patterns live in core/shared/hosts.ts; custom Platform domains and on-premise
// ConnectWise hosts are requested at run time through optional host permissions.

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'CW Reconciler',
    description:
      'Reconcile AppXite Platform invoice lines with ConnectWise PSA agreement additions, with in-page dictionary help.',
    permissions: ['storage', 'unlimitedStorage', 'scripting', ...(browser === 'firefox' ? [] : ['sidePanel'])],
    host_permissions: [...PLATFORM_MATCHES, ...CONNECTWISE_WEB_MATCHES, ...CONNECTWISE_API_MATCHES],
    // MV3 asks for user-configured hosts at run time through optional_host_permissions; Firefox's
    // MV2 build lists the same origins under optional_permissions.
    ...(browser === 'firefox'
      ? { optional_permissions: ['https://*/*', 'http://*/*'] }
      : { optional_host_permissions: ['https://*/*', 'http://*/*'] }),
    action: { default_title: 'Open CW Reconciler' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'cw-reconciler@example.org',
              strict_min_version: '142.0',
              // Nothing leaves the browser except calls to the user's own ConnectWise API.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
