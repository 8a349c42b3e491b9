import { describe, expect, it } from 'vitest';
import { createDecider } from '../decision/create-decider.ts';
import { decisionInputSchema } from '../decision/decision-input-schema.ts';
import type { Reason } from '../decision/decision.ts';
import { parseSettings } from '../settings/parse-settings.ts';
import {
  LABELS,
  describeReason,
  formatMoney,
  formatPercent,
  renderExplanation,
} from './render-explanation.ts';

const REASONS: [Reason, string, string][] = [
  [
    { code: 'rule_forced', rule: 'VIP', action: 'callback' },
    'Rule "VIP" requires a callback: rules win over the model.',
    'La règle « VIP » impose un rappel : les règles l’emportent sur le modèle.',
  ],
  [
    {
      code: 'rule_force_blocked',
      rule: 'Gift',
      action: 'compensation',
      guardrails: ['compensation_not_at_fault', 'spend_above_value_at_risk'],
    },
    'Rule "Gift" asks for a compensation, but a guardrail prevents it (the company is not at fault; its cost exceeds the share of value at risk allowed): the model decides.',
    'La règle « Gift » demande une compensation, mais un garde-fou l’empêche (l’entreprise n’est pas en faute ; son coût dépasse la part autorisée de la valeur en jeu) : le modèle décide.',
  ],
  [
    { code: 'rule_force_overruled', rule: 'Sorry', action: 'apology', by: 'No sorry' },
    'Rule "Sorry" asks for an apology, but "No sorry", of higher priority, forbids it.',
    'La règle « Sorry » demande des excuses, mais « No sorry », plus prioritaire, l’interdit.',
  ],
  [
    {
      code: 'best_expected_value',
      action: 'compensation',
      compensationTier: 'goodwill_small',
      expectedValue: 1234.5,
    },
    'A compensation (goodwill_small) has the best expected value: €1,235.',
    'Une compensation (goodwill_small) a la meilleure valeur attendue : 1\u202f235\u00a0€.',
  ],
  [
    { code: 'no_action_pays' },
    'No action is worth more than it costs: the incident counts in the trends.',
    'Aucune action ne rapporte plus qu’elle ne coûte : l’incident compte dans les tendances.',
  ],
  [
    { code: 'nothing_allowed' },
    'Rules and guardrails allow no action.',
    'Les règles et garde-fous n’autorisent aucune action.',
  ],
  [
    { code: 'rule_forbade', rule: 'R', action: 'callback' },
    'Rule "R" forbids a callback.',
    'La règle « R » interdit un rappel.',
  ],
  [
    { code: 'guardrail', action: 'apology', guardrail: 'apology_cooldown' },
    'No apology: this customer already received an apology recently.',
    'Pas d’excuses : ce client a déjà reçu des excuses récemment.',
  ],
  [
    { code: 'guardrail', action: 'compensation', guardrail: 'compensation_not_warranted' },
    'No compensation: the failure is neither recurrent, severe nor slowly handled.',
    'Pas de compensation : l’incident n’est ni récurrent, ni grave, ni traité lentement.',
  ],
  [
    {
      code: 'effort',
      class: 'customer_harder',
      source: 'estimated',
      ratio: 4.25,
      customer: 4.25,
      company: 1,
    },
    'Effort (C:CER 4.25, customer 4.25 / company 1, estimated from the ticket): the customer made more effort than the company.',
    'Effort (C:CER 4,25, client 4,25 / entreprise 1, estimé d’après le ticket) : le client a fait plus d’efforts que l’entreprise.',
  ],
  [
    { code: 'value', tier: 'gold', valueAtRisk: 24_000, churnRisk: 0.3657, expectedLoss: 8776.8 },
    'Gold customer: €24,000 of margin at risk, churn risk 36.6%, expected loss €8,777.',
    'Client or : 24\u202f000\u00a0€ de marge en jeu, risque de départ 36,6\u202f%, perte attendue 8\u202f777\u00a0€.',
  ],
  [
    { code: 'risk_driver', factor: 'effortClass', points: 1.7165 },
    'Risk raised by: effort balance (+1.72 log-odds).',
    'Le risque augmente avec : équilibre des efforts (+1,72 point de log-cote).',
  ],
  [
    { code: 'risk_driver', factor: 'repeatIncidents', points: 2 },
    'Risk raised by: repeat incidents (+2 log-odds).',
    'Le risque augmente avec : incidents répétés (+2 points de log-cote).',
  ],
  [
    { code: 'priority_by_rule', rule: 'R', priority: 'urgent' },
    'Rule "R" sets the priority: urgent.',
    'La règle « R » fixe la priorité : urgente.',
  ],
  [
    { code: 'callback_window_by_rule', rule: 'R', hours: 4.5 },
    'Rule "R" sets the first-contact window to 4.5 h.',
    'La règle « R » fixe le délai de premier contact à 4,5 h.',
  ],
  [
    { code: 'rule_tags', rule: 'R', tags: ['boucle_vip', 'boucle_x'] },
    'Rule "R" adds the tags boucle_vip, boucle_x.',
    'La règle « R » ajoute les tags boucle_vip, boucle_x.',
  ],
];

