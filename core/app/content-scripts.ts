/**
 * Paths of the manifest's own content scripts, as `scripting.registerContentScripts` and
 * `scripting.executeScript` take them: relative to the extension root. Chromium reports them that
 * way in `runtime.getManifest()`, Firefox as full `moz-extension://<uuid>/…` addresses, which both
 * calls reject or ignore, so custom hosts would silently get no content script there.
 */
export function extensionRelativePaths(paths: readonly string[] | undefined): string[] {
  return (paths ?? []).map((p) => p.replace(/^[a-z-]+-extension:\/\/[^/]+\//, '').replace(/^\//, ''));
}

/** A manifest `content_scripts` entry, as much of it as the helpers below read and keep. */
export interface ManifestContentScript {
  matches?: string[];
  js?: string[];
  css?: string[];
  run_at?: string;
  [key: string]: unknown;
}

/**
 * The Firefox build's manifest entries with each one's CSS moved into an entry of its own that
 * Firefox injects at `document_start`, before the page is parsed; the scripts keep their own
 * `run_at`. Firefox injects an entry's CSS when it runs the entry's scripts, so at
 * `document_idle` the sheet arrived after the page was built and restyled all of it: on the
 * 1,000-line Platform page the CSS alone cost +110 ms of main-thread time (1.25×), and 1.02× once
 * injected at `document_start` (bench:pageload:firefox with builds that differ only there).
 */
export function cssAtDocumentStart(entries: readonly ManifestContentScript[]): ManifestContentScript[] {
  return entries.flatMap((entry) => {
    if (!entry.css?.length || entry.run_at === 'document_start') return [entry];
    const { css, js, ...rest } = entry;
    const style: ManifestContentScript = { ...rest, css, run_at: 'document_start' };
    return js?.length ? [style, { ...rest, js }] : [style];
  });
}

/**
 * What the manifest runs on one app's pages, gathered over its entries (there are two once the
 * CSS has an entry of its own): the scripts with their `run_at`, the CSS with its own. The
 * background registers the same for custom hosts, and re-injects the scripts on update.
 */
export function scriptsFor(
  entries: readonly ManifestContentScript[],
  isApp: (matches: readonly string[]) => boolean,
): { js: string[]; jsRunAt: string; css: string[]; cssRunAt: string } {
  const mine = entries.filter((e) => isApp(e.matches ?? []));
  const withJs = mine.find((e) => e.js?.length);
  const withCss = mine.find((e) => e.css?.length);
  return {
    js: extensionRelativePaths(mine.flatMap((e) => e.js ?? [])),
    jsRunAt: withJs?.run_at ?? 'document_idle',
    css: extensionRelativePaths(mine.flatMap((e) => e.css ?? [])),
    cssRunAt: withCss?.run_at ?? 'document_idle',
  };
}
