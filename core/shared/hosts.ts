/**
 * The hosts the extension ships with (DESIGN §1), in match-pattern form. The manifest, the
 * content scripts and the background's host bookkeeping all read them here, so a region added
 * once reaches every place that must know it. Custom Platform domains and on-premise ConnectWise
 * hosts come from the options at run time.
 */
const CW_REGIONS = ['na', 'eu', 'au', 'aus', 'za'] as const;

export const PLATFORM_MATCHES = ['https://*.rethinkportal.com/*'];

/** The ConnectWise web app (content scripts run here). */
export const CONNECTWISE_WEB_MATCHES = [
  ...CW_REGIONS.map((r) => `https://${r}.myconnectwise.net/*`),
  'https://staging.connectwisedev.com/*',
];

/** The ConnectWise REST API hosts (only the background calls them). */
export const CONNECTWISE_API_MATCHES = CW_REGIONS.map((r) => `https://api-${r}.myconnectwise.net/*`);
