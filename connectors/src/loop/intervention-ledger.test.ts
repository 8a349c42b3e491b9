import { describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { sqliteSql } from '../store/sql.ts';
import { AUTOMATION_SCHEMA } from './automation-schema.ts';
import { computeLoopReport, formatLoopReport, isoWeek } from './compute-loop-report.ts';
import { InterventionLedger, type NewLedgerEntry } from './intervention-ledger.ts';

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
    expectedValue: 120,
    cost: 15,
    summary: 'Call back',
    decidedAt: new Date(decidedAt),
    dueAt: dueAt === undefined ? null : new Date(dueAt),
  };
}

describe('InterventionLedger', () => {
  it('records a decision once per key and follows its outcome', async () => {
    const ledger = new InterventionLedger(sqliteSql(openStore(':memory:', [AUTOMATION_SCHEMA])));
    const first = await ledger.record(
      entry('ev-1', 10, '2026-11-16T09:00:00Z', 'callback', '2026-11-17T09:00:00Z'),
    );
    expect((await ledger.record(entry('ev-1', 10, '2026-11-16T10:00:00Z'))).id).toBe(first.id);
    expect(await ledger.all()).toHaveLength(1);
    await ledger.saveTicketState(
      {
        ticketId: 10,
        fingerprint: 'f',
        bouclePriority: 'high',
        basePriority: null,
        interventionId: first.id,
        tags: ['boucle_callback'],
      },
      new Date(),
    );
    expect(await ledger.ticketState(10)).toMatchObject({ bouclePriority: 'high', tags: ['boucle_callback'] });
    expect((await ledger.dueBefore(new Date('2026-11-17T10:00:00Z'))).map((e) => e.id)).toEqual([first.id]);
    await ledger.recordOutcome(first.id, 'contacted', new Date('2026-11-16T15:00:00Z'));
    await ledger.recordOutcome(first.id, 'resolved', new Date('2026-11-16T18:00:00Z'));
    await ledger.recordOutcome(first.id, 'recovered', new Date('2026-11-20T18:00:00Z'));
    expect(await ledger.byId(first.id)).toMatchObject({
      status: 'closed',
      outcome: 'resolved',
      firstContactAt: new Date('2026-11-16T15:00:00Z'),
      recovered: true,
    });
    expect(await ledger.dueBefore(new Date('2026-11-17T10:00:00Z'))).toEqual([]);
  });
});

describe('computeLoopReport', () => {
  it('gives closure, time to first contact, deadlines and recovery per ISO week', async () => {
    const ledger = new InterventionLedger(sqliteSql(openStore(':memory:', [AUTOMATION_SCHEMA])));
    const a = await ledger.record(entry('a', 1, '2026-11-16T09:00:00Z', 'callback', '2026-11-17T09:00:00Z'));
    const b = await ledger.record(entry('b', 2, '2026-11-17T09:00:00Z', 'callback', '2026-11-17T12:00:00Z'));
    await ledger.record(entry('c', 3, '2026-11-18T09:00:00Z', 'apology'));
    await ledger.record(entry('d', 4, '2026-11-18T09:00:00Z', 'none'));
    const e = await ledger.record(entry('e', 5, '2026-11-23T09:00:00Z', 'compensation'));
    await ledger.recordOutcome(a.id, 'contacted', new Date('2026-11-16T11:00:00Z'));
    await ledger.recordOutcome(b.id, 'resolved', new Date('2026-11-17T15:00:00Z'));
    await ledger.recordOutcome(b.id, 'lost', new Date('2026-11-24T15:00:00Z'));
    await ledger.recordOutcome(e.id, 'compensated', new Date('2026-11-23T10:00:00Z'));
    await ledger.recordOutcome(e.id, 'recovered', new Date('2026-11-25T10:00:00Z'));
    const report = computeLoopReport(await ledger.all());
    expect(report).toEqual([
      {
        week: '2026-W47',
        interventions: 3,
        closed: 2,
        closureRate: 2 / 3,
        medianHoursToFirstContact: 4,
        withinDeadlineRate: 0.5,
        recoveryRate: 0,
        recoveryAnswers: 1,
      },
      {
        week: '2026-W48',
        interventions: 1,
        closed: 1,
        closureRate: 1,
        medianHoursToFirstContact: 1,
        withinDeadlineRate: null,
        recoveryRate: 1,
        recoveryAnswers: 1,
      },
    ]);
    const text = formatLoopReport(report);
    expect(text.split('\n')[1]).toBe(
      '2026-W47  3              2       67 %     4.0                  50 %             0 % (1)',
    );
    expect(formatLoopReport([])).toBe('No intervention recorded yet.\n');
  });

  it.each([
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
    ['2026-11-22T23:00:00Z', '2026-W47'],
  ])('isoWeek(%s) = %s', (day, week) => {
    expect(isoWeek(new Date(day))).toBe(week);
  });
});
