import { describe, expect, it } from 'vitest';
import { compensationWording, glanceReasons, renderExplanation } from '../explain/render-explanation.ts';
import { FOLLOW_UP_TEXTS } from '../policy/follow-up.ts';
import { DEFAULT_SETTINGS, parseSettings } from '../settings/parse-settings.ts';
import { decisionInputFromZendesk } from '../zendesk/decision-input-from-zendesk.ts';
import { createDecider } from './create-decider.ts';
import { decisionInputSchema } from './decision-input-schema.ts';
import type { DecisionInput, DecisionInputData } from './decision-input-schema.ts';

const NOW = '2026-11-22T10:00:00.000Z';
const decider = createDecider(DEFAULT_SETTINGS);

/** A gold customer, third contact about a late delivery: the model calls back or compensates on a live ticket. */
function line(
  incident: Partial<DecisionInputData['incident']> = {},
  feedback: DecisionInputData['feedback'] = [],
): DecisionInput {
  return decisionInputSchema.parse({
    id: 'line-1',
    incident: {
      ticketId: '1001',
      type: 'delivery',
      severity: 'high',
      companyAtFault: true,
      channel: 'email',
      contacts: 3,
      openedAt: '2026-11-20T10:00:00Z',
      ...incident,
    },
    customer: { customerId: 'acc-1', revenue12m: 40_000, customerSince: '2019-01-01' },
    feedback,
  });
}

const nps = (score: number, respondedAt: string, ticketId = '1001') => ({
  id: `nps-${score}-${respondedAt}`,
  kind: 'nps' as const,
  score,
  respondedAt,
  ticketId,
});

describe('what Boucle does per ticket status', () => {
  it('decides the same on every live status (new, open, pending, hold) as without a status', () => {
    const base = decider.decide(line(), NOW);
    expect(base.action).not.toBe('none');
    for (const ticketStatus of ['new', 'open', 'pending', 'hold'] as const) {
      const decision = decider.decide(line({ ticketStatus }), NOW);
      expect([decision.action, decision.compensationTier, decision.followUp]).toEqual([
        base.action,
        base.compensationTier,
        base.followUp,
      ]);
    }
  });

  it('starts no new intervention on a solved or closed ticket without a bad answer since, and says so', () => {
    const live = decider.decide(line(), NOW);
    for (const ticketStatus of ['solved', 'closed'] as const) {
      const decision = decider.decide(line({ ticketStatus }), NOW);
      expect(decision.action).toBe('none');
      expect(decision.callbackDueAt).toBeNull();
      expect(decision.followUp).toBeNull();
      expect(decision.tags).toContain('boucle_none');
      expect(decision.explanation.reasons[0]).toEqual({
        code: 'ticket_solved',
        status: ticketStatus,
        modelAction: live.action,
      });
    }
    const solved = decider.decide(line({ ticketStatus: 'solved' }), NOW);
    const en = renderExplanation(solved, 'en');
    expect(en.glance).toMatch(/^Ticket solved with no bad answer since, /);
    expect(en.details[0]).toContain('no new intervention');
    expect(en.details[0]).toContain('the loop reopens on a follow-up ticket');
    const fr = renderExplanation(solved, 'fr');
    expect(fr.glance).toMatch(/^Ticket résolu sans mauvaise réponse depuis, /);
    expect(fr.details[0]).toContain('aucune nouvelle intervention');
  });

  it('keeps the recovery due when a bad answer about the solved ticket came after: on the follow-up, clock from the answer', () => {
    const answeredAt = '2026-11-21T16:00:00.000Z';
    const decision = decider.decide(line({ ticketStatus: 'solved' }, [nps(3, answeredAt)]), NOW);
    expect(decision.action).not.toBe('none');
    expect(decision.explanation.reasons[0]).toMatchObject({
      code: 'feedback_after_solve',
      kind: 'nps',
      score: 3,
      respondedAt: answeredAt,
    });
    expect(decision.followUp).toMatchObject({
      startsAt: answeredAt,
      dueAt: '2026-11-22T16:00:00.000Z', // gold: 24 h from the answer
      windowHours: 24,
      onFollowUpTicket: true,
    });
    expect(renderExplanation(decision, 'en').glance).toMatch(/^NPS 3 after the ticket was solved, /);
    expect(renderExplanation(decision, 'en').details[0]).toContain('still due, on the follow-up ticket');
    expect(renderExplanation(decision, 'fr').details[0]).toContain('reste due, sur le ticket de suivi');
    // The same answer on a closed ticket, an unsatisfied CSAT too.
    const csat = decider.decide(
      line({ ticketStatus: 'closed' }, [
        { id: 'c', kind: 'csat', scale: 'good_bad', score: 'bad', respondedAt: answeredAt, ticketId: '1001' },
      ]),
      NOW,
    );
    expect(csat.action).not.toBe('none');
  });

  it('closes the loop again when a later answer about the ticket is good, and ignores answers about other tickets', () => {
    const recovered = decider.decide(
      line({ ticketStatus: 'solved' }, [nps(3, '2026-11-20T16:00:00Z'), nps(9, '2026-11-21T16:00:00Z')]),
      NOW,
    );
    expect(recovered.action).toBe('none');
    const elsewhere = decider.decide(
      line({ ticketStatus: 'solved' }, [nps(2, '2026-11-21T16:00:00Z', '999')]),
      NOW,
    );
    expect(elsewhere.action).toBe('none');
    // An answer given after the decision time is not seen.
    const future = decider.decide(line({ ticketStatus: 'solved' }, [nps(2, '2026-11-23T16:00:00Z')]), NOW);
    expect(future.action).toBe('none');
  });

  it('gets the status from the one Zendesk translation', () => {
    const facts = {
      decisionId: 'd',
      now: new Date(NOW),
      ticket: { id: 7, tags: [], priority: null, channel: null, createdAt: null, status: 'hold' },
      comments: [],
      requester: { id: 1, fields: null },
      organization: null,
      feedback: [],
      otherInterventions: [],
    };
    expect(decisionInputFromZendesk(facts).incident.ticketStatus).toBe('hold');
    expect(
      decisionInputFromZendesk({ ...facts, ticket: { ...facts.ticket, status: 'deleted' } }).incident
        .ticketStatus,
    ).toBeUndefined();
  });
});

