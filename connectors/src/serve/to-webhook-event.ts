import { createHash } from 'node:crypto';
import type { NewQueueEvent } from '../queue/durable-queue.ts';

/** What a Zendesk webhook tells us; processing re-reads the ticket, so only the ids and the kind matter. */
export const WEBHOOK_EVENT_KINDS = [
  'zendesk.ticket.created',
  'zendesk.ticket.updated',
  'zendesk.ticket.solved',
  'zendesk.satisfaction.rated',
] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];

export interface WebhookEventPayload {
  readonly ticketId: number;
  readonly satisfactionRatingId?: number;
  readonly score?: string;
  readonly comment?: string;
  readonly invocationId?: string;
  readonly signedAt: string;
}

export type WebhookParse =
  | { readonly ok: true; readonly event: NewQueueEvent }
  /** A well-formed event Boucle has no use for (an event webhook about users, organisations…): answered 200. */
  | { readonly ok: false; readonly ignored: true; readonly message: string }
  | { readonly ok: false; readonly ignored?: false; readonly message: string };

/** Zendesk's event webhooks name their event `zen:event-type:<domain>.<change>` in `type`. */
const EVENT_TYPE_PREFIX = 'zen:event-type:';

const KIND_BY_PATH: Readonly<Record<string, WebhookEventKind>> = {
  'tickets/created': 'zendesk.ticket.created',
  'tickets/updated': 'zendesk.ticket.updated',
  'tickets/solved': 'zendesk.ticket.solved',
  'satisfaction-ratings/created': 'zendesk.satisfaction.rated',
};

const KIND_BY_NAME: Readonly<Record<string, WebhookEventKind>> = {
  'ticket.created': 'zendesk.ticket.created',
  ticket_created: 'zendesk.ticket.created',
  created: 'zendesk.ticket.created',
  'ticket.updated': 'zendesk.ticket.updated',
  ticket_updated: 'zendesk.ticket.updated',
  updated: 'zendesk.ticket.updated',
  'ticket.solved': 'zendesk.ticket.solved',
  solved: 'zendesk.ticket.solved',
  'satisfaction.rated': 'zendesk.satisfaction.rated',
  'ticket.satisfaction_rated': 'zendesk.satisfaction.rated',
  satisfaction_rated: 'zendesk.satisfaction.rated',
};

/**
 * Reads a webhook body: the trigger's JSON (`{"event":"ticket.updated","ticket_id":"{{ticket.id}}",…}`), or the
 * documented default payloads (`id` of the ticket, or a satisfaction rating with `ticket_id`). The event kind
 * comes from the body's `event`/`type`, else from the path (`/webhooks/zendesk/tickets/updated`).
 */
export function toWebhookEvent(input: {
  readonly subPath: string;
  readonly body: unknown;
  readonly rawBody: Buffer;
  readonly invocationId: string | undefined;
  readonly signature: string;
  readonly signedAt: Date;
}): WebhookParse {
  const { body } = input;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'The webhook body must be a JSON object.' };
  }
  const record = body as Record<string, unknown>;
  const eventType = textOf(record.type);
  if (eventType?.startsWith(EVENT_TYPE_PREFIX) === true) return fromEventWebhook(record, eventType, input);
  const named = textOf(record.event) ?? textOf(record.type) ?? textOf(record.event_type);
  const kind =
    (named === undefined ? undefined : KIND_BY_NAME[named.toLowerCase()]) ??
    KIND_BY_PATH[input.subPath] ??
    (input.subPath === '' && named === undefined ? 'zendesk.ticket.updated' : undefined);
  if (kind === undefined) {
    return {
      ok: false,
      message: `Unknown webhook event "${named ?? input.subPath}"; expected one of ${Object.keys(KIND_BY_NAME)
        .filter((name) => name.includes('.'))
        .join(', ')}.`,
    };
  }
  const nestedTicket =
    typeof record.ticket === 'object' && record.ticket !== null
      ? (record.ticket as Record<string, unknown>)
      : undefined;
  const rated = kind === 'zendesk.satisfaction.rated';
  const ticketId = idOf(record.ticket_id) ?? idOf(nestedTicket?.id) ?? (rated ? undefined : idOf(record.id));
  if (ticketId === undefined) {
    return {
      ok: false,
      message: 'The webhook body has no ticket id (ticket_id, ticket.id or id as a positive whole number).',
    };
  }
  const score = textOf(record.score) ?? textOf(record.satisfaction_score);
  const comment = textOf(record.comment) ?? textOf(record.satisfaction_comment);
  const ratingId = rated
    ? (idOf(record.satisfaction_rating_id) ?? idOf(record.id))
    : idOf(record.satisfaction_rating_id);
  const payload: WebhookEventPayload = {
    ticketId,
    signedAt: input.signedAt.toISOString(),
    ...(ratingId === undefined ? {} : { satisfactionRatingId: ratingId }),
    ...(score === undefined ? {} : { score }),
    ...(comment === undefined ? {} : { comment }),
    ...(input.invocationId === undefined ? {} : { invocationId: input.invocationId }),
  };
  const digest = createHash('sha256')
    .update(input.subPath)
    .update('\n')
    .update(input.rawBody)
    .digest('hex')
    .slice(0, 40);
  return queued(kind, payload, input, `webhook:body:${digest}`);
}

