import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateWorld } from '../../../sandbox/dataset/generate-world.ts';
import {
  PROGRAMME_DIMENSIONS,
  computeProgramme,
  computeProgrammeFromCounts,
  scanSignalCounts,
  scanSignals,
  signalWindow,
  type ProgrammeQuery,
  type ProgrammeReport,
  type SignalOptions,
} from '../../../shared/src/index.ts';
import type { Sql } from '../store/sql.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { queryProgramme } from './programme-service.ts';
import { insertRows, readCutDictionaries, readProgrammeCounts } from './programme-facts-sql.ts';
import { ProgrammeStore, openProgrammeSql, type AnswerRow } from './programme-store.ts';

let dir: string;
let sql: Sql;
let close: () => Promise<void>;
let programme: ProgrammeStore;

/** The programme's database on SQLite (a file) or on the run's PostgreSQL server (a fresh database). */
async function openDatabase(database: 'sqlite' | 'postgres'): Promise<void> {
  const opened = await openProgrammeSql(
    database === 'sqlite'
      ? { path: join(dir, 'boucle.sqlite') }
      : { path: '', databaseUrl: await freshPostgresDatabase() },
  );
  sql = opened.sql;
  close = () => opened.close();
}

/** The scan as the service runs it (its evidence read on demand). */
async function scanSql(options: SignalOptions) {
  const window = signalWindow(options);
  const counts = await programme.signalCounts(window, options.dimensions ?? PROGRAMME_DIMENSIONS);
  const evidence = await programme.signalEvidence(window);
  for (;;) {
    const scan = scanSignalCounts(counts, evidence.evidence, options);
    if (!(await evidence.load())) return scan;
  }
}

const at = (iso: string): number => Date.parse(iso);
const ALL = { fromMs: 0, toMs: at('2100-01-01T00:00:00Z') };

/** The SQL-aggregated report (what the service serves) and the per-answer one of the shared engine. */
async function bothReports(query: ProgrammeQuery): Promise<{ sql: ProgrammeReport; rows: ProgrammeReport }> {
  return {
    sql: computeProgrammeFromCounts(await programme.programmeCounts(query), query),
    rows: computeProgramme(await programme.readFacts(query.fromMs, query.toMs), query),
  };
}

/** The C:CER mean ratio is a sum of ratios taken in another order by SQL: equal to the last bits only. */
function withRoundedRatios(report: ProgrammeReport): unknown {
  return JSON.parse(
    JSON.stringify(report, (key, value: unknown) =>
      key === 'meanRatio' && typeof value === 'number' ? Number(value.toPrecision(12)) : value,
    ),
  );
}

/**
 * A hand-made programme: two accounts (France/Enterprise/fibre, Belgium/SMB with a ticket product), three users
 * (one French, one without locale, one unknown to the mirror), tickets of two groups, answers of every kind on
 * every scale, C:CER pairs in the same and in different cells, an answer without ticket or user.
 */
