import type { Action, Priority } from '../domain/vocabulary.ts';
import { FACT_NAMES } from './fact-catalogue.ts';
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
}

export interface CompiledRules {
  /** The enabled rules, in evaluation order (priority, highest first; then as written). */
  readonly rules: readonly Rule[];
  readonly evaluate: (facts: Facts) => RulesOutcome;
  /**
   * The same evaluation on the facts as a list, one value per fact in `FACT_NAMES` order: the decision's hot path
   * (an element read per condition instead of a property lookup by name).
   */
  readonly evaluateValues: (values: readonly FactValue[]) => RulesOutcome;
  /** The full trace of an evaluation: every rule, every condition, the fact value each one saw. */
  readonly trace: (facts: Facts, outcome: RulesOutcome) => readonly RuleTrace[];
  /** The same trace from the facts as a list (`FACT_NAMES` order), as `evaluateValues` read them. */
  readonly traceValues: (values: readonly FactValue[], outcome: RulesOutcome) => readonly RuleTrace[];
}

type ValuesEvaluator = (values: readonly FactValue[]) => boolean;
type Tracer = (values: readonly FactValue[]) => ConditionTrace;

interface CompiledCondition {
  /** Short-circuits, on the facts as a list: the hot path. */
  readonly evaluateValues: ValuesEvaluator;
  /** Evaluates every condition again, without short-circuit, to show each outcome: for explanations only. */
  readonly trace: Tracer;
}

/** Each fact's position in the list form of the facts (`FACT_NAMES` order). */
const FACT_SLOT = Object.fromEntries(FACT_NAMES.map((name, slot) => [name, slot])) as Readonly<
  Record<FactName, number>
>;

/** The facts by name as a list, in `FACT_NAMES` order. */
function toValues(facts: Facts): FactValue[] {
  return FACT_NAMES.map((name) => facts[name]);
}

/**
 * One comparison as its own small function, with the fact's position and the rule's value bound: each operator
 * has its own function body, so every call site stays monomorphic. Same results as `OPERATORS[operator].test`
 * behind a null check (an unknown fact fails every comparison); a test checks them against each other.
 */
function compileComparison(slot: number, operator: OperatorName, value: unknown): ValuesEvaluator {
  switch (operator) {
    case 'equal':
      return (values) => {
        const seen = values[slot];
        return seen !== null && seen === value;
      };
    case 'notEqual':
      return (values) => {
        const seen = values[slot];
        return seen !== null && seen !== value;
      };
    case 'lessThan': {
      const bound = value as number;
      return (values) => {
        const seen = values[slot];
        return seen !== null && (seen as number) < bound;
      };
    }
    case 'lessThanInclusive': {
      const bound = value as number;
      return (values) => {
        const seen = values[slot];
        return seen !== null && (seen as number) <= bound;
      };
    }
    case 'greaterThan': {
      const bound = value as number;
      return (values) => {
        const seen = values[slot];
        return seen !== null && (seen as number) > bound;
      };
    }
    case 'greaterThanInclusive': {
      const bound = value as number;
      return (values) => {
        const seen = values[slot];
        return seen !== null && (seen as number) >= bound;
      };
    }
    case 'in': {
      const list = value as readonly unknown[];
      return (values) => {
        const seen = values[slot];
        return seen !== null && list.includes(seen);
      };
    }
    case 'notIn': {
      const list = value as readonly unknown[];
      return (values) => {
        const seen = values[slot];
        return seen !== null && !list.includes(seen);
      };
    }
    case 'contains': {
      const text = value as string;
      return (values) => {
        const seen = values[slot];
        return seen !== null && (seen as string).includes(text);
      };
    }
    case 'doesNotContain': {
      const text = value as string;
      return (values) => {
        const seen = values[slot];
        return seen !== null && !(seen as string).includes(text);
      };
    }
  }
}

function allOf(children: readonly ValuesEvaluator[]): ValuesEvaluator {
  const count = children.length;
  if (count === 1) return children[0]!;
  if (count === 2) {
    const [first, second] = children as [ValuesEvaluator, ValuesEvaluator];
    return (values) => first(values) && second(values);
  }
  return (values) => {
    for (let index = 0; index < count; index += 1) if (!children[index]!(values)) return false;
    return true;
  };
}

