import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.ts';
import { run } from './simulate-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'boucle-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('boucle simulate', () => {
  it('prints the table and writes the chart', async () => {
    const { io, stdout } = captureIo({ cwd: dir });
    expect(await run(['--accounts', '80', '--runs', '5', '--chart', 'out/chart.svg'], io)).toBe(0);
    expect(stdout()).toMatch(/Boucle\s+\d+\/\d+\/\d+\/\d+/);
    expect(stdout()).toContain('Chart written to');
    expect(readFileSync(join(dir, 'out', 'chart.svg'), 'utf8')).toMatch(/^<svg /);
  });

  it('prints JSON on --json', async () => {
    const { io, stdout } = captureIo({ cwd: dir });
    expect(await run(['--accounts', '60', '--runs', '3', '--chart', '-', '--json'], io)).toBe(0);
    const parsed = JSON.parse(stdout()) as { results: unknown[] };
    expect(parsed.results).toHaveLength(6);
  });

  it('refuses a bad option value', async () => {
    const { io, stderr } = captureIo({ cwd: dir });
    expect(await run(['--runs', '0'], io)).toBe(2);
    expect(stderr()).toContain('--runs must be a whole number ≥ 1');
  });
});
