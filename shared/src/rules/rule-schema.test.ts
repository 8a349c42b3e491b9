import { describe, expect, it } from 'vitest';
import { ruleSchema, rulesSchema } from './rule-schema.ts';

const rule = (conditions: unknown, params: unknown = { force: 'callback' }) => ({
  name: 'r',
  conditions,
  event: { params },
});

function firstIssue(value: unknown): { path: PropertyKey[]; message: string; fr: string | undefined } {
  const result = ruleSchema.safeParse(value);
  if (result.success) throw new Error('expected the rule to be rejected');
  const issue = result.error.issues[0]!;
  return { path: issue.path, message: issue.message, fr: (issue as { params?: { fr?: string } }).params?.fr };
}

describe('ruleSchema', () => {
  it('accepts json-rules-engine shaped rules with nesting', () => {
    const parsed = ruleSchema.parse(
      rule({
        any: [
          { fact: 'customer.tier', operator: 'in', value: ['platinum', 'gold'] },
          { not: { fact: 'incident.companyAtFault', operator: 'equal', value: false } },
          { all: [{ fact: 'customer.segment', operator: 'contains', value: 'Retail' }] },
        ],
      }),
    );
    expect(parsed).toMatchObject({ priority: 1, enabled: true, event: { type: 'boucle' } });
  });

  it.each([
    [
      rule({ all: [{ fact: 'nope', operator: 'equal', value: 1 }] }),
      ['conditions', 'all', 0, 'fact'],
      'Unknown fact "nope". Use one of:',
      'Fait inconnu',
    ],
    [
      rule({ all: [{ fact: 'risk.churn', operator: 'bigger', value: 1 }] }),
      ['conditions', 'all', 0, 'operator'],
      'Unknown operator "bigger". Use one of: equal,',
      'Opérateur inconnu',
    ],
    [
      rule({ all: [{ fact: 'customer.tier', operator: 'greaterThan', value: 1 }] }),
      ['conditions', 'all', 0, 'operator'],
      'Operator "greaterThan" does not apply to "customer.tier", a string',
      "L'opérateur",
    ],
    [
      rule({ all: [{ fact: 'customer.tier', operator: 'in', value: 'gold' }] }),
      ['conditions', 'all', 0, 'value'],
      'needs a non-empty list',
      'liste non vide',
    ],
    [
      rule({ all: [{ fact: 'customer.tier', operator: 'in', value: [] }] }),
      ['conditions', 'all', 0, 'value'],
      'needs a non-empty list',
      'liste non vide',
    ],
    [
      rule({ all: [{ fact: 'customer.tier', operator: 'in', value: ['gold', 'diamond'] }] }),
      ['conditions', 'all', 0, 'value'],
      'Value "diamond" cannot be compared with "customer.tier": give one of platinum, gold, silver, bronze.',
      "l'une de platinum",
    ],
    [
      rule({ all: [{ fact: 'risk.churn', operator: 'greaterThan', value: '0.5' }] }),
      ['conditions', 'all', 0, 'value'],
      'Value "0.5" cannot be compared with "risk.churn": give a number.',
      'un number',
    ],
    [
      rule({ all: [{ fact: 'risk.churn', operator: 'lessThan', value: Number.NaN }] }),
      ['conditions', 'all', 0, 'value'],
      'give a number',
      'donnez un number',
    ],
    [
      rule({ all: [{ fact: 'customer.segment', operator: 'contains', value: 3 }] }),
      ['conditions', 'all', 0, 'value'],
      'give a string',
      'un string',
    ],
    [
      rule({ fact: 'risk.churn', operator: 'equal', value: 1 }),
      ['conditions'],
      'Rule conditions start with {"all": [...]}',
      'Les conditions',
    ],
    [rule({ all: [3] }), ['conditions', 'all', 0], 'A condition is an object', 'Une condition est un objet'],
    [
      rule({ all: [{ fact: 'risk.churn', operator: 'equal', value: 1 }] }, {}),
      ['event', 'params'],
      'at least one action',
      'au moins une action',
    ],
    [
      rule({ all: [{ fact: 'risk.churn', operator: 'equal', value: 1 }] }, { addTags: ['VIP'] }),
      ['event', 'params', 'addTags', 0],
      'Tags start with "boucle_"',
      undefined,
    ],
  ])('explains what to fix (%#)', (value, path, en, fr) => {
    const issue = firstIssue(value);
    expect(issue.path).toEqual(path);
    expect(issue.message).toContain(en);
    if (fr === undefined) expect(issue.fr).toBeUndefined();
    else expect(issue.fr).toContain(fr);
  });

  it('asks for distinct rule names', () => {
    const ok = rule({ all: [{ fact: 'risk.churn', operator: 'equal', value: 1 }] });
    const result = rulesSchema.safeParse([ok, { ...ok }]);
    expect(result.error?.issues[0]).toMatchObject({
      path: [1, 'name'],
      message: 'Two rules are named "r": give each rule its own name.',
    });
  });
});
