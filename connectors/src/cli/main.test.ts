import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.ts';
import { runCli } from './main.ts';

describe('boucle', () => {
  it('lists its commands on --help', async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(stdout()).toContain('emulate');
  });

  it('refuses an unknown command and says which exist', async () => {
    const { io, stderr } = captureIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(stderr()).toContain('unknown command "frobnicate"');
    expect(stderr()).toContain('emulate');
  });

  it('refuses a bad port before starting anything', async () => {
    const { io, stderr } = captureIo();
    expect(await runCli(['emulate', 'nothing', '--port', 'x'], io)).toBe(2);
    expect(stderr()).toContain('name one of');
  });
});
