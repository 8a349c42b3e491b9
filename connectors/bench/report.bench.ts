// npm run bench:report — the programme report and the signal scan on a large synthetic database: 1 M survey
// answers and 300 k incidents (of 1 M tickets) over 24 months at 100 %, and the same at 10 % and 50 %. Prints
// medians of cold and repeated queries, the scan, and the peak RSS of each child process; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addMonths } from '../../shared/src/index.ts';
import { queryProgramme, querySignals } from '../src/programme/programme-service.ts';
import { ProgrammeStore, openProgrammeStore } from '../src/programme/programme-store.ts';

const END = Date.parse('2026-11-01T00:00:00Z');
const START = addMonths(END, -24);
const SCALES = (process.env.BENCH_SCALES ?? '0.1,0.5,1').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** A seeded LCG: the bench data is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296;
  };
}

function build(path: string, scale: number): { answers: number; tickets: number } {
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
  store.transaction(() => {
    const account = db.prepare(
      'INSERT INTO sync_account (id, name, segment, region, product_line, modstamp) VALUES (?, ?, ?, ?, ?, 1)',
    );
    const profile = db.prepare(
      'INSERT INTO sync_profile (account_id, profile, computed_at) VALUES (?, ?, 0)',
    );
    for (let a = 0; a < accounts; a += 1) {
      account.run(`A${a}`, `Account ${a}`, pick(SEGMENTS), pick(REGIONS), pick(PRODUCTS));
      profile.run(`A${a}`, JSON.stringify({ tier: pick(TIERS) }));
    }
    const contact = db.prepare(
      'INSERT INTO sync_contact (id, account_id, name, modstamp) VALUES (?, ?, ?, 1)',
    );
    const user = db.prepare(
      'INSERT INTO programme_users (id, external_id, email, locale) VALUES (?, ?, NULL, ?)',
    );
    for (let u = 0; u < users; u += 1) {
      contact.run(`C${u}`, `A${Math.floor(random() * accounts)}`, `Contact ${u}`);
      user.run(u + 1, `C${u}`, random() < 0.5 ? 'fr' : 'en-US');
    }
    const ticket = db.prepare(
      'INSERT INTO programme_tickets (id, created_at, requester_id, group_id, status, incident, product, tags) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)',
    );
    // Rows arrive over time, as in a real database: ids and timestamps grow together (with a day of jitter).
    const at = (index: number, count: number): number =>
      Math.min(END - 1, START + Math.floor((index / count) * (END - START) + random() * 86_400_000));
    for (let t = 0; t < tickets; t += 1)
      ticket.run(
        t + 1,
        at(t, tickets),
        1 + Math.floor(random() * users),
        7000 + Math.floor(random() * 4),
        'solved',
        random() < 0.3 ? 1 : 0,
        '[]',
      );
    const answer = db.prepare(
      `INSERT INTO programme_answers (id, responded_at, kind, scale, score, comment, channel, touchpoint, ticket_id,
         interaction_id, user_id, email, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 'bench')`,
    );
    for (let i = 0; i < answers; i += 1) {
      const kind = pick(['nps', 'csat', 'ces', 'company_effort'] as const);
      // an answer follows its ticket by a few days
      const ticketId = Math.min(tickets, 1 + Math.floor((i / answers) * tickets) + Math.floor(random() * 50));
      answer.run(
        `S${i}`,
        at(i, answers),
        kind,
        kind === 'nps' ? '0-10' : kind === 'csat' ? '1-5' : '1-7',
        kind === 'nps'
          ? Math.floor(random() * 11)
          : kind === 'csat'
            ? 1 + Math.floor(random() * 5)
            : 1 + Math.floor(random() * 7),
        kind === 'nps' || kind === 'csat' ? pick(COMMENTS) : null,
        pick(['email', 'web', 'phone', 'chat']),
        'ticket_solved',
        ticketId,
        `ticket-${ticketId}`,
      );
    }
  });
  store.close();
  return { answers, tickets };
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * One measurement in a fresh process (its own connection and heap), through the service the CLI and the API
 * use: the first report (cold), the same report again (a dashboard's repeated query), then the signal scan.
 */
function child(path: string): void {
  const store = openProgrammeStore(path);
  const programme = new ProgrammeStore(store.db);
  const input = { from: '2025-11-01', to: '2026-11-01', by: 'segment,product,region' };
  let started = performance.now();
  const report = queryProgramme(programme, input);
  const cold = performance.now() - started;
  if (!report.ok) throw new Error(JSON.stringify(report.issues));
  const repeated: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    started = performance.now();
    queryProgramme(programme, input);
    repeated.push(performance.now() - started);
  }
  started = performance.now();
  const scan = querySignals(programme, {});
  const scanMs = performance.now() - started;
  if (!scan.ok) throw new Error(JSON.stringify(scan.issues));
  store.close();
  process.stdout.write(
    JSON.stringify({
      cold,
      repeated: median(repeated),
      scan: scanMs,
      rows: report.value.rows.length,
      signs: scan.value.signs.length,
      tested: scan.value.tested + scan.value.keywordsTested,
      rssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

if (process.argv[2] === '--child') child(process.argv[3]!);
else {
  // BENCH_DIR keeps the databases (for profiling); by default they go to a temporary folder, removed after.
  const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'boucle-bench-report-'));
  try {
    console.log(
      `bench:report — ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; ` +
        `12-month report by segment × product × region, signal scan over every cut (9 months)`,
    );
    console.log('scale  answers    tickets    cold ms  repeated ms  scan ms  cells  tests  peak RSS MB');
    for (const scale of SCALES) {
      const path = join(dir, `bench-${scale}.sqlite`);
      const built = build(path, scale);
      const colds: number[] = [];
      const scans: number[] = [];
      let last: Record<string, number> = {};
      for (let run = 0; run < RUNS; run += 1) {
        const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', path], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        if (out.status !== 0) throw new Error(out.stderr);
        last = JSON.parse(out.stdout) as Record<string, number>;
        colds.push(last['cold']!);
        scans.push(last['scan']!);
      }
      console.log(
        `${`${scale * 100} %`.padEnd(6)} ${String(built.answers).padEnd(10)} ${String(built.tickets).padEnd(10)} ` +
          `${median(colds).toFixed(0).padEnd(8)} ${last['repeated']!.toFixed(1).padEnd(12)} ${median(scans).toFixed(0).padEnd(8)} ` +
          `${String(last['rows']).padEnd(6)} ${String(last['tested']).padEnd(6)} ${last['rssMb']!.toFixed(0)}`,
      );
    }
    console.log(
      `load after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    if (process.env.BENCH_DIR === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
