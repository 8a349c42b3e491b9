// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip } from './zip-reader.ts';
import { writeZip } from './zip-writer.ts';

const entries = [
  { path: 'manifest.json', data: Buffer.from('{"name":"Boucle"}\n') },
  { path: 'assets/index.html', data: Buffer.from('<!doctype html>'.repeat(50)) },
  { path: 'assets/empty.txt', data: new Uint8Array() },
  { path: 'translations/fr.json', data: Buffer.from('{"app":{"name":"Boucle – é"}}') },
];

describe('writeZip', () => {
  it('round-trips through our reader with CRCs checked, deflating only when it helps', () => {
    const archive = writeZip(entries);
    const read = readZip(archive);
    expect(read.map((e) => e.path)).toEqual(entries.map((e) => e.path));
    read.forEach((e, i) => expect(Buffer.compare(e.data, Buffer.from(entries[i]!.data))).toBe(0));
    expect(read[0]!.unixMode & 0o777).toBe(0o644);
    expect(archive.length).toBeLessThan(entries.reduce((n, e) => n + e.data.length, 0));
  });

  it('is deterministic', () => {
    expect(writeZip(entries).equals(writeZip(entries))).toBe(true);
  });

  it('refuses unsafe or duplicate paths', () => {
    expect(() => writeZip([{ path: '../x', data: new Uint8Array() }])).toThrow(/unsafe/);
    expect(() => writeZip([{ path: '/x', data: new Uint8Array() }])).toThrow(/unsafe/);
    const twice = { path: 'a', data: new Uint8Array() };
    expect(() => writeZip([twice, twice])).toThrow(/duplicate/);
  });

  it.runIf(existsSync('/usr/bin/unzip'))('is read by the system unzip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boucle-zip-'));
    const file = join(dir, 'app.zip');
    writeFileSync(file, writeZip(entries));
    execFileSync('/usr/bin/unzip', ['-t', '-q', file]);
    const listing = execFileSync('/usr/bin/unzip', ['-Z1', file], { encoding: 'utf8' });
    expect(listing.trim().split('\n')).toEqual(entries.map((e) => e.path));
    const content = execFileSync('/usr/bin/unzip', ['-p', file, 'translations/fr.json'], {
      encoding: 'utf8',
    });
    expect(content).toBe('{"app":{"name":"Boucle – é"}}');
  });
});
