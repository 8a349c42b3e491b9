import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  ACTION_STRENGTH,
  CHANNELS,
  INCIDENT_TYPES,
  PRIORITY_RANK,
  SEVERITIES,
  VALUE_TIERS,
} from '../domain/vocabulary.ts';
import { DEFAULT_SETTINGS, parseSettings } from '../settings/parse-settings.ts';
import type { Settings } from '../settings/settings-schema.ts';
import { rulesSchema } from '../rules/rule-schema.ts';
import type { RuleInput } from '../rules/rule-schema.ts';
import { createDecider } from './create-decider.ts';
import { decisionInputSchema } from './decision-input-schema.ts';
import type { DecisionInput, DecisionInputData } from './decision-input-schema.ts';
import type { Decision } from './decision.ts';

const NOW = '2026-11-22T10:00:00.000Z';

function line(
  overrides: Partial<DecisionInputData> = {},
  incident: Partial<DecisionInputData['incident']> = {},
): DecisionInput {
  return decisionInputSchema.parse({
    id: 'line-1',
    incident: {
      ticketId: '1001',
      type: 'delivery',
      severity: 'high',
      companyAtFault: true,
      channel: 'email',
      openedAt: '2026-11-20T10:00:00Z',
      ...incident,
    },
    customer: { customerId: 'acc-1', revenue12m: 40_000, customerSince: '2019-01-01' },
    ...overrides,
  });
}

function settingsWith(raw: Record<string, unknown>): Settings {
  const parsed = parseSettings(raw);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}

const decider = createDecider(DEFAULT_SETTINGS);

