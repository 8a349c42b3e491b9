import { describe, expect, it } from 'vitest';
import { computeExperiment, verdictOf, type ExperimentEntry } from './compute-experiment.ts';
import { experimentReportSchema } from './experiment-report.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);

const entry = (
  customerId: string,
  arm: 'policy' | 'holdout',
  retained: boolean,
  extra: Partial<ExperimentEntry> = {},
): ExperimentEntry => ({
  arm,
  decidedAt: T0,
  customerId,
  applied: arm === 'policy',
  cost: arm === 'policy' ? 10 : 0,
  valueAtRisk: 1000,
  nextRevenueAt: retained ? T0 + 20 * DAY : null,
  nextTicketAt: null,
  followUp: null,
  cuts: { tier: arm === 'policy' ? 'gold' : 'silver' },
  ...extra,
});

describe('computeExperiment (a hand-computed case)', () => {
  // Policy: 4 customers, 3 retained (one has a second incident later); holdout: 4 customers, 1 retained.
  const entries: ExperimentEntry[] = [
    entry('p1', 'policy', true, {
      nextTicketAt: T0 + 5 * DAY,
      followUp: { at: T0 + 2 * DAY, positive: true },
    }),
    entry('p2', 'policy', true, { followUp: { at: T0 + 2 * DAY, positive: true } }),
    entry('p3', 'policy', true),
    entry('p4', 'policy', false),
    entry('p1', 'policy', false, { decidedAt: T0 + 40 * DAY }),
    entry('h1', 'holdout', true, { nextTicketAt: T0 + 3 * DAY, followUp: { at: T0 + DAY, positive: false } }),
    entry('h2', 'holdout', false, { nextTicketAt: T0 + 40 * DAY }),
    entry('h3', 'holdout', false, { followUp: { at: T0 + 200 * DAY, positive: true } }),
    entry('h4', 'holdout', false),
    entry('late', 'holdout', false, { decidedAt: Date.UTC(2026, 6, 1) }),
  ];
  const report = computeExperiment(entries, {
    asOfMs: Date.UTC(2026, 11, 1),
    fromMs: Date.UTC(2026, 0, 1),
    toMs: Date.UTC(2026, 5, 1),
    by: ['tier'],
    experiment: { id: 'holdout-1', holdoutPercent: 50 },
  });
  const total = report.rows[0]!;
  const outcome = (name: string) => total.outcomes.find((o) => o.outcome === name)!;

  it('has the shape the console parses', () => {
    expect(experimentReportSchema.parse(report)).toEqual(report);
    expect(report.rows.map((row) => row.cut)).toEqual([{}, { tier: 'gold' }, { tier: 'silver' }]);
  });

  it('counts the arms: incidents in the window, customers once, cost and value at stake', () => {
    expect(total.arms.policy).toEqual({
      incidents: 5,
      customers: 4,
      interventions: 5,
      cost: 50,
      valueAtRisk: 5000,
    });
    // "late" is outside [from, to).
    expect(total.arms.holdout).toEqual({
      incidents: 4,
      customers: 4,
      interventions: 0,
      cost: 0,
      valueAtRisk: 4000,
    });
  });

  it('compares retention on the first decision of each customer', () => {
    // 3/4 − 1/4 = 0.5; se = √(0.75·0.25/4 · 2) = 0.306186; 0.5 ± 0.60012.
    const retention = outcome('retention');
    expect(retention.policy).toMatchObject({ n: 4, successes: 3, value: 0.75 });
    expect(retention.holdout).toMatchObject({ n: 4, successes: 1, value: 0.25 });
    expect(retention.uplift).toBe(0.5);
    expect(retention.upliftInterval!.low).toBeCloseTo(-0.10012, 4);
    expect(retention.upliftInterval!.high).toBeCloseTo(1.10012, 4);
    expect(retention.verdict).toBe('no_difference_yet');
    // Baseline 25 % → 30 %: (1.95996·√(2·0.275·0.725) + 0.84162·√(0.1875 + 0.21))² / 0.0025 = 1250.72 → 1251.
    expect(retention.samplePerArm).toBe(1251);
  });

  it('compares repeat contact within 30 days (lower is better) and the follow-up score within 90', () => {
    const repeat = outcome('repeat_contact');
    expect(repeat.better).toBe('lower');
    expect([repeat.policy.successes, repeat.holdout.successes]).toEqual([1, 1]);
    const followUp = outcome('follow_up_score');
    // h3's answer came after 200 days: not a follow-up of this decision.
    expect([followUp.policy.n, followUp.policy.successes, followUp.holdout.n]).toEqual([2, 2, 1]);
    expect(followUp.verdict).toBe('too_few');
  });

  it('compares € per intervention: revenue kept minus cost', () => {
    // Policy 990, 990, 990, −10 (mean 740); holdout 1000, 0, 0, 0 (mean 250); both variances 250 000;
    // se = √(250 000/4 · 2) = 353.553; 490 ± 692.95. Effect worth detecting: 5 % of 1000 = 50.
    const value = outcome('value_per_intervention');
    expect(value.policy.value).toBe(740);
    expect(value.holdout.value).toBe(250);
    expect(value.uplift).toBe(490);
    expect(value.upliftInterval!.high).toBeCloseTo(1182.95, 1);
    expect(value.minimumEffect).toBe(50);
    // Pooled variance of the 8 values (mean 495): Σ(x−495)² / 7 = 1 980 200 / 7 = 282 885.7;
    // n = 2·(1.95996 + 0.84162)²·282 885.7 / 50² = 1776.27 → 1777 per arm.
    expect(value.samplePerArm).toBe(1777);
  });

  it('waits for the window to pass before judging', () => {
    const early = computeExperiment(entries, {
      asOfMs: T0 + 10 * DAY,
      fromMs: Date.UTC(2026, 0, 1),
      toMs: Date.UTC(2026, 5, 1),
      experiment: { id: 'holdout-1', holdoutPercent: 50 },
    });
    expect(early.rows).toHaveLength(1);
    const retention = early.rows[0]!.outcomes[0]!;
    expect([retention.policy.n, retention.holdout.n, retention.verdict]).toEqual([0, 0, 'too_few']);
  });

  it('reads the interval of the uplift in the direction that is good', () => {
    const up = { difference: 0.1, interval: { low: 0.02, high: 0.18 }, pValue: 0.01 };
    expect(verdictOf(100, 100, up, 'higher', 50)).toBe('policy_better');
    expect(verdictOf(100, 100, up, 'lower', 50)).toBe('holdout_better');
    const flat = { difference: 0, interval: { low: -0.1, high: 0.1 }, pValue: 1 };
    expect(verdictOf(100, 100, flat, 'higher', 50)).toBe('no_difference');
    expect(verdictOf(100, 40, flat, 'higher', 50)).toBe('no_difference_yet');
  });
});
