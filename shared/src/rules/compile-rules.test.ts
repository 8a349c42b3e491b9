import { describe, expect, it } from 'vitest';
import { FACT_NAMES } from './fact-catalogue.ts';
import type { FactValue, Facts } from './fact-catalogue.ts';
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