describe('createDecider: the model', () => {
  it('recommends the best expected value and explains it with facts, figures and reasons', () => {
    const decision = decider.decide(
      line({}, { contacts: 3, comments: ["Toujours pas reçu, troisième fois que j'appelle !"] }),
      NOW,
    );
    expect(decision).toMatchObject({
      id: 'line-1',
      ticketId: '1001',
      customerId: 'acc-1',
      decidedAt: NOW,
      action: 'compensation',
      compensationTier: 'goodwill_large',
      priority: 'urgent',
      tags: ['boucle_compensation', 'boucle_effort_customer_harder', 'boucle_effort_estimated'],
      decidedBy: 'model',
      tier: 'gold',
      valueAtRisk: 24_000,
      callbackDueAt: '2026-11-23T10:00:00.000Z',
      effort: {
        ratio: 4.25,
        class: 'customer_harder',
        source: 'estimated',
        customer: 4.25,
        company: 1,
        confidence: 0.4,
      },
    });
    const { explanation } = decision;
    expect(explanation.reasons[0]).toEqual({
      code: 'best_expected_value',
      action: 'compensation',
      compensationTier: 'goodwill_large',
      expectedValue: decision.expectedValue,
    });
    expect(explanation.reasons).toContainEqual({
      code: 'risk_driver',
      factor: 'effortClass',
      points: 1.7165,
    });
    expect(explanation.reasons).toContainEqual({
      code: 'value',
      tier: 'gold',
      valueAtRisk: 24_000,
      churnRisk: decision.churnRisk.withoutAction,
      expectedLoss: explanation.figures.expectedLoss,
    });
    expect(explanation.facts['effort.phraseMatches']).toBe(2);
    expect(explanation.effortPhrases).toEqual(['toujours pas', 'troisième fois']);
    // Risks are shown rounded to 4 digits: the figures agree within what that rounding allows.
    const recomputed =
      24_000 * (decision.churnRisk.withoutAction - decision.churnRisk.withAction) - decision.cost;
    expect(Math.abs(explanation.figures.expectedValue - recomputed)).toBeLessThan(24_000 * 1e-4);
    const best = Math.max(...explanation.candidates.map((c) => c.expectedValue));
    expect(decision.expectedValue).toBeCloseTo(best, 2);
    expect(explanation.rules).toEqual([]);
  });

  it('does nothing when no action pays, and says so', () => {
    const decision = decider.decide(
      line(
        { customer: { customerId: 'small', revenue12m: 60, marginRate: 0.2 } },
        { severity: 'low', companyAtFault: false },
      ),
      NOW,
    );
    expect(decision).toMatchObject({
      action: 'none',
      priority: 'low',
      tags: ['boucle_none', 'boucle_effort_estimated'],
      callbackDueAt: null,
    });
    expect(decision.explanation.reasons[0]).toEqual({ code: 'no_action_pays' });
    expect(decision.explanation.reasons).toContainEqual({
      code: 'guardrail',
      action: 'compensation',
      guardrail: 'compensation_not_at_fault',
    });
  });

  it('never repeats an apology within the cooldown, and explains why', () => {
    const input = line(
      {
        customer: { customerId: 'c', revenue12m: 1_000 },
        history: {
          pastIncidents: [],
          pastInterventions: [
            { action: 'apology', at: '2026-11-10T10:00:00Z' },
            { action: 'none', at: '2026-11-21T10:00:00Z' },
            { action: 'callback', at: '2026-12-30T10:00:00Z' },
          ],
        },
      },
      { severity: 'medium' },
    );
    const decision = decider.decide(input, NOW);
    expect(decision.action).not.toBe('apology');
    expect(decision.explanation.facts['history.daysSinceLastApology']).toBe(12);
    expect(decision.explanation.facts['history.daysSinceLastIntervention']).toBe(12);
    expect(decision.explanation.reasons).toContainEqual({
      code: 'guardrail',
      action: 'apology',
      guardrail: 'apology_cooldown',
    });
    const withoutHistory = decider.decide(
      { ...input, history: { pastIncidents: [], pastInterventions: [] } },
      NOW,
    );
    expect(withoutHistory.action).toBe('apology');
    expect(withoutHistory.priority).toBe('normal');
  });

  it('reads tenure, repeat incidents, score history and measured effort into the facts', () => {
    const decision = decider.decide(
      line({
        customer: {
          customerId: 'c',
          revenue12m: 9_000,
          customerSince: '2026-05-22',
          lastOrderAt: '2026-11-12',
          tier: 'platinum',
          segment: 'Retail',
          region: 'EU',
          productLine: 'Fibre',
        },
        feedback: [
          { id: 'n1', kind: 'nps', score: 9, respondedAt: '2026-10-01T00:00:00Z' },
          { id: 'n0', kind: 'nps', score: 10, respondedAt: '2026-09-01T00:00:00Z' },
          { id: 'n2', kind: 'nps', score: 4, respondedAt: '2026-11-21T00:00:00Z' },
          { id: 'n3', kind: 'nps', score: 0, respondedAt: '2026-12-01T00:00:00Z' },
          { id: 'c0', kind: 'csat', scale: '1-5', score: 5, respondedAt: '2026-10-01T00:00:00Z' },
          { id: 'c1', kind: 'csat', scale: 'good_bad', score: 'bad', respondedAt: '2026-11-21T00:00:00Z' },
          { id: 'e1', kind: 'ces', score: 6, respondedAt: '2026-11-21T00:00:00Z', ticketId: '1001' },
          {
            id: 'e2',
            kind: 'company_effort',
            score: 3,
            respondedAt: '2026-11-21T00:00:00Z',
            ticketId: '1001',
          },
        ],
        history: {
          pastIncidents: [
            { at: '2026-10-01T00:00:00Z' },
            { at: '2026-11-01T00:00:00Z', type: 'billing', severity: 'low' },
            { at: '2025-01-01T00:00:00Z' },
          ],
          pastInterventions: [],
        },
      }),
      NOW,
    );
    expect(decision.tier).toBe('platinum');
    expect(decision.effort).toMatchObject({
      source: 'measured',
      class: 'customer_harder',
      ratio: 2,
      confidence: 1,
    });
    expect(decision.tags).not.toContain('boucle_effort_estimated');
    expect(decision.explanation.facts).toMatchObject({
      'customer.tier': 'platinum',
      'customer.tenureYears': 0.5,
      'customer.daysSinceLastOrder': 10.42,
      'customer.segment': 'Retail',
      'feedback.lastNps': 4,
      'feedback.npsCategory': 'detractor',
      'feedback.lastCsatSatisfied': false,
      'history.repeatIncidents': 2,
    });
    expect(decision.explanation.riskPoints).toMatchObject({
      tenure: 0.3,
      npsCategory: 0.5,
      npsFalling: 0.3,
      repeatIncidents: 0.6,
    });
  });

  it('takes the time from the line when it has one, else from the caller (ms or ISO)', () => {
    expect(decider.decide(line({ now: '2026-01-01T00:00:00Z' }), NOW).decidedAt).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(decider.decide(line(), Date.parse(NOW)).decidedAt).toBe(NOW);
  });
});

