import type { ZafGetPaths } from '../../../common/src/zaf/zaf-client.ts';
import { json, type FakeRoute } from './fake-zaf-client.ts';

export const NOW = new Date('2026-11-22T10:00:00Z');

export function ticketValues(overrides: Partial<ZafGetPaths> = {}): Partial<ZafGetPaths> {
  return {
    'ticket.id': 4242,
    'ticket.subject': 'Parcel lost again',
    'ticket.priority': 'normal',
    'ticket.tags': ['delivery'],
    'ticket.status': 'open',
    'ticket.createdAt': '2026-11-20T09:00:00Z',
    'ticket.via': { channel: 'email' },
    'ticket.requester': { id: 501, name: 'Camille Martin', email: 'camille@example.test', locale: 'fr' },
    'ticket.comments': [
      {
        value: '<p>My parcel is still missing, third time I write.</p>',
        author: { id: 501 },
        createdAt: '2026-11-20T09:00:00Z',
      },
      { value: 'We are looking into it.', author: { id: 9 }, createdAt: '2026-11-21T09:00:00Z' },
      { value: 'Still waiting, called again.', author: { id: 501 }, createdAt: '2026-11-21T15:00:00Z' },
    ],
    'currentUser.locale': 'en-US',
    ticketFields: [{ name: 'custom_field_77', label: 'Boucle callback due (UTC)' }],
    ...overrides,
  };
}

export const USER = {
  user: {
    id: 501,
    name: 'Camille Martin',
    email: 'camille@example.test',
    locale: 'fr',
    organization_id: 88,
    user_fields: {},
  },
  organizations: [
    {
      id: 88,
      name: 'Maison Martin SARL',
      organization_fields: {
        boucle_value_tier: 'gold',
        boucle_lifetime_revenue: 182000,
        boucle_revenue_12m: 46000,
        boucle_customer_since: '2019-03-01',
        boucle_recent_transactions: JSON.stringify([
          { kind: 'order', label: 'SO-1182', amount: 1250, date: '2026-11-02' },
          {
            kind: 'opportunity',
            label: 'Renewal 2027',
            amount: 40000,
            date: '2026-12-15',
            stage: 'Negotiation',
          },
        ]),
      },
    },
  ],
};

export const FEEDBACK = {
  custom_object_records: [
    {
      id: 'f1',
      created_at: '2026-10-01T10:00:00Z',
      custom_object_fields: {
        kind: 'nps',
        score: 4,
        scale: '0-10',
        comment: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Slow delivery',
        channel: 'email',
        touchpoint: 'delivery',
        responded_at: '2026-10-01T10:00:00Z',
        user: '501',
      },
    },
    {
      id: 'f2',
      created_at: '2026-11-21T16:00:00Z',
      custom_object_fields: {
        kind: 'ces',
        score: 6,
        scale: '1-7',
        ticket_id: '4242',
        responded_at: '2026-11-21T16:00:00Z',
        user: '501',
      },
    },
  ],
};

export const INTERVENTIONS = {
  custom_object_records: [
    {
      id: 'i1',
      created_at: '2026-09-01T10:00:00Z',
      custom_object_fields: {
        ticket_id: '3100',
        action: 'apology',
        status: 'closed',
        outcome: 'resolved',
        decided_at: '2026-09-01T10:00:00Z',
        user: '501',
      },
    },
  ],
};

/** Routes for the three reads of a ticket opening, and the ledger write. */
export function zendeskRoutes(
  data: { user?: unknown; feedback?: unknown; interventions?: unknown } = {},
): FakeRoute[] {
  return [
    (r) => (r.url.startsWith('/api/v2/users/501.json') ? json(data.user ?? USER) : undefined),
    (r) => (r.url.includes('boucle_feedback/records/search') ? json(data.feedback ?? FEEDBACK) : undefined),
    (r) =>
      r.url.includes('boucle_intervention/records/search')
        ? json(data.interventions ?? INTERVENTIONS)
        : undefined,
    (r) =>
      r.url === '/api/v2/custom_objects/boucle_intervention/records' && r.type === 'POST'
        ? json(
            {
              custom_object_record: {
                id: 'new1',
                ...(JSON.parse(r.data ?? '{}') as { custom_object_record: object }).custom_object_record,
              },
            },
            201,
          )
        : undefined,
  ];
}
