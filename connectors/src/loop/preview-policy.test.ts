import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_NOW, BENCH_RULES, makeBenchInputs } from '../../../shared/bench/bench-data.ts';
import { createDecider, encodeDecisionInput, parseSettings } from '../../../shared/src/index.ts';
import type { SettingsInput } from '../../../shared/src/index.ts';
import type { DatabaseSync } from 'node:sqlite';
import { openStore } from '../store/index.ts';
import { sqliteSql } from '../store/sql.ts';
import { AUTOMATION_SCHEMA } from './automation-schema.ts';
import {
  InterventionLedger,
  decisionFields,
  readStoredIncidents,
  splitDecisionWindow,
} from './intervention-ledger.ts';
import { createPreviewPool, previewDraftPolicy, previewLedgerPolicy } from './preview-policy.ts';

function settings(raw: SettingsInput) {
  const parsed = parseSettings(raw);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}

const DAY = 86_400_000;

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

/** A ledger holding `count` decisions of the bench's policy, one a day back from BENCH_NOW. */
async function ledgerWith(
  count: number,
  path = ':memory:',
): Promise<{ ledger: InterventionLedger; db: DatabaseSync }> {
  const store = openStore(path, [AUTOMATION_SCHEMA]);
  const ledger = new InterventionLedger(sqliteSql(store));
  const decider = createDecider(settings({ rules: BENCH_RULES }));
  for (const [index, input] of makeBenchInputs(count, 5).entries()) {
    const decidedAt = new Date(Date.parse(BENCH_NOW) - index * DAY);
    const decision = decider.decide(input, decidedAt.toISOString());
    await ledger.record({
      decisionKey: `k${index}`,
      ticketId: index,
      userId: 1,
      ...decisionFields(decision),
      summary: '',
      decidedAt,
      dueAt: null,
      input,
    });
  }
  return { ledger, db: store.db };
}

describe('the intervention ledger keeps what a preview needs', () => {
  it('stores each decision input with its tier and minutes, and streams them back in a window', async () => {
    const { ledger, db } = await ledgerWith(20);
    const inputs = makeBenchInputs(20, 5);
    const all = await collect(ledger.storedIncidents());
    // Pages of 3 rows give the same rows, and so does the SQLite file's cursor.
    expect(await collect(ledger.storedIncidents({}, 3))).toEqual(all);
    expect([...readStoredIncidents(db)]).toEqual(all);
    expect(all).toHaveLength(20);
    // Oldest first.
    expect(all[0]!.input).toEqual(inputs[19]);
    expect(all[19]!.decidedAt).toBe(Date.parse(BENCH_NOW));
    expect(typeof (await ledger.byKey('k0'))?.agentMinutes).toBe('number');
    const window = { from: Date.parse(BENCH_NOW) - 4 * DAY, to: Date.parse(BENCH_NOW) };
    expect((await collect(ledger.storedIncidents(window, 3))).map((incident) => incident.decidedAt)).toEqual(
      [4, 3, 2, 1].map((days) => Date.parse(BENCH_NOW) - days * DAY),
    );
  });

  it('keeps rows stored before schema versions 3 and 4: migration 4 converts the JSON inputs and keeps them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'boucle-preview-')), 'boucle.db');
    const atVersion = (version: number) =>
      openStore(path, [{ ...AUTOMATION_SCHEMA, migrations: AUTOMATION_SCHEMA.migrations.slice(0, version) }]);
    const v2 = atVersion(2);
    v2.db
      .prepare(
        `INSERT INTO automation_interventions (decision_key, ticket_id, action, status, decided_at, cost, expected_value)
         VALUES ('old', 1, 'callback', 'applied', 1000, 15, 40)`,
      )
      .run();
    v2.close();
    // Version 3 stored the input as JSON.
    const [input] = makeBenchInputs(1, 9);
    const v3 = atVersion(3);
    const insert = v3.db.prepare(
      `INSERT INTO automation_interventions (decision_key, ticket_id, action, status, decided_at, input)
       VALUES (?, ?, 'none', 'applied', ?, ?)`,
    );
    insert.run('broken', 2, 2000, '{not json');
    insert.run('json', 3, 3000, JSON.stringify(input));
    v3.close();
    // The same database, opened by this version: migration 4 adds the compact form and keeps every row.
    const store = openStore(path, [AUTOMATION_SCHEMA]);
    const ledger = new InterventionLedger(sqliteSql(store));
    const recorded = (action: string, cost: number | null, expectedValue: number | null) => ({
      action,
      compensationTier: null,
      cost,
      expectedValue,
      agentMinutes: null,
      dueAt: null,
    });
    expect(await collect(ledger.storedIncidents())).toEqual([
      { input: null, decidedAt: 1000, recorded: recorded('callback', 15, 40) },
      { input: null, decidedAt: 2000, recorded: recorded('none', null, null) },
      { input, decidedAt: 3000, recorded: recorded('none', null, null) },
    ]);
    // Nothing stored is lost: the JSON stays beside its compact form.
    const rows = store.db
      .prepare('SELECT decision_key, input, input_compact FROM automation_interventions ORDER BY id')
      .all();
    expect(rows).toEqual([
      { decision_key: 'old', input: null, input_compact: null },
      { decision_key: 'broken', input: '{not json', input_compact: null },
      { decision_key: 'json', input: JSON.stringify(input), input_compact: encodeDecisionInput(input!) },
    ]);
    expect(await ledger.byKey('old')).toMatchObject({
      action: 'callback',
      compensationTier: null,
      agentMinutes: null,
      // Migration 5: rows decided before it name no policy version; new ones keep theirs.
      policyVersion: null,
    });
    const [again] = makeBenchInputs(1, 3);
    const entry = await ledger.record({
      decisionKey: 'v5',
      ticketId: 4,
      userId: null,
      action: 'none',
      priority: null,
      tier: null,
      expectedValue: null,
      cost: null,
      summary: '',
      decidedAt: new Date(4000),
      dueAt: null,
      input: again!,
      policyVersion: 7,
    });
    expect(entry.policyVersion).toBe(7);
    store.close();
    rmSync(dirname(path), { recursive: true, force: true });
  });

  it('cuts a window into consecutive windows of about as many incidents, which cover it once', async () => {
    const { db } = await ledgerWith(100);
    const all = [...readStoredIncidents(db)].map((incident) => incident.decidedAt);
    for (const parts of [1, 2, 3, 7]) {
      const windows = splitDecisionWindow(db, {}, parts);
      expect(windows).toHaveLength(parts);
      const shares = windows.map((window) => [...readStoredIncidents(db, window)].map((i) => i.decidedAt));
      expect(shares.flat()).toEqual(all);
      for (const share of shares) expect(Math.abs(share.length - 100 / parts)).toBeLessThanOrEqual(1);
    }
    const from = Date.parse(BENCH_NOW) - 9 * DAY;
    const inWindow = splitDecisionWindow(db, { from, to: Date.parse(BENCH_NOW) }, 4);
    expect(inWindow[0]!.from).toBe(from);
    expect(inWindow[3]!.to).toBe(Date.parse(BENCH_NOW));
    expect(inWindow.map((window) => [...readStoredIncidents(db, window)].length)).toEqual([2, 2, 2, 3]);
  });
});

