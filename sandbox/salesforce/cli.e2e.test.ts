import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { SALESFORCE_SANDBOX_CREDENTIALS as C } from './index.ts';

describe('boucle emulate salesforce', () => {
  it('prints its base URL on the first line and serves seeded data until stopped', async () => {
    const child = spawn(
      process.execPath,
      ['bin/boucle.mjs', 'emulate', 'salesforce', '--port', '0', '--seed', '5'],
      {
        cwd: new URL('../..', import.meta.url).pathname,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    const [firstLine] = (await once(lines, 'line')) as [string];
    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const token = (await (
      await fetch(`${firstLine}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: C.clientId,
          client_secret: C.clientSecret,
          username: C.username,
          password: C.password,
        }).toString(),
      })
    ).json()) as { access_token: string; instance_url: string };
    expect(token.instance_url).toBe(firstLine);
    const count = (await (
      await fetch(
        `${firstLine}/services/data/v62.0/query?q=${encodeURIComponent('SELECT COUNT() FROM Account')}`,
        {
          headers: { Authorization: `Bearer ${token.access_token}` },
        },
      )
    ).json()) as { totalSize: number };
    expect(count.totalSize).toBe(200);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});
