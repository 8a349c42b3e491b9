import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipFileEntry {
  readonly path: string;
  readonly data: Buffer;
  /** Unix mode from the external attributes (0 when the archive was not made on Unix). */
  readonly unixMode: number;
}

/** Reads a ZIP32 archive through its central directory and checks every CRC. */
export function readZip(archive: Buffer): ZipFileEntry[] {
  let endOffset = -1;
  for (let i = archive.length - 22; i >= Math.max(0, archive.length - 22 - 0xffff); i -= 1) {
    if (archive.readUInt32LE(i) === 0x06054b50) {
      endOffset = i;
      break;
    }
  }
  if (endOffset < 0) throw new Error('zip: end of central directory not found');
  const count = archive.readUInt16LE(endOffset + 10);
  let cursor = archive.readUInt32LE(endOffset + 16);
  const entries: ZipFileEntry[] = [];
  for (let n = 0; n < count; n += 1) {
    if (archive.readUInt32LE(cursor) !== 0x02014b50) throw new Error('zip: bad central directory header');
    const madeBy = archive.readUInt16LE(cursor + 4) >> 8;
    const method = archive.readUInt16LE(cursor + 10);
    const crc = archive.readUInt32LE(cursor + 16);
    const compressedSize = archive.readUInt32LE(cursor + 20);
    const nameLength = archive.readUInt16LE(cursor + 28);
    const extraLength = archive.readUInt16LE(cursor + 30);
    const commentLength = archive.readUInt16LE(cursor + 32);
    const external = archive.readUInt32LE(cursor + 38);
    const localOffset = archive.readUInt32LE(cursor + 42);
    const path = archive.toString('utf8', cursor + 46, cursor + 46 + nameLength);
    const localNameLength = archive.readUInt16LE(localOffset + 26);
    const localExtraLength = archive.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const body = archive.subarray(start, start + compressedSize);
    const data = method === 8 ? inflateRawSync(body) : method === 0 ? Buffer.from(body) : null;
    if (!data) throw new Error(`zip: ${path} uses unsupported method ${method}`);
    if (crc32(data) !== crc) throw new Error(`zip: CRC mismatch for ${path}`);
    entries.push({ path, data, unixMode: madeBy === 3 ? external >>> 16 : 0 });
    cursor += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
