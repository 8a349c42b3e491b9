import { describe, expect, it } from 'vitest';
import { computeLoopFunnel, type FunnelEntry } from './compute-loop-funnel.ts';

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const entry = (partial: Partial<FunnelEntry>): FunnelEntry => ({
  decidedAt: day('2026-05-01'),
  action: 'callback',
  applied: true,
  firstContactAt: null,
  dueAt: null,
  resolved: false,
  nextRevenueAt: null,
  valueAtRisk: null,
  cuts: { region: 'Belgium' },
  ...partial,
});

const ENTRIES: FunnelEntry[] = [
  entry({ action: 'none', applied: true, valueAtRisk: 9999 }),
  // contacted before the deadline, resolved, bought again a month later: retained
  entry({
    firstContactAt: day('2026-05-02'),
    dueAt: day('2026-05-03'),
    resolved: true,
    nextRevenueAt: day('2026-06-01'),
    valueAtRisk: 1000,
    cuts: { region: 'France' },
  }),
  // contacted after the deadline
  entry({
    firstContactAt: day('2026-05-05'),
    dueAt: day('2026-05-03'),
    valueAtRisk: 500,
    cuts: { region: 'France' },
  }),
  // an apology has no deadline; decided too recently to judge retention
  entry({
    action: 'apology',
    decidedAt: day('2026-09-15'),
    firstContactAt: day('2026-09-15'),
    resolved: true,
    valueAtRisk: 200,
  }),
  // never applied
  entry({ action: 'compensation', applied: false, valueAtRisk: 300 }),
  // resolved, but the next order came after the 90 days
  entry({
    decidedAt: day('2026-03-01'),
    firstContactAt: day('2026-03-01'),
    dueAt: day('2026-03-02'),
    resolved: true,
    nextRevenueAt: day('2026-08-01'),
    valueAtRisk: 400,
  }),
];

describe('computeLoopFunnel', () => {
  it('counts each step, its share of the previous one and the value at risk', () => {
    const [row] = computeLoopFunnel(ENTRIES, { asOfMs: day('2026-10-01') });
    expect(row!.cut).toEqual({});
    expect(row!.steps.map((s) => [s.step, s.count, s.value])).toEqual([
      ['incidents', 6, 12399],
      ['recommended', 5, 2400],
      ['applied', 4, 2100],
      ['contacted_within_sla', 3, 1600],
      ['resolved', 3, 1600],
      ['retained', 1, 1000],
    ]);
    expect(row!.steps[0]!.ofPrevious).toBeNull();
    expect(row!.steps[1]!.ofPrevious).toMatchObject({ successes: 5, n: 6 });
    // retention is judged on the two resolved decisions older than 90 days
    expect(row!.steps[5]!.ofPrevious).toMatchObject({ successes: 1, n: 2, rate: 0.5 });
    expect(row!.valueAtRisk).toBe(2400);
    expect(row!.valueRecovered).toBe(1000);
  });

  it('cuts by region and honours the retention window', () => {
    const rows = computeLoopFunnel(ENTRIES, {
      asOfMs: day('2026-10-01'),
      by: ['region'],
      retentionDays: 200,
    });
    expect(rows.map((r) => r.cut.region)).toEqual(['Belgium', 'France']);
    expect(rows[0]!.steps.map((s) => s.count)).toEqual([4, 3, 2, 2, 2, 1]);
    expect(rows[0]!.valueRecovered).toBe(400);
    // France's resolved decision (May) is younger than 200 days on 1 October: not judged yet
    expect(rows[1]!.steps.map((s) => s.count)).toEqual([2, 2, 2, 1, 1, 0]);
    expect(rows[1]!.steps[5]!.ofPrevious).toMatchObject({ successes: 0, n: 0, rate: null });
    expect(computeLoopFunnel([], { asOfMs: 0 })).toEqual([]);
    const unknown = computeLoopFunnel([entry({ cuts: {} })], { asOfMs: 0, by: ['product'] });
    expect(unknown[0]!.cut).toEqual({ product: '(unknown)' });
  });
});
