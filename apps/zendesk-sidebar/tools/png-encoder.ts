import { crc32, deflateSync } from 'node:zlib';

/** Encodes 8-bit RGBA pixels (row-major, 4 bytes a pixel) as a PNG (colour type 6, filter 0 on every row). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) {
    throw new Error(`png: expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  }
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/** Width and height from a PNG's IHDR, or null when the bytes are not a PNG. */
export function readPngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    buffer.length < 24 ||
    buffer.readUInt32BE(0) !== 0x89504e47 ||
    buffer.toString('latin1', 12, 16) !== 'IHDR'
  ) {
    return null;
  }
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/**
 * Boucle's logo: a loop (an open ring ending in an arrowhead) in Zendesk-like kale green on a soft round tile.
 * Drawn with 4×4 supersampling so the edges are smooth at any size.
 */
export function drawLogo(size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const samples = 4;
  const tile: [number, number, number] = [228, 240, 236];
  const ink: [number, number, number] = [3, 54, 61];
  const accent: [number, number, number] = [23, 73, 77];
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let tileCover = 0;
      let inkCover = 0;
      let accentCover = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const u = (x + (sx + 0.5) / samples) / size - 0.5;
          const v = (y + (sy + 0.5) / samples) / size - 0.5;
          if (insideRoundedSquare(u, v, 0.5, 0.16)) tileCover += 1;
          const r = Math.hypot(u, v);
          const angle = Math.atan2(v, u); // −π…π, 0 at 3 o'clock, clockwise on screen
          const inRing = r > 0.2 && r < 0.3;
          const inGap = angle > -Math.PI / 2 && angle < -Math.PI / 5;
          if (inRing && !inGap) inkCover += 1;
          if (insideArrow(u, v)) accentCover += 1;
          if (r < 0.075) accentCover += 1;
        }
      }
      const total = samples * samples;
      const a = tileCover / total;
      const k = Math.min(1, inkCover / total);
      const c = Math.min(1, accentCover / total);
      const offset = (y * size + x) * 4;
      for (let ch = 0; ch < 3; ch += 1) {
        const base = tile[ch] ?? 0;
        const withInk = base * (1 - k) + (ink[ch] ?? 0) * k;
        rgba[offset + ch] = Math.round(withInk * (1 - c) + (accent[ch] ?? 0) * c);
      }
      rgba[offset + 3] = Math.round(255 * Math.max(a, k, c));
    }
  }
  return encodePng(size, size, rgba);
}

function insideRoundedSquare(u: number, v: number, half: number, radius: number): boolean {
  const dx = Math.max(Math.abs(u) - (half - radius), 0);
  const dy = Math.max(Math.abs(v) - (half - radius), 0);
  return Math.hypot(dx, dy) <= radius;
}

/** A triangle at the top of the ring pointing right (the loop closing on itself). */
function insideArrow(u: number, v: number): boolean {
  const tip: [number, number] = [0.13, -0.25];
  const top: [number, number] = [-0.02, -0.38];
  const bottom: [number, number] = [-0.02, -0.12];
  return insideTriangle([u, v], tip, top, bottom);
}

function insideTriangle(p: [number, number], a: [number, number], b: [number, number], c: [number, number]) {
  const sign = (p1: [number, number], p2: [number, number], p3: [number, number]) =>
    (p1[0] - p3[0]) * (p2[1] - p3[1]) - (p2[0] - p3[0]) * (p1[1] - p3[1]);
  const d1 = sign(p, a, b);
  const d2 = sign(p, b, c);
  const d3 = sign(p, c, a);
  const negative = d1 < 0 || d2 < 0 || d3 < 0;
  const positive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(negative && positive);
}
