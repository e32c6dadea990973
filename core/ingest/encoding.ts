/**
 * The encoding check every input file passes before anything parses its text, on every path (the
 * CLI's files, the side panel's picked or dropped files): a file in another encoding is named as
 * such instead of turning into replacement characters or being blamed on some column further on.
 *
 * - UTF-8, with or without a byte-order mark: read as is.
 * - UTF-16 with a byte-order mark (what Excel's "Unicode text" writes): decoded; that is safe,
 *   the mark says exactly how.
 * - UTF-16 without a mark (zero bytes in every other position): an error naming the file. The
 *   byte order would have to be guessed.
 * - Anything else that is not valid UTF-8 (Latin-1 / Windows-1252 exports): an error naming the
 *   file, the line and the byte. Decoding it as Windows-1252 would usually work, but a wrong
 *   guess silently changes organization and product names, which then fail to match.
 */
import { InputError } from '../shared/errors';

export function decodeInput(path: string, bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const utf16 = utf16Without(bytes);
  if (utf16) {
    throw new InputError(`the file is UTF-16 (${utf16}) without a byte-order mark; save it as UTF-8 (or UTF-16 with a byte-order mark) and try again`, { file: path });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = countLines(bytes, at);
    throw new InputError(
      `the file is not UTF-8: byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at line ${line} is not valid UTF-8 (it looks like a Latin-1 / Windows-1252 export); save it as UTF-8 and try again`,
      { file: path },
    );
  }
}

/**
 * The same checks for a file read in pieces: the first piece settles the encoding, later pieces
 * are decoded as they come (a character split across pieces is fine), and the first invalid byte
 * is an error naming the file and its line.
 */
export function createInputDecoder(path: string): { write(chunk: Uint8Array): string; end(): string } {
  let decoder: TextDecoder | undefined;
  let line = 1;
  const notUtf8 = (bytes: Uint8Array, at: number) =>
    new InputError(
      `the file is not UTF-8: byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at line ${line + countLines(bytes, at) - 1} is not valid UTF-8 (it looks like a Latin-1 / Windows-1252 export); save it as UTF-8 and try again`,
      { file: path },
    );
  return {
    write(chunk) {
      let bytes = chunk;
      if (!decoder) {
        if (bytes[0] === 0xff && bytes[1] === 0xfe) {
          decoder = new TextDecoder('utf-16le');
          bytes = bytes.subarray(2);
        } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
          decoder = new TextDecoder('utf-16be');
          bytes = bytes.subarray(2);
        } else {
          const utf16 = utf16Without(bytes);
          if (utf16) throw new InputError(`the file is UTF-16 (${utf16}) without a byte-order mark; save it as UTF-8 (or UTF-16 with a byte-order mark) and try again`, { file: path });
          decoder = new TextDecoder('utf-8', { fatal: true });
        }
      }
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        throw notUtf8(bytes, firstInvalidUtf8(bytes));
      }
      line += countLines(bytes, bytes.length) - 1;
      return text;
    },
    end() {
      try {
        return decoder ? decoder.decode() : '';
      } catch {
        throw new InputError(`the file is not UTF-8: it ends in the middle of a character (line ${line}); save it as UTF-8 and try again`, { file: path });
      }
    },
  };
}

/** Zero bytes at every odd (LE) or every even (BE) position of the first kilobyte. */
function utf16Without(bytes: Uint8Array): string | null {
  const n = Math.min(bytes.length, 1024) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero >= pairs * 0.9 && evenZero === 0) return 'little-endian';
  if (evenZero >= pairs * 0.9 && oddZero === 0) return 'big-endian';
  return null;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += len;
  }
  return Math.max(0, bytes.length - 1);
}

function countLines(bytes: Uint8Array, upTo: number): number {
  let line = 1;
  for (let i = 0; i < upTo; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
