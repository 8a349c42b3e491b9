import { describe, expect, it } from 'vitest';
import { decisionInputSchema } from '../decision/decision-input-schema.ts';
import { CRM_FIELD_KEYS } from './data-model.ts';
import {
  channelOf,
  decisionInputFromZendesk,
  incidentTypeOf,
  waitingHours,
  type ZendeskComment,
  type ZendeskTicketFacts,
} from './decision-input-from-zendesk.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const K = CRM_FIELD_KEYS;

const comment = (at: string | null, fromRequester: boolean, isPublic = true, text = 'x'): ZendeskComment => ({
  at,
  fromRequester,
  public: isPublic,
  text,
});

function facts(overrides: Partial<ZendeskTicketFacts> = {}): ZendeskTicketFacts {
  return {
    decisionId: 'ticket-7',
    now: NOW,
    ticket: { id: 7, tags: [], priority: 'high', channel: 'email', createdAt: '2026-11-20T08:00:00Z' },
    comments: [comment('2026-11-20T08:00:00Z', true, true, 'Encore en retard, troisième appel')],
    requester: { id: 501, fields: { [K.valueTier]: 'bronze', [K.revenue12m]: 10 } },
    organization: {
      id: 88,
      fields: {
        [K.crmSyncedAt]: '2026-11-21T00:00:00Z',
        [K.valueTier]: 'Gold',
        [K.lifetimeRevenue]: '182000',
        [K.revenue12m]: 46000,
        [K.marginRate]: 0.35,
        [K.orders12m]: 11.6,
        [K.lastOrderDate]: '2026-11-02',
        [K.openPipeline]: -5,
        [K.customerSince]: '2019-03-04T10:00:00+01:00',
        [K.segment]: '  SMB  ',
        [K.region]: 'EMEA',
        [K.productLine]: '',
      },
    },
    feedback: [],
    otherInterventions: [],
    ...overrides,
  };
}

describe('channelOf', () => {
  it('maps Zendesk channels, keeps Boucle names and calls the rest other', () => {
    expect(channelOf('voice')).toBe('phone');
    expect(channelOf('api')).toBe('web');
    expect(channelOf('whatsapp')).toBe('messaging');
    expect(channelOf('chat')).toBe('chat');
    expect(channelOf('in_person')).toBe('in_person');
    expect(channelOf('carrier_pigeon')).toBe('other');
    expect(channelOf(null)).toBe('other');
  });
});

describe('incidentTypeOf', () => {
  it('reads boucle_type_<type> or a bare type tag, other otherwise', () => {
    expect(incidentTypeOf(['vip', 'boucle_type_delivery'])).toBe('delivery');
    expect(incidentTypeOf(['billing'])).toBe('billing');
    expect(incidentTypeOf(['boucle_type_unknown'])).toBe('other');
  });
});

describe('waitingHours', () => {
  const nowMs = NOW.getTime();
  it('counts from a requester comment to the next public reply; internal notes do not end the wait', () => {
    const comments = [
      comment('2026-11-22T08:00:00Z', true),
      comment('2026-11-22T08:30:00Z', true),
      comment('2026-11-22T09:00:00Z', false, false),
      comment('2026-11-22T10:00:00Z', false),
      comment(null, true),
      comment('not a date', true),
    ];
    expect(waitingHours(comments, nowMs)).toBe(2);
  });

  it('counts a wait still open at now, and ignores comments after now', () => {
    const comments = [comment('2026-11-22T09:00:00Z', true), comment('2026-11-22T13:00:00Z', false)];
    expect(waitingHours(comments, nowMs)).toBe(3);
  });
});

