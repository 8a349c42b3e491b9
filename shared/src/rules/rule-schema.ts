import { z } from 'zod';
import { ACTIONS, PRIORITIES } from '../domain/vocabulary.ts';
import { FACT_CATALOGUE, isFactName } from './fact-catalogue.ts';
import { OPERATORS, OPERATOR_NAMES, isOperatorName } from './operators.ts';

/** A comparison of one fact with a value, as in json-rules-engine. */
export interface LeafCondition {
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
}
export interface AllCondition {
  readonly all: readonly Condition[];
}
export interface AnyCondition {
  readonly any: readonly Condition[];
}
export interface NotCondition {
  readonly not: Condition;
}
export type Condition = LeafCondition | AllCondition | AnyCondition | NotCondition;
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition;

/** A custom issue whose message exists in both languages (`params.fr` carries the French). */
function addBilingualIssue(ctx: z.RefinementCtx, path: (string | number)[], en: string, fr: string): void {
  ctx.addIssue({ code: 'custom', path, message: en, params: { fr } });
}

const leafConditionSchema: z.ZodType<LeafCondition> = z
  .strictObject({ fact: z.string(), operator: z.string(), value: z.unknown() })
  .superRefine((leaf, ctx) => {
    if (!isFactName(leaf.fact)) {
      addBilingualIssue(
        ctx,
        ['fact'],
        `Unknown fact "${leaf.fact}". Use one of: ${Object.keys(FACT_CATALOGUE).join(', ')}.`,
        `Fait inconnu « ${leaf.fact} ». Utilisez l'un de : ${Object.keys(FACT_CATALOGUE).join(', ')}.`,
      );
      return;
    }
    if (!isOperatorName(leaf.operator)) {
      addBilingualIssue(
        ctx,
        ['operator'],
        `Unknown operator "${leaf.operator}". Use one of: ${OPERATOR_NAMES.join(', ')}.`,
        `Opérateur inconnu « ${leaf.operator} ». Utilisez l'un de : ${OPERATOR_NAMES.join(', ')}.`,
      );
      return;
    }
    const fact = FACT_CATALOGUE[leaf.fact];
    const operator = OPERATORS[leaf.operator];
    if (!(operator.factTypes as readonly string[]).includes(fact.type)) {
      addBilingualIssue(
        ctx,
        ['operator'],
        `Operator "${leaf.operator}" does not apply to "${leaf.fact}", a ${fact.type}; use equal, notEqual, in or notIn.`,
        `L'opérateur « ${leaf.operator} » ne s'applique pas à « ${leaf.fact} » (${fact.type}) ; utilisez equal, notEqual, in ou notIn.`,
      );
      return;
    }
    const items: unknown[] =
      operator.value === 'list' ? (Array.isArray(leaf.value) ? leaf.value : []) : [leaf.value];
    if (operator.value === 'list' && (!Array.isArray(leaf.value) || leaf.value.length === 0)) {
      addBilingualIssue(
        ctx,
        ['value'],
        `Operator "${leaf.operator}" needs a non-empty list as value, e.g. ["high", "critical"].`,
        `L'opérateur « ${leaf.operator} » attend une liste non vide, par exemple ["high", "critical"].`,
      );
      return;
    }
    const expected =
      operator.value === 'number' ? 'number' : operator.value === 'string' ? 'string' : fact.type;
    const allowed: readonly string[] | undefined = 'values' in fact ? fact.values : undefined;
    for (const item of items) {
      const badType = typeof item !== expected || (typeof item === 'number' && !Number.isFinite(item));
      const badValue =
        !badType && allowed !== undefined && operator.value !== 'string' && !allowed.includes(item as string);
      if (badType || badValue) {
        const hint = allowed === undefined ? `a ${expected}` : `one of ${allowed.join(', ')}`;
        addBilingualIssue(
          ctx,
          ['value'],
          `Value ${JSON.stringify(item)} cannot be compared with "${leaf.fact}": give ${hint}.`,
          `La valeur ${JSON.stringify(item)} ne peut pas être comparée à « ${leaf.fact} » : donnez ${allowed === undefined ? `un ${expected}` : `l'une de ${allowed.join(', ')}`}.`,
        );
        return;
      }
    }
  });

