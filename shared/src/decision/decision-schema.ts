import { z } from 'zod';
import {
  ACTIONS,
  EFFORT_CLASSES,
  EFFORT_SOURCES,
  FOLLOW_UP_KINDS,
  PRIORITIES,
  VALUE_TIERS,
} from '../domain/vocabulary.ts';
import { timestampSchema } from '../domain/time.ts';
import { GUARDRAILS } from '../policy/recommend-intervention.ts';
import { RISK_FACTORS } from '../risk/churn-model.ts';
import { BOUCLE_TAG_PATTERN } from '../rules/rule-schema.ts';

export const REASON_CODES = [
  'rule_forced',
  'rule_force_blocked',
  'rule_force_overruled',
  'ticket_solved',
  'feedback_after_solve',
  'best_expected_value',
  'no_action_pays',
  'nothing_allowed',
  'rule_forbade',
  'guardrail',
  'effort',
  'value',
  'risk_driver',
  'priority_by_rule',
  'callback_window_by_rule',
  'rule_tags',
  'holdout',
] as const;

/**
 * A decision as it travels as JSON (a `boucle decide` output line, a connector response, a ledger entry). Reasons
 * are checked by code; their parameters are kept as they are, for `describeReason`.
 */
export const decisionSchema = /* @__PURE__ */ (() => {
  // Built in a function marked pure, so a bundle that never validates decisions (the sidebar) leaves it out.
  const probability = z.number().min(0).max(1);
  const factValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

  const conditionTraceSchema: z.ZodType<unknown> = z.lazy(() =>
    z.union([
      z.strictObject({
        kind: z.literal('fact'),
        fact: z.string(),
        operator: z.string(),
        value: z.unknown(),
        factValue,
        result: z.boolean(),
      }),
      z.strictObject({
        kind: z.enum(['all', 'any', 'not']),
        result: z.boolean(),
        conditions: z.array(conditionTraceSchema),
      }),
    ]),
  );

  return z.strictObject({
    id: z.string().min(1),
    ticketId: z.string().min(1),
    customerId: z.string().min(1),
    decidedAt: timestampSchema,
    action: z.enum(ACTIONS),
    compensationTier: z.string().nullable(),
    priority: z.enum(PRIORITIES),
    tags: z.array(z.string().regex(BOUCLE_TAG_PATTERN)),
    expectedValue: z.number(),
    cost: z.number().min(0),
    agentMinutes: z.number().min(0),
    callbackDueAt: timestampSchema.nullable(),
    followUp: z
      .strictObject({
        kind: z.enum(FOLLOW_UP_KINDS),
        startsAt: timestampSchema,
        dueAt: timestampSchema,
        windowHours: z.number().positive(),
        onFollowUpTicket: z.boolean(),
      })
      .nullable()
      // Decisions written before follow-ups existed read as having none recorded.
      .default(null),
    decidedBy: z.enum(['model', 'rule']),
    tier: z.enum(VALUE_TIERS),
    valueAtRisk: z.number().min(0),
    churnRisk: z.strictObject({ withoutAction: probability, withAction: probability }),
    effort: z.strictObject({
      ratio: z.number().positive(),
      difference: z.number(),
      class: z.enum(EFFORT_CLASSES),
      source: z.enum(EFFORT_SOURCES),
      customer: z.number().min(1).max(7),
      company: z.number().min(1).max(7),
      confidence: probability,
    }),
    explanation: z.strictObject({
      reasons: z.array(z.looseObject({ code: z.enum(REASON_CODES) })).min(1),
      facts: z.record(z.string(), factValue),
      riskPoints: z.record(z.enum(RISK_FACTORS), z.number()),
      candidates: z.array(
        z.strictObject({
          action: z.enum(ACTIONS),
          compensationTier: z.string().nullable(),
          cost: z.number(),
          agentMinutes: z.number(),
          churnRisk: probability,
          expectedValue: z.number(),
          blockedBy: z.array(z.enum(GUARDRAILS)),
          forbiddenBy: z.number().int(),
        }),
      ),
      rules: z.array(
        z.strictObject({
          name: z.string(),
          priority: z.number(),
          fired: z.boolean(),
          conditions: conditionTraceSchema,
          event: z.looseObject({ type: z.string(), params: z.record(z.string(), z.unknown()) }),
        }),
      ),
      figures: z.strictObject({
        valueAtRisk: z.number(),
        expectedLoss: z.number(),
        churnRiskWithoutAction: probability,
        churnRiskWithAction: probability,
        cost: z.number(),
        expectedValue: z.number(),
      }),
      effortPhrases: z.array(z.string()),
    }),
  });
})();

/** A decision read back from JSON (the explanation's reasons keep their parameters untyped). */
export type DecisionData = z.infer<typeof decisionSchema>;