describe('decisionInputFromZendesk', () => {
  it('translates a ticket with an organisation that holds the CRM value', () => {
    const input = decisionInputFromZendesk(
      facts({
        ticket: {
          id: 7,
          tags: ['boucle_type_delivery'],
          priority: 'urgent',
          channel: 'web_form',
          createdAt: '2026-11-20T09:00:00+01:00',
          assigned: true,
        },
        comments: [
          comment('2026-11-20T08:00:00Z', true, true, 'a'.repeat(25_000)),
          comment('2026-11-20T09:00:00Z', false, false),
          comment('2026-11-20T10:00:00Z', false),
          comment('2026-11-23T10:00:00Z', true, true, 'written after now'),
        ],
      }),
    );
    expect(input.id).toBe('ticket-7');
    expect(input.now).toBe(NOW.toISOString());
    expect(input.incident).toEqual({
      ticketId: '7',
      type: 'delivery',
      severity: 'critical',
      companyAtFault: true,
      contacts: 1,
      channel: 'web',
      openedAt: '2026-11-20T08:00:00.000Z',
      waitingHours: 2,
      comments: ['a'.repeat(20_000)],
    });
    expect(input.customer).toEqual({
      customerId: 'org-88',
      tier: 'gold',
      lifetimeRevenue: 182_000,
      revenue12m: 46_000,
      marginRate: 0.35,
      orders12m: 12,
      lastOrderAt: '2026-11-02',
      openPipeline: 0,
      customerSince: '2019-03-04T09:00:00.000Z',
      segment: 'SMB',
      region: 'EMEA',
    });
    expect(input.ticketSignals).toEqual({ publicReplies: 1, ownerAssigned: true });
    expect(decisionInputSchema.safeParse(input).success).toBe(true);
  });

  it('takes the CRM value from the user when the organisation has none, under renamed keys', () => {
    const keys = { ...K, valueTier: 'tier_x', revenue12m: 'rev_x', marginRate: 'margin_x' };
    const input = decisionInputFromZendesk(
      facts({
        crmFieldKeys: keys,
        ticket: { id: 7, tags: ['boucle_third_party'], priority: null, channel: null, createdAt: 'soon' },
        requester: { id: 501, fields: { tier_x: 'silver', rev_x: '9000', margin_x: 1.5 } },
        organization: { id: 88, fields: { [K.segment]: 'ignored: no CRM value on the organisation' } },
        comments: [],
      }),
    );
    expect(input.customer).toEqual({
      customerId: 'user-501',
      tier: 'silver',
      lifetimeRevenue: 0,
      revenue12m: 9000,
      orders12m: 0,
      openPipeline: 0,
    });
    expect(input.incident).toMatchObject({
      severity: 'medium',
      companyAtFault: false,
      contacts: 1,
      channel: 'other',
      openedAt: NOW.toISOString(),
      waitingHours: 0,
    });
    expect(input.ticketSignals).toEqual({ publicReplies: 0 });
  });

  it('reads the user when the organisation lists the CRM fields unset, as Zendesk does', () => {
    const unset = Object.fromEntries(Object.values(K).map((key) => [key, null]));
    const input = decisionInputFromZendesk(facts({ organization: { id: 88, fields: unset } }));
    expect(input.customer).toMatchObject({ customerId: 'user-501', tier: 'bronze', revenue12m: 10 });
  });

  it('reads a customer without any CRM field as a new customer', () => {
    const input = decisionInputFromZendesk(facts({ requester: { id: 9, fields: null }, organization: null }));
    expect(input.customer).toEqual({
      customerId: 'user-9',
      lifetimeRevenue: 0,
      revenue12m: 0,
      orders12m: 0,
      openPipeline: 0,
    });
  });

  it('keeps the answers given by now, with their times as instants, and adds survey comments on this ticket', () => {
    const input = decisionInputFromZendesk(
      facts({
        feedback: [
          {
            id: 'f1',
            kind: 'ces',
            score: 6,
            respondedAt: '2026-11-21',
            ticketId: '7',
            comment: 'Trop d’appels',
            channel: 'voice',
            touchpoint: 't'.repeat(300),
          },
          { id: 'f2', kind: 'nps', score: 3, respondedAt: '2026-11-23T00:00:00Z' },
          { id: 'f3', kind: 'nps', score: 3, respondedAt: 'unknown' },
          {
            id: 'f4',
            kind: 'nps',
            score: 9,
            respondedAt: '2026-10-01T00:00:00+02:00',
            ticketId: '6',
            comment: 'x',
          },
        ],
      }),
    );
    expect(input.feedback).toEqual([
      {
        id: 'f1',
        kind: 'ces',
        score: 6,
        respondedAt: '2026-11-21T00:00:00.000Z',
        ticketId: '7',
        comment: 'Trop d’appels',
        channel: 'phone',
        touchpoint: 't'.repeat(200),
      },
      {
        id: 'f4',
        kind: 'nps',
        score: 9,
        respondedAt: '2026-09-30T22:00:00.000Z',
        ticketId: '6',
        comment: 'x',
      },
    ]);
    expect(input.incident.comments).toEqual(['Encore en retard, troisième appel', 'Trop d’appels']);
    expect(decisionInputSchema.safeParse(input).success).toBe(true);
  });

  it('counts the interventions on other tickets: every dated one as an incident, the carried-out ones as care', () => {
    const input = decisionInputFromZendesk(
      facts({
        otherInterventions: [
          { action: 'apology', status: 'applied', decidedAt: '2026-10-01T10:00:00Z' },
          { action: 'callback', status: 'overridden', decidedAt: '2026-10-05T10:00:00Z' },
          { action: 'none', status: 'closed', decidedAt: '2026-10-06T10:00:00Z' },
          { action: 'gift', status: 'closed', decidedAt: '2026-10-07T10:00:00Z' },
          { action: 'compensation', status: 'closed', decidedAt: null },
          { action: 'callback', status: 'contacted', decidedAt: '2026-10-08T12:00:00+02:00' },
        ],
      }),
    );
    expect(input.history).toEqual({
      pastIncidents: [
        { at: '2026-10-01T10:00:00.000Z' },
        { at: '2026-10-05T10:00:00.000Z' },
        { at: '2026-10-06T10:00:00.000Z' },
        { at: '2026-10-07T10:00:00.000Z' },
        { at: '2026-10-08T10:00:00.000Z' },
      ],
      pastInterventions: [
        { action: 'apology', at: '2026-10-01T10:00:00.000Z' },
        { action: 'callback', at: '2026-10-08T10:00:00.000Z' },
      ],
    });
  });
});
