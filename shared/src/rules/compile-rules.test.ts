import { describe, expect, it } from 'vitest';
import { FACT_NAMES } from './fact-catalogue.ts';
import type { FactName, FactValue, Facts } from './fact-catalogue.ts';
import { OPERATORS } from './operators.ts';
import type { OperatorName } from './operators.ts';
import { compileRules } from './compile-rules.ts';
import { rulesSchema } from './rule-schema.ts';
import type { RuleInput } from './rule-schema.ts';

function facts(values: Partial<Record<keyof Facts, FactValue>>): Facts {
  return { ...(Object.fromEntries(FACT_NAMES.map((name) => [name, null])) as Facts), ...values };
}

function compile(rules: RuleInput[]) {
  return compileRules(rulesSchema.parse(rules));
}

const vip: RuleInput = {
  name: 'vip',
  priority: 10,
  conditions: {
    all: [
      { fact: 'customer.tier', operator: 'in', value: ['platinum', 'gold'] },
      {
        any: [
          { fact: 'incident.severity', operator: 'equal', value: 'critical' },
          { fact: 'value.atRisk', operator: 'greaterThan', value: 5000 },
        ],
      },
      { not: { fact: 'incident.companyAtFault', operator: 'equal', value: false } },
    ],
  },
  event: {
    type: 'vip',
    params: { force: 'callback', addTags: ['boucle_vip'], setPriority: 'urgent', callbackWindowHours: 4 },
  },
};

describe('compileRules', () => {
  it('evaluates nested all/any/not and traces every condition with the value seen', () => {
    const compiled = compile([vip]);
    const seen = facts({
      'customer.tier': 'gold',
      'incident.severity': 'high',
      'value.atRisk': 8000,
      'incident.companyAtFault': true,
    });
    const outcome = compiled.evaluate(seen);
    expect(outcome.fired).toEqual([0]);
    expect(outcome.forced).toEqual({ action: 'callback', compensationTier: null, rule: 0 });
    expect(outcome.tags).toEqual([{ tag: 'boucle_vip', rule: 0 }]);
    expect(outcome.priority).toEqual({ value: 'urgent', rule: 0 });
    expect(outcome.callbackWindowHours).toEqual({ value: 4, rule: 0 });
    expect(compiled.trace(seen, outcome)).toEqual([
      {
        name: 'vip',
        priority: 10,
        fired: true,
        event: vip.event,
        conditions: {
          kind: 'all',
          result: true,
          conditions: [
            {
              kind: 'fact',
              fact: 'customer.tier',
              operator: 'in',
              value: ['platinum', 'gold'],
              factValue: 'gold',
              result: true,
            },
            {
              kind: 'any',
              result: true,
              conditions: [
                {
                  kind: 'fact',
                  fact: 'incident.severity',
                  operator: 'equal',
                  value: 'critical',
                  factValue: 'high',
                  result: false,
                },
                {
                  kind: 'fact',
                  fact: 'value.atRisk',
                  operator: 'greaterThan',
                  value: 5000,
                  factValue: 8000,
                  result: true,
                },
              ],
            },
            {
              kind: 'not',
              result: true,
              conditions: [
                {
                  kind: 'fact',
                  fact: 'incident.companyAtFault',
                  operator: 'equal',
                  value: false,
                  factValue: true,
                  result: false,
                },
              ],
            },
          ],
        },
      },
    ]);
  });

  it('treats an unknown fact as failing every comparison, notEqual included', () => {
    const compiled = compile([
      {
        name: 'n',
        conditions: { any: [{ fact: 'feedback.lastNps', operator: 'notEqual', value: 3 }] },
        event: { params: { forbid: ['none'] } },
      },
    ]);
    const outcome = compiled.evaluate(facts({}));
    expect(outcome.fired).toEqual([]);
    expect(compiled.trace(facts({}), outcome)[0]?.conditions).toEqual({
      kind: 'any',
      result: false,
      conditions: [
        {
          kind: 'fact',
          fact: 'feedback.lastNps',
          operator: 'notEqual',
          value: 3,
          factValue: null,
          result: false,
        },
      ],
    });
  });

  it('runs by priority, highest first: first force, priority and window win; forbids and tags add up', () => {
    const always = { all: [{ fact: 'incident.contacts', operator: 'greaterThanInclusive', value: 1 }] };
    const compiled = compile([
      {
        name: 'low',
        priority: 1,
        conditions: always,
        event: {
          params: {
            force: 'compensation',
            compensationTier: 'goodwill_small',
            setPriority: 'low',
            addTags: ['boucle_low'],
          },
        },
      },
      {
        name: 'disabled',
        priority: 99,
        enabled: false,
        conditions: always,
        event: { params: { force: 'none' } },
      },
      {
        name: 'high',
        priority: 5,
        conditions: always,
        event: {
          params: { forbid: ['apology', 'compensation'], callbackWindowHours: 8, addTags: ['boucle_high'] },
        },
      },
      {
        name: 'mid',
        priority: 3,
        conditions: always,
        event: {
          params: { force: 'apology', forbid: ['apology'], setPriority: 'high', callbackWindowHours: 2 },
        },
      },
    ]);
    expect(compiled.rules.map((rule) => rule.name)).toEqual(['high', 'mid', 'low']);
    const outcome = compiled.evaluate(facts({ 'incident.contacts': 2 }));
    expect(outcome.fired).toEqual([0, 1, 2]);
    expect(outcome.forced).toBeNull();
    expect(outcome.overruledForces).toEqual([
      { rule: 1, action: 'apology', forbiddenBy: 0 },
      { rule: 2, action: 'compensation', forbiddenBy: 0 },
    ]);
    expect(outcome.forbiddenBy).toEqual([-1, 0, -1, 0]);
    expect(outcome.priority).toEqual({ value: 'high', rule: 1 });
    expect(outcome.callbackWindowHours).toEqual({ value: 8, rule: 0 });
    expect(outcome.tags).toEqual([
      { tag: 'boucle_high', rule: 0 },
      { tag: 'boucle_low', rule: 2 },
    ]);
  });

  it('lets a rule force what it also forbids for lower rules', () => {
    const compiled = compile([
      {
        name: 'only-callback',
        conditions: { all: [{ fact: 'incident.reopens', operator: 'lessThan', value: 5 }] },
        event: { params: { force: 'callback', forbid: ['callback'] } },
      },
    ]);
    expect(compiled.evaluate(facts({ 'incident.reopens': 0 })).forced?.action).toBe('callback');
  });

  it('has nothing to say without rules', () => {
    const compiled = compile([]);
    const outcome = compiled.evaluate(facts({}));
    expect(outcome).toMatchObject({
      forced: null,
      fired: [],
      tags: [],
      overruledForces: [],
      priority: null,
      callbackWindowHours: null,
    });
    expect(compiled.trace(facts({}), outcome)).toEqual([]);
  });
});

