import { z } from 'zod';
import { PROGRAMME_DIMENSIONS } from './programme-facts.ts';

/**
 * The experiment report (`boucle report experiment --format json`, `GET /api/v1/experiment`): Boucle's policy
 * against its holdout, on real outcomes, by cut. The console parses the API's answer with this schema; the
 * OpenAPI file (docs/api/boucle-api.openapi.yaml, `ExperimentReport`) describes the same shape.
 */

/** The two arms: incidents decided and applied as usual, and the holdout share left to the agents alone. */
export const EXPERIMENT_ARMS = ['policy', 'holdout'] as const;
export type ExperimentArm = (typeof EXPERIMENT_ARMS)[number];

/**
 * The outcomes compared:
 * - `retention`: share of customers with revenue (order, won opportunity) within `retentionDays` of the decision;
 * - `repeat_contact`: share of incidents followed by another ticket from the same customer within `repeatDays`;
 * - `follow_up_score`: share of positive first answers after the decision (CSAT satisfied, NPS 9–10, CES ≤ 3);
 * - `value_per_intervention`: mean € per incident of (12-month revenue kept when retained − intervention cost).
 */
export const EXPERIMENT_OUTCOMES = [
  'retention',
  'repeat_contact',
  'follow_up_score',
  'value_per_intervention',
] as const;
export type ExperimentOutcome = (typeof EXPERIMENT_OUTCOMES)[number];

/**
 * - `policy_better` / `holdout_better`: the 95 % interval of the uplift excludes 0, in that direction;
 * - `no_difference_yet`: it includes 0 and the arms are still smaller than the sample needed;
 * - `no_difference`: it includes 0 although each arm has the sample needed (no effect as large as the minimum);
 * - `too_few`: fewer than two observations in an arm, nothing can be said.
 */
export const EXPERIMENT_VERDICTS = [
  'policy_better',
  'holdout_better',
  'no_difference_yet',
  'no_difference',
  'too_few',
] as const;
export type ExperimentVerdict = (typeof EXPERIMENT_VERDICTS)[number];

const intervalSchema = z.object({ low: z.number(), high: z.number() }).strict().nullable();
const count = z.number().int().nonnegative();

/** One arm's estimate of one outcome. */
export const armEstimateSchema = z
  .object({
    /** Observations (incidents, or incidents with a follow-up answer for `follow_up_score`). */
    n: count,
    /** Proportions only: how many of the n; null for means. */
    successes: count.nullable(),
    /** The rate (0…1) or the mean (€); null when n = 0. */
    value: z.number().nullable(),
    /** 95 %: Wilson for rates, mean ± 1.96·s/√n for means; null when it cannot be estimated. */
    interval: intervalSchema,
  })
  .strict();
export type ArmEstimate = z.infer<typeof armEstimateSchema>;

export const outcomeComparisonSchema = z
  .object({
    outcome: z.enum(EXPERIMENT_OUTCOMES),
    measure: z.enum(['proportion', 'mean']),
    /** Which direction is good for the customer and the business (repeat contact: lower). */
    better: z.enum(['higher', 'lower']),
    policy: armEstimateSchema,
    holdout: armEstimateSchema,
    /** policy − holdout (share points 0…1 for rates, € for means); null when an arm has no data. */
    uplift: z.number().nullable(),
    /** 95 % interval of the uplift (unpooled normal / Welch); null when an arm has fewer than 2. */
    upliftInterval: intervalSchema,
    /** Two-sided p-value of "no difference"; null when it cannot be computed. */
    pValue: z.number().min(0).max(1).nullable(),
    /** The smallest uplift worth detecting that the sample size is computed for (same unit as `uplift`). */
    minimumEffect: z.number().nonnegative(),
    /** Observations needed in each arm to detect `minimumEffect` (α = 0.05 two-sided, power 80 %); null if unknown. */
    samplePerArm: count.nullable(),
    verdict: z.enum(EXPERIMENT_VERDICTS),
  })
  .strict();
export type OutcomeComparison = z.infer<typeof outcomeComparisonSchema>;

export const armSummarySchema = z
  .object({
    /** Incidents decided in the window and assigned to this arm. */
    incidents: count,
    /** Distinct customers among them. */
    customers: count,
    /** Incidents with an action applied (holdout: 0 unless an agent acted on their own, which is not counted). */
    interventions: count,
    /** € spent on interventions (the decisions' cost). */
    cost: z.number(),
    /** € at stake: the customers' 12-month revenue summed over the incidents. */
    valueAtRisk: z.number(),
  })
  .strict();
export type ArmSummary = z.infer<typeof armSummarySchema>;

export const experimentRowSchema = z
  .object({
    /** The value of each cut asked for; "(unknown)" when the data has none. */
    cut: z.record(z.string(), z.string()),
    arms: z.object({ policy: armSummarySchema, holdout: armSummarySchema }).strict(),
    /** One comparison per outcome, in the order of EXPERIMENT_OUTCOMES. */
    outcomes: z.array(outcomeComparisonSchema),
  })
  .strict();
export type ExperimentRow = z.infer<typeof experimentRowSchema>;

export const experimentReportSchema = z
  .object({
    /** Decisions made in [from, to). */
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    /** The instant of the data; decisions younger than a window are not judged on that outcome yet. */
    asOf: z.iso.datetime(),
    retentionDays: z.number().int().positive(),
    repeatDays: z.number().int().positive(),
    by: z.array(z.enum(PROGRAMME_DIMENSIONS)),
    /** The experiment as configured now: its id (the assignment salt) and holdout share (0 = no holdout). */
    experiment: z.object({ id: z.string(), holdoutPercent: z.number().min(0).max(50) }).strict(),
    /** The test's design: significance level (two-sided) and power of the sample sizes. */
    design: z.object({ alpha: z.number(), power: z.number() }).strict(),
    /** The whole period first (cut {}), then each cut when `by` is given. */
    rows: z.array(experimentRowSchema),
  })
  .strict();
export type ExperimentReport = z.infer<typeof experimentReportSchema>;
