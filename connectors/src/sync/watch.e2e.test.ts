/** `boucle sync --watch` as a process: it runs, sleeps, runs again on schedule, and stops cleanly on SIGTERM. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './test-harness.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

function boucleSync(h: Harness, args: string[]) {
  let output = '';
  const child = spawn(process.execPath, [join(root, 'bin/boucle.mjs'), 'sync', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...h.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const events = (): string[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => String((JSON.parse(line) as { event: string }).event));
  return { child, exit, output: () => output, events };
}

describe('boucle sync --watch', () => {
  it('runs again every interval and stops after the current run on SIGTERM', async () => {
    const h = await startHarness({ accounts: 20, perAccount: 2 });
    harnesses.push(h);
    const watch = boucleSync(h, ['--watch', '--interval', '1s']);
    const started = Date.now();
    while (watch.events().filter((e) => e === 'sync.done').length < 2) {
      if (Date.now() - started > 30_000) throw new Error(`no second run:\n${watch.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(watch.events().filter((e) => e === 'sync.sleep').length).toBeGreaterThanOrEqual(1);
    watch.child.kill('SIGTERM');
    expect(await watch.exit, watch.output()).toBe(0);
    expect(h.zd.store.organizations.size).toBe(20);
  });
});
