import {
  ALPHA,
  POWER,
  differenceOfMeans,
  differenceOfProportions,
  sampleSizeForMeans,
  sampleSizeForProportions,
  sampleVariance,
  type Difference,
  type MeanSums,
} from './experiment-statistics.ts';
import type {
  ArmEstimate,
  ArmSummary,
  ExperimentOutcome,
  ExperimentReport,
  ExperimentRow,
  ExperimentVerdict,
  OutcomeComparison,
} from './experiment-report.ts';
import { cutOf, UNKNOWN_CUT, type ProgrammeCuts, type ProgrammeDimension } from './programme-facts.ts';
import { toMeanEstimate, wilsonInterval } from './statistics.ts';

/** One eligible decision of the experiment, with what followed it. */
export interface ExperimentEntry {
  readonly arm: 'policy' | 'holdout';
  /** ms since the epoch. */
  readonly decidedAt: number;
  readonly customerId: string;
  /** The recommendation was applied in Zendesk (always false in the holdout, where nothing is recommended). */
  readonly applied: boolean;
  /** € spent: the decision's cost in the policy arm, 0 in the holdout. */
  readonly cost: number;
  /** The customer's 12-month revenue, null when the CRM has none. */
  readonly valueAtRisk: number | null;
  /** ms of the customer's next revenue (order, won opportunity) after the decision; null when none. */
  readonly nextRevenueAt: number | null;
  /** ms of the customer's next ticket after the decision's (another ticket); null when none. */
  readonly nextTicketAt: number | null;
  /** The customer's first survey answer after the decision, read as positive or not; null when none. */
  readonly followUp: { readonly at: number; readonly positive: boolean } | null;
  readonly cuts: ProgrammeCuts;
}

export interface ExperimentOptions {
  readonly asOfMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly retentionDays?: number;
  readonly repeatDays?: number;
  readonly by?: readonly ProgrammeDimension[];
  readonly experiment: { readonly id: string; readonly holdoutPercent: number };
  /** Smallest uplift worth detecting on a rate, in share points (default 0.05 = 5 points). */
  readonly minimumRateEffect?: number;
}

const DAY = 86_400_000;

interface Observed {
  readonly retained: boolean | null;
  readonly repeat: boolean | null;
  readonly followUp: boolean | null;
  /** (value kept when retained) − cost; null until retention can be judged. */
  readonly value: number | null;
  readonly valueAtRisk: number;
}

/**
 * Test and learn, by cut: Boucle's policy against its holdout on real outcomes. The unit is the customer (the
 * holdout is drawn by customer): each customer counts once, with the first eligible decision in [from, to);
 * later incidents of the same customer are counted in `incidents` but not observed again (they depend on the
 * first one). An outcome is judged only when its window has passed by `asOf`:
 * - retention: revenue within `retentionDays` (default 90);
 * - repeat contact: another ticket within `repeatDays` (default 30); lower is better;
 * - follow-up score: the first answer after the decision, within `retentionDays`, is positive;
 * - € per intervention: per customer, the 12-month revenue kept when retained minus the intervention's cost.
 * Each comparison carries the uplift (policy − holdout) with its 95 % interval and p-value, and the sample each
 * arm needs to detect the minimum effect (α = 0.05 two-sided, power 80 %).
 */
