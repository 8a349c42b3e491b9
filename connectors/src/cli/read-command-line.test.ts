import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { readCommandLine } from './read-command-line.ts';

function io(): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    io: { stdin: new PassThrough(), stdout, stderr, env: {}, cwd: '/' },
    out: () => out,
    err: () => err,
  };
}

const OPTIONS = { port: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('readCommandLine', () => {
  it('reads options and positionals', () => {
    const { io: cli } = io();
    const read = readCommandLine('x', ['list', '--port', '8', '--json'], OPTIONS, 'HELP', cli);
    expect(read.line?.values).toEqual({ port: '8', json: true });
    expect(read.line?.positionals).toEqual(['list']);
  });

  it('prints the help on --help and -h, with exit code 0', () => {
    for (const flag of ['--help', '-h']) {
      const { io: cli, out } = io();
      expect(readCommandLine('x', [flag], OPTIONS, 'HELP', cli)).toEqual({ exitCode: 0 });
      expect(out()).toBe('HELP\n');
    }
  });

  it('names the bad option, then shows the help, with exit code 2', () => {
    const { io: cli, err } = io();
    expect(readCommandLine('dlq', ['--colour'], OPTIONS, 'HELP', cli)).toEqual({ exitCode: 2 });
    expect(err()).toMatch(/^boucle dlq: .*--colour/);
    expect(err()).toContain('HELP');
  });
});