describe('compileRules: each operator compiled on its own', () => {
  const cases: [OperatorName, FactName, unknown, FactValue[]][] = [
    ['equal', 'customer.tier', 'gold', ['gold', 'silver', null]],
    ['notEqual', 'incident.companyAtFault', true, [true, false, null]],
    ['lessThan', 'value.atRisk', 500, [499, 500, 501, null]],
    ['lessThanInclusive', 'value.atRisk', 500, [499, 500, 501, null]],
    ['greaterThan', 'risk.churn', 0.3, [0.29, 0.3, 0.31, null]],
    ['greaterThanInclusive', 'risk.churn', 0.3, [0.29, 0.3, 0.31, null]],
    ['in', 'incident.severity', ['high', 'critical'], ['high', 'low', null]],
    ['notIn', 'incident.severity', ['high', 'critical'], ['high', 'low', null]],
    ['contains', 'customer.segment', 'Retail', ['Retail EU', 'B2B', null]],
    ['doesNotContain', 'customer.segment', 'Retail', ['Retail EU', 'B2B', null]],
  ];
  it.each(cases)(
    '%s on %s agrees with the operator table, and an unknown fact fails',
    (operator, fact, value, seen) => {
      const compiled = compile([
        {
          name: 'r',
          priority: 1,
          conditions: { all: [{ fact, operator, value }] },
          event: { params: { addTags: ['boucle_x'] } },
        },
      ]);
      for (const factValue of seen) {
        const expected = factValue !== null && OPERATORS[operator].test(factValue, value);
        const known = facts({ [fact]: factValue });
        expect(compiled.evaluate(known).fired).toEqual(expected ? [0] : []);
        expect(compiled.trace(known, compiled.evaluate(known))[0]?.conditions.result).toBe(expected);
      }
    },
  );

  it('evaluates all/any of one, two and three conditions with short-circuit', () => {
    const leaf = (value: number) => ({ fact: 'value.atRisk', operator: 'greaterThan', value });
    const compiled = compile(
      [1, 2, 3].flatMap((count) => [
        {
          name: `all${count}`,
          priority: 1,
          conditions: { all: [1, 2, 3].slice(0, count).map((n) => leaf(n * 10)) },
          event: { params: { addTags: ['boucle_all'] } },
        },
        {
          name: `any${count}`,
          priority: 1,
          conditions: { any: [1, 2, 3].slice(0, count).map((n) => leaf(n * 10)) },
          event: { params: { addTags: ['boucle_any'] } },
        },
      ]),
    );
    const names = (atRisk: number) =>
      compiled.evaluate(facts({ 'value.atRisk': atRisk })).fired.map((rule) => compiled.rules[rule]!.name);
    expect(names(5)).toEqual([]);
    expect(names(15)).toEqual(['all1', 'any1', 'any2', 'any3']);
    expect(names(25)).toEqual(['all1', 'any1', 'all2', 'any2', 'any3']);
    expect(names(35)).toEqual(['all1', 'any1', 'all2', 'any2', 'all3', 'any3']);
  });
});
