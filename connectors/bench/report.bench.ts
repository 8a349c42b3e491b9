// npm run bench:report — the programme report and the signal scan on a large synthetic database: 1 M survey
// answers and 300 k incidents (of 1 M tickets) over 24 months at 100 %, and the same at 10 % and 30 %. Prints,
// beside the issue's targets, the medians of cold and repeated queries, the scan, and the peak RSS of each child
// process through the SQL-aggregated path the service uses; then the same questions answered the way they were
// before (one JavaScript row per answer, aggregated by the shared engine) in their own process, the ratios, and
// whether both gave the same figures. Then the incremental refresh of the facts in the stepped form `boucle serve`
// runs (after 1 % new answers, after a sync moving 1 % of the accounts to another region in place), its longest
// event-loop stall, and whether its figures equal a full rebuild's. Asserts nothing.
// `-- --db postgres` (or BENCH_DB=postgres): the same data copied to a throwaway PostgreSQL cluster
// (scripts/postgres-cluster.ts), every measurement made there, as `BOUCLE_DATABASE_URL` makes the service run.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addMonths,
  computeProgramme,
  parseProgrammeQuery,
  scanSignals,
  type ProgrammeReport,
  type SignalScan,
} from '../../shared/src/index.ts';
import pg from 'pg';
import { startPostgresCluster } from '../../scripts/postgres-cluster.ts';
import { insertRows } from '../src/programme/programme-facts-sql.ts';
import { queryProgramme, querySignals } from '../src/programme/programme-service.ts';
import { ProgrammeStore, openProgrammeSql, openProgrammeStore } from '../src/programme/programme-store.ts';
import { sqliteSql, type SqlValue } from '../src/store/sql.ts';

const END = Date.parse('2026-11-01T00:00:00Z');
const START = addMonths(END, -24);
const PLANTED_FROM = addMonths(END, -3);
const SCALES = (process.env.BENCH_SCALES ?? '0.1,0.3,1').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_BEFORE=0 skips the per-answer path (slow: tens of seconds at 100 %). */
const BEFORE = process.env.BENCH_BEFORE !== '0';
/**
 * BENCH_DUMP=/tmp/x writes the incremental and the full rebuild's report and scan to /tmp/x-0.json and -1.json;
 * they are written to the temporary folder anyway when they differ (its path printed).
 */
/** BENCH_INCREMENTAL=0 skips the incremental refresh (it ends with a full rebuild to compare). */
const INCREMENTAL = process.env.BENCH_INCREMENTAL !== '0';
/** Rows per transaction while generating: the data is written in batches, never held. */
const BATCH = 20_000;
const TARGETS = { coldMs: 1000, repeatedMs: 100, scanMs: 5000, rssMb: 300 };
const dbIndex = process.argv.indexOf('--db');
/** Where the measurements run: the SQLite file (default) or PostgreSQL. */
const DB = (dbIndex > 0 ? process.argv[dbIndex + 1] : process.env.BENCH_DB) ?? 'sqlite';
if (DB !== 'sqlite' && DB !== 'postgres') throw new Error(`--db takes sqlite or postgres (got "${DB}").`);

/** A measurement's database: the SQLite file, or the PostgreSQL database of that URL. */
const openTarget = (target: string) =>
  target.startsWith('postgres://')
    ? openProgrammeSql({ path: '', databaseUrl: target })
    : openProgrammeSql({ path: target });