describe('createDecider: admin rules win over the model', () => {
  const rules: RuleInput[] = [
    {
      name: 'Platinum gets a callback within 4 h',
      priority: 10,
      conditions: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'platinum' }] },
      event: { params: { force: 'callback', callbackWindowHours: 4, addTags: ['boucle_vip'] } },
    },
    {
      name: 'No money for billing',
      priority: 5,
      conditions: { all: [{ fact: 'incident.type', operator: 'equal', value: 'billing' }] },
      event: { params: { forbid: ['compensation'], setPriority: 'normal' } },
    },
    {
      name: 'Staff issues: compensate',
      priority: 3,
      conditions: { all: [{ fact: 'incident.type', operator: 'equal', value: 'staff_behaviour' }] },
      event: {
        params: {
          force: 'compensation',
          compensationTier: 'goodwill_small',
          addTags: ['boucle_staff', 'boucle_vip'],
        },
      },
    },
    {
      name: 'Never silent on outages',
      priority: 2,
      conditions: { all: [{ fact: 'incident.type', operator: 'equal', value: 'service_outage' }] },
      event: { params: { forbid: ['none', 'apology', 'callback', 'compensation'] } },
    },
    {
      name: 'Quiet apology',
      priority: 1,
      conditions: { all: [{ fact: 'incident.type', operator: 'equal', value: 'other' }] },
      event: { params: { force: 'apology' } },
    },
  ];
  const ruled = createDecider(settingsWith({ rules: JSON.stringify(rules) }));

  it('forces an action, sets the window and tags, and the explanation says a rule decided', () => {
    const decision = ruled.decide(
      line({ customer: { customerId: 'p', revenue12m: 500_000, tier: 'platinum' } }),
      NOW,
    );
    expect(decision).toMatchObject({
      action: 'callback',
      decidedBy: 'rule',
      callbackDueAt: '2026-11-22T14:00:00.000Z',
      tags: ['boucle_callback', 'boucle_effort_estimated', 'boucle_rule_forced', 'boucle_vip'],
    });
    expect(decision.explanation.reasons[0]).toEqual({
      code: 'rule_forced',
      rule: 'Platinum gets a callback within 4 h',
      action: 'callback',
    });
    expect(decision.explanation.reasons).toContainEqual({
      code: 'callback_window_by_rule',
      rule: 'Platinum gets a callback within 4 h',
      hours: 4,
    });
    expect(decision.explanation.reasons).toContainEqual({
      code: 'rule_tags',
      rule: 'Platinum gets a callback within 4 h',
      tags: ['boucle_vip'],
    });
    const trace = decision.explanation.rules;
    expect(trace.map((rule) => [rule.name, rule.fired])).toEqual([
      ['Platinum gets a callback within 4 h', true],
      ['No money for billing', false],
      ['Staff issues: compensate', false],
      ['Never silent on outages', false],
      ['Quiet apology', false],
    ]);
    expect(trace[1]?.conditions).toEqual({
      kind: 'all',
      result: false,
      conditions: [
        {
          kind: 'fact',
          fact: 'incident.type',
          operator: 'equal',
          value: 'billing',
          factValue: 'delivery',
          result: false,
        },
      ],
    });
    const serialised = JSON.parse(JSON.stringify(decision)) as { explanation: { rules: unknown[] } };
    expect(serialised.explanation.rules).toHaveLength(5);
  });

  it('forbids, sets the priority, and tells the forbidding rule', () => {
    const decision = ruled.decide(line({}, { type: 'billing' }), NOW);
    expect(decision.action).toBe('callback');
    expect(decision.priority).toBe('normal');
    expect(decision.explanation.reasons).toContainEqual({
      code: 'rule_forbade',
      rule: 'No money for billing',
      action: 'compensation',
    });
    expect(decision.explanation.reasons).toContainEqual({
      code: 'priority_by_rule',
      rule: 'No money for billing',
      priority: 'normal',
    });
  });

  it('keeps guardrails above rules: a forced compensation without fault falls back to the model', () => {
    const decision = ruled.decide(line({}, { type: 'staff_behaviour', companyAtFault: false }), NOW);
    expect(decision.action).toBe('callback');
    expect(decision.decidedBy).toBe('model');
    expect(decision.explanation.reasons[0]).toEqual({
      code: 'rule_force_blocked',
      rule: 'Staff issues: compensate',
      action: 'compensation',
      guardrails: ['compensation_not_at_fault'],
    });
    expect(decision.tags).toEqual([
      'boucle_callback',
      'boucle_effort_estimated',
      'boucle_staff',
      'boucle_vip',
    ]);
    const allowed = ruled.decide(line({}, { type: 'staff_behaviour' }), NOW);
    expect([allowed.action, allowed.compensationTier, allowed.decidedBy]).toEqual([
      'compensation',
      'goodwill_small',
      'rule',
    ]);
  });

  it('reports when a higher rule overrules a force, and when nothing is allowed', () => {
    const conflicted = createDecider(
      settingsWith({
        rules: [
          {
            name: 'no apologies',
            priority: 9,
            conditions: { all: [{ fact: 'incident.contacts', operator: 'greaterThan', value: 0 }] },
            event: { params: { forbid: ['apology'] } },
          },
          {
            name: 'apologise',
            conditions: { all: [{ fact: 'incident.contacts', operator: 'greaterThan', value: 0 }] },
            event: { params: { force: 'apology' } },
          },
        ],
      }),
    ).decide(line(), NOW);
    expect(conflicted.explanation.reasons[0]).toEqual({
      code: 'rule_force_overruled',
      rule: 'apologise',
      action: 'apology',
      by: 'no apologies',
    });
    expect(conflicted.decidedBy).toBe('model');

    const silent = ruled.decide(line({}, { type: 'service_outage' }), NOW);
    expect(silent.action).toBe('none');
    expect(silent.explanation.reasons[0]).toEqual({ code: 'nothing_allowed' });
  });

  it('picks the best allowed tier when a forced tier is unknown, and can force an apology', () => {
    // parseSettings refuses an unknown tier; settings built in code may still carry one.
    const unknownTier = createDecider({
      ...DEFAULT_SETTINGS,
      rules: rulesSchema.parse([
        {
          name: 'gift',
          conditions: { all: [{ fact: 'incident.contacts', operator: 'greaterThan', value: 0 }] },
          event: { params: { force: 'compensation', compensationTier: 'gold_bar' } },
        },
      ]),
    }).decide(line(), NOW);
    expect([unknownTier.action, unknownTier.compensationTier]).toEqual(['compensation', 'goodwill_medium']);
    const apology = ruled.decide(line({}, { type: 'other' }), NOW);
    expect([apology.action, apology.callbackDueAt, apology.decidedBy]).toEqual(['apology', null, 'rule']);
  });
});

