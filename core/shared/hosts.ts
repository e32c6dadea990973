/**
 * The hosts the extension ships with (DESIGN §1), in match-pattern form. The manifest, the
 * content scripts and the background's host bookkeeping all read them here, so a region added
 * once reaches every place that must know it. Custom Platform domains and on-premise ConnectWise
 * hosts come from the options at run time.
 */
export const CW_CLOUD_REGIONS = ['na', 'eu', 'au', 'aus', 'za'] as const;
export type CwCloudRegion = (typeof CW_CLOUD_REGIONS)[number];
/** ConnectWise's own test cloud, served like a region. */
export const CW_STAGING_HOST = 'staging.connectwisedev.com';

/** The web host of a cloud region (`eu` → `eu.myconnectwise.net`); its API is on `api-` + it. */
export const cwRegionHost = (region: CwCloudRegion): string => `${region}.myconnectwise.net`;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The ConnectWise cloud web hosts (regions and staging), as a pattern for host names and URLs. */
export const CW_WEB_HOST = new RegExp(`(?:${[...CW_CLOUD_REGIONS.map(cwRegionHost), CW_STAGING_HOST].map(escape).join('|')})`, 'i');

export const PLATFORM_MATCHES = ['https://*.rethinkportal.com/*'];

/** The ConnectWise web app (content scripts run here). */
export const CONNECTWISE_WEB_MATCHES = [
  ...CW_CLOUD_REGIONS.map((r) => `https://${cwRegionHost(r)}/*`),
  `https://${CW_STAGING_HOST}/*`,
];

/** The ConnectWise REST API hosts (only the background calls them). */
export const CONNECTWISE_API_MATCHES = CW_CLOUD_REGIONS.map((r) => `https://api-${cwRegionHost(r)}/*`);
