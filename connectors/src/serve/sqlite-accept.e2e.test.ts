import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { startZendeskEmulator, ZENDESK_SANDBOX_CREDENTIALS } from '../../../sandbox/zendesk/index.ts';
import { freePort } from '../loop/test-harness.ts';
import { startServeProcess } from './testing/serve-process.ts';

const SURVEY_TOKEN = 'accept-test-survey-token-0123456789';

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('BOUCLE_SQLITE_ACCEPT: where boucle serve commits what it accepts', () => {
  it.each([
    ['thread', 'committed in a worker thread'],
    ['inline', 'committed on the event loop'],
  ] as const)(
    '%s: every answer answered 202 is in the file, even after kill -9 right after',
    async (mode, says) => {
      const emulator = await startZendeskEmulator({
        seed: 3,
        counts: { users: 4, organizations: 1, tickets: 4 },
      });
      cleanups.push(() => emulator.close());
      const dir = mkdtempSync(join(tmpdir(), `boucle-accept-${mode}-`));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const path = join(dir, 'boucle.sqlite');
      const service = await startServeProcess({
        PATH: process.env.PATH,
        BOUCLE_DB_PATH: path,
        BOUCLE_SQLITE_ACCEPT: mode,
        ZENDESK_URL: emulator.url,
        ZENDESK_EMAIL: ZENDESK_SANDBOX_CREDENTIALS.email,
        ZENDESK_API_TOKEN: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
        BOUCLE_WEBHOOK_SECRET: 'accept-test-webhook-secret',
        BOUCLE_SURVEY_TOKEN: SURVEY_TOKEN,
        BOUCLE_PORT: String(await freePort()),
        BOUCLE_WORKERS: '1',
        BOUCLE_CSAT_PULL_INTERVAL: '0',
      });
      cleanups.push(() => service.child.kill('SIGKILL'));
      expect(service.stderr()).toContain(
        `SQLite queue: accepted events ${says} (BOUCLE_SQLITE_ACCEPT=${mode})`,
      );
      const ticket = [...emulator.store.tickets.values()][0]!;
      const ids = Array.from({ length: 80 }, (_, n) => `${mode}-${n}`);
      const statuses = await Promise.all(
        ids.map((id, n) =>
          fetch(`${service.url}/feedback`, {
            method: 'POST',
            headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              id,
              kind: 'nps',
              score: n % 11,
              respondedAt: new Date(Date.now() - 60_000 + n).toISOString(),
              ticketId: ticket.id,
            }),
          }).then((response) => response.status),
        ),
      );
      expect(statuses).toEqual(ids.map(() => 202));
      // No drain, no clean stop: what was answered 202 must already be committed.
      service.child.kill('SIGKILL');
      await new Promise((done) => service.child.once('exit', done));
      const db = new DatabaseSync(path, { readOnly: true });
      const stored = (
        db.prepare("SELECT payload FROM queue_events WHERE kind = 'feedback.answer'").all() as {
          payload: string;
        }[]
      ).map((row) => (JSON.parse(row.payload) as { response: { id: string } }).response.id);
      db.close();
      expect(stored.sort()).toEqual(ids.map((id) => `survey_api:${id}`).sort());
    },
  );
});
