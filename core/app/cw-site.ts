import type { PublicSettings } from '../model';
import { CW_CLOUD_REGIONS, CW_STAGING_HOST, cwRegionHost } from '../shared/hosts';

/*
 * The ConnectWise site in its two spellings: the options page names a region (or a custom
 * host), the stored connection holds the site's address. Both directions are written here once.
 */

type CwRegion = PublicSettings['cw']['region'];
const CLOUD = new RegExp(`^https://(${CW_CLOUD_REGIONS.join('|')})\\.myconnectwise\\.net$`);

/** The host the API client and the key binding compare: `na.myconnectwise.net`, or the custom host. */
export function cwSite(cw: Pick<PublicSettings['cw'], 'region' | 'customHost'>): string {
  if (cw.region === 'custom') return cw.customHost.trim();
  if (cw.region === 'staging') return CW_STAGING_HOST;
  return cwRegionHost(cw.region);
}

/** The address the stored connection keeps: cloud and staging sites as https origins. */
export function connectionSite(cw: Pick<PublicSettings['cw'], 'region' | 'customHost'>): string {
  return cw.region === 'custom' ? cw.customHost.trim() : `https://${cwSite(cw)}`;
}

/** The region the options page shows for a stored site; an empty site reads as the default region. */
export function regionOfSite(site: string): { region: CwRegion; customHost: string } {
  const cloud = CLOUD.exec(site.trim().replace(/\/+$/, ''));
  if (cloud) return { region: cloud[1] as CwRegion, customHost: '' };
  if (site.includes(CW_STAGING_HOST)) return { region: 'staging', customHost: '' };
  return site.trim() ? { region: 'custom', customHost: site } : { region: 'na', customHost: '' };
}
