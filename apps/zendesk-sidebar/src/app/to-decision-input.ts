import {
  decisionInputFromZendesk,
  type DecisionInputData,
  type FeedbackAnswer,
} from '../../../../shared/src/index.ts';
import type { RequesterData } from '../requester/zendesk-records.ts';
import type { TicketFacts } from './sidebar-model.ts';

/**
 * The sidebar's view of a ticket (ZAF facts and the three reads) → `shared/`'s Zendesk facts → the decision
 * input. The translation itself is `decisionInputFromZendesk`, the one the connector uses too, so the sidebar
 * recommends what the connector tags.
 */
export function toDecisionInput(ticket: TicketFacts, data: RequesterData, now: Date): DecisionInputData {
  const currentTicket = String(ticket.id);
  return decisionInputFromZendesk({
    decisionId: `ticket-${ticket.id}`,
    now,
    ticket: {
      id: ticket.id,
      tags: ticket.tags,
      priority: ticket.priority,
      channel: ticket.channel,
      createdAt: ticket.createdAt,
      status: ticket.status,
      ...(ticket.assigned === null ? {} : { assigned: ticket.assigned }),
    },
    comments: ticket.comments,
    requester: { id: data.user.id, fields: data.userFields },
    organization: data.organization && { id: data.organization.id, fields: data.organizationFields },
    // The records as read from Zendesk, not yet checked: the decision input's schema checks them next.
    feedback: data.feedback.map(
      (record) =>
        ({
          id: record.id,
          kind: record.kind,
          score: record.score,
          respondedAt: record.respondedAt,
          ...(record.scale === null ? {} : { scale: record.scale }),
          ...(record.ticketId === null ? {} : { ticketId: record.ticketId }),
          ...(record.comment === null ? {} : { comment: record.comment }),
          ...(record.channel === null ? {} : { channel: record.channel }),
          ...(record.touchpoint === null ? {} : { touchpoint: record.touchpoint }),
        }) as FeedbackAnswer,
    ),
    otherInterventions: data.interventions.filter((record) => record.ticketId !== currentTicket),
  });
}
