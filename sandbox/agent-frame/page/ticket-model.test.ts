import { describe, expect, it } from 'vitest';
import { TicketForm, checkCustomFieldValue } from './ticket-model.ts';
import type { TicketSnapshot } from './ticket-model.ts';
import type { ZdUser } from './zendesk-types.ts';

const requester: ZdUser = {
  id: 11,
  name: 'Camille Martin',
  email: 'camille@example.test',
  organization_id: 7,
  user_fields: { boucle_value_tier: 'gold' },
};
const agent: ZdUser = { id: 1, name: 'Admin Agent', role: 'admin', locale: 'fr' };

function snapshot(overrides: Partial<TicketSnapshot['ticket']> = {}): TicketSnapshot {
  return {
    ticket: {
      id: 42,
      subject: 'Invoice charged twice',
      status: 'open',
      priority: 'normal',
      type: 'incident',
      tags: ['billing'],
      requester_id: 11,
      assignee_id: 1,
      organization_id: 7,
      custom_fields: [
        { id: 100, value: null },
        { id: 200, value: 'callback' },
      ],
      ...overrides,
    },
    comments: [
      {
        id: 5,
        author_id: 11,
        body: 'Hello <b>there</b>',
        html_body: '<p>Hello <b>there</b></p>',
        public: true,
      },
    ],
    users: new Map([
      [11, requester],
      [1, agent],
    ]),
    organization: { id: 7, name: 'Atelier SARL', organization_fields: { boucle_segment: 'smb' } },
    ticketFields: [
      { id: 100, type: 'text', title: 'Notes' },
      {
        id: 200,
        type: 'tagger',
        title: 'Boucle intervention',
        custom_field_options: [
          { name: 'Callback', value: 'callback' },
          { name: 'Apology', value: 'apology' },
        ],
      },
      { id: 300, type: 'date', title: 'Due' },
      { id: 1, type: 'subject', title: 'Subject', removable: false },
    ],
    currentUser: agent,
    account: { subdomain: 'boucle-sandbox' },
  };
}

describe('TicketForm.get', () => {
  it('maps the REST ticket to ZAF paths, sub-paths and custom fields', () => {
    const form = new TicketForm(snapshot());
    expect(form.get('ticket.id')).toEqual({ ok: true, value: 42 });
    expect(form.get('ticket.requester.email')).toEqual({ ok: true, value: 'camille@example.test' });
    expect(form.get('ticket.requester.customField:boucle_value_tier')).toEqual({ ok: true, value: 'gold' });
    expect(form.get('ticket.organization.customField:boucle_segment')).toEqual({ ok: true, value: 'smb' });
    expect(form.get('ticket.customField:custom_field_200')).toEqual({ ok: true, value: 'callback' });
    expect(form.get('ticket.customField:custom_field_300')).toEqual({ ok: true, value: null });
    expect(form.get('currentUser.locale')).toEqual({ ok: true, value: 'fr' });
    const fields = form.get('ticketFields');
    expect(fields.ok && fields.value).toContainEqual(
      expect.objectContaining({ name: 'custom_field_200', label: 'Boucle intervention', type: 'tagger' }),
    );
    const requesterValue = form.get('ticket.requester');
    expect(requesterValue.ok && requesterValue.value).not.toHaveProperty('__customFields');
    const comments = form.get('ticket.comments');
    expect(comments.ok && comments.value).toEqual([
      expect.objectContaining({ id: 5, value: '<p>Hello <b>there</b></p>' }),
    ]);
  });

  it('answers unknown paths with a per-path error', () => {
    const form = new TicketForm(snapshot());
    expect(form.get('ticket.nope')).toEqual({
      ok: false,
      error: { name: 'APIUnavailable', message: 'No such API', path: 'ticket.nope' },
    });
    expect(form.get('ticket.customField:custom_field_999').ok).toBe(false);
    expect(form.get('ticket.tags.length').ok).toBe(false);
  });
});

