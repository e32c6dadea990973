/**
 * How the local API writes what real ConnectWise servers write differently, and hostile paging for
 * the client's bounds. Chosen per API instance; the defaults are the tidy forms.
 */
export interface ApiVariant {
  /**
   * `encoded`: Link targets percent-encoded. `raw`: the condition text as is (spaces, brackets,
   * `>=`, commas, quotes), as ConnectWise writes the URLs it generates.
   */
  links?: 'encoded' | 'raw';
  /**
   * Records as the published spec allows them: null fields left out, reference ids (status,
   * types, site, type, billing cycle) left out, custom field values without `value` when empty.
   */
  sparse?: boolean;
  /** Misbehaving paging, for the client's bounds (one kind per API). */
  hostile?: HostilePaging;
  /** Every request whose path with query contains `match` is answered 302 to `to`. */
  redirect?: { to: string; match?: string };
}

export type HostilePaging =
  /** Every page is full of records never seen before, with a `next` link, forever; `/count` a billion. */
  | { kind: 'next-always' }
  /** Forward-only `next` links alternate between two page ids; navigable pages alternate between two contents. */
  | { kind: 'alternating-ids' }
  /** `last` says `last` pages and `/count` agrees (`last` × page size); pages past the data are empty. */
  | { kind: 'huge-last'; last: number }
  /** The first page holds `size` records whatever the page size asked for. */
  | { kind: 'giant-page'; size: number };

const REF_KEYS = ['status', 'site', 'type', 'billingCycle'];

/** One record as the spec lets a server send it: nulls gone, optional reference ids gone. */
export function sparseRecord(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (value === null || value === undefined) continue;
    if (REF_KEYS.includes(key) && value && typeof value === 'object') {
      const { id: _id, ...rest } = value as Record<string, unknown>;
      out[key] = rest;
    } else if (key === 'types' && Array.isArray(value)) {
      out[key] = value.map((t: Record<string, unknown>) => {
        const { id: _id, ...rest } = t;
        return rest;
      });
    } else if (key === 'customFields' && Array.isArray(value)) {
      out[key] = value.map((f: Record<string, unknown>) => {
        const { value: v, ...rest } = f;
        return v === null || v === undefined || v === '' ? rest : f;
      });
    } else out[key] = value;
  }
  return out;
}

/** A Link target with the query written raw: decoded values joined as they are. */
export function rawTarget(url: URL): string {
  const parts: string[] = [];
  for (const [k, v] of url.searchParams) parts.push(`${k}=${v}`);
  return `${url.origin}${url.pathname}${parts.length ? `?${parts.join('&')}` : ''}`;
}
