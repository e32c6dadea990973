/**
 * Comparison keys. Charge types compare case-, space- and hyphen-insensitively (DESIGN §3.2);
 * CSV and grid headers also ignore punctuation (§4.1). Both reduce to lower-case alphanumerics,
 * which is the stricter of the two and keeps `Cycle Fee`, `cycle-fee` and `CycleFee` equal.
 */
export function compactKey(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** White space that folding would change: at either end, in a run, or other than a plain space. */
const UNFOLDED_SPACE = /^\s|\s$|\s\s|[^\S ]/;

/** Names (companies, agreements) compare case-insensitively with runs of white space folded. */
export function nameKey(value: string): string {
  // Most names are spaced already: testing for that builds nothing, trimming and folding build two strings.
  if (!UNFOLDED_SPACE.test(value)) return value.toLowerCase();
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function isBlank(value: string | null | undefined): value is '' | null | undefined {
  return value === undefined || value === null || value.trim() === '';
}

/* eslint-disable no-control-regex -- these patterns exist to find control characters */
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\|$)|[PX^_][^\x1b]*(?:\x1b\\|$)|[@-Z\\-_])/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/**
 * Text safe to print on a terminal: escape sequences (colours, screen clears, OSC window titles)
 * removed whole, other control characters and bidirectional overrides dropped; line breaks and
 * tabs stay. Scraped or server-sent values reach `--format text` and stderr through this.
 */
export function stripControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/**
 * Server text with credentials hidden: every given secret (a private key, an Authorization value,
 * its base64 part) and anything shaped like an Authorization header or a Basic/Bearer token.
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(secret).join('[hidden]');
  return out
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{4,}/gi, '$1 [hidden]')
    .replace(/(authorization"?\s*[:=]\s*"?)(?!(?:Basic|Bearer) \[hidden\])[^"\s,;}]+/gi, '$1[hidden]');
}
