import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SURVEY_TOKEN, useLoopHarness } from '../loop/test-harness.ts';
import { captureIo } from '../cli/capture-io.ts';
import { runCli } from '../cli/main.ts';
import { freshPostgresDatabase, postgresUrl } from '../store/testing-postgres.ts';
import { ProgrammeStore, openProgrammeSql } from './programme-store.ts';

const startLoop = useLoopHarness();

describe('boucle serve with BOUCLE_DATABASE_URL: the programme API and the console on PostgreSQL', () => {
  it('answers the report from the server’s data and keeps a sign’s acknowledgement there', async () => {
    const databaseUrl = await freshPostgresDatabase();
    const { service, databasePath } = await startLoop({ service: () => ({ databaseUrl }) });
    // What `boucle report pull` (from another host) leaves on the server.
    const database = await openProgrammeSql({ path: '', databaseUrl });
    try {
      await new ProgrammeStore(database.sql).putAnswers(
        [3, 9, 10].map((score, index) => ({
          id: `pg-answer-${index}`,
          respondedAt: Date.parse('2026-10-0' + String(index + 1) + 'T10:00:00Z'),
          kind: 'nps' as const,
          scale: '0-10',
          score,
          comment: null,
          channel: 'email',
          touchpoint: 'relationship',
          ticketId: null,
          interactionId: null,
          userId: null,
          email: null,
          source: 'survey_api',
        })),
      );
      const get = (path: string, init: RequestInit = {}) =>
        fetch(`${service.url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
        });
      const report = await get('/api/v1/programme?from=2026-01-01&to=2027-01-01');
      expect(report.status).toBe(200);
      const body = (await report.json()) as { total: { answers: number; nps: { promoters: number } } };
      expect(body.total).toMatchObject({ answers: 3, nps: { promoters: 2 } });

      const ack = await get('/api/v1/signals/csat-falling.region.belgium/ack', {
        method: 'POST',
        body: JSON.stringify({ action: 'snooze', days: 3, by: 'Camille' }),
      });
      expect(ack.status).toBe(200);
      expect(
        await database.sql.get('SELECT state, by_name FROM console_signal_states WHERE signal_id = ?', [
          'csat-falling.region.belgium',
        ]),
      ).toEqual({ state: 'snoozed', by_name: 'Camille' });
      // Nothing of it in a SQLite file: there is none.
      expect(service.store).toBeUndefined();
      expect(existsSync(databasePath)).toBe(false);
    } finally {
      await database.close();
    }
  });

  it('`boucle report` says what to fix when the server refuses the password', async () => {
    const url = new URL(postgresUrl());
    url.password = 'wrong-password';
    const { io, stderr } = captureIo({ cwd: '/', env: { BOUCLE_DATABASE_URL: url.toString() } });
    expect(await runCli(['report', 'programme', '--env-file', '/nonexistent.env'], io)).toBe(2);
    expect(stderr()).toMatch(
      /^boucle report: Cannot use the PostgreSQL database postgres:\/\/boucle:\*\*\*@127\.0\.0\.1:\d+\/boucle: the server refused the password of user "boucle"/,
    );
  });
});
