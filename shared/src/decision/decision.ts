import type { Action, EffortClass, EffortSource, Priority, ValueTier } from '../domain/vocabulary.ts';
import type { FollowUp } from '../policy/follow-up.ts';
import type { Guardrail, Candidate } from '../policy/recommend-intervention.ts';
import type { RiskFactor } from '../risk/churn-model.ts';
import type { Facts } from '../rules/fact-catalogue.ts';
import type { RuleTrace } from '../rules/compile-rules.ts';

/**
 * One reason of a decision, as data: a code and its parameters. `renderExplanation` turns them into English or
 * French; the sidebar can also render them its own way.
 */
export type Reason =
  | { readonly code: 'rule_forced'; readonly rule: string; readonly action: Action }
  | {
      readonly code: 'rule_force_blocked';
      readonly rule: string;
      readonly action: Action;
      readonly guardrails: readonly Guardrail[];
    }
  | {
      readonly code: 'rule_force_overruled';
      readonly rule: string;
      readonly action: Action;
      readonly by: string;
    }
  | {
      readonly code: 'best_expected_value';
      readonly action: Action;
      readonly compensationTier: string | null;
      readonly expectedValue: number;
    }
  | {
      /** Solved or closed, no bad answer since: no new intervention; what the model would do on a live ticket. */
      readonly code: 'ticket_solved';
      readonly status: 'solved' | 'closed';
      readonly modelAction: Action;
    }
  | {
      /** A bad survey answer about the ticket after it was solved: the recovery is due, on the follow-up. */
      readonly code: 'feedback_after_solve';
      readonly kind: 'nps' | 'csat';
      readonly score: number | string;
      readonly respondedAt: string;
    }
  | { readonly code: 'no_action_pays' }
  | { readonly code: 'nothing_allowed' }
  | { readonly code: 'rule_forbade'; readonly rule: string; readonly action: Action }
  | { readonly code: 'guardrail'; readonly action: Action; readonly guardrail: Guardrail }
  | {
      readonly code: 'effort';
      readonly class: EffortClass;
      readonly source: EffortSource;
      readonly ratio: number;
      readonly customer: number;
      readonly company: number;
    }
  | { readonly code: 'risk_driver'; readonly factor: RiskFactor; readonly points: number }
  | {
      readonly code: 'value';
      readonly tier: ValueTier;
      readonly valueAtRisk: number;
      readonly churnRisk: number;
      readonly expectedLoss: number;
    }
  | { readonly code: 'priority_by_rule'; readonly rule: string; readonly priority: Priority }
  | { readonly code: 'callback_window_by_rule'; readonly rule: string; readonly hours: number }
  | { readonly code: 'rule_tags'; readonly rule: string; readonly tags: readonly string[] }
  | {
      /** Test and learn: the customer is in the experiment's holdout; the recommendation is withheld. */
      readonly code: 'holdout';
      readonly experiment: string;
      readonly percent: number;
      readonly action: Action;
      readonly compensationTier: string | null;
      readonly expectedValue: number;
    };

export type ReasonCode = Reason['code'];

export interface DecisionFigures {
  readonly valueAtRisk: number;
  readonly expectedLoss: number;
  /** P(churn | none). */
  readonly churnRiskWithoutAction: number;
  /** P(churn | the chosen action). */
  readonly churnRiskWithAction: number;
  readonly cost: number;
  readonly expectedValue: number;
}

export interface Explanation {
  /** Ordered: the first reason is the headline. */
  readonly reasons: readonly Reason[];
  /** Every fact the model and the rules read. */
  readonly facts: Facts;
  /** Log-odds points of each churn-model factor. */
  readonly riskPoints: Readonly<Record<RiskFactor, number>>;
  /** Every action considered, its figures, and what blocked it. */
  readonly candidates: readonly Candidate[];
  /** Every enabled rule, with each condition's outcome and the fact value it saw. */
  readonly rules: readonly RuleTrace[];
  readonly figures: DecisionFigures;
  readonly effortPhrases: readonly string[];
}

export interface DecisionEffort {
  readonly ratio: number;
  readonly difference: number;
  readonly class: EffortClass;
  readonly source: EffortSource;
  readonly customer: number;
  readonly company: number;
  readonly confidence: number;
}

export interface Decision {
  readonly id: string;
  readonly ticketId: string;
  readonly customerId: string;
  readonly decidedAt: string;
  readonly action: Action;
  readonly compensationTier: string | null;
  readonly priority: Priority;
  /** Tags to set on the ticket, all `boucle_`-prefixed. */
  readonly tags: readonly string[];
  readonly expectedValue: number;
  readonly cost: number;
  readonly agentMinutes: number;
  /**
   * The due time of a callback's or a compensation's follow-up (the "Boucle callback due" ticket field), else
   * null. Kept for readers of the decision JSON: `followUp` says what is due and when, for every recovery.
   */
  readonly callbackDueAt: string | null;
  /** What the intervention promises and its clock (policy/follow-up.ts); null for "none". */
  readonly followUp: FollowUp | null;
  /** `rule` when an admin rule forced the action. */
  readonly decidedBy: 'model' | 'rule';
  readonly tier: ValueTier;
  readonly valueAtRisk: number;
  readonly churnRisk: { readonly withoutAction: number; readonly withAction: number };
  readonly effort: DecisionEffort;
  readonly explanation: Explanation;
}
