import {
  CUSTOM_OBJECT_KEYS,
  FEEDBACK_FIELD_KEYS,
  feedbackResponseSchema,
  numberOf,
  textOf,
  timestampSchema,
  type FeedbackKind,
} from '../../../shared/src/index.ts';
import type { FeedbackEventPayload } from '../feedback/to-feedback-event.ts';
import { FEEDBACK_EVENT_KIND } from '../feedback/to-feedback-event.ts';
import type { ZendeskClient } from '../zendesk/client.ts';
import type { CustomObjectRecord, ZendeskTicket, ZendeskUser } from '../zendesk/types.ts';
import { ProgrammeStore, openProgrammeSql, type AnswerRow, type TicketRow } from './programme-store.ts';

export interface ProgrammePullOptions {
  /** A ticket tagged `<prefix><name>` is about product <name> (default `product_`). */
  readonly productTagPrefix?: string;
  /** Tags that make a ticket a complaint, besides the Zendesk type "incident" (default critical_incident, complaint). */
  readonly incidentTags?: readonly string[];
  /** Read the tickets and users from the start, not from the stored cursors (a new Zendesk, a restarted sandbox). */
  readonly full?: boolean;
}

export interface SkippedAnswer {
  readonly id: string;
  readonly reason: string;
}

export interface ProgrammePullResult {
  readonly answers: number;
  readonly queuedAnswers: number;
  readonly tickets: number;
  readonly users: number;
  /** Records that are not a readable answer, with why (they stay in Zendesk untouched). */
  readonly skipped: readonly SkippedAnswer[];
}

const KINDS: readonly string[] = ['nps', 'csat', 'ces', 'company_effort'];
const PAGE = 500;

/** One `boucle_feedback` record as a programme answer, or why it is not one. */
export function answerFromRecord(record: CustomObjectRecord): AnswerRow | SkippedAnswer {
  const fields = record.custom_object_fields;
  const id = record.external_id ?? `record-${record.id}`;
  const kind = textOf(fields[FEEDBACK_FIELD_KEYS.kind]);
  if (kind === undefined || !KINDS.includes(kind))
    return { id, reason: `kind "${String(kind)}" is not nps, csat, ces or company_effort` };
  const rawScore = fields[FEEDBACK_FIELD_KEYS.score];
  const scale = textOf(fields[FEEDBACK_FIELD_KEYS.scale]) ?? (kind === 'nps' ? '0-10' : '1-5');
  const score = rawScore === 'good' ? 1 : rawScore === 'bad' ? 0 : (numberOf(rawScore) ?? Number.NaN);
  if (!Number.isFinite(score)) return { id, reason: `score ${JSON.stringify(rawScore)} is not a number` };
  const respondedAt = textOf(fields[FEEDBACK_FIELD_KEYS.respondedAt]) ?? record.created_at;
  if (!timestampSchema.safeParse(respondedAt).success)
    return { id, reason: `responded_at "${respondedAt}" is not an ISO 8601 instant` };
  const ticketId = numberOf(fields[FEEDBACK_FIELD_KEYS.ticketId]);
  const userId = numberOf(fields[FEEDBACK_FIELD_KEYS.userId]);
  return {
    id,
    respondedAt: Date.parse(respondedAt),
    kind: kind as FeedbackKind,
    scale,
    score,
    comment: textOf(fields[FEEDBACK_FIELD_KEYS.comment]) ?? null,
    channel: textOf(fields[FEEDBACK_FIELD_KEYS.channel]) ?? null,
    touchpoint: textOf(fields[FEEDBACK_FIELD_KEYS.touchpoint]) ?? null,
    ticketId: ticketId ?? null,
    interactionId: ticketId === undefined ? null : `ticket-${ticketId}`,
    userId: userId ?? null,
    email: null,
    source: textOf(fields[FEEDBACK_FIELD_KEYS.source]) ?? 'zendesk',
  };
}

export function ticketRow(ticket: ZendeskTicket, options: ProgrammePullOptions = {}): TicketRow {
  const prefix = options.productTagPrefix ?? 'product_';
  const incidentTags = options.incidentTags ?? ['critical_incident', 'complaint'];
  const productTag = ticket.tags.find((tag) => tag.startsWith(prefix) && tag.length > prefix.length);
  return {
    id: ticket.id,
    createdAt: Date.parse(ticket.created_at),
    requesterId: ticket.requester_id,
    groupId: ticket.group_id,
    status: ticket.status,
    incident: ticket.type === 'incident' || ticket.tags.some((tag) => incidentTags.includes(tag)),
    product: productTag === undefined ? null : productTag.slice(prefix.length),
    tags: ticket.tags,
  };
}