function anyOf(children: readonly ValuesEvaluator[]): ValuesEvaluator {
  const count = children.length;
  if (count === 1) return children[0]!;
  if (count === 2) {
    const [first, second] = children as [ValuesEvaluator, ValuesEvaluator];
    return (values) => first(values) || second(values);
  }
  return (values) => {
    for (let index = 0; index < count; index += 1) if (children[index]!(values)) return true;
    return false;
  };
}

function compileCondition(condition: Condition): CompiledCondition {
  if ('all' in condition || 'any' in condition) {
    const isAll = 'all' in condition;
    const children = (isAll ? condition.all : condition.any).map(compileCondition);
    const evaluators = children.map((child) => child.evaluateValues);
    return {
      evaluateValues: isAll ? allOf(evaluators) : anyOf(evaluators),
      trace: (values) => {
        const conditions = children.map((child) => child.trace(values));
        const result = isAll ? conditions.every((c) => c.result) : conditions.some((c) => c.result);
        return { kind: isAll ? 'all' : 'any', result, conditions };
      },
    };
  }
  if ('not' in condition) {
    const child = compileCondition(condition.not);
    const inner = child.evaluateValues;
    return {
      evaluateValues: (values) => !inner(values),
      trace: (values) => {
        const traced = child.trace(values);
        return { kind: 'not', result: !traced.result, conditions: [traced] };
      },
    };
  }
  // Validated by ruleSchema: the fact and the operator exist and the value suits them.
  const fact = condition.fact as FactName;
  const operator = condition.operator as OperatorName;
  const test = OPERATORS[operator].test;
  const value = condition.value;
  const slot = FACT_SLOT[fact];
  return {
    evaluateValues: compileComparison(slot, operator, value),
    trace: (values) => {
      const seen = values[slot]!;
      return {
        kind: 'fact',
        fact,
        operator,
        value,
        factValue: seen,
        result: seen !== null && test(seen, value),
      };
    },
  };
}

const ACTION_INDEX = { none: 0, apology: 1, callback: 2, compensation: 3 } as const satisfies Record<
  Action,
  number
>;

/**
 * Compiles validated rules once into plain closures: evaluation reads the facts and compares, with no parsing,
 * lookup or interpretation per call, and stops at the first failing condition. The trace (every condition's
 * outcome and the value it saw) is computed on demand from the same facts, for explanations.
 */
export function compileRules(rules: readonly Rule[]): CompiledRules {
  const ordered = rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.enabled)
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => rule);
  const compiled = ordered.map((rule) => compileCondition(rule.conditions));
  const evaluators = compiled.map((condition) => condition.evaluateValues);
  // One shape for every rule's event (absent fields undefined): the loads below stay monomorphic.
  const params = ordered.map(({ event: { params: e } }) => ({
    forbid: e.forbid,
    force: e.force,
    compensationTier: e.compensationTier,
    addTags: e.addTags,
    setPriority: e.setPriority,
    callbackWindowHours: e.callbackWindowHours,
  }));
  const ruleCount = ordered.length;

  const evaluateValues = (facts: readonly FactValue[]): RulesOutcome => {
    const fired: number[] = [];
    const forbiddenBy = [-1, -1, -1, -1];
    let forced: RulesOutcome['forced'] = null;
    let overruledForces: { rule: number; action: Action; forbiddenBy: number }[] | undefined;
    let tags: { tag: string; rule: number }[] | undefined;
    let priority: RulesOutcome['priority'] = null;
    let callbackWindowHours: RulesOutcome['callbackWindowHours'] = null;
    for (let rule = 0; rule < ruleCount; rule += 1) {
      if (!evaluators[rule]!(facts)) continue;
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
    };
  };

  const traceValues = (values: readonly FactValue[], outcome: RulesOutcome): readonly RuleTrace[] =>
    ordered.map((rule, index) => ({
      name: rule.name,
      priority: rule.priority,
      fired: outcome.fired.includes(index),
      conditions: compiled[index]!.trace(values),
      event: rule.event,
    }));

  return {
    rules: ordered,
    evaluate: (facts) => evaluateValues(toValues(facts)),
    evaluateValues,
    trace: (facts, outcome) => traceValues(toValues(facts), outcome),
    traceValues,
  };
}
