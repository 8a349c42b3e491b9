import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BENCH_NOW, BENCH_RULES, makeBenchInputs } from '../../../shared/bench/bench-data.ts';
import { createDecider, parseSettings, previewPolicy } from '../../../shared/src/index.ts';
import type { HoldoutAssignment, StoredIncident } from '../../../shared/src/index.ts';
import { ExperimentLedger } from '../experiment/experiment-ledger.ts';
import { EXPERIMENT_SCHEMA } from '../experiment/experiment-schema.ts';
import { openStore } from '../store/index.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { postgresSql, sqliteSql, type Sql } from '../store/sql.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { AUTOMATION_SCHEMA } from './automation-schema.ts';
import { InterventionLedger, decisionFields, type NewLedgerEntry } from './intervention-ledger.ts';
import { previewLedgerPolicy } from './preview-policy.ts';
import { collectAll } from './test-harness.ts';

const SCHEMAS = [AUTOMATION_SCHEMA, EXPERIMENT_SCHEMA];
const DAY = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * `connections` handles on one new database: one SQLite file opened that many times, or one PostgreSQL database
 * with that many pools (as that many `boucle serve` processes would hold).
 */
async function openDatabase(database: 'sqlite' | 'postgres', connections = 1): Promise<Sql[]> {
  const handles: Sql[] = [];
  if (database === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'boucle-ledger-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    for (let i = 0; i < connections; i += 1) {
      const store = openStore(join(dir, 'boucle.sqlite'), SCHEMAS);
      cleanups.push(() => store.close());
      handles.push(sqliteSql(store));
    }
    return handles;
  }
  const url = await freshPostgresDatabase();
  for (let i = 0; i < connections; i += 1) {
    const store = await openPostgresStore(url, SCHEMAS, { max: 4 });
    cleanups.push(() => store.close());
    handles.push(postgresSql(store));
  }
  return handles;
}

function entry(
  key: string,
  ticketId: number,
  decidedAt: string,
  action = 'callback',
  dueAt?: string,
): NewLedgerEntry {
  return {
    decisionKey: key,
    ticketId,
    userId: 7,
    action,
    priority: 'high',
    tier: 'gold',
    expectedValue: 120.5,
    cost: 15.25,
    summary: 'Call back',
    decidedAt: new Date(decidedAt),
    dueAt: dueAt === undefined ? null : new Date(dueAt),
  };
}

function settings(raw: Parameters<typeof parseSettings>[0]) {
  const parsed = parseSettings(raw);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}

