import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, type World } from '../../../sandbox/dataset/generate-world.ts';
import { writeDataset } from '../../../sandbox/dataset/write-data.ts';
import { startZendeskEmulator, type ZendeskEmulator } from '../../../sandbox/zendesk/index.ts';
import { computeProgramme } from '../../../shared/src/index.ts';
import { captureIo } from '../cli/capture-io.ts';
import { runCli } from '../cli/main.ts';
import { sandboxZendeskClient } from '../loop/test-harness.ts';
import { sqliteSql } from '../store/sql.ts';
import { ProgrammeStore, openProgrammeStore } from './programme-store.ts';
import { pullProgrammeData } from './pull-programme-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'boucle-programme-'));
const dbPath = join(dir, 'boucle.sqlite');
let world: World;
let emulator: ZendeskEmulator;

/** The sync's mirror, as a sync run leaves it (fixture: the sync has its own tests against Salesforce). */
function mirrorAccounts(): void {
  const store = openProgrammeStore(dbPath);
  const account = store.db.prepare(
    'INSERT INTO sync_account (id, name, created, segment, region, product_line, margin_rate, modstamp) VALUES (?, ?, 0, ?, ?, NULL, NULL, 1)',
  );
  const contact = store.db.prepare(
    'INSERT INTO sync_contact (id, account_id, name, email, modstamp) VALUES (?, ?, ?, ?, 1)',
  );
  const profile = store.db.prepare(
    'INSERT INTO sync_profile (account_id, profile, computed_at) VALUES (?, ?, 0)',
  );
  store.transaction(() => {
    for (const a of world.accounts) {
      account.run(a.id, a.name, a.segment, a.country);
      profile.run(a.id, JSON.stringify({ tier: a.tier.toLowerCase() }));
    }
    for (const c of world.contacts) contact.run(c.id, c.accountId, c.lastName, c.email);
  });
  store.close();
}

beforeAll(async () => {
  world = generateWorld({ seed: 5, accounts: 150 });
  writeDataset(world, join(dir, 'dataset'));
  emulator = await startZendeskEmulator({ dataDir: join(dir, 'dataset', 'zendesk'), port: 0 });
  mirrorAccounts();
}, 60_000);
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const ALL = { fromMs: 0, toMs: Date.parse('2100-01-01T00:00:00Z') };

