import {
  FEEDBACK_FIELD_KEYS,
  decisionInputFromZendesk,
  feedbackResponseSchema,
  numberOf,
  textOf,
  type DecisionInputData,
  type FeedbackResponse,
} from '../../../shared/src/index.ts';
import type { LedgerEntry } from './intervention-ledger.ts';
import type {
  CustomObjectRecord,
  LoopComment,
  LoopOrganization,
  LoopTicket,
  LoopUser,
  TicketPriority,
} from './loop-ports.ts';

/**
 * The connector's REST view of a ticket → `shared/`'s Zendesk facts → the decision input. The translation itself
 * (tags, channels, CRM fields, waiting time) is `decisionInputFromZendesk`, the one the sidebar uses too, so both
 * decide the same on the same ticket.
 */

/** A `boucle_feedback` record back to the shared answer shape; records that do not parse are skipped. */
export function toFeedbackResponse(record: CustomObjectRecord): FeedbackResponse | null {
  const fields = record.custom_object_fields;
  const rawScore = fields[FEEDBACK_FIELD_KEYS.score];
  const scale = textOf(fields[FEEDBACK_FIELD_KEYS.scale]);
  const score =
    scale === 'good_bad'
      ? numberOf(rawScore) === 1 || rawScore === 'good'
        ? 'good'
        : 'bad'
      : numberOf(rawScore);
  const candidate = {
    id: record.external_id ?? `record-${record.id}`,
    kind: textOf(fields[FEEDBACK_FIELD_KEYS.kind]),
    score,
    ...(scale === undefined ? {} : { scale }),
    respondedAt: textOf(fields[FEEDBACK_FIELD_KEYS.respondedAt]),
    ...(textOf(fields[FEEDBACK_FIELD_KEYS.ticketId]) === undefined
      ? {}
      : { ticketId: textOf(fields[FEEDBACK_FIELD_KEYS.ticketId]) }),
    ...(textOf(fields[FEEDBACK_FIELD_KEYS.comment]) === undefined
      ? {}
      : { comment: textOf(fields[FEEDBACK_FIELD_KEYS.comment]) }),
  };
  const parsed = feedbackResponseSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

export interface TicketFacts {
  readonly ticket: LoopTicket;
  /** The priority before Boucle changed it (the agent's reading of severity). */
  readonly basePriority: TicketPriority | null;
  readonly requester: LoopUser;
  readonly organization: LoopOrganization | null;
  readonly comments: readonly LoopComment[];
  readonly feedback: readonly FeedbackResponse[];
  /** Ledger entries of this customer on other tickets. */
  readonly history: readonly LedgerEntry[];
}

export function toDecisionInput(facts: TicketFacts, decisionId: string, now: Date): DecisionInputData {
  const { ticket, requester, organization } = facts;
  return decisionInputFromZendesk({
    decisionId,
    now,
    ticket: {
      id: ticket.id,
      tags: ticket.tags,
      priority: facts.basePriority,
      channel: ticket.via?.channel ?? null,
      createdAt: ticket.created_at,
      status: ticket.status,
      assigned: ticket.assignee_id !== null,
    },
    comments: facts.comments.map((comment) => ({
      fromRequester: comment.author_id === requester.id,
      public: comment.public,
      at: comment.created_at,
      text: comment.body,
    })),
    requester: { id: requester.id, fields: requester.user_fields },
    organization:
      organization === null ? null : { id: organization.id, fields: organization.organization_fields },
    feedback: facts.feedback,
    otherInterventions: facts.history.map((entry) => ({
      action: entry.action,
      status: entry.status,
      decidedAt: entry.decidedAt.toISOString(),
    })),
  });
}
