/** RFC 5988 `Link` header → rel → URL. URLs may contain commas (conditions), so match `<…>` whole. */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const rels: Record<string, string> = {};
  if (!header) return rels;
  const re = /<([^>]*)>\s*;\s*rel\s*=\s*"?([A-Za-z]+)"?/g;
  for (let m = re.exec(header); m; m = re.exec(header)) rels[m[2]!.toLowerCase()] = m[1]!;
  return rels;
}

/** A query parameter of a link target (`page`, `pageId`), as a positive integer. */
export function linkParam(link: string | undefined, name: string): number | undefined {
  if (!link) return undefined;
  const query = link.includes('?') ? link.slice(link.indexOf('?') + 1) : '';
  for (const part of query.split('&')) {
    const [key, value] = part.split('=');
    if (key && decodeURIComponent(key).toLowerCase() === name.toLowerCase() && value !== undefined) {
      const n = Number(decodeURIComponent(value));
      return Number.isInteger(n) && n > 0 ? n : undefined;
    }
  }
  return undefined;
}
