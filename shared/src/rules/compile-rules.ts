import type { Action, Priority } from '../domain/vocabulary.ts';
import type { FactName, FactValue, Facts } from './fact-catalogue.ts';
import { OPERATORS } from './operators.ts';
import type { OperatorName } from './operators.ts';
import type { Condition, Rule } from './rule-schema.ts';

/** What one condition saw and decided, as json-rules-engine's rule results echo it. */
export type ConditionTrace =
  | {
      readonly kind: 'fact';
      readonly fact: FactName;
      readonly operator: OperatorName;
      readonly value: unknown;
      readonly factValue: FactValue;
      readonly result: boolean;
    }
  | {
      readonly kind: 'all' | 'any' | 'not';
      readonly result: boolean;
      readonly conditions: readonly ConditionTrace[];
    };

export interface RuleTrace {
  readonly name: string;
  readonly priority: number;
  readonly fired: boolean;
  readonly conditions: ConditionTrace;
  readonly event: Rule['event'];
}

/** The merged effect of the rules that fired, strongest priority first. Indices point into `rules`. */
export interface RulesOutcome {
  readonly forced: {
    readonly action: Action;
    readonly compensationTier: string | null;
    readonly rule: number;
  } | null;
  /** For each action in ACTIONS order, the first rule that forbade it, or -1. */
  readonly forbiddenBy: readonly number[];
  /** A force ignored because a rule of higher priority forbade that action. */
  readonly overruledForces: readonly {
    readonly rule: number;
    readonly action: Action;
    readonly forbiddenBy: number;
  }[];
  readonly tags: readonly { readonly tag: string; readonly rule: number }[];
  readonly priority: { readonly value: Priority; readonly rule: number } | null;
  readonly callbackWindowHours: { readonly value: number; readonly rule: number } | null;
  /** Rules that fired, by index. */
  readonly fired: readonly number[];
  /** Outcome of every fact comparison, by leaf index (for the trace). */
  readonly leafResults: Uint8Array;
}

export interface CompiledRules {
  /** The enabled rules, in evaluation order (priority, highest first; then as written). */
  readonly rules: readonly Rule[];
  readonly evaluate: (facts: Facts) => RulesOutcome;
  /** The full trace of an evaluation: every rule, every condition, the fact value each one saw. */
  readonly trace: (facts: Facts, outcome: RulesOutcome) => readonly RuleTrace[];
}

type Evaluator = (facts: Facts, leafResults: Uint8Array) => boolean;
type Tracer = (facts: Facts, leafResults: Uint8Array) => ConditionTrace;

interface CompiledCondition {
  readonly evaluate: Evaluator;
  readonly trace: Tracer;
}

function compileCondition(condition: Condition, nextLeaf: () => number): CompiledCondition {
  if ('all' in condition || 'any' in condition) {
    const isAll = 'all' in condition;
    const children = (isAll ? condition.all : condition.any).map((child) =>
      compileCondition(child, nextLeaf),
    );
    const evaluators = children.map((child) => child.evaluate);
    const count = evaluators.length;
    // Every child is evaluated (no short-circuit) so that the explanation can show every outcome.
    const evaluate: Evaluator = isAll
      ? (facts, results) => {
          let result = true;
          for (let index = 0; index < count; index += 1)
            if (!evaluators[index]!(facts, results)) result = false;
          return result;
        }
      : (facts, results) => {
          let result = false;
          for (let index = 0; index < count; index += 1)
            if (evaluators[index]!(facts, results)) result = true;
          return result;
        };
    return {
      evaluate,
      trace: (facts, results) => {
        const conditions = children.map((child) => child.trace(facts, results));
        const result = isAll ? conditions.every((c) => c.result) : conditions.some((c) => c.result);
        return { kind: isAll ? 'all' : 'any', result, conditions };
      },
    };
  }
  if ('not' in condition) {
    const child = compileCondition(condition.not, nextLeaf);
    const inner = child.evaluate;
    return {
      evaluate: (facts, results) => !inner(facts, results),
      trace: (facts, results) => {
        const traced = child.trace(facts, results);
        return { kind: 'not', result: !traced.result, conditions: [traced] };
      },
    };
  }
  // Validated by ruleSchema: the fact and the operator exist and the value suits them.
  const fact = condition.fact as FactName;
  const operator = condition.operator as OperatorName;
  const test = OPERATORS[operator].test;
  const value = condition.value;
  const leaf = nextLeaf();
  return {
    evaluate: (facts, results) => {
      const seen = facts[fact];
      const result = seen !== null && test(seen, value);
      results[leaf] = result ? 1 : 0;
      return result;
    },
    trace: (facts, results) => ({
      kind: 'fact',
      fact,
      operator,
      value,
      factValue: facts[fact],
      result: results[leaf] === 1,
    }),
  };
}

