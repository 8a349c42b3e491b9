import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ZENDESK_SANDBOX_CREDENTIALS as C } from './index.ts';

describe('boucle emulate zendesk', () => {
  it('prints its base URL on the first line and serves seeded data until stopped', async () => {
    const child = spawn(
      process.execPath,
      ['bin/boucle.mjs', 'emulate', 'zendesk', '--port', '0', '--seed', '4'],
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

    const auth = `Basic ${Buffer.from(`${C.email}/token:${C.apiToken}`).toString('base64')}`;
    const count = (await (
      await fetch(`${firstLine}/api/v2/tickets/count.json`, { headers: { authorization: auth } })
    ).json()) as {
      count: { value: number };
    };
    expect(count.count.value).toBe(60);
    const me = (await (
      await fetch(`${firstLine}/api/v2/users/me.json`, {
        headers: { authorization: `Bearer ${C.oauthToken}` },
      })
    ).json()) as {
      user: { email: string };
    };
    expect(me.user.email).toBe(C.email);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});
