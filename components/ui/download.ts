/** Hands a generated file to the browser as a download. The DOM is passed in for tests. */
export function downloadText(doc: Document, filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  doc.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens generated HTML in a new tab (the printable evidence page). */
export function openHtml(win: Window, html: string): void {
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  win.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
