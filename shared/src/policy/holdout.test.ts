import { describe, expect, it } from 'vitest';
import { createDecider } from '../decision/create-decider.ts';
import { decisionInputSchema } from '../decision/decision-input-schema.ts';
import { renderExplanation } from '../explain/render-explanation.ts';
import { parseSettings } from '../settings/parse-settings.ts';
import { HOLDOUT_TAG, applyHoldout, holdoutDraw } from './holdout.ts';

const settingsWith = (raw: Record<string, unknown>) => {
  const parsed = parseSettings(raw);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
};

const inputFor = (customerId: string) =>
  decisionInputSchema.parse({
    id: `d-${customerId}`,
    incident: {
      ticketId: '1',
      type: 'billing',
      severity: 'high',
      companyAtFault: true,
      channel: 'phone',
      openedAt: '2026-11-20T10:00:00Z',
    },
    customer: { customerId, revenue12m: 40_000 },
  });

const NOW = '2026-11-22T10:00:00Z';

describe('holdout draw', () => {
  it('is FNV-1a 32-bit of "experiment:customer", murmur3-finalised, over 2³² (values from an independent implementation)', () => {
    // FNV-1a("holdout-1:c") = 0x925f3ea5 → finalised 0x66902b12; ("holdout-1:acme") = 0x675c9e3a → 0xc75ad789.
    expect(holdoutDraw('holdout-1', 'c')).toBe(0x66902b12 / 2 ** 32);
    expect(holdoutDraw('holdout-1', 'acme')).toBe(0xc75ad789 / 2 ** 32);
  });

  it('draws consecutive customer ids independently', () => {
    const draws = Array.from({ length: 1000 }, (_, i) => holdoutDraw('holdout-1', `org-${20_000_000 + i}`));
    const close = draws.slice(1).filter((draw, i) => Math.abs(draw - draws[i]!) < 0.05).length;
    // Independent uniform neighbours are within 0.05 of each other with probability 0.0975 (≈ 97 of 999).
    expect(close).toBeLessThan(150);
  });

  it('puts about the share asked for in the holdout, and a new experiment id draws other customers', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `001${String(i).padStart(12, '0')}`);
    const held = (experiment: string) => ids.filter((id) => holdoutDraw(experiment, id) < 0.1);
    const first = held('holdout-1');
    // 10 % of 20 000 = 2 000; the binomial standard deviation is √(20 000·0.1·0.9) ≈ 42.
    expect(first.length).toBeGreaterThan(2000 - 170);
    expect(first.length).toBeLessThan(2000 + 170);
    const second = new Set(held('holdout-2'));
    const both = first.filter((id) => second.has(id)).length;
    // Independent draws overlap on ≈ 1 % of the customers (200), not on the 10 %.
    expect(both).toBeLessThan(300);
  });
});

describe('applyHoldout', () => {
  const settings = settingsWith({ experiment: { holdoutPercent: 50, id: 'holdout-1' } });
  const decider = createDecider(settings);

  it('changes nothing at the default share of 0 %', () => {
    const decision = createDecider(settingsWith({})).decide(inputFor('c'), NOW);
    const result = applyHoldout(decision, settingsWith({}).experiment);
    expect(result.decision).toBe(decision);
    expect(result.assignment.arm).toBe('policy');
  });

  it('withholds the recommendation of a customer whose draw falls in the holdout, and says so in en and fr', () => {
    // draw("holdout-1:c") ≈ 0.401 < 0.5: holdout; draw("holdout-1:acme") ≈ 0.779: policy.
    const decision = decider.decide(inputFor('c'), NOW);
    expect(decision.action).not.toBe('none');
    const { decision: held, assignment } = applyHoldout(decision, settings.experiment);
    expect(assignment).toMatchObject({
      arm: 'holdout',
      eligible: true,
      experimentId: 'holdout-1',
      policyAction: decision.action,
      policyCost: decision.cost,
    });
    expect(held).toMatchObject({ action: 'none', cost: 0, callbackDueAt: null, followUp: null });
    expect(held.priority).toBe(decision.priority);
    expect(held.tags).toContain(HOLDOUT_TAG);
    expect(held.explanation.reasons[0]).toMatchObject({ code: 'holdout', action: decision.action });
    expect(renderExplanation(held, 'en').details[0]).toContain('holdout of experiment "holdout-1" (50.0%');
    expect(renderExplanation(held, 'fr').details[0]).toContain('groupe témoin de l’expérience « holdout-1 »');
    expect(renderExplanation(held, 'en').glance).toMatch(/^Holdout \(test and learn\)/);
    // The JSON form (ledger, CLI) keeps the reason and the facts.
    const json = JSON.parse(JSON.stringify(held)) as typeof held;
    expect(json.explanation.reasons[0]?.code).toBe('holdout');
    expect(json.explanation.facts['customer.tier']).toBe(decision.explanation.facts['customer.tier']);

    const kept = applyHoldout(decider.decide(inputFor('acme'), NOW), settings.experiment);
    expect(kept.assignment.arm).toBe('policy');
    expect(kept.decision.explanation.reasons.some((r) => r.code === 'holdout')).toBe(false);
  });

  it('never holds out a case a rule requires, nor one where nothing is recommended', () => {
    const ruled = settingsWith({
      experiment: { holdoutPercent: 50, id: 'holdout-1' },
      rules: [
        {
          name: 'VIP',
          priority: 5,
          conditions: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'gold' }] },
          event: { params: { force: 'callback' } },
        },
      ],
    });
    const forced = createDecider(ruled).decide(inputFor('c'), NOW);
    expect(forced.decidedBy).toBe('rule');
    const result = applyHoldout(forced, ruled.experiment);
    expect(result.assignment).toMatchObject({ arm: null, eligible: false });
    expect(result.decision).toBe(forced);

    const small = decisionInputSchema.parse({
      id: 'small',
      incident: {
        ticketId: '2',
        type: 'billing',
        severity: 'low',
        companyAtFault: false,
        channel: 'phone',
        openedAt: '2026-11-20T10:00:00Z',
      },
      customer: { customerId: 'c', revenue12m: 10 },
    });
    const none = decider.decide(small, NOW);
    expect(none.action).toBe('none');
    expect(applyHoldout(none, settings.experiment).assignment.arm).toBeNull();
  });
});
