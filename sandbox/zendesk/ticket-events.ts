import type { CommentRecord, TicketRecord } from './types.ts';

/** The ticket event types this emulator sends to webhooks subscribed to them (Zendesk has more). */
export const EMULATED_TICKET_EVENT_TYPES = [
  'zen:event-type:ticket.created',
  'zen:event-type:ticket.status_changed',
  'zen:event-type:ticket.priority_changed',
  'zen:event-type:ticket.tags_changed',
  'zen:event-type:ticket.comment_added',
] as const;

export interface TicketEvent {
  readonly type: (typeof EMULATED_TICKET_EVENT_TYPES)[number];
  readonly event: Record<string, unknown>;
}

const idText = (id: number | null): string | null => (id === null ? null : String(id));

/**
 * The `detail` object of a ticket event as Zendesk's event webhooks send it: ids as strings, status, priority and
 * type in capitals.
 */
export function ticketEventDetail(ticket: TicketRecord, actorId: number): Record<string, unknown> {
  return {
    actor_id: String(actorId),
    assignee_id: idText(ticket.assignee_id),
    brand_id: String(ticket.brand_id),
    created_at: ticket.created_at,
    custom_status: null,
    description: ticket.description,
    external_id: ticket.external_id ?? '',
    form_id: idText(ticket.ticket_form_id),
    group_id: idText(ticket.group_id),
    id: String(ticket.id),
    is_public: true,
    organization_id: idText(ticket.organization_id),
    priority: ticket.priority?.toUpperCase() ?? null,
    requester_id: String(ticket.requester_id),
    status: ticket.status.toUpperCase(),
    subject: ticket.subject,
    submitter_id: String(ticket.submitter_id),
    tags: [...ticket.tags],
    type: ticket.type?.toUpperCase() ?? null,
    updated_at: ticket.updated_at,
    via: { channel: ticket.via.channel },
  };
}

/**
 * What changed between the ticket before an update (null on creation) and after it, as ticket events. A creation
 * is one `ticket.created`; a change lists one event per field changed, and `ticket.comment_added` for a comment.
 */
export function ticketEvents(
  previous: TicketRecord | null,
  ticket: TicketRecord,
  comment: CommentRecord | null,
): TicketEvent[] {
  if (previous === null)
    return [
      { type: 'zen:event-type:ticket.created', event: { current: { status: ticket.status.toUpperCase() } } },
    ];
  const events: TicketEvent[] = [];
  if (previous.status !== ticket.status)
    events.push({
      type: 'zen:event-type:ticket.status_changed',
      event: { current: ticket.status.toUpperCase(), previous: previous.status.toUpperCase() },
    });
  if (previous.priority !== ticket.priority)
    events.push({
      type: 'zen:event-type:ticket.priority_changed',
      event: {
        current: ticket.priority?.toUpperCase() ?? null,
        previous: previous.priority?.toUpperCase() ?? null,
      },
    });
  const added = ticket.tags.filter((tag) => !previous.tags.includes(tag));
  const removed = previous.tags.filter((tag) => !ticket.tags.includes(tag));
  if (added.length > 0 || removed.length > 0)
    events.push({
      type: 'zen:event-type:ticket.tags_changed',
      event: { tags_added: added, tags_removed: removed },
    });
  if (comment !== null)
    events.push({
      type: 'zen:event-type:ticket.comment_added',
      event: {
        comment: {
          id: String(comment.id),
          body: comment.body,
          is_public: comment.public,
          author: { id: String(comment.author_id) },
        },
      },
    });
  return events;
}
