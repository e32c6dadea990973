/**
 * Paths of the manifest's own content scripts, as `scripting.registerContentScripts` and
 * `scripting.executeScript` take them: relative to the extension root. Chromium reports them that
 * way in `runtime.getManifest()`, Firefox as full `moz-extension://<uuid>/…` addresses, which both
 * calls reject or ignore, so custom hosts would silently get no content script there.
 */
export function extensionRelativePaths(paths: readonly string[] | undefined): string[] {
  return (paths ?? []).map((p) => p.replace(/^[a-z-]+-extension:\/\/[^/]+\//, '').replace(/^\//, ''));
}
