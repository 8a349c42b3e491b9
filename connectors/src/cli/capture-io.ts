import { PassThrough } from 'node:stream';
import type { CliIo } from './cli-io.ts';

/** For tests: a command's `CliIo` over in-memory streams, with what it wrote so far. `input` is its whole stdin. */
export function captureIo(options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
} {
  const stdin = new PassThrough();
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  stdin.end(options.input ?? '');
  return {
    io: { stdin, stdout: out, stderr: err, env: options.env ?? {}, cwd: options.cwd ?? process.cwd() },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}
