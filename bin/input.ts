/**
 * Reading an input file as text, the one way every command does it: the encoding is checked
 * before anything parses the text, so a file in another encoding is named as such instead of
 * turning into replacement characters or being blamed on some column further on.
 * The rules are in core/ingest/encoding.ts.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { InputError } from '../core/shared/errors';
import { createInputDecoder as engineDecoder, decodeInput as engineDecode } from '../core/ingest/encoding';

// The encoding check lives in the engine so the side panel's files pass the same one. Here the
// common case (UTF-8) is validated and decoded natively, which costs a fraction of a strict
// TextDecoder; anything else, and every error, goes through the engine's rules and messages.

/** Whether the engine would take these bytes as UTF-8 (no UTF-16 mark, no zero byte up front). */
function plainUtf8Start(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  return bytes.subarray(0, 1024).indexOf(0) === -1;
}

/** UTF-8 text without its byte-order mark, as TextDecoder gives it. */
function utf8Text(bytes: Uint8Array, start: boolean): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = start && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', bom);
}

export function decodeInput(path: string, bytes: Uint8Array): string {
  if (plainUtf8Start(bytes)) {
    const text = utf8Text(bytes, true);
    if (decodedWhole(text, bytes)) return text;
  }
  return engineDecode(path, bytes);
}

/**
 * Whether decoding met no bad byte. The native decoder puts U+FFFD in place of each, so text
 * without one came from valid UTF-8 and needs no second pass over the bytes; only text holding
 * the character (written as such, or for a bad byte) is checked byte by byte.
 */
function decodedWhole(text: string, bytes: Uint8Array): boolean {
  return text.indexOf('\uFFFD') === -1 || isUtf8(bytes);
}

/**
 * `createInputDecoder` of the engine, natively for UTF-8 pieces: a character split across pieces
 * waits for the next one. A bad byte is named by the engine's own decoder, given the lines before
 * it so its message names the same line.
 */
export function createInputDecoder(path: string): { write(chunk: Uint8Array): string; end(): string } {
  let mode: 'native' | 'engine' | undefined;
  let engine: ReturnType<typeof engineDecoder> | undefined;
  let carry: Uint8Array | undefined;
  let lines = 0;
  let start = true;
  const named = (bytes: Uint8Array, end: boolean): never => {
    const d = engineDecoder(path);
    if (lines > 0) d.write(Buffer.alloc(lines, 0x0a));
    d.write(bytes);
    if (end) d.end();
    throw new InputError('the file is not UTF-8; save it as UTF-8 and try again', { file: path });
  };
  return {
    write(chunk) {
      mode ??= plainUtf8Start(chunk) ? 'native' : 'engine';
      if (mode === 'engine') return (engine ??= engineDecoder(path)).write(chunk);
      const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
      const cut = completeUpTo(bytes);
      carry = cut < bytes.length ? Uint8Array.prototype.slice.call(bytes, cut) : undefined;
      const whole = bytes.subarray(0, cut);
      const text = utf8Text(whole, start);
      if (!decodedWhole(text, whole)) named(whole, false);
      lines += countBreaks(whole);
      start = false;
      return text;
    },
    end() {
      if (mode === 'engine') return engine!.end();
      if (carry) named(carry, true);
      return '';
    },
  };
}

/**
 * Where the last whole UTF-8 character of a piece ends: a lead byte whose continuation bytes have
 * not all arrived is left for the next piece. Invalid bytes stay in place for the check to name.
 */
function completeUpTo(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = n - 1;
  while (i >= 0 && n - i <= 4 && ((bytes[i] as number) & 0xc0) === 0x80) i--;
  if (i < 0 || n - i > 4) return n;
  const b = bytes[i] as number;
  const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1;
  return need > n - i ? i : n;
}

function countBreaks(bytes: Uint8Array): number {
  let n = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) n++;
  return n;
}

export async function readInputFile(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read the file (${code ?? String(err)})`, { file: path });
  }
  return decodeInput(path, bytes);
}

/** Deeper than any real Platform or ConnectWise page, well below where the DOM library's recursion fails. */
export const MAX_HTML_DEPTH = 1000;

/** Elements that never hold others, and those whose end tag may be left out (not counted either way). */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen']);
const OPTIONAL_END = new Set(['p', 'li', 'td', 'th', 'tr', 'option', 'optgroup', 'dt', 'dd', 'thead', 'tbody', 'tfoot', 'colgroup', 'caption', 'rb', 'rt', 'rp', 'html', 'head', 'body']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript']);

/**
 * How deeply the page's elements nest, by one pass over its tags (no DOM is built). Used to
 * refuse a page too deep to parse safely before it reaches the parser.
 */
export function htmlDepth(html: string, stopAt = Infinity): number {
  const tag = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][\w:.-]*)\b[^>]*?(\/?)>/g;
  let depth = 0;
  let max = 0;
  let lower: string | undefined;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(html)) !== null) {
    const name = m[2]?.toLowerCase();
    if (!name) continue;
    if (m[1]) {
      if (!VOID.has(name) && !OPTIONAL_END.has(name) && depth > 0) depth--;
      continue;
    }
    if (RAW_TEXT.has(name)) {
      lower ??= html.toLowerCase();
      const end = lower.indexOf(`</${name}`, tag.lastIndex);
      tag.lastIndex = end === -1 ? html.length : end;
      continue;
    }
    if (VOID.has(name) || OPTIONAL_END.has(name) || m[3]) continue;
    depth++;
    if (depth > max) {
      max = depth;
      if (max > stopAt) return max;
    }
  }
  return max;
}

/** Throws an InputError naming the file when its elements nest deeper than a page can. */
export function checkHtmlDepth(path: string, html: string): void {
  const depth = htmlDepth(html, MAX_HTML_DEPTH);
  if (depth > MAX_HTML_DEPTH) {
    throw new InputError(`the page nests its elements more than ${MAX_HTML_DEPTH} deep, deeper than any saved Platform or ConnectWise page; it was not read`, { file: path });
  }
}