describe('previewDraftPolicy', () => {
  it('decides the stored incidents again with the draft and compares them with the recorded decisions', async () => {
    const { ledger, db } = await ledgerWith(120);
    const same = previewDraftPolicy(db, settings({ rules: BENCH_RULES }));
    expect(same).toMatchObject({ incidents: 120, previewable: 120, changed: 0 });
    expect(same.cost.change).toBe(0);
    const cheaper = previewDraftPolicy(db, settings({ rules: BENCH_RULES, costs: { callbackMinutes: 60 } }));
    // The same figures read page by page through the ledger's port.
    expect(
      await previewLedgerPolicy(ledger, settings({ rules: BENCH_RULES, costs: { callbackMinutes: 60 } })),
    ).toEqual(cheaper);
    expect(cheaper.changed).toBeGreaterThan(0);
    expect(cheaper.callbacks.change).toBeLessThan(0);
    const lastWeek = previewDraftPolicy(db, settings({}), { from: Date.parse(BENCH_NOW) - 6 * DAY });
    expect(lastWeek.incidents).toBe(7);
  });
});

describe('createPreviewPool', () => {
  it('previews shares of the ledger file in worker threads and merges them into the one-thread preview', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boucle-preview-pool-'));
    const path = join(dir, 'boucle.db');
    const { db } = await ledgerWith(90, path);
    const draft = settings({ rules: BENCH_RULES, costs: { callbackMinutes: 60 } });
    const pool = createPreviewPool(path, 3);
    try {
      const window = { from: Date.parse(BENCH_NOW) - 59 * DAY };
      const alone = previewDraftPolicy(db, draft, window);
      expect(alone.incidents).toBe(60);
      expect(await pool.preview(draft, window)).toEqual(alone);
      // The threads stay up: a second draft on the same pool.
      expect((await pool.preview(settings({}))).incidents).toBe(90);
      // A ledger file that is not there: the reason comes back, and the pool still works.
      const missing = createPreviewPool(join(dir, 'missing.db'), 1);
      await expect(missing.preview(draft)).rejects.toThrow(/missing\.db failed/);
      await missing.close();
      expect((await pool.preview(draft, window)).incidents).toBe(60);
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
