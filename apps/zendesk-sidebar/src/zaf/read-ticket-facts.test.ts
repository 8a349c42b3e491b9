import { describe, expect, it } from 'vitest';
import { FakeZafClient } from '../testing/fake-zaf-client.ts';
import { ticketValues } from '../testing/fixtures.ts';
import { readTicketFacts } from './read-ticket-facts.ts';

describe('readTicketFacts', () => {
  it('keeps which comments are internal notes and whether an agent owns the ticket', async () => {
    const values = ticketValues();
    const client = new FakeZafClient({
      ...values,
      'ticket.comments': [
        {
          value: '<p>Where is <b>my</b> parcel?</p>',
          author: { id: 501 },
          createdAt: '2026-11-20T09:00:00Z',
        },
        { value: 'Carrier says lost', author: { id: 9 }, createdAt: '2026-11-20T10:00:00Z', isPublic: false },
      ],
      'ticket.assignee': { user: { id: 9, name: 'Agent' } },
    });
    const { ticket } = await readTicketFacts(client);
    expect(ticket.comments).toEqual([
      { text: 'Where is my parcel?', fromRequester: true, public: true, at: '2026-11-20T09:00:00Z' },
      { text: 'Carrier says lost', fromRequester: false, public: false, at: '2026-11-20T10:00:00Z' },
    ]);
    expect(ticket.assigned).toBe(true);
  });

  it('reads an assignee without a user as unassigned, and no assignee at all as unknown', async () => {
    const client = new FakeZafClient({ ...ticketValues(), 'ticket.assignee': { user: null } });
    expect((await readTicketFacts(client)).ticket.assigned).toBe(false);
    const silent = new FakeZafClient(ticketValues());
    expect((await readTicketFacts(silent)).ticket.assigned).toBeNull();
  });
});
