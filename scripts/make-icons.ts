/**
 * Draws the extension icon at 16, 32, 48 and 128 px into public/icon/, where WXT picks the files
 * up for both manifests. Drawn from shapes rather than shipped as art so every size is crisp and
 * the icon can be regenerated: `npx tsx scripts/make-icons.ts`.
 *
 * The picture: ledger lines and a tick (lines that agree), on the panel's accent blue.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 128];
const OUT = join(import.meta.dirname, '..', 'public', 'icon');

type Rgba = [number, number, number, number];
const BLUE: Rgba = [29, 78, 216, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const GREEN: Rgba = [134, 239, 172, 255];

/** Distance from point p to segment a–b, in the unit square's coordinates. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The colour at a point of the unit square, or null outside the icon. */
function shade(x: number, y: number): Rgba | null {
  // Rounded square.
  const r = 0.18;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if (Math.hypot(x - cx, y - cy) > r) return null;
  // The tick, drawn over the right column.
  if (segmentDistance(x, y, 0.5, 0.58, 0.62, 0.72) < 0.055 || segmentDistance(x, y, 0.62, 0.72, 0.84, 0.38) < 0.055) return GREEN;
  // Three ledger lines in the left column.
  for (const ly of [0.3, 0.5, 0.7]) if (x > 0.16 && x < 0.44 && Math.abs(y - ly) < 0.045) return WHITE;
  return BLUE;
}

function render(size: number): Buffer {
  const samples = 4;
  const rows: Buffer[] = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!c) continue;
          // Premultiplied, so edge pixels blend towards transparent rather than towards black.
          for (let i = 0; i < 3; i++) acc[i]! += c[i]! * (c[3] / 255);
          acc[3]! += c[3];
        }
      }
      const n = samples * samples;
      const alpha = acc[3]! / n;
      for (let i = 0; i < 3; i++) row[1 + px * 4 + i] = alpha ? Math.round((acc[i]! / n) * (255 / alpha)) : 0;
      row[1 + px * 4 + 3] = Math.round(alpha);
    }
    rows.push(row);
  }
  return png(size, Buffer.concat(rows));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An 8-bit RGBA PNG from scanlines that already carry their filter byte (0, none). */
function png(size: number, scanlines: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
for (const size of SIZES) {
  const file = join(OUT, `${size}.png`);
  writeFileSync(file, render(size));
  console.log(`wrote ${file}`);
}