const allConditionSchema: z.ZodType<AllCondition> = z.strictObject({
  all: z.array(z.lazy(() => conditionSchema)).min(1),
});
const anyConditionSchema: z.ZodType<AnyCondition> = z.strictObject({
  any: z.array(z.lazy(() => conditionSchema)).min(1),
});
const notConditionSchema: z.ZodType<NotCondition> = z.strictObject({ not: z.lazy(() => conditionSchema) });

/**
 * Picks the condition's shape from its keys (`all`, `any`, `not`, else a fact comparison) and validates it
 * against that shape only, so that an admin reads the one error that matters, not one per possible shape.
 */
function dispatchCondition(allowLeaf: boolean) {
  return z.unknown().transform((value, ctx): Condition => {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    const schema = !isObject
      ? undefined
      : 'all' in value
        ? allConditionSchema
        : 'any' in value
          ? anyConditionSchema
          : 'not' in value
            ? notConditionSchema
            : allowLeaf
              ? leafConditionSchema
              : undefined;
    if (schema === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: allowLeaf
          ? 'A condition is an object: {"fact", "operator", "value"}, or {"all": [...]}, {"any": [...]} or {"not": {...}}.'
          : 'Rule conditions start with {"all": [...]}, {"any": [...]} or {"not": {...}}.',
        params: {
          fr: allowLeaf
            ? 'Une condition est un objet : {"fact", "operator", "value"}, ou {"all": [...]}, {"any": [...]} ou {"not": {...}}.'
            : 'Les conditions d\'une règle commencent par {"all": [...]}, {"any": [...]} ou {"not": {...}}.',
        },
      });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    }
    return result.data;
  });
}

export const conditionSchema: z.ZodType<Condition, unknown> = dispatchCondition(true);
export const topLevelConditionSchema = dispatchCondition(false) as z.ZodType<TopLevelCondition, unknown>;

export const BOUCLE_TAG_PATTERN = /^boucle_[a-z0-9_]{1,80}$/;

export const ruleEventParamsSchema = z
  .strictObject({
    /** Make this the intervention, whatever the model says (guardrails still apply). */
    force: z.enum(ACTIONS).optional(),
    /** With `force: "compensation"`: the compensation tier to use. */
    compensationTier: z.string().min(1).optional(),
    /** Never recommend these. */
    forbid: z.array(z.enum(ACTIONS)).optional(),
    addTags: z
      .array(
        z.string().regex(BOUCLE_TAG_PATTERN, {
          message:
            'Tags start with "boucle_" and use lowercase letters, digits and "_" only, e.g. "boucle_vip".',
        }),
      )
      .optional(),
    setPriority: z.enum(PRIORITIES).optional(),
    callbackWindowHours: z.number().positive().max(720).optional(),
  })
  .refine((params) => Object.values(params).some((value) => value !== undefined), {
    message:
      'An event needs at least one action: force, forbid, addTags, setPriority or callbackWindowHours.',
    params: {
      fr: 'Un événement demande au moins une action : force, forbid, addTags, setPriority ou callbackWindowHours.',
    },
  });

/** An admin rule, in the shape of a json-rules-engine rule. */
export const ruleSchema = z.strictObject({
  name: z.string().min(1).max(120),
  /** Higher runs first and wins conflicts, as in json-rules-engine. */
  priority: z.number().int().min(1).max(1000).default(1),
  enabled: z.boolean().default(true),
  conditions: topLevelConditionSchema,
  event: z.strictObject({
    type: z.string().min(1).max(120).default('boucle'),
    params: ruleEventParamsSchema,
  }),
});

export type Rule = z.infer<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
export type RuleEventParams = z.infer<typeof ruleEventParamsSchema>;

export const rulesSchema = z
  .array(ruleSchema)
  .max(500)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.name)) {
        addBilingualIssue(
          ctx,
          [index, 'name'],
          `Two rules are named "${rule.name}": give each rule its own name.`,
          `Deux règles s'appellent « ${rule.name} » : donnez un nom distinct à chaque règle.`,
        );
      }
      seen.add(rule.name);
    });
  });