type WebhookInput = Parameters<typeof toWebhookEvent>[0];

function queued(
  kind: WebhookEventKind,
  payload: WebhookEventPayload,
  input: WebhookInput,
  fallbackKey: string,
): WebhookParse {
  return {
    ok: true,
    event: {
      idempotencyKey:
        input.invocationId === undefined ? fallbackKey : `webhook:invocation:${input.invocationId}`,
      kind,
      groupKey: `ticket:${payload.ticketId}`,
      payload,
      signature: input.signature,
    },
  };
}

/**
 * An event webhook's body (`{"type":"zen:event-type:ticket.status_changed","id":"<event uuid>",
 * "subject":"zen:ticket:35436","detail":{"id":"35436","status":"SOLVED",…},"event":{"current":…,"previous":…}}`).
 * Ticket events become the same queue events as the trigger's: `ticket.created` → created, a status change to
 * solved → solved, any other ticket change → updated (processing re-reads the ticket). The event's own id keys
 * redeliveries when the invocation header is missing. Events about anything but tickets are acknowledged and
 * ignored, so that Zendesk does not retry them.
 */
function fromEventWebhook(
  record: Record<string, unknown>,
  eventType: string,
  input: WebhookInput,
): WebhookParse {
  const name = eventType.slice(EVENT_TYPE_PREFIX.length);
  if (!name.startsWith('ticket.')) {
    return {
      ok: false,
      ignored: true,
      message: `Event "${eventType}" is not about a ticket; Boucle acts on ticket events only (ignored).`,
    };
  }
  const detail =
    typeof record.detail === 'object' && record.detail !== null
      ? (record.detail as Record<string, unknown>)
      : undefined;
  const subject = textOf(record.subject);
  const ticketId = idOf(detail?.id) ?? idOf(/^zen:ticket:(\d+)$/.exec(subject ?? '')?.[1]);
  if (ticketId === undefined) {
    return {
      ok: false,
      message: `Event "${eventType}" names no ticket: expected detail.id or a subject "zen:ticket:<id>".`,
    };
  }
  const change =
    typeof record.event === 'object' && record.event !== null
      ? (record.event as Record<string, unknown>)
      : {};
  const kind: WebhookEventKind =
    name === 'ticket.created'
      ? 'zendesk.ticket.created'
      : name === 'ticket.status_changed' && statusOf(change.current) === 'solved'
        ? 'zendesk.ticket.solved'
        : 'zendesk.ticket.updated';
  const payload: WebhookEventPayload = {
    ticketId,
    signedAt: input.signedAt.toISOString(),
    ...(input.invocationId === undefined ? {} : { invocationId: input.invocationId }),
  };
  const eventId = textOf(record.id);
  const fallbackKey =
    eventId === undefined
      ? `webhook:body:${createHash('sha256').update(input.rawBody).digest('hex').slice(0, 40)}`
      : `webhook:event:${eventId}`;
  return queued(kind, payload, input, fallbackKey);
}

/** A status as event webhooks write it: `"SOLVED"`, `"Solved"` or `{"status":"SOLVED"}`. */
function statusOf(value: unknown): string | undefined {
  const text =
    typeof value === 'object' && value !== null
      ? textOf((value as Record<string, unknown>).status)
      : textOf(value);
  return text?.toLowerCase();
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function idOf(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value.trim())
        ? Number(value)
        : NaN;
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}