const timestamp = fc
  .integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2026-11-21T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString());

const inputArbitrary = fc.record({
  id: fc.string({ minLength: 1, maxLength: 8 }),
  incident: fc.record({
    ticketId: fc.constantFrom('t1', 't2'),
    type: fc.constantFrom(...INCIDENT_TYPES),
    severity: fc.constantFrom(...SEVERITIES),
    companyAtFault: fc.boolean(),
    recurrence: fc.nat(4),
    contacts: fc.integer({ min: 1, max: 6 }),
    reopens: fc.nat(3),
    transfers: fc.nat(3),
    channelSwitches: fc.nat(2),
    waitingHours: fc.double({ min: 0, max: 200, noNaN: true }),
    channel: fc.constantFrom(...CHANNELS),
    openedAt: timestamp,
    comments: fc.array(fc.constantFrom('still waiting', 'merci', 'troisième fois', 'encore un problème'), {
      maxLength: 3,
    }),
  }),
  customer: fc.record(
    {
      customerId: fc.constant('c'),
      tier: fc.constantFrom(...VALUE_TIERS),
      revenue12m: fc.double({ min: 0, max: 1e6, noNaN: true }),
      openPipeline: fc.double({ min: 0, max: 1e6, noNaN: true }),
      marginRate: fc.double({ min: 0, max: 1, noNaN: true }),
      customerSince: timestamp,
    },
    { requiredKeys: ['customerId', 'revenue12m'] },
  ),
  feedback: fc.array(
    fc.oneof(
      fc.record({
        id: fc.constant('n'),
        kind: fc.constant('nps' as const),
        score: fc.integer({ min: 0, max: 10 }),
        respondedAt: timestamp,
      }),
      fc.record({
        id: fc.constant('e'),
        kind: fc.constant('ces' as const),
        score: fc.integer({ min: 1, max: 7 }),
        respondedAt: timestamp,
        ticketId: fc.constant('t1'),
      }),
      fc.record({
        id: fc.constant('k'),
        kind: fc.constant('company_effort' as const),
        score: fc.integer({ min: 1, max: 7 }),
        respondedAt: timestamp,
        ticketId: fc.constant('t1'),
      }),
    ),
    { maxLength: 4 },
  ),
  history: fc.record({
    pastIncidents: fc.array(fc.record({ at: timestamp }), { maxLength: 3 }),
    pastInterventions: fc.array(fc.record({ action: fc.constantFrom(...ACTIONS), at: timestamp }), {
      maxLength: 3,
    }),
  }),
});

