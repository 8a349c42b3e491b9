import { describe, expect, it } from 'vitest';
import { createDecider } from '../decision/create-decider.ts';
import { decisionInputSchema } from '../decision/decision-input-schema.ts';
import type { Decision, Reason } from '../decision/decision.ts';
import { DEFAULT_SETTINGS } from '../settings/parse-settings.ts';
import { glanceReasons } from './render-explanation.ts';

const base = createDecider(DEFAULT_SETTINGS).decide(
  decisionInputSchema.parse({
    id: 'g',
    incident: {
      ticketId: '1',
      type: 'delivery',
      severity: 'low',
      companyAtFault: false,
      channel: 'email',
      openedAt: '2026-11-20T10:00:00Z',
    },
    customer: { customerId: 'c', revenue12m: 900 },
  }),
  '2026-11-20T11:00:00Z',
);

/** The base decision with other facts, reasons, action or tier: glanceReasons reads nothing else. */
function withFacts(
  facts: Record<string, unknown>,
  changes: { reasons?: Reason[]; action?: Decision['action']; tier?: Decision['tier'] } = {},
): Decision {
  return {
    ...base,
    ...(changes.action === undefined ? {} : { action: changes.action }),
    ...(changes.tier === undefined ? {} : { tier: changes.tier }),
    explanation: {
      ...base.explanation,
      facts: { ...base.explanation.facts, ...facts },
      reasons: changes.reasons ?? [],
    },
  };
}

describe('glanceReasons', () => {
  it('names repeated contacts, long waits, a critical incident and a detractor, three at most', () => {
    const decision = withFacts({
      'incident.contacts': 3,
      'incident.waitingHours': 30.4,
      'incident.severity': 'critical',
      'feedback.npsCategory': 'detractor',
      'feedback.lastNps': 2,
    });
    expect(glanceReasons(decision, 'en')).toEqual([
      '3rd contact on the same issue',
      '30 h waiting for replies',
      'critical incident',
    ]);
    expect(glanceReasons(decision, 'fr')).toEqual([
      '3e contact pour le même problème',
      '30 h d’attente de réponse',
      'incident critique',
    ]);
  });

  it('names a detractor and the guardrails that shaped the choice', () => {
    const decision = withFacts(
      { 'feedback.npsCategory': 'detractor', 'feedback.lastNps': 2, 'incident.severity': 'low' },
      {
        action: 'callback',
        reasons: [
          { code: 'guardrail', action: 'apology', guardrail: 'apology_cooldown' },
          { code: 'guardrail', action: 'compensation', guardrail: 'compensation_not_at_fault' },
        ],
      },
    );
    expect(glanceReasons(decision, 'en')).toEqual([
      'NPS 2 — detractor',
      'apology already sent recently',
      'not the company’s fault',
    ]);
    expect(glanceReasons(decision, 'fr')).toEqual([
      'NPS 2 — détracteur',
      'excuses déjà reçues récemment',
      'l’entreprise n’est pas en faute',
    ]);
  });

  it('names a recurring problem, from the incident or the customer’s history', () => {
    for (const facts of [{ 'incident.recurrence': 1 }, { 'history.repeatIncidents': 2 }])
      expect(glanceReasons(withFacts({ 'incident.severity': 'low', ...facts }), 'en')).toContain(
        'recurring problem',
      );
  });

  it('falls back on the expected loss when no fact stands out', () => {
    const decision = withFacts({ 'incident.severity': 'low', 'incident.contacts': 1 }, { action: 'apology' });
    expect(glanceReasons(decision, 'en')).toEqual([expect.stringMatching(/^expected loss €/)]);
    expect(glanceReasons(decision, 'fr')).toEqual([expect.stringMatching(/^perte attendue .*€$/)]);
  });
});
