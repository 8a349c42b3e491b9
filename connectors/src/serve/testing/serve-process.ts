import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../../..');

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The URL `boucle serve` printed on its first line. */
  readonly url: string;
  /** What it wrote to stderr so far. */
  stderr(): string;
}

/**
 * A real `boucle serve` child process (the repository's `bin/boucle.mjs` under the project's Node), with exactly
 * `env` as its environment; resolves once it prints its URL, rejects with its stderr if it exits before.
 */
export function startServeProcess(env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child = spawn(join(ROOT, 'node_modules/.bin/node'), ['bin/boucle.mjs', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined)
        done({ child, url: line.trim(), stderr: () => stderr });
    });
    child.once('exit', (code) => fail(new Error(`boucle serve exited with ${code}: ${stderr}`)));
  });
}
