import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { run } from './generate-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'boucle-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function captureIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    io: { stdin: new PassThrough(), stdout: out, stderr: err, env: {}, cwd: dir },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

describe('boucle generate', () => {
  it('writes both emulator folders and prints the report', async () => {
    const { io, stdout } = captureIo();
    expect(await run(['--accounts', '60', '--seed', '3', '--out', 'ds', '--report'], io)).toBe(0);
    expect(existsSync(join(dir, 'ds', 'salesforce', 'Account.json'))).toBe(true);
    expect(existsSync(join(dir, 'ds', 'zendesk', 'tickets.json'))).toBe(true);
    expect(stdout()).toContain('Wrote 60 accounts');
    expect(stdout()).toMatch(/customers with a critical incident, overall\s+30\.0%/);
  });

  it('refuses a bad number and says what to fix', async () => {
    const { io, stderr } = captureIo();
    expect(await run(['--accounts', 'many'], io)).toBe(2);
    expect(stderr()).toContain('--accounts must be a whole number');
  });
});
