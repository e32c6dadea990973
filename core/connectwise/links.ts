/**
 * RFC 5988 `Link` header → rel → URL.
 *
 * ConnectWise writes the raw condition text into the URLs it generates, so a target may hold
 * spaces, commas, `<`, `>` and `>=` (`conditions=cancelledDate >= [2026-10-01T00:00:00Z]`). A
 * target therefore ends only where `>` is followed by `; rel=…` and then a comma or the end of the
 * header, and starts at the first `<` after the previous link.
 */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const rels: Record<string, string> = {};
  if (!header) return rels;
  const end = />\s*;\s*rel\s*=\s*(?:"([A-Za-z ]+)"|([A-Za-z]+))\s*(?:;\s*[A-Za-z*-]+\s*=\s*(?:"[^"]*"|[^;,"<>\s]*)\s*)*(?=,\s*<|,?\s*$)/g;
  let from = 0;
  for (let m = end.exec(header); m; m = end.exec(header)) {
    const start = header.indexOf('<', from);
    if (start < 0 || start > m.index) break;
    const target = header.slice(start + 1, m.index).trim();
    // `rel` may name several relations at once (`rel="next last"`).
    for (const rel of (m[1] ?? m[2]!).toLowerCase().split(/\s+/)) if (rel && !(rel in rels)) rels[rel] = target;
    from = m.index + m[0].length;
  }
  return rels;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * A query parameter of a link target (`page`, `pageId`), as a positive safe integer. The query is
 * read raw or encoded: the parameter is found by its name right after `?` or `&`, and its value
 * runs to the next `&` (condition text never holds a bare `name=digits` after an `&`, since the
 * client encodes `&`; a raw server link may, so the last occurrence wins, as servers append).
 */
export function linkParam(link: string | undefined, name: string): number | undefined {
  if (!link) return undefined;
  const q = link.indexOf('?');
  if (q < 0) return undefined;
  const query = link.slice(q + 1).split('#')[0]!;
  const re = /(?:^|&)([^=&]*)=([^&]*)/g;
  let found: string | undefined;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    if (decodeSafe(m[1]!).trim().toLowerCase() === name.toLowerCase()) found = m[2]!;
  }
  if (found === undefined) return undefined;
  const text = decodeSafe(found).trim();
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