export function computeExperiment(
  entries: readonly ExperimentEntry[],
  options: ExperimentOptions,
): ExperimentReport {
  const retentionDays = options.retentionDays ?? 90;
  const repeatDays = options.repeatDays ?? 30;
  const by = options.by ?? [];
  const rateEffect = options.minimumRateEffect ?? 0.05;
  const inWindow = entries
    .filter((e) => e.decidedAt >= options.fromMs && e.decidedAt < options.toMs)
    .sort((a, b) => a.decidedAt - b.decidedAt || a.customerId.localeCompare(b.customerId));

  const groups = new Map<string, { cut: string[]; entries: ExperimentEntry[] }>();
  const add = (key: string, cut: string[], entry: ExperimentEntry) => {
    let group = groups.get(key);
    if (group === undefined) {
      group = { cut, entries: [] };
      groups.set(key, group);
    }
    group.entries.push(entry);
  };
  for (const entry of inWindow) {
    add('', [], entry);
    if (by.length > 0) {
      const cut = by.map((dimension) => cutOf(entry.cuts, dimension));
      add(`\u0001${cut.join('\u0000')}`, cut, entry);
    }
  }
  if (!groups.has('')) groups.set('', { cut: [], entries: [] });
  const keys = [...groups.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));

  const observe = (e: ExperimentEntry): Observed => {
    const retentionJudged = e.decidedAt + retentionDays * DAY <= options.asOfMs;
    const retained = retentionJudged
      ? e.nextRevenueAt !== null &&
        e.nextRevenueAt > e.decidedAt &&
        e.nextRevenueAt <= e.decidedAt + retentionDays * DAY
      : null;
    const repeat =
      e.decidedAt + repeatDays * DAY <= options.asOfMs
        ? e.nextTicketAt !== null && e.nextTicketAt <= e.decidedAt + repeatDays * DAY
        : null;
    const followUp =
      e.followUp !== null && e.followUp.at <= e.decidedAt + retentionDays * DAY ? e.followUp.positive : null;
    const valueAtRisk = e.valueAtRisk ?? 0;
    return {
      retained,
      repeat,
      followUp,
      value: retained === null ? null : (retained ? valueAtRisk : 0) - e.cost,
      valueAtRisk,
    };
  };

  const rows: ExperimentRow[] = keys.map((key) => {
    const { cut, entries: list } = groups.get(key)!;
    const summary = (arm: 'policy' | 'holdout'): ArmSummary => {
      const armEntries = list.filter((e) => e.arm === arm);
      return {
        incidents: armEntries.length,
        customers: new Set(armEntries.map((e) => e.customerId)).size,
        interventions: armEntries.filter((e) => e.applied).length,
        cost: armEntries.reduce((sum, e) => sum + e.cost, 0),
        valueAtRisk: armEntries.reduce((sum, e) => sum + (e.valueAtRisk ?? 0), 0),
      };
    };
    const firsts = new Map<string, ExperimentEntry>();
    for (const e of list) if (!firsts.has(e.customerId)) firsts.set(e.customerId, e);
    const observed = { policy: [] as Observed[], holdout: [] as Observed[] };
    for (const e of firsts.values()) observed[e.arm].push(observe(e));

    const rate = (
      outcome: ExperimentOutcome,
      better: 'higher' | 'lower',
      pick: (o: Observed) => boolean | null,
    ): OutcomeComparison => {
      const counts = (items: readonly Observed[]) => {
        const judged = items.map(pick).filter((v): v is boolean => v !== null);
        return { n: judged.length, successes: judged.filter(Boolean).length };
      };
      const p = counts(observed.policy);
      const h = counts(observed.holdout);
      const estimate = (c: { n: number; successes: number }): ArmEstimate => ({
        n: c.n,
        successes: c.successes,
        value: c.n === 0 ? null : c.successes / c.n,
        interval: wilsonInterval(c.successes, c.n),
      });
      const baseline = h.n > 0 ? h.successes / h.n : p.n > 0 ? p.successes / p.n : null;
      const needed = baseline === null ? null : sampleSizeForProportions(baseline, rateEffect);
      return compare(
        outcome,
        'proportion',
        better,
        estimate(p),
        estimate(h),
        differenceOfProportions(p, h),
        rateEffect,
        needed,
      );
    };

    const sums = (items: readonly Observed[]): MeanSums => {
      let n = 0;
      let sum = 0;
      let sumOfSquares = 0;
      for (const o of items)
        if (o.value !== null) {
          n += 1;
          sum += o.value;
          sumOfSquares += o.value * o.value;
        }
      return { n, sum, sumOfSquares };
    };
    const ps = sums(observed.policy);
    const hs = sums(observed.holdout);
    const meanEstimate = (s: MeanSums): ArmEstimate => {
      const m = toMeanEstimate(s.sum, s.sumOfSquares, s.n);
      return { n: m.n, successes: null, value: m.mean, interval: m.interval };
    };
    // The € effect worth detecting: what `rateEffect` more retention is worth on the average customer at stake.
    const all = [...observed.policy, ...observed.holdout];
    const meanAtRisk = all.length === 0 ? 0 : all.reduce((sum, o) => sum + o.valueAtRisk, 0) / all.length;
    const valueEffect = Math.round(rateEffect * meanAtRisk * 100) / 100;
    const pooled = sampleVariance({
      n: ps.n + hs.n,
      sum: ps.sum + hs.sum,
      sumOfSquares: ps.sumOfSquares + hs.sumOfSquares,
    });
    const valueComparison = compare(
      'value_per_intervention',
      'mean',
      'higher',
      meanEstimate(ps),
      meanEstimate(hs),
      differenceOfMeans(ps, hs),
      valueEffect,
      pooled === null ? null : sampleSizeForMeans(Math.sqrt(pooled), valueEffect),
    );

    return {
      cut: Object.fromEntries(
        by.length === 0 || key === '' ? [] : by.map((d, i) => [d, cut[i] ?? UNKNOWN_CUT]),
      ),
      arms: { policy: summary('policy'), holdout: summary('holdout') },
      outcomes: [
        rate('retention', 'higher', (o) => o.retained),
        rate('repeat_contact', 'lower', (o) => o.repeat),
        rate('follow_up_score', 'higher', (o) => o.followUp),
        valueComparison,
      ],
    };
  });

  return {
    from: new Date(options.fromMs).toISOString(),
    to: new Date(options.toMs).toISOString(),
    asOf: new Date(options.asOfMs).toISOString(),
    retentionDays,
    repeatDays,
    by: [...by],
    experiment: { id: options.experiment.id, holdoutPercent: options.experiment.holdoutPercent },
    design: { alpha: ALPHA, power: POWER },
    rows,
  };
}

function compare(
  outcome: ExperimentOutcome,
  measure: 'proportion' | 'mean',
  better: 'higher' | 'lower',
  policy: ArmEstimate,
  holdout: ArmEstimate,
  difference: Difference | null,
  minimumEffect: number,
  samplePerArm: number | null,
): OutcomeComparison {
  return {
    outcome,
    measure,
    better,
    policy,
    holdout,
    uplift: difference?.difference ?? null,
    upliftInterval: difference?.interval ?? null,
    pValue: difference?.pValue ?? null,
    minimumEffect,
    samplePerArm,
    verdict: verdictOf(policy.n, holdout.n, difference, better, samplePerArm),
  };
}

/** What the comparison allows one to say (see EXPERIMENT_VERDICTS). */
export function verdictOf(
  policyN: number,
  holdoutN: number,
  difference: Difference | null,
  better: 'higher' | 'lower',
  samplePerArm: number | null,
): ExperimentVerdict {
  const interval = difference?.interval ?? null;
  if (policyN < 2 || holdoutN < 2 || interval === null) return 'too_few';
  const sign = better === 'higher' ? 1 : -1;
  if (interval.low > 0) return sign > 0 ? 'policy_better' : 'holdout_better';
  if (interval.high < 0) return sign > 0 ? 'holdout_better' : 'policy_better';
  return samplePerArm !== null && policyN >= samplePerArm && holdoutN >= samplePerArm
    ? 'no_difference'
    : 'no_difference_yet';
}