describe('describeReason', () => {
  it.each(REASONS)('%j in English and French', (reason, en, fr) => {
    expect(describeReason(reason, 'en')).toBe(en);
    expect(describeReason(reason, 'fr')).toBe(fr);
  });
});

describe('formatting', () => {
  it.each([
    [0, '€0', '0\u00a0€'],
    [-0.2, '€0', '0\u00a0€'],
    [999.5, '€1,000', '1\u202f000\u00a0€'],
    [1_234_567, '€1,234,567', '1\u202f234\u202f567\u00a0€'],
    [-2500, '-€2,500', '-2\u202f500\u00a0€'],
  ])('money %d → %s / %s, one format for the explanation and the cards', (value, en, fr) => {
    expect(formatMoney(value, 'en')).toBe(en);
    expect(formatMoney(value, 'fr')).toBe(fr);
  });
  it('percent', () => {
    expect(formatPercent(0.0857, 'en')).toBe('8.6%');
    expect(formatPercent(0.0857, 'fr')).toBe('8,6\u202f%');
  });
  it('has a label for every value in both languages', () => {
    for (const group of Object.values(LABELS)) {
      for (const label of Object.values(group) as { en: string; fr: string }[]) {
        expect(label.en.length).toBeGreaterThan(0);
        expect(label.fr.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('renderExplanation', () => {
  const parsed = parseSettings({
    rules: JSON.stringify([
      {
        name: 'VIP',
        priority: 5,
        conditions: {
          all: [
            { fact: 'customer.tier', operator: 'equal', value: 'gold' },
            { not: { any: [{ fact: 'feedback.lastNps', operator: 'lessThan', value: 5 }] } },
          ],
        },
        event: { params: { force: 'callback' } },
      },
    ]),
  });
  const decision = createDecider(parsed.data!).decide(
    decisionInputSchema.parse({
      id: 'x',
      incident: {
        ticketId: '1',
        type: 'billing',
        severity: 'high',
        companyAtFault: true,
        channel: 'phone',
        openedAt: '2026-11-20T10:00:00Z',
      },
      customer: { customerId: 'c', revenue12m: 40_000 },
    }),
    '2026-11-22T10:00:00Z',
  );

  it('gives a headline for a glance, details and rule traces on demand, in English', () => {
    const text = renderExplanation(decision, 'en');
    expect(text.glance).toBe('Required by rule "VIP", high-value customer (gold), severe incident.');
    expect(text.headline).toBe(`A callback, high priority — ${text.glance}`);
    expect(text.details[0]).toBe('Rule "VIP" requires a callback: rules win over the model.');
    expect(text.details.length).toBe(decision.explanation.reasons.length);
    expect(text.rules).toEqual([
      'Rule "VIP" (priority 5): fired',
      '  ✓ all',
      '    ✓ customer.tier equal "gold" (value seen: "gold")',
      '    ✓ not',
      '      ✗ any',
      '        ✗ feedback.lastNps lessThan 5 (value seen: unknown)',
    ]);
  });

  it('and in French', () => {
    const text = renderExplanation(decision, 'fr');
    expect(text.glance).toBe('Imposé par la règle « VIP », client à forte valeur (or), incident grave.');
    expect(text.headline).toBe(`Un rappel, priorité haute — ${text.glance}`);
    expect(text.rules[0]).toBe('Règle « VIP » (priorité 5) : déclenchée');
    expect(text.rules[5]).toBe('        ✗ feedback.lastNps lessThan 5 (valeur vue: inconnu)');
  });

  it('shows a rule that did not fire', () => {
    const other = createDecider(parsed.data!).decide(
      decisionInputSchema.parse({
        id: 'y',
        incident: {
          ticketId: '1',
          type: 'billing',
          severity: 'low',
          companyAtFault: false,
          channel: 'phone',
          openedAt: '2026-11-20T10:00:00Z',
        },
        customer: { customerId: 'c', revenue12m: 10 },
      }),
      '2026-11-22T10:00:00Z',
    );
    expect(renderExplanation(other, 'en').rules[0]).toBe('Rule "VIP" (priority 5): not fired');
    expect(renderExplanation(other, 'fr').rules[0]).toBe('Règle « VIP » (priorité 5) : non déclenchée');
  });
});
