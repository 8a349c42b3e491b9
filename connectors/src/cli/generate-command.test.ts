import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.ts';
import { run } from './generate-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'boucle-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('boucle generate', () => {
  it('writes both emulator folders and prints the report', async () => {
    const { io, stdout } = captureIo({ cwd: dir });
    expect(await run(['--accounts', '60', '--seed', '3', '--out', 'ds', '--report'], io)).toBe(0);
    expect(existsSync(join(dir, 'ds', 'salesforce', 'Account.json'))).toBe(true);
    expect(existsSync(join(dir, 'ds', 'zendesk', 'tickets.json'))).toBe(true);
    expect(stdout()).toContain('Wrote 60 accounts');
    expect(stdout()).toMatch(/customers with a critical incident, overall\s+30\.0%/);
  });

  it('refuses a bad number and says what to fix', async () => {
    const { io, stderr } = captureIo({ cwd: dir });
    expect(await run(['--accounts', 'many'], io)).toBe(2);
    expect(stderr()).toContain('--accounts must be a whole number');
  });
});
