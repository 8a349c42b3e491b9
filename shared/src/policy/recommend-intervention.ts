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

// What blocks a compensation tier, as bits, and each combination as one list built once (in GUARDRAILS order).
const NOT_AT_FAULT = 1;
const NOT_WARRANTED = 2;
const ABOVE_VALUE = 4;
const COMPENSATION_BLOCKS: readonly (readonly Guardrail[])[] = Array.from({ length: 8 }, (_, bits) => {
  const blocks: Guardrail[] = [];
  if (bits & NOT_AT_FAULT) blocks.push('compensation_not_at_fault');
  if (bits & NOT_WARRANTED) blocks.push('compensation_not_warranted');
  if (bits & ABOVE_VALUE) blocks.push('spend_above_value_at_risk');
  return Object.freeze(blocks);
});

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
  const rate = costs.agentCostPerMinute;
  const apologyBlocked: readonly Guardrail[] =
    facts.daysSinceLastApology !== null && facts.daysSinceLastApology < guardrails.apologyCooldownDays
      ? APOLOGY_COOLDOWN
      : NOTHING_BLOCKS;
  const eligibility = assessCompensationEligibility(facts, guardrails);
  const compensationBlocks =
    (eligibility.atFault ? 0 : NOT_AT_FAULT) |
    (eligibility.recurrent || eligibility.severe || eligibility.slow ? 0 : NOT_WARRANTED);
  const candidates = [
    candidate('none', null, risk, value, 0, 0, 0, rate, NOTHING_BLOCKS, forbiddenBy[0]!),
    candidate(
      'apology',
      null,
      risk,
      value,
      effects.apology,
      0,
      costs.apologyMinutes,
      rate,
      apologyBlocked,
      forbiddenBy[1]!,
    ),
    candidate(
      'callback',
      null,
      risk,
      value,
      effects.callback,
      0,
      costs.callbackMinutes,
      rate,
      NOTHING_BLOCKS,
      forbiddenBy[2]!,
    ),
  ];
  const compensationMinutes = costs.callbackMinutes + costs.compensationMinutes;
  const spendCap = guardrails.maxSpendShareOfValueAtRisk * value;
  for (const tier of settings.compensationTiers) {
    candidates.push(
      candidate(
        'compensation',
        tier.id,
        risk,
        value,
        tier.reduction,
        tier.amount,
        compensationMinutes,
        rate,
        COMPENSATION_BLOCKS[compensationBlocks | (tier.amount > spendCap ? ABOVE_VALUE : 0)]!,
        forbiddenBy[3]!,
      ),
    );
  }
  return candidates;
}

function candidate(
  action: Action,
  compensationTier: string | null,
  risk: number,
  value: number,
  reduction: number,
  amount: number,
  agentMinutes: number,
  agentCostPerMinute: number,
  blockedBy: readonly Guardrail[],
  forbidder: number,
): Candidate {
  const cost = amount + agentMinutes * agentCostPerMinute;
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
