import { describe, expect, it } from 'vitest';
import { OPERATORS, OPERATOR_NAMES, isOperatorName } from './operators.ts';
import type { OperatorName } from './operators.ts';

describe('OPERATORS', () => {
  it.each([
    ['equal', 'gold', 'gold', true],
    ['equal', 1, 2, false],
    ['notEqual', true, false, true],
    ['notEqual', 'a', 'a', false],
    ['lessThan', 1, 2, true],
    ['lessThan', 2, 2, false],
    ['lessThanInclusive', 2, 2, true],
    ['lessThanInclusive', 3, 2, false],
    ['greaterThan', 3, 2, true],
    ['greaterThan', 2, 2, false],
    ['greaterThanInclusive', 2, 2, true],
    ['greaterThanInclusive', 1, 2, false],
    ['in', 'high', ['high', 'critical'], true],
    ['in', 'low', ['high', 'critical'], false],
    ['notIn', 'low', ['high', 'critical'], true],
    ['notIn', 'high', ['high'], false],
    ['contains', 'Retail EU', 'Retail', true],
    ['contains', 'Retail EU', 'retail', false],
    ['doesNotContain', 'Retail EU', 'B2B', true],
    ['doesNotContain', 'Retail EU', 'EU', false],
  ] satisfies [OperatorName, string | number | boolean, unknown, boolean][])(
    '%s(%j, %j) is %s',
    (name, fact, value, expected) => {
      expect(OPERATORS[name].test(fact, value)).toBe(expected);
    },
  );

  it('has the names of json-rules-engine', () => {
    expect(OPERATOR_NAMES).toHaveLength(10);
    expect(isOperatorName('greaterThanInclusive')).toBe(true);
    expect(isOperatorName('toString')).toBe(false);
  });
});
