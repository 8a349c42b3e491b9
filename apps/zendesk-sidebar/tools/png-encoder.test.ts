// @vitest-environment node
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { drawLogo, encodePng, readPngSize } from './png-encoder.ts';

describe('encodePng', () => {
  it('writes a PNG whose IHDR and pixel data decode back', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    const png = encodePng(2, 2, rgba);
    expect(readPngSize(png)).toEqual({ width: 2, height: 2 });
    const idatStart = png.indexOf('IDAT') + 4;
    const length = png.readUInt32BE(idatStart - 8);
    const raw = inflateSync(png.subarray(idatStart, idatStart + length));
    expect([...raw]).toEqual([0, ...rgba.slice(0, 8), 0, ...rgba.slice(8)]);
  });

  it('rejects a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(3))).toThrow(/expected 16 bytes/);
  });

  it('draws the logos at the sizes Zendesk asks for', () => {
    expect(readPngSize(drawLogo(320))).toEqual({ width: 320, height: 320 });
    expect(readPngSize(drawLogo(128))).toEqual({ width: 128, height: 128 });
    expect(readPngSize(Buffer.from('not a png at all, clearly not'))).toBeNull();
  });
});
