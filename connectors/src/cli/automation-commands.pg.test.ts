import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresQueue } from '../queue/postgres-queue.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { captureIo } from './capture-io.ts';
import { runCli } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'boucle-dlq-pg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('boucle import and dlq with BOUCLE_DATABASE_URL', () => {
  it('imports a CSV export into the PostgreSQL queue, once', async () => {
    const databaseUrl = await freshPostgresDatabase();
    writeFileSync(
      join(dir, 'export.csv'),
      'id;type;note;date;courriel\r\na1;nps;2;03/11/2026;a@example.fr\r\n',
    );
    const run = async () => {
      const { io, stdout } = captureIo({ cwd: dir, env: { BOUCLE_DATABASE_URL: databaseUrl } });
      return { code: await runCli(['import', 'export.csv'], io), stdout: stdout() };
    };
    expect(await run()).toMatchObject({ code: 0, stdout: expect.stringContaining('1 queued') as unknown });
    expect((await run()).stdout).toContain('0 queued, 1 already imported');
    const store = await openPostgresStore(databaseUrl, [QUEUE_SCHEMA]);
    expect(await new PostgresQueue(store).depth()).toBe(1);
    await store.close();
  });

  it('lists and retries the dead letters of the PostgreSQL queue', async () => {
    const databaseUrl = await freshPostgresDatabase();
    const run = async (...argv: string[]) => {
      const { io, stdout, stderr } = captureIo({
        cwd: dir,
        env: { BOUCLE_DB_PATH: 'boucle.sqlite', BOUCLE_DATABASE_URL: databaseUrl },
      });
      const code = await runCli(argv, io);
      return { code, stdout: stdout(), stderr: stderr() };
    };
    expect((await run('dlq', 'list')).stdout).toBe('The dead-letter list is empty.\n');
    const store = await openPostgresStore(databaseUrl, [QUEUE_SCHEMA]);
    const queue = new PostgresQueue(store, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const accepted = await queue.enqueue({
      idempotencyKey: 'k',
      kind: 'zendesk.ticket.updated',
      payload: {},
    });
    const [event] = await queue.claim(1, 1000);
    expect(await queue.fail(event!, 'Zendesk is unavailable')).toBe('dead');
    const id = (accepted as { id: number }).id;
    expect((await run('dlq', 'list')).stdout).toMatch(
      new RegExp(`^${id}\\tzendesk\\.ticket\\.updated\\t.+\\t1 attempt\\(s\\)\\tZendesk is unavailable\\n$`),
    );
    expect(await run('dlq', 'retry', String(id))).toMatchObject({
      code: 0,
      stdout: '1 event(s) queued again.\n',
    });
    expect(await queue.countByStatus()).toMatchObject({ pending: 1, dead: 0 });
    await store.close();
  });

  it('says what to fix when the database cannot be used', async () => {
    const url = new URL(await freshPostgresDatabase());
    url.password = 'nope';
    const { io, stderr } = captureIo({ cwd: dir, env: { BOUCLE_DATABASE_URL: url.toString() } });
    expect(await runCli(['dlq', 'list'], io)).toBe(2);
    expect(stderr()).toMatch(
      /^boucle dlq: Cannot use the PostgreSQL database .*fix the password in BOUCLE_DATABASE_URL/,
    );
    expect(stderr()).not.toContain('nope');
  });
});