const ACTION_INDEX = { none: 0, apology: 1, callback: 2, compensation: 3 } as const satisfies Record<
  Action,
  number
>;

/**
 * Compiles validated rules once into plain closures: evaluation reads the facts and compares, with no parsing,
 * lookup or interpretation per call.
 */
export function compileRules(rules: readonly Rule[]): CompiledRules {
  const ordered = rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.enabled)
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => rule);
  let leaves = 0;
  const nextLeaf = () => leaves++;
  const compiled = ordered.map((rule) => compileCondition(rule.conditions, nextLeaf));
  const evaluators = compiled.map((condition) => condition.evaluate);
  const params = ordered.map((rule) => rule.event.params);
  const leafCount = leaves;
  const ruleCount = ordered.length;

  const evaluate = (facts: Facts): RulesOutcome => {
    const leafResults = new Uint8Array(leafCount);
    const fired: number[] = [];
    const forbiddenBy = [-1, -1, -1, -1];
    let forced: RulesOutcome['forced'] = null;
    let overruledForces: { rule: number; action: Action; forbiddenBy: number }[] | undefined;
    let tags: { tag: string; rule: number }[] | undefined;
    let priority: RulesOutcome['priority'] = null;
    let callbackWindowHours: RulesOutcome['callbackWindowHours'] = null;
    for (let rule = 0; rule < ruleCount; rule += 1) {
      if (!evaluators[rule]!(facts, leafResults)) continue;
      fired.push(rule);
      const event = params[rule]!;
      if (event.forbid !== undefined) {
        for (const action of event.forbid) {
          const index = ACTION_INDEX[action];
          if (forbiddenBy[index] === -1) forbiddenBy[index] = rule;
        }
      }
      if (event.force !== undefined && forced === null) {
        const forbidder = forbiddenBy[ACTION_INDEX[event.force]]!;
        if (forbidder === -1 || forbidder === rule) {
          forced = { action: event.force, compensationTier: event.compensationTier ?? null, rule };
        } else {
          (overruledForces ??= []).push({ rule, action: event.force, forbiddenBy: forbidder });
        }
      }
      if (event.addTags !== undefined) {
        for (const tag of event.addTags) (tags ??= []).push({ tag, rule });
      }
      if (event.setPriority !== undefined && priority === null) priority = { value: event.setPriority, rule };
      if (event.callbackWindowHours !== undefined && callbackWindowHours === null) {
        callbackWindowHours = { value: event.callbackWindowHours, rule };
      }
    }
    return {
      forced,
      forbiddenBy,
      overruledForces: overruledForces ?? [],
      tags: tags ?? [],
      priority,
      callbackWindowHours,
      fired,
      leafResults,
    };
  };

  const trace = (facts: Facts, outcome: RulesOutcome): readonly RuleTrace[] =>
    ordered.map((rule, index) => ({
      name: rule.name,
      priority: rule.priority,
      fired: outcome.fired.includes(index),
      conditions: compiled[index]!.trace(facts, outcome.leafResults),
      event: rule.event,
    }));

  return { rules: ordered, evaluate, trace };
}