async function handMade(): Promise<void> {
  await sql.exec(`
    INSERT INTO sync_account (id, name, segment, region, product_line, modstamp) VALUES
      ('A1', 'Acme', 'Enterprise', 'France', 'fibre', 1), ('A2', 'Bolt', 'SMB', 'Belgium', NULL, 1);
    INSERT INTO sync_contact (id, account_id, name, modstamp) VALUES ('C1', 'A1', 'Ann', 1), ('C2', 'A2', 'Bob', 1);
    INSERT INTO sync_profile (account_id, profile, computed_at) VALUES ('A1', '{"tier":"gold"}', 1);`);
  await programme.putUsers([
    { id: 1, externalId: 'C1', email: 'ann@acme.test', locale: 'fr-FR' },
    { id: 2, externalId: 'C2', email: 'bob@bolt.test', locale: null },
    { id: 3, externalId: null, email: 'eve@else.test', locale: 'en-US' },
  ]);
  await programme.putTickets([
    ticket(101, '2026-01-05', 1, 7001, true, null),
    ticket(102, '2026-01-20', 2, 7002, false, 'mobile'),
    ticket(103, '2026-02-03', 1, 7001, false, null),
    ticket(104, '2026-02-17', 3, 7002, true, 'tv'),
    ticket(105, '2026-03-02', 2, 7001, true, 'mobile'),
  ]);
  let n = 0;
  const answer = (
    day: string,
    kind: AnswerRow['kind'],
    scale: string,
    score: number,
    ticketId: number | null,
    extra: Partial<AnswerRow> = {},
  ): AnswerRow => ({
    id: `S${(n += 1)}`,
    respondedAt: at(`${day}T10:00:00Z`),
    kind,
    scale,
    score,
    comment: null,
    channel: 'email',
    touchpoint: 'ticket_solved',
    ticketId,
    interactionId: null,
    userId: null,
    email: null,
    source: 'survey_api',
    ...extra,
  });
  await programme.putAnswers([
    answer('2026-01-06', 'nps', '0-10', 10, 101, { comment: "J'ai attendu, appelé à nouveau" }),
    answer('2026-01-06', 'nps', '0-10', 8, 102),
    answer('2026-01-07', 'nps', '0-10', 3, 103, { comment: 'Still waiting' }),
    answer('2026-01-08', 'csat', '1-5', 4, 101),
    answer('2026-01-09', 'csat', '1-5', 2, 102, { channel: 'web' }),
    answer('2026-01-10', 'csat', '1-3', 3, 103),
    answer('2026-01-11', 'csat', 'good_bad', 0, 104),
    answer('2026-01-12', 'csat', '1-2', 2, 105),
    // C:CER pairs: 101 (same cell), 102 (CES by web, company effort by email: apart when cut by channel),
    // 103 on the agree scale, 104 without a company effort.
    answer('2026-01-13', 'ces', '1-7', 6, 101),
    answer('2026-01-13', 'company_effort', '1-7', 3, 101),
    answer('2026-01-14', 'ces', '1-7', 2, 102, { channel: 'web' }),
    answer('2026-01-14', 'company_effort', '1-7', 2, 102),
    answer('2026-02-14', 'ces', '1-7_agree', 2, 103),
    answer('2026-02-15', 'company_effort', '1-7', 5, 103),
    answer('2026-02-16', 'ces', '1-7', 4, 104),
    answer('2026-02-18', 'nps', '0-10', 9, 104, { comment: 'attente trop longue' }),
    answer('2026-02-19', 'nps', '0-10', 6, null, { userId: 2, channel: null, touchpoint: null }),
    answer('2026-03-03', 'csat', '1-5', 5, 105, { interactionId: 'call-9' }),
    answer('2026-03-04', 'ces', '1-7', 7, null, { interactionId: 'call-9', userId: 1 }),
    answer('2026-03-04', 'company_effort', '1-7', 1, null, { interactionId: 'call-9', userId: 1 }),
  ]);
}

function ticket(
  id: number,
  day: string,
  requesterId: number,
  groupId: number,
  incident: boolean,
  product: string | null,
) {
  return {
    id,
    createdAt: at(`${day}T09:00:00Z`),
    requesterId,
    groupId,
    status: 'solved',
    incident,
    product,
    tags: [],
  };
}

type World = ReturnType<typeof generateWorld>;

/** A generated world in the mirror and the programme's tables (answers kept by `keep`). */
async function loadWorld(
  world: World,
  keep: (answer: World['answers'][number]) => boolean = () => true,
): Promise<void> {
  await sql.transaction(async () => {
    await insertRows(
      sql,
      'INSERT INTO sync_account (id, name, segment, region, modstamp)',
      world.accounts.map((a) => [a.id, a.name, a.segment, a.country, 1]),
    );
    await insertRows(
      sql,
      'INSERT INTO sync_contact (id, account_id, name, modstamp)',
      world.contacts.map((c) => [c.id, c.accountId, c.lastName, 1]),
    );
  });
  await programme.putUsers(
    world.contacts.map((c) => ({ id: c.zendeskUserId, externalId: c.id, email: c.email, locale: c.lang })),
  );
  await programme.putTickets(
    world.tickets.map((t) => ({
      id: t.id,
      createdAt: t.createdAt,
      requesterId: userOf(world, t.contactId),
      groupId: null,
      status: t.status,
      incident: t.type === 'incident' || t.tags.includes('complaint'),
      product: t.tags.find((tag) => tag.startsWith('product_'))!.slice('product_'.length),
      tags: t.tags,
    })),
  );
  await programme.putAnswers(world.answers.filter(keep).map((a) => answerOf(world, a)));
}