describe.each(['sqlite', 'postgres'] as const)('the intervention ledger on %s', (database) => {
  it('records a decision once per key, follows its outcome, keeps ticket states and cursors', async () => {
    const [sql] = await openDatabase(database);
    const ledger = new InterventionLedger(sql!);
    const first = await ledger.record(
      entry('ev-1', 10, '2026-11-16T09:00:00Z', 'callback', '2026-11-17T09:00:00Z'),
    );
    // Numbers come back as numbers, dates as dates, on both databases.
    expect(first).toMatchObject({
      decisionKey: 'ev-1',
      ticketId: 10,
      userId: 7,
      expectedValue: 120.5,
      cost: 15.25,
      status: 'recommended',
      decidedAt: new Date('2026-11-16T09:00:00Z'),
      dueAt: new Date('2026-11-17T09:00:00Z'),
      outcome: null,
      recovered: null,
      policyVersion: null,
    });
    expect(typeof first.id).toBe('number');
    // The same key again: the first entry, unchanged.
    expect(await ledger.record(entry('ev-1', 10, '2026-11-16T10:00:00Z'))).toEqual(first);
    expect(await ledger.all()).toEqual([first]);
    expect(await ledger.byId(first.id)).toEqual(first);
    expect(await ledger.byKey('nope')).toBeUndefined();
    await ledger.markApplied(first.id, 'rec-1');
    await ledger.markApplied(first.id, null); // keeps the record id
    expect(await ledger.byKey('ev-1')).toMatchObject({ status: 'applied', recordId: 'rec-1' });

    // Only a ticket whose state points at the entry has a reminder due.
    expect(await ledger.dueBefore(new Date('2026-11-17T10:00:00Z'))).toEqual([]);
    const state = {
      ticketId: 10,
      fingerprint: 'callback||high|',
      bouclePriority: 'high' as const,
      basePriority: 'normal' as const,
      interventionId: first.id,
      tags: ['boucle_callback', 'boucle_follow_up'],
    };
    await ledger.saveTicketState(state, new Date());
    expect(await ledger.ticketState(10)).toEqual(state);
    await ledger.saveTicketState({ ...state, bouclePriority: 'urgent', tags: [] }, new Date());
    expect(await ledger.ticketState(10)).toEqual({ ...state, bouclePriority: 'urgent', tags: [] });
    expect(await ledger.ticketState(11)).toEqual({
      ticketId: 11,
      fingerprint: null,
      bouclePriority: null,
      basePriority: null,
      interventionId: null,
      tags: [],
    });
    expect((await ledger.dueBefore(new Date('2026-11-17T10:00:00Z'))).map((e) => e.id)).toEqual([first.id]);
    expect(await ledger.dueBefore(new Date('2026-11-17T08:00:00Z'))).toEqual([]);
    await ledger.markReminded(first.id, new Date('2026-11-17T07:00:00Z'));
    await ledger.markReminded(first.id, new Date('2026-11-17T08:00:00Z')); // the first reminder is kept
    expect((await ledger.byId(first.id))!.remindedAt).toEqual(new Date('2026-11-17T07:00:00Z'));

    // The first contact is kept, an outcome never goes back, a survey says whether the customer stayed.
    await ledger.recordOutcome(first.id, 'contacted', new Date('2026-11-16T15:00:00Z'));
    expect(await ledger.byId(first.id)).toMatchObject({ status: 'contacted', outcome: 'contacted' });
    await ledger.recordOutcome(first.id, 'resolved', new Date('2026-11-16T18:00:00Z'));
    await ledger.recordOutcome(first.id, 'contacted', new Date('2026-11-16T19:00:00Z'));
    await ledger.recordOutcome(first.id, 'recovered', new Date('2026-11-20T18:00:00Z'));
    await ledger.recordOutcome(first.id, 'lost', new Date('2026-11-21T18:00:00Z'));
    expect(await ledger.byId(first.id)).toMatchObject({
      status: 'closed',
      outcome: 'resolved',
      outcomeAt: new Date('2026-11-16T15:00:00Z'),
      firstContactAt: new Date('2026-11-16T15:00:00Z'),
      recovered: false,
    });
    expect(await ledger.dueBefore(new Date('2026-11-17T10:00:00Z'))).toEqual([]);

    // The loop's cursors.
    expect(await ledger.getState('zendesk_csat_start_time')).toBeUndefined();
    await ledger.setState('zendesk_csat_start_time', '100');
    await ledger.setState('zendesk_csat_start_time', '200');
    expect(await ledger.getState('zendesk_csat_start_time')).toBe('200');

    // By ticket and by user, in order of recording.
    const second = await ledger.record({
      ...entry('ev-2', 10, '2026-11-18T09:00:00Z', 'apology'),
      userId: 8,
    });
    expect((await ledger.forTicket(10)).map((e) => e.id)).toEqual([first.id, second.id]);
    expect((await ledger.forUser(8)).map((e) => e.id)).toEqual([second.id]);
    expect(await ledger.forTicket(99)).toEqual([]);
  });

  it('takes the decision applied on a retry when it differs from the one recorded, until an outcome is known', async () => {
    const [sql] = await openDatabase(database);
    const ledger = new InterventionLedger(sql!);
    const firstTry = entry('ev-retry', 30, '2026-11-16T09:00:00Z', 'callback', '2026-11-17T09:00:00Z');
    const recorded = await ledger.recordOrRedecide(firstTry);
    // The same decision again (a retry that decides the same): nothing changes.
    expect(
      await ledger.recordOrRedecide({ ...firstTry, decidedAt: new Date('2026-11-16T09:05:00Z') }),
    ).toEqual(recorded);
    // The CRM changed before the retry: the retry's decision is what Zendesk gets, so the ledger says it too.
    const retry: NewLedgerEntry = {
      ...firstTry,
      action: 'apology',
      priority: 'normal',
      tier: 'bronze',
      expectedValue: 3.75,
      cost: 0.5,
      summary: 'Apologise',
      decidedAt: new Date('2026-11-16T09:05:00Z'),
      dueAt: null,
      policyVersion: 4,
    };
    const redecided = await ledger.recordOrRedecide(retry);
    expect(redecided).toMatchObject({
      id: recorded.id,
      action: 'apology',
      priority: 'normal',
      tier: 'bronze',
      expectedValue: 3.75,
      cost: 0.5,
      summary: 'Apologise',
      dueAt: null,
      policyVersion: 4,
      status: 'recommended',
      decidedAt: recorded.decidedAt,
    });
    expect(await ledger.all()).toHaveLength(1);
    // Once its outcome is recorded, an entry keeps its decision.
    await ledger.markApplied(recorded.id, 'rec-1');
    await ledger.recordOutcome(recorded.id, 'lost', new Date('2026-11-18T09:00:00Z'));
    expect(await ledger.recordOrRedecide(firstTry)).toMatchObject({ action: 'apology', outcome: 'lost' });
  });

  it('keeps one entry when several workers record the same decision at once', async () => {
    const workers = (await openDatabase(database, 3)).map((sql) => new InterventionLedger(sql));
    const keys = Array.from({ length: 10 }, (_, i) => `event-${i}#${100 + i}`);
    const recorded = await Promise.all(
      workers.flatMap((ledger) =>
        keys.flatMap((key, i) => [
          ledger.record(entry(key, 100 + i, '2026-11-16T09:00:00Z')),
          ledger.record(entry(key, 100 + i, '2026-11-16T09:30:00Z')),
        ]),
      ),
    );
    const all = await workers[0]!.all();
    expect(all.map((e) => e.decisionKey).sort()).toEqual([...keys].sort());
    // Every worker got the one entry of its key.
    for (const got of recorded) expect(got).toEqual(all.find((e) => e.decisionKey === got.decisionKey));
    // What one worker writes, the others read.
    await workers[1]!.recordOutcome(all[0]!.id, 'contacted', new Date('2026-11-16T11:00:00Z'));
    expect((await workers[2]!.byId(all[0]!.id))!.outcome).toBe('contacted');
  });

  it('streams the stored incidents page by page, each once, in decision order, ties and windows included', async () => {
    const [sql] = await openDatabase(database);
    const ledger = new InterventionLedger(sql!);
    const decider = createDecider(settings({ rules: BENCH_RULES }));
    const inputs = makeBenchInputs(23, 5);
    const expected: StoredIncident[] = [];
    // Three decisions share each decision time: a page boundary falls inside a tie.
    for (const [index, input] of inputs.entries()) {
      const decidedAt = new Date(Date.parse(BENCH_NOW) - Math.floor(index / 3) * DAY);
      const decision = decider.decide(input, decidedAt.toISOString());
      await ledger.record({
        decisionKey: `k${index}`,
        ticketId: index,
        userId: 1,
        ...decisionFields(decision),
        summary: '',
        decidedAt,
        // The follow-up's due time, read back as a number (BIGINT): what the preview's due-time count compares.
        dueAt: decision.followUp === null ? null : new Date(decision.followUp.dueAt),
        input,
      });
      expected.push({
        input,
        decidedAt: decidedAt.getTime(),
        recorded: {
          action: decision.action,
          compensationTier: decision.compensationTier,
          cost: decision.cost,
          expectedValue: decision.expectedValue,
          agentMinutes: decision.agentMinutes,
          dueAt: decision.followUp === null ? null : Date.parse(decision.followUp.dueAt),
        },
      });
    }
    // One without an input: stored, not previewable.
    await ledger.record(entry('no-input', 99, new Date(Date.parse(BENCH_NOW) - 30 * DAY).toISOString()));
    const noInput: StoredIncident = {
      input: null,
      decidedAt: Date.parse(BENCH_NOW) - 30 * DAY,
      recorded: {
        action: 'callback',
        compensationTier: null,
        cost: 15.25,
        expectedValue: 120.5,
        agentMinutes: null,
        dueAt: null,
      },
    };
    const order = (a: StoredIncident, b: StoredIncident) => Number(a.decidedAt) - Number(b.decidedAt);
    const byTime = [...expected].map((incident, index) => ({ incident, index }));
    byTime.sort((a, b) => order(a.incident, b.incident) || a.index - b.index);
    const sorted = byTime.map((x) => x.incident);

    for (const pageSize of [1, 4, 1000]) {
      const all = await collectAll(ledger.storedIncidents({}, pageSize));
      expect(all).toHaveLength(24);
      expect(all).toEqual([noInput, ...sorted]);
    }
    const from = Date.parse(BENCH_NOW) - 3 * DAY;
    const window = { from, to: Date.parse(BENCH_NOW) };
    expect(await collectAll(ledger.storedIncidents(window, 2))).toEqual(
      sorted.filter(
        (incident) => Number(incident.decidedAt) >= window.from && Number(incident.decidedAt) < window.to,
      ),
    );
    // A preview read through the port gives the figures of the same incidents previewed in memory.
    const draft = settings({ rules: BENCH_RULES, costs: { callbackMinutes: 60 } });
    const preview = await previewLedgerPolicy(ledger, draft);
    expect(preview).toEqual(previewPolicy(createDecider(draft), [noInput, ...sorted]));
    expect(preview.incidents).toBe(24);
    expect(preview.previewable).toBe(23);
    // A draft of other windows: the same interventions, follow-ups due at other times, counted the same way.
    const windows = settings({
      rules: BENCH_RULES,
      callbackWindowHours: { platinum: 2, gold: 2, silver: 2, bronze: 2 },
    });
    const byWindows = await previewLedgerPolicy(ledger, windows);
    expect(byWindows.dueChanged).toBeGreaterThan(0);
    expect(byWindows).toEqual(previewPolicy(createDecider(windows), [noInput, ...sorted]));
  });

  it('keeps the experiment arm of each eligible decision once', async () => {
    const [sql] = await openDatabase(database);
    const experiment = new ExperimentLedger(sql!);
    const assignment = (arm: HoldoutAssignment['arm'], draw: number): HoldoutAssignment => ({
      experimentId: 'exp-1',
      holdoutPercent: 30,
      arm,
      eligible: arm !== null,
      draw,
      policyAction: 'callback',
      policyCompensationTier: null,
      policyCost: 15.5,
      policyExpectedValue: 120.25,
    });
    const context = (ticketId: number, at: string) => ({
      customerId: `org-${ticketId}`,
      ticketId,
      userId: ticketId + 1000,
      decidedAt: new Date(at),
    });
    await experiment.record('b#2', assignment('policy', 0.75), context(2, '2026-11-17T09:00:00Z'));
    await experiment.record('a#1', assignment('holdout', 0.125), context(1, '2026-11-16T09:00:00Z'));
    // A replay keeps the first record; a decision outside the experiment is not recorded.
    await experiment.record('a#1', assignment('policy', 0.9), context(1, '2026-11-18T09:00:00Z'));
    await experiment.record('c#3', assignment(null, 0.5), context(3, '2026-11-18T09:00:00Z'));
    expect(await experiment.all()).toEqual([
      {
        decisionKey: 'a#1',
        experimentId: 'exp-1',
        holdoutPercent: 30,
        arm: 'holdout',
        draw: 0.125,
        customerId: 'org-1',
        ticketId: 1,
        userId: 1001,
        policyAction: 'callback',
        policyCompensationTier: null,
        policyCost: 15.5,
        policyExpectedValue: 120.25,
        decidedAt: Date.parse('2026-11-16T09:00:00Z'),
      },
      expect.objectContaining({ decisionKey: 'b#2', arm: 'policy', draw: 0.75 }),
    ]);
    expect(await experiment.byKey('c#3')).toBeUndefined();
  });
});