/** A seeded LCG: the bench data is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296;
  };
}

async function build(
  path: string,
  scale: number,
): Promise<{ answers: number; tickets: number; buildMs: number; factsMs: number }> {
  const buildStarted = performance.now();
  const store = openProgrammeStore(path);
  const db = store.db;
  db.exec('PRAGMA synchronous = OFF');
  const random = lcg(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const accounts = Math.round(40_000 * scale);
  const users = Math.round(120_000 * scale);
  const tickets = Math.round(1_000_000 * scale);
  const answers = Math.round(1_000_000 * scale);
  const SEGMENTS = ['Enterprise', 'Mid-Market', 'SMB'];
  const REGIONS = [
    'France',
    'Belgium',
    'Canada',
    'United Kingdom',
    'United States',
    'Ireland',
    'Sweden',
    'Spain',
  ];
  const PRODUCTS = ['fibre', 'mobile', 'tv', 'cloud', 'energy', 'insurance'];
  const TIERS = ['platinum', 'gold', 'silver', 'bronze'];
  const COMMENTS = [
    'Toujours pas de réponse, attente interminable',
    'Très bon accueil, merci',
    'Still waiting for the refund',
    'Great service',
    null,
    null,
    null,
  ];
  const inBatches = (count: number, write: (index: number) => void): void => {
    for (let from = 0; from < count; from += BATCH)
      store.transaction(() => {
        for (let index = from; index < Math.min(count, from + BATCH); index += 1) write(index);
      });
  };
  {
    const account = db.prepare(
      'INSERT INTO sync_account (id, name, segment, region, product_line, modstamp) VALUES (?, ?, ?, ?, ?, 1)',
    );
    const profile = db.prepare(
      'INSERT INTO sync_profile (account_id, profile, computed_at) VALUES (?, ?, 0)',
    );
    inBatches(accounts, (a) => {
      account.run(`A${a}`, `Account ${a}`, pick(SEGMENTS), pick(REGIONS), pick(PRODUCTS));
      profile.run(`A${a}`, JSON.stringify({ tier: pick(TIERS) }));
    });
    const contact = db.prepare(
      'INSERT INTO sync_contact (id, account_id, name, modstamp) VALUES (?, ?, ?, 1)',
    );
    const user = db.prepare(
      'INSERT INTO programme_users (id, external_id, email, locale) VALUES (?, ?, NULL, ?)',
    );
    inBatches(users, (u) => {
      contact.run(`C${u}`, `A${Math.floor(random() * accounts)}`, `Contact ${u}`);
      user.run(u + 1, `C${u}`, random() < 0.5 ? 'fr' : 'en-US');
    });
    const ticket = db.prepare(
      'INSERT INTO programme_tickets (id, created_at, requester_id, group_id, status, incident, product, tags) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)',
    );
    // Rows arrive over time, as in a real database: ids and timestamps grow together (with a day of jitter).
    const at = (index: number, count: number): number =>
      Math.min(END - 1, START + Math.floor((index / count) * (END - START) + random() * 86_400_000));
    inBatches(tickets, (t) =>
      ticket.run(
        t + 1,
        at(t, tickets),
        1 + Math.floor(random() * users),
        7000 + Math.floor(random() * 4),
        'solved',
        random() < 0.3 ? 1 : 0,
        '[]',
      ),
    );
    const answer = db.prepare(
      `INSERT INTO programme_answers (id, responded_at, kind, scale, score, comment, channel, touchpoint, ticket_id,
         interaction_id, user_id, email, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 'bench')`,
    );
    inBatches(answers, (i) => {
      const kind = pick(['nps', 'csat', 'ces', 'company_effort'] as const);
      // an answer follows its ticket by a few days
      const ticketId = Math.min(tickets, 1 + Math.floor((i / answers) * tickets) + Math.floor(random() * 50));
      const answeredAt = at(i, answers);
      // Planted for the scan to raise signs (and read the answers behind them): in the last three months CSAT
      // falls for every cut, and a new complaint spreads in the comments.
      const planted = answeredAt >= PLANTED_FROM;
      const score =
        kind === 'nps'
          ? Math.floor(random() * 11)
          : kind === 'csat'
            ? planted && random() < 0.2
              ? 1
              : 1 + Math.floor(random() * 5)
            : 1 + Math.floor(random() * 7);
      const comment =
        kind === 'nps' || kind === 'csat'
          ? planted && random() < 0.1
            ? 'Appelé à nouveau pour la même facture'
            : pick(COMMENTS)
          : null;
      answer.run(
        `S${i}`,
        answeredAt,
        kind,
        kind === 'nps' ? '0-10' : kind === 'csat' ? '1-5' : '1-7',
        score,
        comment,
        pick(['email', 'web', 'phone', 'chat']),
        'ticket_solved',
        ticketId,
        `ticket-${ticketId}`,
      );
    });
  }
  const buildMs = performance.now() - buildStarted;
  // What a pull does last: the facts the queries aggregate.
  const factsStarted = performance.now();
  await new ProgrammeStore(sqliteSql(store)).refreshFacts();
  const factsMs = performance.now() - factsStarted;
  store.close();
  return { answers, tickets, buildMs, factsMs };
}

/** The sources of the SQLite file copied to a PostgreSQL database (answers in their order), then its facts built. */
async function copyToPostgres(path: string, url: string): Promise<{ copyMs: number; factsMs: number }> {
  const started = performance.now();
  const source = openProgrammeStore(path);
  const target = await openProgrammeSql({ path: '', databaseUrl: url });
  try {
    const tables: [string, string, string][] = [
      ['sync_account', 'id, name, segment, region, product_line, modstamp', 'id'],
      ['sync_profile', 'account_id, profile, computed_at', 'account_id'],
      ['sync_contact', 'id, account_id, name, modstamp', 'id'],
      ['programme_users', 'id, external_id, email, locale', 'id'],
      ['programme_tickets', 'id, created_at, requester_id, group_id, status, incident, product, tags', 'id'],
      [
        'programme_answers',
        'id, responded_at, kind, scale, score, comment, channel, touchpoint, ticket_id, interaction_id, user_id, email, source',
        'rowid',
      ],
    ];
    for (const [table, columns, order] of tables) {
      const read = source.db.prepare(`SELECT ${columns} FROM ${table} ORDER BY ${order}`);
      read.setReturnArrays(true);
      const rows: SqlValue[][] = [];
      const flush = () =>
        target.sql.transaction(() =>
          insertRows(target.sql, `INSERT INTO ${table} (${columns})`, rows.splice(0)),
        );
      for (const row of read.iterate() as unknown as Iterable<SqlValue[]>) {
        rows.push(row);
        if (rows.length >= BATCH) await flush();
      }
      await flush();
    }
    await target.sql.exec('VACUUM ANALYZE');
    const copyMs = performance.now() - started;
    const factsStarted = performance.now();
    await new ProgrammeStore(target.sql).refreshFacts();
    await target.sql.exec('VACUUM ANALYZE');
    return { copyMs, factsMs: performance.now() - factsStarted };
  } finally {
    source.close();
    await target.close();
  }
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A digest of a result, the C:CER mean ratio rounded to 12 digits (summed in another order by SQL). */
function digest(value: ProgrammeReport | SignalScan): string {
  const text = JSON.stringify(value, (key, item: unknown) =>
    key === 'meanRatio' && typeof item === 'number' ? Number(item.toPrecision(12)) : item,
  );
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

const REPORT_INPUT = { from: '2025-11-01', to: '2026-11-01', by: 'segment,product,region' };

/**
 * One measurement in a fresh process (its own connection and heap; the OS file cache stays warm), through the
 * service the CLI and the API use: the first report (cold), the same report again (a dashboard's repeated
 * query), then the signal scan. `rows`: the same questions the way they were answered before, one row per
 * answer read and aggregated in JavaScript.
 */
async function child(mode: string, path: string): Promise<void> {
  const store = await openTarget(path);
  const programme = new ProgrammeStore(store.sql);
  let started = performance.now();
  const repeated: number[] = [];
  let report: ProgrammeReport;
  let cold: number;
  let scan: SignalScan;
  let scanMs: number;
  if (mode === 'sql') {
    const result = await queryProgramme(programme, REPORT_INPUT);
    cold = performance.now() - started;
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    report = result.value;
    for (let run = 0; run < 5; run += 1) {
      started = performance.now();
      await queryProgramme(programme, REPORT_INPUT);
      repeated.push(performance.now() - started);
    }
    started = performance.now();
    const signals = await querySignals(programme, {});
    scanMs = performance.now() - started;
    if (!signals.ok) throw new Error(JSON.stringify(signals.issues));
    scan = signals.value;
  } else {
    const now = addMonths((await programme.latestAnswerAt())!, 1);
    const query = parseProgrammeQuery(REPORT_INPUT, now);
    if (!query.success) throw new Error(JSON.stringify(query.issues));
    report = computeProgramme(
      await programme.readFacts(query.data.fromMs, query.data.toMs, { comments: false }),
      query.data,
    );
    cold = performance.now() - started;
    started = performance.now();
    scan = scanSignals(await programme.readFacts(addMonths(now, -9), addMonths(now, 0)), {
      asOfMs: now,
      recentMonths: 3,
      baselineMonths: 6,
      minSample: 30,
    });
    scanMs = performance.now() - started;
  }
  await store.close();
  process.stdout.write(
    JSON.stringify({
      cold,
      repeated: repeated.length === 0 ? null : median(repeated),
      scan: scanMs,
      rows: report.rows.length,
      signs: scan.signs.length,
      tested: scan.tested + scan.keywordsTested,
      rssMb: process.resourceUsage().maxRSS / 1024,
      report: digest(report),
      signals: digest(scan),
    }),
  );
}

/**
 * The incremental refresh, in its own process: 1 % new answers (the last month, as a pull brings them), then a
 * sync changing the region of 1 % of the accounts in place; each refreshed the way `boucle serve` does it
 * (refreshFactsInSteps) while a histogram of the event loop's delay runs; then the report and the scan, and the
 * same after a full rebuild (same figures?).
 */
async function incremental(path: string): Promise<void> {
  const store = await openTarget(path);
  const sql = store.sql;
  const programme = new ProgrammeStore(sql);
  const { answers, tickets } = await programme.counts();
  const random = lcg(11);
  const added = Math.round(answers / 100);
  const rows: SqlValue[][] = [];
  for (let i = 0; i < added; i += 1) {
    const ticketId = tickets - Math.floor(random() * (tickets / 24));
    rows.push([
      `N${i}`,
      END - 1 - Math.floor(random() * 28 * 86_400_000),
      'csat',
      '1-5',
      1 + Math.floor(random() * 5),
      random() < 0.3 ? 'Appelé à nouveau, attente interminable' : null,
      'web',
      'ticket_solved',
      ticketId,
      `ticket-${ticketId}`,
      'bench',
    ]);
  }
  await sql.transaction(() =>
    insertRows(
      sql,
      `INSERT INTO programme_answers (id, responded_at, kind, scale, score, comment, channel, touchpoint, ticket_id,
         interaction_id, source)`,
      rows,
    ),
  );
  const stepped = async (): Promise<{ ms: number; stallMs: number; answers: number; tickets: number }> => {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const started = performance.now();
    const refreshed = await programme.refreshFactsInSteps();
    const ms = performance.now() - started;
    histogram.disable();
    if (refreshed.full) throw new Error('expected an incremental refresh');
    return { ms, stallMs: histogram.max / 1e6, answers: refreshed.answers, tickets: refreshed.tickets };
  };
  const newAnswers = await stepped();
  const accounts = (await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_account'))!.n;
  const moved = Math.round(accounts / 100);
  await sql.transaction(async () => {
    for (let i = 0; i < moved; i += 1)
      await sql.run("UPDATE sync_account SET region = 'Luxembourg' WHERE id = ?", [
        `A${Math.floor(random() * accounts)}`,
      ]);
  });
  const regions = await stepped();
  const figures = async (): Promise<{ digest: string; text: string }> => {
    const report = await queryProgramme(programme, REPORT_INPUT);
    const scan = await querySignals(programme, {});
    if (!report.ok || !scan.ok) throw new Error('query failed');
    return {
      digest: digest(report.value) + digest(scan.value),
      text: JSON.stringify([report.value, scan.value], null, 1),
    };
  };
  const after = await figures();
  const fullStarted = performance.now();
  await programme.refreshFacts({ full: true });
  const fullMs = performance.now() - fullStarted;
  const rebuilt = await figures();
  const same = rebuilt.digest === after.digest;
  // The figures of both, to diff: asked for, or whenever they differ (a mismatch leaves its evidence).
  const dump =
    process.env.BENCH_DUMP ?? (same ? undefined : join(tmpdir(), `boucle-bench-mismatch-${process.pid}`));
  if (dump !== undefined)
    [after, rebuilt].forEach((f, index) => writeFileSync(`${dump}-${index}.json`, f.text));
  await store.close();
  process.stdout.write(
    JSON.stringify({ added, moved, newAnswers, regions, fullMs, same, dump: same ? null : dump }),
  );
}

const measure = (mode: string, path: string): Record<string, number | string> => {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, path], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as Record<string, number | string>;
};

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

if (process.argv[2] === '--child') {
  if (process.argv[3] === 'incremental') await incremental(process.argv[4]!);
  else await child(process.argv[3]!, process.argv[4]!);
} else {
  // BENCH_DIR keeps the databases (for profiling); by default they go to a temporary folder, removed after.
  const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'boucle-bench-report-'));
  const pad = (value: string | number, width: number): string => String(value).padEnd(width);
  const cluster = DB === 'postgres' ? await startPostgresCluster({ durable: false }) : undefined;
  /** A fresh database on the cluster for a scale. */
  const freshDatabase = async (name: string): Promise<string> => {
    const admin = new pg.Client({ connectionString: cluster!.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(cluster!.url);
    url.pathname = `/${name}`;
    return url.toString();
  };
  try {
    console.log(
      `bench:report on ${DB === 'postgres' ? 'PostgreSQL (a throwaway local cluster)' : 'SQLite'} — ` +
        `${cpus().length} cores, load ${load()}; 12-month report by segment × product × region, ` +
        `signal scan over every cut (9 months); medians of ${RUNS} fresh processes`,
    );
    console.log(
      `targets at 100 %: cold ≤ ${TARGETS.coldMs} ms, repeated ≤ ${TARGETS.repeatedMs} ms, ` +
        `scan ≤ ${TARGETS.scanMs} ms, peak RSS ≤ ${TARGETS.rssMb} MB`,
    );
    console.log(
      'scale  answers  tickets  gen s  facts s  cold ms  repeated ms  scan ms  RSS MB  cells  tests  signs  load',
    );
    const befores: string[] = [];
    const increments: string[] = [];
    for (const scale of SCALES) {
      const file = join(dir, `bench-${scale}.sqlite`);
      const built = await build(file, scale);
      let path = file;
      if (cluster !== undefined) {
        path = await freshDatabase(`bench_report_${String(scale).replace('.', '_')}`);
        const copied = await copyToPostgres(file, path);
        built.buildMs += copied.copyMs;
        built.factsMs = copied.factsMs;
      }
      const runs = Array.from({ length: RUNS }, () => measure('sql', path));
      const pick = (key: string): number => median(runs.map((run) => run[key] as number));
      const last = runs[runs.length - 1]!;
      const mark = (value: number, target: number): string =>
        scale === 1 ? `${value <= target ? '✓' : '✗'}` : '';
      const cold = pick('cold');
      const repeated = pick('repeated');
      const scan = pick('scan');
      const rss = pick('rssMb');
      console.log(
        `${pad(`${scale * 100} %`, 6)} ${pad(built.answers, 8)} ${pad(built.tickets, 8)} ` +
          `${pad((built.buildMs / 1000).toFixed(1), 6)} ${pad((built.factsMs / 1000).toFixed(1), 8)} ` +
          `${pad(cold.toFixed(0) + mark(cold, TARGETS.coldMs), 8)} ` +
          `${pad(repeated.toFixed(2) + mark(repeated, TARGETS.repeatedMs), 12)} ` +
          `${pad(scan.toFixed(0) + mark(scan, TARGETS.scanMs), 8)} ${pad(rss.toFixed(0) + mark(rss, TARGETS.rssMb), 7)} ` +
          `${pad(last['rows']!, 6)} ${pad(last['tested']!, 6)} ${pad(last['signs']!, 6)} ${load()}`,
      );
      if (BEFORE) {
        const before = measure('rows', path);
        const same = before['report'] === last['report'] && before['signals'] === last['signals'];
        befores.push(
          `${pad(`${scale * 100} %`, 6)} ${pad((before['cold'] as number).toFixed(0), 8)} ` +
            `${pad((before['scan'] as number).toFixed(0), 8)} ${pad((before['rssMb'] as number).toFixed(0), 7)} ` +
            `${pad(`${((before['cold'] as number) / cold).toFixed(1)}×`, 8)} ` +
            `${pad(`${((before['scan'] as number) / scan).toFixed(1)}×`, 8)} ` +
            `${pad(`${((before['rssMb'] as number) / rss).toFixed(1)}×`, 7)} ${pad(same ? 'yes' : 'NO', 6)} ${load()}`,
        );
      }
      if (INCREMENTAL) {
        const run = measure('incremental', path) as unknown as {
          added: number;
          moved: number;
          newAnswers: { ms: number; stallMs: number; answers: number; tickets: number };
          regions: { ms: number; stallMs: number; answers: number; tickets: number };
          fullMs: number;
          same: boolean;
          dump: string | null;
        };
        const step = (name: string, r: typeof run.newAnswers): string =>
          `${pad(`${scale * 100} %`, 6)} ${pad(name, 26)} ${pad(`${r.answers}+${r.tickets}`, 14)} ` +
          `${pad(r.ms.toFixed(0), 8)} ${pad(r.stallMs.toFixed(0), 9)} ${pad((run.fullMs / 1000).toFixed(1), 7)} ` +
          `${pad(`${(run.fullMs / r.ms).toFixed(0)}×`, 6)} ${pad(run.same ? 'yes' : 'NO', 5)} ${load()}`;
        increments.push(step(`+${run.added} answers (1 %)`, run.newAnswers));
        increments.push(step(`${run.moved} accounts' region`, run.regions));
        if (run.dump !== null)
          increments.push(`       figures differ: diff ${run.dump}-0.json ${run.dump}-1.json`);
      }
    }
    if (BEFORE) {
      console.log('\nbefore (one JS row per answer, same data, one process each) and the ratios before/now:');
      console.log('scale  cold ms  scan ms  RSS MB  cold ×   scan ×   RSS ×   same   load');
      for (const line of befores) console.log(line);
    }
    if (INCREMENTAL) {
      console.log(
        '\nincremental refresh, stepped as boucle serve runs it (answers+tickets refreshed), its longest event-loop' +
          ' stall, the full rebuild on the same data, the ratio, same figures as the full rebuild:',
      );
      console.log(
        'scale  change                     refreshed      ms       stall ms  full s  ×      same  load',
      );
      for (const line of increments) console.log(line);
    }
    console.log(`load after: ${load()}`);
  } finally {
    cluster?.destroy();
    if (process.env.BENCH_DIR === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
