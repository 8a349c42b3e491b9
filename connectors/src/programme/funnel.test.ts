import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli/capture-io.ts';
import { runCli } from '../cli/main.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import { sqliteSql } from '../store/sql.ts';
import { ProgrammeStore, openProgrammeStore } from './programme-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'boucle-funnel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dbPath = join(dir, 'boucle.sqlite');

async function seed(): Promise<void> {
  const store = openProgrammeStore(dbPath);
  const db = store.db;
  db.prepare(
    "INSERT INTO sync_account (id, name, region, modstamp) VALUES ('A1', 'Acme', 'France', 1), ('A2', 'Bolt', 'Belgium', 1)",
  ).run();
  db.prepare(
    "INSERT INTO sync_contact (id, account_id, name, modstamp) VALUES ('C1', 'A1', 'Ann', 1), ('C2', 'A2', 'Bob', 1)",
  ).run();
  db.prepare(
    `INSERT INTO sync_profile (account_id, profile, computed_at) VALUES ('A1', '{"revenue12m": 12000}', 0), ('A2', '{"revenue12m": 3000}', 0)`,
  ).run();
  // Acme ordered again on 2026-07-01 (within 90 days of its June decision); Bolt's last order predates its decision.
  db.prepare(
    `INSERT INTO sync_txn (id, object, account_id, amount, date, revenue, open, modstamp) VALUES
       ('O1', 'Order', 'A1', 500, '2026-07-01', 1, 0, 1), ('O2', 'Order', 'A2', 200, '2026-05-01', 1, 0, 1)`,
  ).run();
  await new ProgrammeStore(sqliteSql(store)).putUsers([
    { id: 11, externalId: 'C1', email: null, locale: 'fr' },
    { id: 12, externalId: 'C2', email: null, locale: 'fr' },
  ]);
  const ledger = new InterventionLedger(sqliteSql(store));
  const record = (key: string, userId: number, action: string, decided: string, due: string | null) =>
    ledger.record({
      decisionKey: key,
      ticketId: userId * 10,
      userId,
      action,
      priority: 'high',
      tier: 'gold',
      expectedValue: 10,
      cost: 1,
      summary: '',
      decidedAt: new Date(decided),
      dueAt: due === null ? null : new Date(due),
    });
  const a = await record('a', 11, 'callback', '2026-06-01T09:00:00Z', '2026-06-02T09:00:00Z');
  await ledger.markApplied(a.id, null);
  await ledger.recordOutcome(a.id, 'resolved', new Date('2026-06-01T15:00:00Z'));
  const b = await record('b', 12, 'callback', '2026-06-01T09:00:00Z', '2026-06-02T09:00:00Z');
  await ledger.markApplied(b.id, null);
  await ledger.recordOutcome(b.id, 'resolved', new Date('2026-06-05T09:00:00Z')); // contacted after the deadline
  await record('c', 12, 'none', '2026-06-03T09:00:00Z', null);
  store.close();
}

describe('boucle report funnel', () => {
  it('follows each decision of the ledger to the CRM’s next order, with the € at risk', async () => {
    await seed();
    const { io, stdout, stderr } = captureIo({ cwd: dir, env: { BOUCLE_DB_PATH: dbPath } });
    const code = await runCli(
      ['report', 'funnel', '--format', 'json', '--env-file', join(dir, 'none.env')],
      io,
    );
    expect(stderr()).toBe('');
    expect(code).toBe(0);
    const funnel = JSON.parse(stdout()) as {
      retentionDays: number;
      rows: {
        steps: { step: string; count: number; value: number }[];
        valueAtRisk: number;
        valueRecovered: number;
      }[];
    };
    expect(funnel.retentionDays).toBe(90);
    expect(funnel.rows[0]!.steps.map((s) => [s.step, s.count, s.value])).toEqual([
      ['incidents', 3, 18000],
      ['recommended', 2, 15000],
      ['applied', 2, 15000],
      ['contacted_within_sla', 1, 12000],
      ['resolved', 1, 12000],
      ['retained', 1, 12000],
    ]);
    expect(funnel.rows[0]!.valueRecovered).toBe(12000);

    const table = captureIo({ cwd: dir, env: { BOUCLE_DB_PATH: dbPath } });
    expect(
      await runCli(['report', 'funnel', '--by', 'region', '--env-file', join(dir, 'none.env')], table.io),
    ).toBe(0);
    expect(table.stdout()).toContain('region = Belgium: € at risk 3000, recovered 0');
    expect(table.stdout()).toContain('region = France: € at risk 12000, recovered 12000');
    expect(table.stdout()).toMatch(/contacted in time\s+0 {2}0\.0 % of previous/);

    const bad = captureIo({ cwd: dir, env: { BOUCLE_DB_PATH: dbPath } });
    expect(await runCli(['report', 'funnel', '--retention-days', 'soon'], bad.io)).toBe(2);
    expect(bad.stderr()).toContain('--retention-days: takes a whole number');
  });
});
