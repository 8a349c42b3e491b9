import type { FactType, FactValue } from './fact-catalogue.ts';

/** What a rule's `value` must be for an operator, given the fact's type. */
type ValueKind = 'same' | 'number' | 'list' | 'string';

interface OperatorDefinition {
  /** Fact types the operator applies to. */
  readonly factTypes: readonly FactType[];
  readonly value: ValueKind;
  /** The comparison, on a known fact value (never null) and a validated rule value. */
  readonly test: (fact: Exclude<FactValue, null>, value: unknown) => boolean;
}

const ANY: readonly FactType[] = ['number', 'string', 'boolean'];

/** The operators of json-rules-engine's default set, by the same names. */
export const OPERATORS = {
  equal: { factTypes: ANY, value: 'same', test: (fact, value) => fact === value },
  notEqual: { factTypes: ANY, value: 'same', test: (fact, value) => fact !== value },
  lessThan: {
    factTypes: ['number'],
    value: 'number',
    test: (fact, value) => (fact as number) < (value as number),
  },
  lessThanInclusive: {
    factTypes: ['number'],
    value: 'number',
    test: (fact, value) => (fact as number) <= (value as number),
  },
  greaterThan: {
    factTypes: ['number'],
    value: 'number',
    test: (fact, value) => (fact as number) > (value as number),
  },
  greaterThanInclusive: {
    factTypes: ['number'],
    value: 'number',
    test: (fact, value) => (fact as number) >= (value as number),
  },
  in: { factTypes: ANY, value: 'list', test: (fact, value) => (value as readonly unknown[]).includes(fact) },
  notIn: {
    factTypes: ANY,
    value: 'list',
    test: (fact, value) => !(value as readonly unknown[]).includes(fact),
  },
  contains: {
    factTypes: ['string'],
    value: 'string',
    test: (fact, value) => (fact as string).includes(value as string),
  },
  doesNotContain: {
    factTypes: ['string'],
    value: 'string',
    test: (fact, value) => !(fact as string).includes(value as string),
  },
} as const satisfies Record<string, OperatorDefinition>;

export type OperatorName = keyof typeof OPERATORS;
export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[];

export function isOperatorName(name: string): name is OperatorName {
  return Object.hasOwn(OPERATORS, name);
}