/**
 * The answers the connector queued itself (survey endpoint, CSV import, Zendesk CSAT): read from the durable
 * queue so they count even before (or without) their Zendesk record.
 */
export async function importQueuedAnswers(store: ProgrammeStore): Promise<number> {
  const rows = await store.sql.all<{ payload: string }>(
    'SELECT payload FROM queue_events WHERE kind = ? ORDER BY id',
    [FEEDBACK_EVENT_KIND],
  );
  const answers: AnswerRow[] = [];
  for (const { payload } of rows) {
    const event = JSON.parse(payload) as FeedbackEventPayload;
    const parsed = feedbackResponseSchema.safeParse(event.response);
    if (!parsed.success) continue;
    const r = parsed.data;
    answers.push({
      id: r.id,
      respondedAt: Date.parse(r.respondedAt),
      kind: r.kind,
      scale: r.scale,
      score: r.score === 'good' ? 1 : r.score === 'bad' ? 0 : r.score,
      comment: r.comment ?? null,
      channel: r.channel ?? null,
      touchpoint: r.touchpoint ?? null,
      ticketId: event.ticketId ?? null,
      interactionId: r.interactionId ?? (event.ticketId === undefined ? null : `ticket-${event.ticketId}`),
      userId: event.userId ?? null,
      email: event.email ?? null,
      source: event.source,
    });
  }
  await store.putAnswers(answers);
  return answers.length;
}

/**
 * Refreshes the programme's local copy: every `boucle_feedback` record (a full read: records have no
 * incremental export), then the tickets and users changed since the last pull (Zendesk's cursor-based
 * incremental exports, resumed from the stored cursor), then the answers in the local queue; then rebuilds
 * the programme's facts from them when anything changed (ProgrammeStore.ensureFacts).
 */
export async function pullProgrammeData(
  client: ZendeskClient,
  store: ProgrammeStore,
  options: ProgrammePullOptions = {},
): Promise<ProgrammePullResult> {
  let answers = 0;
  const skipped: SkippedAnswer[] = [];
  let batch: AnswerRow[] = [];
  for await (const record of client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.feedback)) {
    const row = answerFromRecord(record);
    if ('reason' in row) skipped.push(row);
    else batch.push(row);
    if (batch.length >= PAGE) {
      await store.putAnswers(batch);
      answers += batch.length;
      batch = [];
    }
  }
  await store.putAnswers(batch);
  answers += batch.length;

  let tickets = 0;
  const ticketCursor = options.full === true ? undefined : await store.getState('tickets_cursor');
  for await (const page of client.incrementalTickets(
    ticketCursor === undefined ? { startTime: 0 } : { cursor: ticketCursor },
  )) {
    await store.putTickets(page.items.map((ticket) => ticketRow(ticket, options)));
    tickets += page.items.length;
    if (page.afterCursor !== null) await store.setState('tickets_cursor', page.afterCursor);
  }
  let users = 0;
  const userCursor = options.full === true ? undefined : await store.getState('users_cursor');
  for await (const page of client.incrementalUsers(
    userCursor === undefined ? { startTime: 0 } : { cursor: userCursor },
  )) {
    await store.putUsers(
      page.items.map((user: ZendeskUser) => ({
        id: user.id,
        externalId: user.external_id,
        email: user.email,
        locale: user.locale ?? null,
      })),
    );
    users += page.items.length;
    if (page.afterCursor !== null) await store.setState('users_cursor', page.afterCursor);
  }
  const queuedAnswers = await importQueuedAnswers(store);
  // The facts the report and the scan aggregate, brought up to date now (the rows that changed; everything on
  // `--full`) so the first query after a pull is fast.
  if (options.full === true) await store.refreshFacts({ full: true });
  else await store.ensureFacts();
  await store.setState('pulled_at', new Date().toISOString());
  return { answers, queuedAnswers, tickets, users, skipped };
}

/** Opens the database, pulls, closes: what `boucle start` runs once after the first sync. */
export async function refreshProgrammeData(
  client: ZendeskClient,
  databasePath: string,
  options: ProgrammePullOptions & { readonly databaseUrl?: string } = {},
): Promise<ProgrammePullResult> {
  const database = await openProgrammeSql({ path: databasePath, databaseUrl: options.databaseUrl });
  try {
    return await pullProgrammeData(client, new ProgrammeStore(database.sql), options);
  } finally {
    await database.close();
  }
}