describe('programme data from Zendesk and the sync mirror', () => {
  it('pulls every answer, ticket and user, then resolves region, segment and tier through the mirror', async () => {
    const client = sandboxZendeskClient(emulator.url);
    const store = openProgrammeStore(dbPath);
    try {
      const programme = new ProgrammeStore(sqliteSql(store));
      const result = await pullProgrammeData(client, programme);
      expect(result.answers).toBe(world.answers.length);
      expect(result.skipped).toEqual([]);
      expect(result.tickets).toBe(world.tickets.length);
      const linked = store.db
        .prepare('SELECT COUNT(*) AS n FROM programme_users WHERE external_id IS NOT NULL')
        .get() as { n: number };
      expect(linked.n).toBe(world.contacts.length);
      const users = (await programme.counts()).users;
      expect(users).toBeGreaterThan(world.contacts.length + world.agents.length - 1);
      // A second pull resumes from the stored cursors and duplicates nothing.
      await pullProgrammeData(client, programme);
      expect(await programme.counts()).toEqual({
        answers: world.answers.length,
        tickets: world.tickets.length,
        users,
      });

      const facts = await programme.readFacts(ALL.fromMs, ALL.toMs);
      const report = computeProgramme(facts, { ...ALL, by: ['region'], bucket: null });
      // The same figure computed straight from the generated world.
      const countryOf = new Map(world.accounts.map((a) => [a.id, a.country]));
      for (const row of report.rows) {
        const csat = world.answers.filter(
          (a) => a.kind === 'csat' && countryOf.get(a.accountId) === row.cut.region,
        );
        expect(row.figures.csat.n).toBe(csat.length);
        expect(row.figures.csat.successes).toBe(csat.filter((a) => a.score >= 4).length);
      }
      expect(report.rows.map((row) => row.cut.region).sort()).toEqual(
        [...new Set(countryOf.values())].sort(),
      );
      const incidents = computeProgramme(facts, { ...ALL, by: [], bucket: null }).total;
      expect(incidents.incidents).toBe(
        world.tickets.filter((t) => t.incidentId !== null || t.tags.includes('complaint')).length,
      );
      expect(incidents.incidents).toBeGreaterThan(world.incidents.length);
      expect(incidents.tickets).toBe(world.tickets.length);
      const languages = computeProgramme(facts, { ...ALL, by: ['language', 'tier'], bucket: null });
      const french = languages.rows.filter((row) => row.cut.language === 'fr');
      expect(french.reduce((n, row) => n + row.figures.answers, 0)).toBe(
        world.answers.filter((a) => world.contacts.find((c) => c.id === a.contactId)!.lang === 'fr').length,
      );
      expect(new Set(languages.rows.map((row) => row.cut.tier))).toEqual(
        new Set(world.accounts.map((a) => a.tier.toLowerCase())),
      );
    } finally {
      store.close();
    }
  }, 60_000);

  it('prints the report as a table, JSON and CSV with the same figures', async () => {
    const env = { BOUCLE_DB_PATH: dbPath };
    const run = async (...args: string[]) => {
      const { io, stdout, stderr } = captureIo({ cwd: dir, env });
      const code = await runCli(['report', ...args, '--env-file', join(dir, 'none.env')], io);
      return { code, out: stdout(), err: stderr() };
    };
    const json = await run(
      'programme',
      '--by',
      'segment',
      '--format',
      'json',
      '--from',
      '2000-01-01',
      '--to',
      '2100-01-01',
    );
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as {
      total: { csat: { n: number; successes: number } };
      rows: { cut: { segment: string }; figures: { answers: number } }[];
    };
    const csat = world.answers.filter((a) => a.kind === 'csat');
    expect(parsed.total.csat).toMatchObject({
      n: csat.length,
      successes: csat.filter((a) => a.score >= 4).length,
    });
    expect(parsed.rows.map((row) => row.cut.segment).sort()).toEqual(['Enterprise', 'Mid-Market', 'SMB']);

    const csv = await run(
      'programme',
      '--by',
      'segment',
      '--format',
      'csv',
      '--from',
      '2000-01-01',
      '--to',
      '2100-01-01',
    );
    const lines = csv.out.trim().split('\r\n');
    expect(lines[0]!.startsWith('segment,bucket,answers,nps_n,promoters')).toBe(true);
    expect(lines).toHaveLength(1 + 3 + 1);
    const total = lines.at(-1)!.split(',');
    expect(total[0]).toBe('total');
    expect(Number(total[2])).toBe(world.answers.length);

    const table = await run('programme', '--by', 'region', '--bucket', 'month');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^Programme \d{4}-\d{2}-01 → \d{4}-\d{2}-01/);
    expect(table.out).toMatch(/n=\d+/);
    expect(table.out).toContain('total');

    const signals = await run('signals', '--format', 'json');
    expect(signals.code).toBe(0);
    expect(JSON.parse(signals.out)).toHaveProperty('signs');
    const readable = await run('signals', '--locale', 'fr');
    expect(readable.out).toContain("Signaux d'alerte : ");
  }, 60_000);

  it('says what to fix on a bad cut, format or date, and exits 2', async () => {
    const env = { BOUCLE_DB_PATH: dbPath };
    for (const [args, message] of [
      [['programme', '--by', 'colour'], '"colour" is not a cut'],
      [['programme', '--format', 'xml'], '--format takes table, json or csv'],
      [['programme', '--from', '31/12/2025'], 'is not a date'],
      [['signals', '--format', 'csv'], '--format takes table or json'],
      [['signals', '--as-of', 'soon'], '--as-of: takes a date'],
      [['signals', '--recent-months', '0'], '--recent-months: takes a whole number from 1 to 24'],
      [['programme', 'extra'], 'unexpected argument'],
    ] as const) {
      const { io, stderr } = captureIo({ cwd: dir, env });
      expect(await runCli(['report', ...args], io)).toBe(2);
      expect(stderr()).toContain(message);
    }
  });
});
