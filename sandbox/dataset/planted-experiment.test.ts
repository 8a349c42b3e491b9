import { describe, expect, it } from 'vitest';
import { computeExperiment, holdoutDraw, type ExperimentEntry } from '../../shared/src/index.ts';
import { generateWorld } from './generate-world.ts';
import { PLANTED_EXPERIMENT, plantExperiment, type PlantedDecision } from './plant-experiment.ts';

/** The planted decisions as the connector's store reads them back (one ticket, one answer, one order each). */
function experimentEntriesOf(decisions: readonly PlantedDecision[]): ExperimentEntry[] {
  return decisions.map((d) => ({
    arm: d.arm,
    decidedAt: d.decidedAt,
    customerId: d.accountId,
    applied: d.arm === 'policy',
    cost: d.cost,
    valueAtRisk: d.revenue12m,
    nextRevenueAt: d.orderAt,
    nextTicketAt: d.repeatTicketAt,
    followUp: d.followUp === null ? null : { at: d.followUp.at, positive: d.followUp.score >= 4 },
    cuts: {},
  }));
}

describe('the planted policy effect', () => {
  for (const seed of [42, 1]) {
    it(`seed ${seed}: the arms follow the connector's draw, and the report finds each planted uplift`, () => {
      // 3 000 accounts: about 900 customers with an eligible incident, 270 of them in the holdout.
      const world = generateWorld({ seed, accounts: 3000 });
      const decisions = plantExperiment(world);
      const p = PLANTED_EXPERIMENT;
      expect(decisions.length).toBeGreaterThan(750);
      for (const d of decisions)
        expect(d.arm).toBe(holdoutDraw(p.id, d.accountId) < p.holdoutPercent / 100 ? 'holdout' : 'policy');
      const holdoutShare = decisions.filter((d) => d.arm === 'holdout').length / decisions.length;
      expect(holdoutShare).toBeGreaterThan(0.22);
      expect(holdoutShare).toBeLessThan(0.38);

      const report = computeExperiment(experimentEntriesOf(decisions), {
        asOfMs: world.now,
        fromMs: world.now - 3 * 365 * 86_400_000,
        toMs: world.now,
        experiment: { id: p.id, holdoutPercent: p.holdoutPercent },
      });
      const outcomes = Object.fromEntries(report.rows[0]!.outcomes.map((o) => [o.outcome, o]));
      const planted = {
        retention: p.retention.policy - p.retention.holdout,
        repeat_contact: p.repeatContact.policy - p.repeatContact.holdout,
        follow_up_score: p.followUpPositive.policy - p.followUpPositive.holdout,
      };
      for (const [name, uplift] of Object.entries(planted)) {
        const o = outcomes[name]!;
        // The planted uplift lies in the 95 % interval, and the interval excludes 0 in the planted direction.
        expect(o.upliftInterval!.low).toBeLessThan(uplift);
        expect(o.upliftInterval!.high).toBeGreaterThan(uplift);
        expect([name, o.verdict]).toEqual([name, 'policy_better']);
      }
      // € per intervention: 17 more points of retention on the average revenue at stake, minus the € 40 spent.
      const meanRevenue = decisions.reduce((sum, d) => sum + d.revenue12m, 0) / decisions.length;
      const plantedValue = planted.retention * meanRevenue - p.cost;
      const value = outcomes.value_per_intervention!;
      expect(value.upliftInterval!.low).toBeLessThan(plantedValue);
      expect(value.upliftInterval!.high).toBeGreaterThan(plantedValue);
    });
  }
});