const ruleArbitrary: fc.Arbitrary<RuleInput> = fc.record({
  name: fc.uuid(),
  priority: fc.integer({ min: 1, max: 5 }),
  conditions: fc.record({
    all: fc.tuple(
      fc.oneof(
        fc.record({
          fact: fc.constant('incident.severity'),
          operator: fc.constant('in'),
          value: fc.subarray([...SEVERITIES], { minLength: 1 }),
        }),
        fc.record({
          fact: fc.constant('value.atRisk'),
          operator: fc.constant('greaterThan'),
          value: fc.integer({ min: 0, max: 100_000 }),
        }),
        fc.record({
          fact: fc.constant('effort.class'),
          operator: fc.constant('equal'),
          value: fc.constantFrom('customer_harder', 'balanced'),
        }),
      ),
    ),
  }),
  event: fc.record({
    params: fc.oneof(
      fc.record({ force: fc.constantFrom(...ACTIONS) }),
      fc.record({ forbid: fc.subarray([...ACTIONS], { minLength: 1 }) }),
    ),
  }),
});

function assertGuardrails(decision: Decision, input: DecisionInput, settings: Settings): void {
  const facts = decision.explanation.facts;
  if (decision.action === 'apology') {
    const days = facts['history.daysSinceLastApology'];
    expect(days === null || (days as number) >= settings.guardrails.apologyCooldownDays).toBe(true);
  }
  if (decision.action === 'compensation') {
    expect(input.incident.companyAtFault).toBe(true);
    const recurrent =
      Math.max(input.incident.recurrence, facts['history.repeatIncidents'] as number) >=
      settings.guardrails.recurrenceThreshold;
    const severe = input.incident.severity === 'high' || input.incident.severity === 'critical';
    const slow = input.incident.waitingHours >= settings.guardrails.slowHandlingHours;
    expect(recurrent || severe || slow).toBe(true);
    const tier = settings.compensationTiers.find((t) => t.id === decision.compensationTier)!;
    expect(tier.amount).toBeLessThanOrEqual(
      settings.guardrails.maxSpendShareOfValueAtRisk * decision.valueAtRisk,
    );
  }
  for (const tag of decision.tags) expect(tag).toMatch(/^boucle_[a-z0-9_]+$/);
}

describe('createDecider: properties', () => {
  it('never violates a guardrail, whatever the input and the admin rules', () => {
    fc.assert(
      fc.property(inputArbitrary, fc.array(ruleArbitrary, { maxLength: 4 }), (raw, rules) => {
        const settings = settingsWith({ rules });
        const input = decisionInputSchema.parse(raw);
        assertGuardrails(createDecider(settings).decide(input, NOW), input, settings);
      }),
      { numRuns: 300 },
    );
  });

  it('never weakens the action or the priority when the value at risk rises, all else equal', () => {
    fc.assert(
      fc.property(inputArbitrary, fc.double({ min: 1, max: 50, noNaN: true }), (raw, factor) => {
        const low = decisionInputSchema.parse(raw);
        const high = { ...low, customer: { ...low.customer, revenue12m: low.customer.revenue12m * factor } };
        const a = decider.decide(low, NOW);
        const b = decider.decide(high, NOW);
        expect(b.valueAtRisk).toBeGreaterThanOrEqual(a.valueAtRisk);
        expect(ACTION_STRENGTH[b.action]).toBeGreaterThanOrEqual(ACTION_STRENGTH[a.action]);
        expect(PRIORITY_RANK[b.priority]).toBeGreaterThanOrEqual(PRIORITY_RANK[a.priority]);
        if (a.action === 'compensation' && b.action === 'compensation') {
          const amount = (id: string | null) =>
            DEFAULT_SETTINGS.compensationTiers.find((t) => t.id === id)!.amount;
          expect(amount(b.compensationTier)).toBeGreaterThanOrEqual(amount(a.compensationTier));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same output for the same input, even from a fresh decider', () => {
    fc.assert(
      fc.property(inputArbitrary, (raw) => {
        const input = decisionInputSchema.parse(raw);
        const first = JSON.stringify(decider.decide(input, NOW));
        expect(JSON.stringify(decider.decide(decisionInputSchema.parse(raw), NOW))).toBe(first);
        expect(JSON.stringify(createDecider(DEFAULT_SETTINGS).decide(input, NOW))).toBe(first);
      }),
      { numRuns: 100 },
    );
  });
});
