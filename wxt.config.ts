import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { CONNECTWISE_API_MATCHES, CONNECTWISE_WEB_MATCHES, PLATFORM_MATCHES } from './core/shared/hosts';
import { createRequire } from 'node:module';
import { cssAtDocumentStart, type ManifestContentScript } from './core/app/content-scripts';

/**
 * WXT's own `browser` (the browser's native namespace, no polyfill): what the content-script
 * loaders get instead of webextension-polyfill. They run on every page load, and use only
 * promise-returning `runtime.sendMessage` and a `sendResponse`-style `onMessage`, which both
 * browsers provide natively.
 */
const NATIVE_BROWSER = createRequire(import.meta.url).resolve('wxt/browser');

// Shipped host patterns live in core/shared/hosts.ts; custom Platform domains and on-premise
// ConnectWise hosts are requested at run time through optional host permissions.

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  hooks: {
    // Firefox: the in-page CSS is injected before the page is parsed (why: core/app/content-scripts.ts).
    'build:manifestGenerated'(wxt, manifest) {
      if (wxt.config.browser !== 'firefox' || !manifest.content_scripts) return;
      manifest.content_scripts = cssAtDocumentStart(manifest.content_scripts as ManifestContentScript[]) as typeof manifest.content_scripts;
    },
    'vite:build:extendConfig'(entrypoints, config) {
      if (!entrypoints.every((e) => e.type === 'content-script')) return;
      const alias = config.resolve?.alias;
      const native = { find: 'wxt/browser', replacement: NATIVE_BROWSER };
      config.resolve = {
        ...config.resolve,
        alias: Array.isArray(alias) ? [native, ...alias] : { ...(alias as Record<string, string> | undefined), 'wxt/browser': NATIVE_BROWSER },
      };
    },
  },
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
