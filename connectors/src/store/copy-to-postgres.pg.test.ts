import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../../sandbox/dataset/generate-world.ts';
import { captureIo } from '../cli/capture-io.ts';
import { runCli } from '../cli/main.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import { queryProgramme } from '../programme/programme-service.ts';
import { ProgrammeStore, type AnswerRow } from '../programme/programme-store.ts';
import { DurableQueue } from '../queue/durable-queue.ts';
import { PostgresQueue } from '../queue/postgres-queue.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { Mirror } from '../sync/mirror.ts';
import { openStore } from './database.ts';
import { FEATURE_SCHEMAS } from './feature-registry.ts';
import { openPostgresStore, type PostgresStore } from './postgres.ts';
import { postgresSql, sqliteSql, type Sql } from './sql.ts';
import { freshPostgresDatabase } from './testing-postgres.ts';

const dir = mkdtempSync(join(tmpdir(), 'boucle-db-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const world = generateWorld({ seed: 11 });
const userOf = new Map(world.contacts.map((c) => [c.id, c.zendeskUserId]));
const answerOf = (a: (typeof world.answers)[number]): AnswerRow => ({
  id: a.id,
  respondedAt: a.respondedAt,
  kind: a.kind,
  scale: a.scale,
  score: a.score,
  comment: a.comment,
  channel: a.channel,
  touchpoint: a.touchpoint,
  ticketId: a.ticketId,
  interactionId: a.interactionId,
  userId: userOf.get(a.contactId) ?? null,
  email: null,
  source: 'survey_api',
});

/** A SQLite store filled through the real code paths: queue, ledger, sync mirror, programme (facts half-fresh). */
async function filledStore(path: string): Promise<void> {
  const store = openStore(path, FEATURE_SCHEMAS);
  const sql = sqliteSql(store);
  const queue = new DurableQueue(store.db);
  for (let i = 0; i < 40; i++)
    await queue.enqueue({
      idempotencyKey: `k${i}`,
      kind: 'zendesk.ticket.updated',
      groupKey: `ticket:${i % 6}`,
      payload: { ticket: i % 6, n: i },
    });
  const claimed = queue.claim(4, 60_000);
  expect(claimed).toHaveLength(4);
  queue.complete(claimed[0]!);
  queue.complete(claimed[1]!);
  expect(queue.fail(claimed[2]!, 'Zendesk said 422', true)).toBe('dead');
  await queue.drainWrites();
  await queue.close();
  const ledger = new InterventionLedger(sqliteSql(store));
  for (let i = 0; i < 7; i++)
    await ledger.record({
      decisionKey: `d${i}`,
      ticketId: 100 + i,
      userId: i,
      action: 'callback',
      priority: 'high',
      tier: 'gold',
      expectedValue: 120.5 + i,
      cost: 12,
      summary: `détracteur ${i}`,
      decidedAt: new Date(Date.UTC(2026, 0, 1 + i)),
      dueAt: null,
    });
  const mirror = new Mirror(sql);
  await mirror.putMany(
    world.accounts.map((a) => ({
      object: 'Account' as const,
      row: {
        id: a.id,
        name: a.name,
        created: null,
        segment: a.segment,
        region: a.country,
        productLine: null,
        marginRate: 0.25,
        modstamp: 1,
      },
    })),
    1,
  );
  await mirror.putMany(
    world.contacts.map((c) => ({
      object: 'Contact' as const,
      row: { id: c.id, accountId: c.accountId, name: c.lastName, email: c.email, modstamp: 1 },
    })),
    1,
  );
  const programme = new ProgrammeStore(sql);
  await programme.putUsers(
    world.contacts.map((c) => ({ id: c.zendeskUserId, externalId: c.id, email: c.email, locale: c.lang })),
  );
  await programme.putTickets(
    world.tickets.map((t) => ({
      id: t.id,
      createdAt: t.createdAt,
      requesterId: userOf.get(t.contactId) ?? null,
      groupId: null,
      status: t.status,
      incident: t.type === 'incident',
      product: null,
      tags: t.tags,
    })),
  );
  const half = Math.floor(world.answers.length / 2);
  await programme.putAnswers(world.answers.slice(0, half).map(answerOf));
  await programme.refreshFacts({ full: true });
  // Changes the facts have not caught up with: the change log (programme_dirty) holds them.
  await programme.putAnswers(world.answers.slice(half).map(answerOf));
  await sql.exec(
    `UPDATE sync_account SET region = 'Elsewhere', modstamp = 2 WHERE id = '${world.accounts[0]!.id}'`,
  );
  expect((await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM programme_dirty'))!.n).toBeGreaterThan(0);
  store.close();
}

async function copy(sqlitePath: string, to: string) {
  const { io, stdout, stderr } = captureIo({ cwd: dir, env: { BOUCLE_DB_PATH: sqlitePath } });
  const code = await runCli(['db', 'copy', '--to', to], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** Every row of every table, values as text (PostgreSQL's change log keys are text), sorted. */
async function everyRow(sql: Sql, tables: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const select =
      table === 'programme_answers' && sql.dialect === 'sqlite' ? 'SELECT rowid, * FROM' : 'SELECT * FROM';
    const rows = await sql.all<Record<string, string | number | null>>(`${select} ${table}`);
    out[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.keys(row)
            .sort()
            .map((key) => [key, row[key] === null ? null : String(row[key])]),
        ),
      )
      .sort();
  }
  return out;
}

async function tablesOf(postgres: PostgresStore): Promise<string[]> {
  const { rows } = await postgres.pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => row.table_name);
}

describe('boucle db copy --to postgres://…', () => {
  it('moves a SQLite store to PostgreSQL: the same rows, the same answers, and it carries on', async () => {
    const sqlitePath = join(dir, 'full.sqlite');
    await filledStore(sqlitePath);
    const url = await freshPostgresDatabase();
    const result = await copy(sqlitePath, url);
    expect(result.stderr).not.toMatch(/boucle db copy:/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^table\s+SQLite\s+PostgreSQL\n/);
    expect(result.stdout).toMatch(/\nqueue_events\s+40\s+40\n/);
    expect(result.stdout).toMatch(/Every count matches/);

    const sqlite = openStore(sqlitePath, FEATURE_SCHEMAS);
    const lite = sqliteSql(sqlite);
    const postgres = await openPostgresStore(url, FEATURE_SCHEMAS);
    const pgSql = postgresSql(postgres);
    try {
      const tables = (
        await lite.all<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
      ).map((row) => row.name);
      expect(await tablesOf(postgres)).toEqual(tables);
      // Row for row, schema_migrations (with its dates) and the programme's change log included.
      const liteRows = await everyRow(lite, tables);
      expect(liteRows['programme_answers']!.length).toBe(world.answers.length);
      expect(liteRows['programme_dirty']!.length).toBeGreaterThan(0);
      expect(await everyRow(pgSql, tables)).toEqual(liteRows);

      // The same reads give the same answers: the programme (its pending changes caught up on both sides).
      const input = { from: '2025-01-01', to: '2027-01-01', by: 'region' };
      const liteProgramme = new ProgrammeStore(lite);
      const pgProgramme = new ProgrammeStore(pgSql);
      const liteReport = await queryProgramme(liteProgramme, input);
      expect(liteReport.ok && liteReport.value.total.answers).toBeGreaterThan(0);
      expect(await queryProgramme(pgProgramme, input)).toEqual(liteReport);

      // The queue continues where it was: the same next claims, a dead letter still dead.
      const liteQueue = new DurableQueue(sqlite.db);
      const pgQueue = new PostgresQueue(postgres);
      const nextLite = liteQueue.claim(10, 60_000).map((e) => [e.id, e.idempotencyKey]);
      const nextPg = (await pgQueue.claim(10, 60_000)).map((e) => [e.id, e.idempotencyKey]);
      expect(nextPg).toEqual(nextLite);
      expect(nextPg.length).toBeGreaterThan(0);
      expect((await pgQueue.countByStatus()).dead).toBe(1);

      // New inserts get fresh ids: the queue's, the programme's answers' rowid, every identity.
      const fresh = await pgQueue.enqueue({ idempotencyKey: 'after-copy', kind: 'k', payload: {} });
      expect(fresh).toMatchObject({ id: 41 });
      const extra: AnswerRow = { ...answerOf(world.answers[0]!), id: 'after-copy', score: 0 };
      await liteProgramme.putAnswers([extra]);
      await pgProgramme.putAnswers([extra]);
      const rowid = async (sql: Sql) =>
        (await sql.get<{ rowid: number }>("SELECT rowid FROM programme_answers WHERE id = 'after-copy'"))!
          .rowid;
      expect(await rowid(pgSql)).toBe(await rowid(lite));
      expect(await rowid(pgSql)).toBe(world.answers.length + 1);
      const { rows: identities } = await postgres.pool.query<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'",
      );
      for (const { table_name, column_name } of identities) {
        const max = (await pgSql.get<{ max: number | null }>(
          `SELECT MAX(${column_name}) AS max FROM ${table_name}`,
        ))!.max;
        if (max === null) continue;
        const { rows } = await postgres.pool.query<{ last: number | null; called: boolean }>(
          `SELECT last_value AS last, is_called AS called FROM ${
            (
              await postgres.pool.query<{ s: string }>('SELECT pg_get_serial_sequence($1, $2) AS s', [
                table_name,
                column_name,
              ])
            ).rows[0]!.s
          }`,
        );
        expect({ table_name, ok: rows[0]!.called && rows[0]!.last! >= max }).toEqual({
          table_name,
          ok: true,
        });
      }
      // The incremental refresh goes on from the copied change log: still the same report.
      const after = await queryProgramme(liteProgramme, input);
      expect(after).not.toEqual(liteReport);
      expect(await queryProgramme(pgProgramme, input)).toEqual(after);
    } finally {
      sqlite.close();
      await postgres.close();
    }
  });

  it('refuses a target that has rows, naming the table, and writes nothing', async () => {
    const sqlitePath = join(dir, 'small.sqlite');
    openStore(sqlitePath, FEATURE_SCHEMAS).close();
    const url = await freshPostgresDatabase();
    const postgres = await openPostgresStore(url, [QUEUE_SCHEMA]);
    try {
      await new PostgresQueue(postgres).enqueue({ idempotencyKey: 'there', kind: 'k', payload: {} });
      const before = await tablesOf(postgres);
      const result = await copy(sqlitePath, url);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/is not empty: table queue_events has rows\..*nothing was written/);
      expect(await tablesOf(postgres)).toEqual(before);
      expect(before).not.toContain('programme_answers');
    } finally {
      await postgres.close();
    }
  });

  it('rolls everything back when a table count differs after the copy, and says which', async () => {
    const sqlitePath = join(dir, 'counted.sqlite');
    const store = openStore(sqlitePath, FEATURE_SCHEMAS);
    const queue = new DurableQueue(store.db);
    for (const key of ['a', 'b', 'c']) await queue.enqueue({ idempotencyKey: key, kind: 'k', payload: {} });
    const ledger = new InterventionLedger(sqliteSql(store));
    for (const ticketId of [101, 102, 103])
      await ledger.record({
        decisionKey: `d${ticketId}`,
        ticketId,
        userId: null,
        action: 'callback',
        priority: null,
        tier: null,
        expectedValue: null,
        cost: null,
        summary: 's',
        decidedAt: new Date(0),
        dueAt: null,
      });
    store.close();
    // An empty, migrated target where a rule (not a trigger: the copy leaves rules alone) swallows one row.
    const url = await freshPostgresDatabase();
    const postgres = await openPostgresStore(url, FEATURE_SCHEMAS);
    try {
      await postgres.pool.query(
        'CREATE RULE swallow AS ON INSERT TO automation_interventions WHERE NEW.ticket_id = 102 DO INSTEAD NOTHING',
      );
      const result = await copy(sqlitePath, url);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /was rolled back: the row counts differ for automation_interventions \(SQLite 3, PostgreSQL 2\)\. Nothing was written\./,
      );
      const count = async (table: string) =>
        (await postgres.pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n;
      expect(await count('queue_events')).toBe(0);
      expect(await count('automation_interventions')).toBe(0);
      // The migration rows are the target's own again (the copy's replacement was rolled back too).
      expect(await count('schema_migrations')).toBeGreaterThan(0);
    } finally {
      await postgres.close();
    }
  });

  it('refuses a SQLite store at other versions than the program, and says what to run', async () => {
    const sqlitePath = join(dir, 'old.sqlite');
    openStore(sqlitePath, [QUEUE_SCHEMA]).close();
    const url = await freshPostgresDatabase();
    const refused = await copy(sqlitePath, url);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/"programme" is at version 0, this program at \d+ \(older\)/);
    expect(refused.stderr).toContain('Run `boucle db migrate` first');
    const { io, stdout } = captureIo({ cwd: dir, env: { BOUCLE_DB_PATH: sqlitePath } });
    expect(await runCli(['db', 'migrate'], io)).toBe(0);
    expect(stdout()).toMatch(/^Migrated .*old\.sqlite: queue \d+/);
    expect((await copy(sqlitePath, url)).code).toBe(0);
    const missing = await copy(join(dir, 'missing.sqlite'), await freshPostgresDatabase());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no SQLite store at');
    expect(existsSync(join(dir, 'missing.sqlite'))).toBe(false);
  });

  it('says what to fix when the target cannot be used, as boucle serve does', async () => {
    const sqlitePath = join(dir, 'small.sqlite');
    const url = new URL(await freshPostgresDatabase());
    url.password = 'wrong-secret';
    const result = await copy(sqlitePath, url.toString());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^boucle db copy: Cannot use the PostgreSQL database postgres:\/\/.*:\*\*\*@.*the server refused the password of user ".*": fix the password in BOUCLE_DATABASE_URL\.\n$/,
    );
    expect(result.stderr).not.toContain('wrong-secret');
    const bad = await copy(sqlitePath, 'mysql://x@y/z');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to must start with postgres://');
  });
});
