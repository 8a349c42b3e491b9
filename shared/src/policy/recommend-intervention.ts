import { PRIORITY_RANK, SEVERITY_RANK } from '../domain/vocabulary.ts';
import type { Action, Priority, Severity } from '../domain/vocabulary.ts';
import type { Settings } from '../settings/settings-schema.ts';

/** Why an action may not be taken (DOMAIN.md §4). */
export const GUARDRAILS = [
  /** No second boiler-plate apology to the same customer within the cooldown. */
  'apology_cooldown',
  /** Compensation only when the company is at fault… */
  'compensation_not_at_fault',
  /** …and the failure is recurrent, severe or was handled slowly. */
  'compensation_not_warranted',
  /** Spend is bounded by the value at risk. */
  'spend_above_value_at_risk',
] as const;
export type Guardrail = (typeof GUARDRAILS)[number];

const NOTHING_BLOCKS: readonly Guardrail[] = [];
const APOLOGY_COOLDOWN: readonly Guardrail[] = ['apology_cooldown'];

export interface Candidate {
  readonly action: Action;
  readonly compensationTier: string | null;
  /** Money: compensation amount plus agent time. */
  readonly cost: number;
  readonly agentMinutes: number;
  /** P(churn | this action). */
  readonly churnRisk: number;
  /** value_at_risk × (P(churn | none) − P(churn | action)) − cost. */
  readonly expectedValue: number;
  readonly blockedBy: readonly Guardrail[];
  /** Index of the rule that forbade it, or -1. */
  readonly forbiddenBy: number;
}

/** The facts the policy reads beyond the settings. */
export interface PolicyFacts {
  readonly valueAtRisk: number;
  readonly churnRisk: number;
  readonly companyAtFault: boolean;
  readonly severity: Severity;
  readonly recurrence: number;
  readonly repeatIncidents: number;
  readonly waitingHours: number;
  readonly daysSinceLastApology: number | null;
}

export interface CompensationEligibility {
  readonly atFault: boolean;
  readonly recurrent: boolean;
  readonly severe: boolean;
  readonly slow: boolean;
}

export function assessCompensationEligibility(
  facts: PolicyFacts,
  guardrails: Settings['guardrails'],
): CompensationEligibility {
  return {
    atFault: facts.companyAtFault,
    recurrent: Math.max(facts.recurrence, facts.repeatIncidents) >= guardrails.recurrenceThreshold,
    severe: SEVERITY_RANK[facts.severity] >= SEVERITY_RANK[guardrails.severeFrom],
    slow: facts.waitingHours >= guardrails.slowHandlingHours,
  };
}

/**
 * Every candidate action with its cost, risk after action, expected value, and the guardrails and rules that
 * stand in its way. Order: none, apology, callback, then compensation tiers from the smallest.
 */
export function listCandidates(
  facts: PolicyFacts,
  settings: Settings,
  forbiddenBy: readonly number[],
): Candidate[] {
  const { costs, effects, guardrails } = settings;
  const risk = facts.churnRisk;
  const value = facts.valueAtRisk;
  const make = (
    action: Action,
    compensationTier: string | null,
    reduction: number,
    amount: number,
    agentMinutes: number,
    blockedBy: readonly Guardrail[],
    forbidder: number,
  ): Candidate => {
    const cost = amount + agentMinutes * costs.agentCostPerMinute;
    const churnRisk = risk * (1 - reduction);
    return {
      action,
      compensationTier,
      cost,
      agentMinutes,
      churnRisk,
      expectedValue: value * (risk - churnRisk) - cost,
      blockedBy,
      forbiddenBy: forbidder,
    };
  };
  const apologyBlocked: readonly Guardrail[] =
    facts.daysSinceLastApology !== null && facts.daysSinceLastApology < guardrails.apologyCooldownDays
      ? APOLOGY_COOLDOWN
      : NOTHING_BLOCKS;
  const eligibility = assessCompensationEligibility(facts, guardrails);
  const compensationBlocked: Guardrail[] = [];
  if (!eligibility.atFault) compensationBlocked.push('compensation_not_at_fault');
  if (!(eligibility.recurrent || eligibility.severe || eligibility.slow)) {
    compensationBlocked.push('compensation_not_warranted');
  }
  const candidates = [
    make('none', null, 0, 0, 0, NOTHING_BLOCKS, forbiddenBy[0]!),
    make('apology', null, effects.apology, 0, costs.apologyMinutes, apologyBlocked, forbiddenBy[1]!),
    make('callback', null, effects.callback, 0, costs.callbackMinutes, NOTHING_BLOCKS, forbiddenBy[2]!),
  ];
  const compensationMinutes = costs.callbackMinutes + costs.compensationMinutes;
  const spendCap = guardrails.maxSpendShareOfValueAtRisk * value;
  for (const tier of settings.compensationTiers) {
    const blockedBy =
      tier.amount > spendCap
        ? [...compensationBlocked, 'spend_above_value_at_risk' as const]
        : compensationBlocked;
    candidates.push(
      make(
        'compensation',
        tier.id,
        tier.reduction,
        tier.amount,
        compensationMinutes,
        blockedBy,
        forbiddenBy[3]!,
      ),
    );
  }
  return candidates;
}

export function isAllowed(candidate: Candidate): boolean {
  return candidate.blockedBy.length === 0 && candidate.forbiddenBy === -1;
}

/**
 * The allowed candidate with the highest expected value; on a tie, the weaker (earlier) one. `none` when no
 * allowed action pays, or when nothing is allowed at all.
 */
export function chooseBestCandidate(candidates: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const candidate of candidates) {
    if (!isAllowed(candidate)) continue;
    if (best === null || candidate.expectedValue > best.expectedValue) best = candidate;
  }
  return best;
}

const PRIORITY_BY_RANK: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

/**
 * Ticket priority: from the expected loss (value at risk × churn risk) against the thresholds, raised to `high`
 * for a callback or a compensation and for a critical incident.
 */
export function computePriority(
  expectedLoss: number,
  action: Action,
  severity: Severity,
  thresholds: Settings['priority'],
): Priority {
  let rank: number =
    expectedLoss >= thresholds.urgentFrom
      ? PRIORITY_RANK.urgent
      : expectedLoss >= thresholds.highFrom
        ? PRIORITY_RANK.high
        : expectedLoss >= thresholds.normalFrom
          ? PRIORITY_RANK.normal
          : PRIORITY_RANK.low;
  if (action === 'callback' || action === 'compensation' || severity === 'critical') {
    rank = Math.max(rank, PRIORITY_RANK.high);
  } else if (action === 'apology') {
    rank = Math.max(rank, PRIORITY_RANK.normal);
  }
  return PRIORITY_BY_RANK[rank]!;
}
