import type { Decision, Explanation, Reason } from '../decision/decision.ts';
import type { Settings } from '../settings/settings-schema.ts';

/**
 * Test and learn (Ipsos seed: the return on the intervention budget must be shown). A step after the decision:
 * for `holdoutPercent` % of the eligible customers, drawn by customer from the experiment id, the recommendation
 * is withheld, so the experiment report can compare Boucle's policy with what happens without it.
 *
 * - Eligible: the policy recommends an action (nothing to withhold otherwise) and no admin rule requires it
 *   (`decidedBy: 'rule'`) — a case a rule requires is never held out.
 * - Assigned by customer: FNV-1a 32-bit hash of `experimentId:customerId` mixed by murmur3's finaliser, read as a
 *   fraction of 2³²; the customer
 *   is in the holdout when that fraction is below holdoutPercent / 100. The same customer is always in the same
 *   arm of one experiment, in the sidebar and in the connector; a new experiment id draws a new holdout.
 * - A held-out decision recommends nothing (no apology, callback or compensation; no cost, no callback clock) and
 *   says why first (reason `holdout`, with the action it withheld); the ticket's priority, which ranks risk rather
 *   than intervening, is kept.
 */

export type ExperimentSettings = Settings['experiment'];

export type HoldoutArm = 'policy' | 'holdout';

export interface HoldoutAssignment {
  readonly experimentId: string;
  readonly holdoutPercent: number;
  /** Null when the incident is not eligible (nothing recommended, or a rule requires the action). */
  readonly arm: HoldoutArm | null;
  readonly eligible: boolean;
  /** The customer's draw, 0 ≤ draw < 1 (the same for every incident of the customer in this experiment). */
  readonly draw: number;
  /** What the policy recommended (the action withheld when the arm is the holdout). */
  readonly policyAction: Decision['action'];
  readonly policyCompensationTier: string | null;
  readonly policyCost: number;
  readonly policyExpectedValue: number;
}

export interface HoldoutResult {
  readonly decision: Decision;
  readonly assignment: HoldoutAssignment;
}

/** The tag a held-out ticket carries, so an admin can find and count them in Zendesk. */
export const HOLDOUT_TAG = 'boucle_holdout';

/**
 * FNV-1a over the UTF-16 code units (32 bits), then murmur3's 32-bit finaliser, as a fraction of 2³² in [0, 1).
 * Stable across runtimes and versions: changing it would move customers between arms.
 */
export function holdoutDraw(experimentId: string, customerId: string): number {
  const text = `${experimentId}:${customerId}`;
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // murmur3's finaliser: FNV-1a alone barely mixes the last characters, so customers with consecutive ids
  // ("org-20000003", "org-20000004") would draw nearly the same number.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}

export function isHoldoutEligible(decision: Decision): boolean {
  return decision.action !== 'none' && decision.decidedBy !== 'rule';
}

/** Applies the experiment to a decision: the decision unchanged, or the held-out one; and the arm to record. */
export function applyHoldout(decision: Decision, experiment: ExperimentSettings): HoldoutResult {
  const eligible = isHoldoutEligible(decision);
  const draw = holdoutDraw(experiment.id, decision.customerId);
  const arm: HoldoutArm | null = !eligible
    ? null
    : draw < experiment.holdoutPercent / 100
      ? 'holdout'
      : 'policy';
  const assignment: HoldoutAssignment = {
    experimentId: experiment.id,
    holdoutPercent: experiment.holdoutPercent,
    arm,
    eligible,
    draw,
    policyAction: decision.action,
    policyCompensationTier: decision.compensationTier,
    policyCost: decision.cost,
    policyExpectedValue: decision.expectedValue,
  };
  if (arm !== 'holdout') return { decision, assignment };
  const withoutAction = decision.churnRisk.withoutAction;
  const held: Decision = {
    ...decision,
    action: 'none',
    compensationTier: null,
    tags: decision.tags.includes(HOLDOUT_TAG) ? decision.tags : [...decision.tags, HOLDOUT_TAG],
    expectedValue: 0,
    cost: 0,
    agentMinutes: 0,
    callbackDueAt: null,
    followUp: null,
    churnRisk: { withoutAction, withAction: withoutAction },
    explanation: heldExplanation(decision.explanation, {
      code: 'holdout',
      experiment: experiment.id,
      percent: experiment.holdoutPercent,
      action: decision.action,
      compensationTier: decision.compensationTier,
      expectedValue: decision.expectedValue,
    }),
  };
  return { decision: held, assignment };
}

/**
 * The explanation with the holdout reason first and the figures of "no action"; the facts and rule traces are
 * read through from the decision's own (they may be built on first read, so they are not copied).
 */
function heldExplanation(original: Explanation, reason: Reason): Explanation {
  const reasons = [reason, ...original.reasons];
  const figures = {
    ...original.figures,
    churnRiskWithAction: original.figures.churnRiskWithoutAction,
    cost: 0,
    expectedValue: 0,
  };
  return {
    reasons,
    figures,
    riskPoints: original.riskPoints,
    candidates: original.candidates,
    effortPhrases: original.effortPhrases,
    get facts() {
      return original.facts;
    },
    get rules() {
      return original.rules;
    },
    toJSON(): Explanation {
      return {
        reasons,
        facts: original.facts,
        riskPoints: original.riskPoints,
        candidates: original.candidates,
        rules: original.rules,
        figures,
        effortPhrases: original.effortPhrases,
      };
    },
  } as Explanation;
}