describe('each intervention has its own follow-up promise and clock', () => {
  const byAction = (force: string) => {
    const parsed = parseSettings({
      rules: [
        {
          name: 'F',
          priority: 1,
          conditions: { all: [{ fact: 'incident.contacts', operator: 'greaterThan', value: 0 }] },
          event: { params: { force } },
        },
      ],
    });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
    return createDecider(parsed.data).decide(line({}, []), NOW);
  };

  it('apology: a reply, callback: a call, compensation: a granted gesture, all within the tier window', () => {
    const apology = byAction('apology');
    expect(apology.followUp).toMatchObject({ kind: 'reply', dueAt: '2026-11-23T10:00:00.000Z' });
    expect(apology.callbackDueAt).toBeNull();
    const callback = byAction('callback');
    expect(callback.followUp).toMatchObject({ kind: 'call', dueAt: '2026-11-23T10:00:00.000Z' });
    expect(callback.callbackDueAt).toBe('2026-11-23T10:00:00.000Z');
    const compensation = byAction('compensation');
    expect(compensation.followUp).toMatchObject({ kind: 'compensate', onFollowUpTicket: false });
    expect(byAction('none').followUp).toBeNull();
  });

  it('never promises a phone call for a compensation, in either language', () => {
    const texts = FOLLOW_UP_TEXTS.compensate;
    for (const locale of ['en', 'fr'] as const) {
      const all = [
        texts.dueLabel[locale],
        texts.task[locale]('X'),
        texts.dueIn[locale](48),
        texts.overdue[locale](2),
        texts.customerPromise[locale]('X'),
      ].join(' ');
      expect(all).not.toMatch(/call|appel/i);
    }
    expect(FOLLOW_UP_TEXTS.call.dueLabel.en).toBe('Call back before');
  });
});

describe('what the agent reads', () => {
  it('names a compensation by its admin-defined wording, the amount in the customer’s language', () => {
    const [small] = DEFAULT_SETTINGS.compensationTiers;
    expect(compensationWording(small!, 'en')).toBe('a credit of €25 on your next invoice');
    expect(compensationWording(small!, 'fr')).toBe('un avoir de 25\u00a0€ sur votre prochaine facture');
    expect(compensationWording({ amount: 1500 }, 'en')).toBe('a goodwill gesture of €1,500');
    expect(compensationWording({ amount: 1500 }, 'fr')).toBe('un geste commercial de 1\u202f500\u00a0€');
  });

  it('gives the reasons in the glance line instead of restating the choice', () => {
    const decision = decider.decide(line(), NOW);
    expect(decision.action).toBe('compensation');
    expect(glanceReasons(decision, 'en')).toEqual([
      'high-value customer (gold)',
      '3rd contact on the same issue',
      'company at fault',
    ]);
    expect(renderExplanation(decision, 'fr').glance).toBe(
      'Client à forte valeur (or), 3e contact pour le même problème, entreprise en faute.',
    );
    const text = renderExplanation(decision, 'en', { compensationTiers: DEFAULT_SETTINGS.compensationTiers });
    expect(text.glance).not.toMatch(/expected value|goodwill_/);
    expect(text.headline).not.toContain('goodwill_');
    expect(text.headline).toMatch(/^A compensation \(a credit of €500 on your account\), urgent priority — /);
    expect(text.details.join('\n')).toContain('has the best expected value: €');
  });

  it('reads tier labels from the settings and rejects an empty one', () => {
    const ok = parseSettings({
      compensation_tiers: JSON.stringify([
        {
          id: 'voucher',
          amount: 15,
          reduction: 0.35,
          label: { en: 'a {amount} voucher', fr: 'un bon de {amount}' },
        },
      ]),
    });
    expect(ok.success && compensationWording(ok.data.compensationTiers[0]!, 'fr')).toBe(
      'un bon de 15\u00a0€',
    );
    const bad = parseSettings({
      compensation_tiers: JSON.stringify([
        { id: 'v', amount: 15, reduction: 0.35, label: { en: ' ', fr: 'x' } },
      ]),
    });
    expect(bad.success).toBe(false);
    expect(bad.issues?.[0]?.path).toContain('compensationTiers');
  });
});
