import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PeriodicJobLock } from './job-lock.ts';
import { freshPostgresDatabase } from './testing-postgres.ts';

describe('PeriodicJobLock', () => {
  it('is held by one session at a time, per job, and moves when its holder goes away', async () => {
    const url = await freshPostgresDatabase();
    const a = new PeriodicJobLock(url, 'deadline scan');
    const b = new PeriodicJobLock(url, 'deadline scan');
    const other = new PeriodicJobLock(url, 'CSAT pull');
    try {
      expect(await a.acquire()).toBe(true);
      expect(await b.acquire()).toBe(false);
      expect(await a.acquire()).toBe(true); // still its own
      expect(await other.acquire()).toBe(true); // another job, another lock
      // The holder's connection is killed (as when its process dies): the lock is free for the next tick.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'boucle:deadline scan'
           AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)`,
      );
      await admin.end();
      let moved = false;
      for (let i = 0; i < 50 && !moved; i++) {
        moved = await b.acquire();
        if (!moved) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(moved).toBe(true);
      expect(await a.acquire()).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });
});