const usersOf = new WeakMap<World, Map<string, number>>();
function userOf(world: World, contactId: string): number {
  let users = usersOf.get(world);
  if (users === undefined) {
    users = new Map(world.contacts.map((c) => [c.id, c.zendeskUserId]));
    usersOf.set(world, users);
  }
  return users.get(contactId)!;
}

function answerOf(world: World, a: World['answers'][number]): AnswerRow {
  return {
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
    userId: userOf(world, a.contactId),
    email: null,
    source: 'survey_api',
  };
}

/** The derived tables, their cut numbers read as values (numbering may differ between two builds). */
async function derivedTables(): Promise<Record<string, unknown[]>> {
  const { values } = await readCutDictionaries(sql);
  const name = (dimension: string, id: number): string =>
    dimension === 'all' ? 'all' : values.get(dimension as ProgrammeQuery['by'][number])![id]!;
  const rows = async (text: string): Promise<Record<string, unknown>[]> =>
    (await sql.all<Record<string, unknown>>(text)).map((row) => ({ ...row }));
  const sorted = (list: unknown[]): unknown[] => list.map((row) => JSON.stringify(row)).sort();
  const dims = [
    'tier',
    'segment',
    'region',
    'product',
    'group',
    'channel',
    'touchpoint',
    'language',
  ] as const;
  return {
    cutMonths: sorted(
      (await rows('SELECT * FROM programme_cut_months')).map((row) => ({
        ...row,
        value_id: name(row['dimension'] as string, row['value_id'] as number),
      })),
    ),
    facts: sorted(
      (await rows('SELECT * FROM programme_facts')).map((row) => ({
        ...row,
        code: null,
        ...Object.fromEntries(dims.map((d) => [`d_${d}`, name(d, row[`d_${d}`] as number)])),
      })),
    ),
    tickets: sorted(
      (await rows('SELECT * FROM programme_ticket_facts')).map((row) => ({
        ...row,
        ...Object.fromEntries(dims.map((d) => [`d_${d}`, name(d, row[`d_${d}`] as number)])),
      })),
    ),
    pairs: sorted(
      (await rows('SELECT * FROM programme_pairs')).map((row) => ({
        ...row,
        ...Object.fromEntries(
          dims.flatMap((d) => [
            [`c_${d}`, name(d, row[`c_${d}`] as number)],
            [`k_${d}`, name(d, row[`k_${d}`] as number)],
          ]),
        ),
      })),
    ),
    comments: sorted(await rows('SELECT * FROM programme_comment_counts')),
    phrases: sorted(await rows('SELECT * FROM programme_phrase_counts')),
  };
}