describe('TicketForm.set and actions', () => {
  it('changes the form, not the saved ticket, and reports the change events', () => {
    const form = new TicketForm(snapshot());
    const result = form.set('ticket.priority', 'high');
    expect(result).toEqual({
      ok: true,
      value: 'high',
      changes: [{ event: 'ticket.priority.changed', path: 'ticket.priority', value: 'high' }],
    });
    expect(form.snapshot.ticket.priority).toBe('normal');
    expect(form.updatePayload()).toEqual({ ticket: { priority: 'high' } });
  });

  it('validates values like Zendesk and says what to use', () => {
    const form = new TicketForm(snapshot());
    const bad = form.set('ticket.priority', 'bogus');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message).toContain('low, normal, high, urgent');
    expect(form.set('ticket.status', 'closed').ok).toBe(false);
    expect(form.set('ticket.tags', 'not-an-array').ok).toBe(false);
    expect(form.set('ticket.tags', ['two words']).ok).toBe(false);
    expect(form.set('ticket.id', 3)).toEqual({
      ok: false,
      error: { name: 'InvalidValue', message: 'This property cannot be set', path: 'ticket.id' },
    });
    expect(form.set('ticket.customField:custom_field_200', 'refund').ok).toBe(false);
    expect(form.set('ticket.customField:custom_field_300', '2026-02-30').ok).toBe(false);
    expect(form.priority).toBe('normal');
  });

  it('adds and removes tags, emitting ticket.tags.changed only when they change', () => {
    const form = new TicketForm(snapshot());
    const added = form.addTags([['Escalated', 'vip']]);
    expect(added.ok && added.changes).toEqual([
      { event: 'ticket.tags.changed', path: 'ticket.tags', value: ['billing', 'escalated', 'vip'] },
    ]);
    const again = form.addTags(['vip']);
    expect(again.ok && again.changes).toEqual([]);
    form.removeTags(['billing']);
    expect(form.tags).toEqual(['escalated', 'vip']);
  });

  it('builds the PUT body from every edit, custom fields and comment included', () => {
    const form = new TicketForm(snapshot());
    form.set('ticket.status', 'pending');
    form.set('ticket.customField:custom_field_100', 'note');
    form.set('ticket.customField:custom_field_200', 'apology');
    form.appendComment('comment.appendText', ['We are sorry.']);
    form.appendComment('comment.appendText', [' Refund issued.']);
    form.set('comment.type', 'internalNote');
    expect(form.updatePayload()).toEqual({
      ticket: {
        status: 'pending',
        custom_fields: [
          { id: 100, value: 'note' },
          { id: 200, value: 'apology' },
        ],
        comment: { body: 'We are sorry. Refund issued.', public: false },
      },
    });
  });

  it('lists the changes a reload brings and resets the form to it', () => {
    const form = new TicketForm(snapshot());
    form.set('ticket.priority', 'urgent');
    const next = snapshot({ priority: 'urgent', tags: ['billing', 'boucle_callback'], requester_id: 12 });
    const events = form
      .changesTo({ ...next, comments: [...next.comments, { id: 6, author_id: 1, body: 'Hi' }] })
      .map((c) => c.event);
    expect(events).toEqual(['ticket.tags.changed', 'ticket.comments.changed', 'ticket.requester.id.changed']);
    form.reset(next);
    expect(form.updatePayload()).toBeNull();
  });
});

describe('checkCustomFieldValue', () => {
  it('checks each field type', () => {
    expect(checkCustomFieldValue({ id: 1, type: 'checkbox', title: 'x' }, 'yes').ok).toBe(false);
    expect(checkCustomFieldValue({ id: 1, type: 'integer', title: 'x' }, '12')).toEqual({
      ok: true,
      value: 12,
    });
    expect(checkCustomFieldValue({ id: 1, type: 'integer', title: 'x' }, 1.5).ok).toBe(false);
    expect(checkCustomFieldValue({ id: 1, type: 'decimal', title: 'x' }, '1.5')).toEqual({
      ok: true,
      value: 1.5,
    });
    expect(checkCustomFieldValue({ id: 1, type: 'date', title: 'x' }, '2026-11-22').ok).toBe(true);
    const multi = {
      id: 1,
      type: 'multiselect',
      title: 'x',
      custom_field_options: [{ name: 'A', value: 'a' }],
    };
    expect(checkCustomFieldValue(multi, ['a']).ok).toBe(true);
    expect(checkCustomFieldValue(multi, ['b']).ok).toBe(false);
    expect(checkCustomFieldValue(undefined, null)).toEqual({ ok: true, value: null });
  });
});