describe.each(['sqlite', 'postgres'] as const)(
  'the SQL-aggregated programme on %s (facts, GROUP BY, counts per cut and month)',
  (database) => {
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'boucle-facts-'));
      await openDatabase(database);
      programme = new ProgrammeStore(sql);
    });
    afterEach(async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('gives the hand-computed figures of a small programme', async () => {
      await handMade();
      const query = { ...ALL, by: ['region'] as const, bucket: null };
      const { sql } = await bothReports({ ...query, by: [...query.by] });
      expect(sql.total.answers).toBe(20);
      expect(sql.total.nps).toMatchObject({ n: 5, promoters: 2, passives: 1, detractors: 2, score: 0 });
      expect(sql.total.csat).toMatchObject({ n: 6, successes: 4 });
      expect(sql.total.tickets).toBe(5);
      expect(sql.total.incidents).toBe(3);
      // Pairs 101 (6 vs 3, customer harder), 102 (2 vs 2, balanced), 103 (8 − 2 = 6 vs 5, harder), call-9 (7 vs 1).
      expect(sql.total.effortRatio).toMatchObject({ pairs: 4, balanced: 1, companyHarder: 0 });
      expect(sql.total.effortRatio.customerHarder).toMatchObject({ successes: 3, n: 4 });
      // CES 6, 2, 8 − 2 = 6 (agree scale reversed), 4, 7.
      expect(sql.total.ces).toMatchObject({ n: 5, mean: 5 });
      const france = sql.rows.find((row) => row.cut['region'] === 'France')!;
      // User 1's answers (tickets 101, 103 and the call) and tickets 101, 103.
      expect(france.figures.nps).toMatchObject({ promoters: 1, passives: 0, detractors: 1 });
      expect(france.figures.tickets).toBe(2);
      expect(france.figures.incidents).toBe(1);
      expect(sql.rows.map((row) => row.cut['region'])).toEqual(['(unknown)', 'Belgium', 'France']);
    });

    it('gives exactly the figures of the per-answer engine, for every cut, bucket and period', async () => {
      await handMade();
      const queries: ProgrammeQuery[] = [
        { ...ALL, by: [], bucket: null },
        { ...ALL, by: ['segment', 'product', 'region'], bucket: null },
        { ...ALL, by: ['channel'], bucket: null },
        { ...ALL, by: ['tier', 'language', 'group'], bucket: 'month' },
        { ...ALL, by: ['touchpoint'], bucket: 'week' },
        {
          fromMs: at('2026-01-10T00:00:00Z'),
          toMs: at('2026-02-16T00:00:00Z'),
          by: ['product'],
          bucket: 'week',
        },
        { ...ALL, by: [...PROGRAMME_DIMENSIONS], bucket: 'month', tolerance: 1 },
      ];
      for (const query of queries) {
        const both = await bothReports(query);
        const rows = both.rows;
        expect(withRoundedRatios(both.sql)).toEqual(withRoundedRatios(rows));
        // The plain GROUP BY (used when the cells are too many for one key number) counts the same.
        const grouped = await readProgrammeCounts(sql, await readCutDictionaries(sql), query, {
          groupBy: true,
        });
        expect(withRoundedRatios(computeProgrammeFromCounts(grouped, query))).toEqual(
          withRoundedRatios(rows),
        );
        expect(both.sql.rows.length).toBeGreaterThan(query.by.length === 0 ? -1 : 0);
      }
      // By channel, pair 102 falls apart (web vs email): 3 pairs in cells, 4 in the whole programme.
      const byChannel = (await bothReports({ ...ALL, by: ['channel'], bucket: null })).sql;
      expect(byChannel.rows.reduce((n, row) => n + row.figures.effortRatio.pairs, 0)).toBe(3);
      expect(byChannel.total.effortRatio.pairs).toBe(4);
    });

    it('follows the sync and the pull: facts are rebuilt when their sources change', async () => {
      await handMade();
      const query: ProgrammeQuery = { ...ALL, by: ['region'], bucket: null };
      const before = computeProgrammeFromCounts(await programme.programmeCounts(query), query);
      expect(before.rows.map((row) => row.cut['region'])).toContain('Belgium');
      // The sync moves Bolt to Luxembourg (a new modstamp), another process pulls nothing yet.
      await sql.exec("UPDATE sync_account SET region = 'Luxembourg', modstamp = 2 WHERE id = 'A2'");
      const moved = computeProgrammeFromCounts(await programme.programmeCounts(query), query);
      expect(moved.rows.map((row) => row.cut['region'])).toEqual(['(unknown)', 'France', 'Luxembourg']);
      expect(moved.rows.find((row) => row.cut['region'] === 'Luxembourg')!.figures.tickets).toBe(2);
      // A pulled answer counts at once.
      await programme.putTickets([ticket(106, '2026-03-05', 2, 7001, true, null)]);
      const after = computeProgrammeFromCounts(await programme.programmeCounts(query), query);
      expect(after.total.tickets).toBe(6);
      expect(await programme.ensureFacts()).toBe(false);
      // Through the service: a repeated query is the cached result itself, until the next write.
      const input = { from: '2026-01-01', to: '2026-04-01', by: 'region' };
      const first = await queryProgramme(programme, input);
      expect(await queryProgramme(programme, input)).toStrictEqual(first);
      const firstValue = first.ok ? first.value : null;
      const again = await queryProgramme(programme, input);
      expect(again.ok && again.value).toBe(firstValue);
      await programme.putTickets([ticket(107, '2026-03-06', 1, 7001, false, null)]);
      const fresh = await queryProgramme(programme, input);
      expect(fresh.ok && fresh.value.total.tickets).toBe(7);
    });

    it('scans a planted world to exactly the signs, q-values and tickets of the per-answer scan', async () => {
      await loadWorld(generateWorld({ seed: 42 }));
      const asOfMs = (await programme.latestAnswerAt())! + 1;
      const variants: SignalOptions[] = [
        { asOfMs },
        { asOfMs, dimensions: ['region', 'product'], minSample: 10 },
        { asOfMs: asOfMs - 60 * 86_400_000, recentMonths: 2, baselineMonths: 4, maxTickets: 3 },
      ];
      let raised = 0;
      for (const options of variants) {
        const window = signalWindow(options);
        const counted = await scanSql(options);
        const rows = scanSignals(await programme.readFacts(window.startMs, window.endMs), options);
        expect(counted).toEqual(rows);
        raised += counted.signs.length;
      }
      // The planted signs (region, product, keyword) are among them, with their tickets.
      expect(raised).toBeGreaterThanOrEqual(3);
      const first = await scanSql({ asOfMs });
      expect(new Set(first.signs.map((sign) => sign.kind))).toContain('emerging_keyword');
      expect(first.signs.every((sign) => sign.ticketCount > 0)).toBe(true);
    });
    it('refreshes incrementally to exactly a full rebuild and the per-answer engine', async () => {
      const world = generateWorld({ seed: 7 });
      // 1 % of the answers arrive with a later pull.
      const later = new Set(world.answers.filter((_, index) => index % 100 === 37).map((a) => a.id));
      await loadWorld(world, (a) => !later.has(a.id));
      expect(await programme.refreshFacts()).toMatchObject({ full: true });
      const asOfMs = (await programme.latestAnswerAt())! + 1;
      // A pull that brings nothing new records nothing to redo.
      await programme.putAnswers(
        world.answers
          .filter((a) => !later.has(a.id))
          .slice(0, 50)
          .map((a) => answerOf(world, a)),
      );
      await programme.putUsers([
        {
          ...world.contacts.map((c) => ({
            id: c.zendeskUserId,
            externalId: c.id,
            email: c.email,
            locale: c.lang,
          }))[0]!,
        },
      ]);
      expect({ ...(await sql.get('SELECT COUNT(*) AS n FROM programme_dirty')) }).toEqual({ n: 0 });

      // New answers; an answer edited (score, comment, month); a ticket moved to a group; an account whose region
      // changes in place (same modstamp); a contact moved to another account; a profile's tier; a user's locale;
      // an answer deleted.
      await programme.putAnswers(world.answers.filter((a) => later.has(a.id)).map((a) => answerOf(world, a)));
      const edited = world.answers.find((a) => a.kind === 'nps' && a.comment !== null && !later.has(a.id))!;
      await programme.putAnswers([
        {
          ...answerOf(world, edited),
          score: 0,
          comment: 'appelé à nouveau, toujours rien',
          respondedAt: asOfMs - 86_400_000,
        },
      ]);
      const cesAnswer = world.answers.find(
        (a) => a.kind === 'ces' && a.interactionId !== null && !later.has(a.id),
      )!;
      await programme.putAnswers([{ ...answerOf(world, cesAnswer), score: 7 }]);
      const moved = world.tickets.find((t) => world.answers.some((a) => a.ticketId === t.id))!;
      await programme.putTickets([
        {
          id: moved.id,
          createdAt: moved.createdAt,
          requesterId: userOf(world, moved.contactId),
          groupId: 4242,
          status: moved.status,
          incident: true,
          product: 'tv',
          tags: moved.tags,
        },
      ]);
      const [first, second, third] = world.accounts;
      await sql.run("UPDATE sync_account SET region = 'Luxembourg', segment = 'Public' WHERE id = ?", [
        first!.id,
      ]);
      await sql.run('UPDATE sync_contact SET account_id = ? WHERE id = ?', [
        third!.id,
        world.contacts.find((c) => c.accountId === second!.id)!.id,
      ]);
      await sql.run(
        'INSERT INTO sync_profile (account_id, profile, computed_at) VALUES (?, \'{"tier":"gold"}\', 5)',
        [third!.id],
      );
      const contact = world.contacts.find((c) => c.lang !== 'fr')!;
      await programme.putUsers([
        { id: contact.zendeskUserId, externalId: contact.id, email: contact.email, locale: 'fr-BE' },
      ]);
      // The first NPS or CSAT answer of the world: the first answer of every cut of its month.
      const earliest = world.answers
        .filter((a) => (a.kind === 'nps' || a.kind === 'csat') && !later.has(a.id))
        .reduce((x, y) => (y.respondedAt < x.respondedAt ? y : x));
      await sql.run('DELETE FROM programme_answers WHERE id = ?', [earliest.id]);

      const refreshed = await programme.refreshFacts();
      expect(refreshed.full).toBe(false);
      expect(refreshed.answers).toBeGreaterThan(later.size);
      expect(refreshed.answers).toBeLessThan(world.answers.length / 5);
      const queries: ProgrammeQuery[] = [
        { ...ALL, by: ['segment', 'product', 'region'], bucket: null },
        { ...ALL, by: ['tier', 'group', 'language'], bucket: 'month' },
        { fromMs: asOfMs - 200 * 86_400_000, toMs: asOfMs, by: ['channel', 'touchpoint'], bucket: 'week' },
      ];
      const scans: SignalOptions[] = [{ asOfMs }, { asOfMs, dimensions: ['region', 'tier'], minSample: 10 }];
      const scanAll = async () => {
        const scanned = [];
        for (const options of scans) scanned.push(await scanSql(options));
        return scanned;
      };
      const reportAll = async () => {
        const reports = [];
        for (const query of queries) reports.push(await bothReports(query));
        return reports;
      };
      const incremental = {
        reports: await reportAll(),
        scans: await scanAll(),
        tables: await derivedTables(),
      };
      for (const { sql, rows } of incremental.reports)
        expect(withRoundedRatios(sql)).toEqual(withRoundedRatios(rows));
      for (const [index, options] of scans.entries()) {
        const window = signalWindow(options);
        expect(incremental.scans[index]).toEqual(
          scanSignals(await programme.readFacts(window.startMs, window.endMs), options),
        );
      }
      const luxembourg = incremental.reports[0]!.sql.rows.filter((row) => row.cut['region'] === 'Luxembourg');
      expect(luxembourg.length).toBeGreaterThan(0);

      expect((await programme.refreshFacts({ full: true })).full).toBe(true);
      expect(await derivedTables()).toEqual(incremental.tables);
      const rebuilt = await reportAll();
      queries.forEach((_, index) => expect(rebuilt[index]!.sql).toEqual(incremental.reports[index]!.sql));
      expect(await scanAll()).toEqual(incremental.scans);
    });

    it('refreshes in steps in the background while queries answer from the facts as they were', async () => {
      const errors: unknown[] = [];
      programme = new ProgrammeStore(sql, { background: true, onError: (error) => errors.push(error) });
      await handMade();
      const query: ProgrammeQuery = { ...ALL, by: ['region'], bucket: null };
      // No facts yet: the first query builds them.
      expect(await programme.ensureFacts()).toBe(true);
      const before = computeProgrammeFromCounts(await programme.programmeCounts(query), query);
      await sql.exec("UPDATE sync_account SET region = 'Luxembourg' WHERE id = 'A2'");
      // The refresh starts; the query answers from the facts as they were, never a mix.
      const during = computeProgrammeFromCounts(await programme.programmeCounts(query), query);
      expect(during).toEqual(before);
      expect(programme.refreshing).not.toBeNull();
      await programme.refreshing;
      expect(errors).toEqual([]);
      const after = computeProgrammeFromCounts(await programme.programmeCounts(query), query);
      expect(after.rows.map((row) => row.cut['region'])).toEqual(['(unknown)', 'France', 'Luxembourg']);
      expect(withRoundedRatios(after)).toEqual(withRoundedRatios((await bothReports(query)).rows));
    });
  },
);
