import { createHash } from 'node:crypto';
import { feedbackResponseSchema, formatIssuePath, type FeedbackResponse } from '../../../shared/src/index.ts';
import type { NewQueueEvent } from '../queue/durable-queue.ts';
import { parseExportDate, parseLocaleNumber } from './parse-csv.ts';

/** Where an answer came from (the `source` field of the feedback custom object). */
export const FEEDBACK_SOURCES = ['survey_api', 'csv_import', 'zendesk_csat'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];

export const FEEDBACK_EVENT_KIND = 'feedback.answer';

/** A survey answer on its way to the `boucle_feedback` custom object, with who gave it. */
export interface FeedbackEventPayload {
  readonly response: FeedbackResponse;
  readonly source: FeedbackSource;
  /** The Zendesk ticket the answer is about, when known. */
  readonly ticketId?: number;
  /** The customer: a Zendesk user id, or an email to find (or create) the user by. */
  readonly userId?: number;
  readonly email?: string;
}

export interface FeedbackIssue {
  readonly path: string;
  readonly message: string;
}

export type FeedbackParse =
  | { readonly ok: true; readonly event: NewQueueEvent & { readonly payload: FeedbackEventPayload } }
  | { readonly ok: false; readonly issues: readonly FeedbackIssue[] };

/** Names an export may give a column, lower-cased, mapped to Boucle's. */
const COLUMN_ALIASES: Readonly<Record<string, string>> = {
  id: 'externalId',
  external_id: 'externalId',
  externalid: 'externalId',
  response_id: 'externalId',
  kind: 'kind',
  type: 'kind',
  survey: 'kind',
  score: 'score',
  note: 'score',
  scale: 'scale',
  echelle: 'scale',
  échelle: 'scale',
  comment: 'comment',
  commentaire: 'comment',
  responded_at: 'respondedAt',
  respondedat: 'respondedAt',
  date: 'respondedAt',
  ticket_id: 'ticketId',
  ticketid: 'ticketId',
  ticket: 'ticketId',
  interaction_id: 'interactionId',
  interactionid: 'interactionId',
  channel: 'channel',
  canal: 'channel',
  touchpoint: 'touchpoint',
  email: 'email',
  'e-mail': 'email',
  courriel: 'email',
  user_id: 'userId',
  userid: 'userId',
};

const KIND_ALIASES: Readonly<Record<string, string>> = {
  nps: 'nps',
  csat: 'csat',
  ces: 'ces',
  company_effort: 'company_effort',
  ke: 'company_effort',
  effort_entreprise: 'company_effort',
};

const ROUTING_KEYS = new Set(['externalId', 'ticketId', 'userId', 'email']);

/**
 * Reads one answer from the survey endpoint (a JSON object) or a CSV row (strings, with French numbers and
 * day-first dates) and turns it into a queue event. The answer itself is validated by the shared schema;
 * the answer's id is the export's id when given, else a digest of the answer, so a re-import is a duplicate.
 */
export function toFeedbackEvent(
  input: Readonly<Record<string, unknown>>,
  source: FeedbackSource,
): FeedbackParse {
  const issues: FeedbackIssue[] = [];
  const fields: Record<string, unknown> = {};
  for (const [rawKey, rawValue] of Object.entries(input)) {
    const key = COLUMN_ALIASES[rawKey.trim().toLowerCase()] ?? rawKey;
    if (rawValue === '' || rawValue === null || rawValue === undefined) continue;
    fields[key] = rawValue;
  }
  const fromText = source === 'csv_import';
  if (typeof fields.kind === 'string')
    fields.kind = KIND_ALIASES[fields.kind.trim().toLowerCase()] ?? fields.kind;
  if (typeof fields.score === 'string') {
    const word = fields.score.trim().toLowerCase();
    const number = parseLocaleNumber(word);
    if (word === 'good' || word === 'bad') fields.score = word;
    else if (number !== null) fields.score = number;
    else
      issues.push({ path: 'score', message: `"${fields.score}" is not a number (4 or 4,5) nor good/bad.` });
  }
  if (typeof fields.score === 'number' && !Number.isInteger(fields.score)) {
    issues.push({
      path: 'score',
      message: `${fields.score} is not a whole number; survey scores are whole points.`,
    });
    delete fields.score;
  }
  if (fields.kind === 'csat' && fields.scale === undefined) {
    fields.scale = fields.score === 'good' || fields.score === 'bad' ? 'good_bad' : '1-5';
  }
  if (typeof fields.respondedAt === 'string') {
    const date = fromText ? parseExportDate(fields.respondedAt) : parseIsoInstant(fields.respondedAt);
    if (date === null) {
      issues.push({
        path: 'respondedAt',
        message: `"${fields.respondedAt}" is not a date (${fromText ? '03/11/2026, 03/11/2026 14:05 or 2026-11-03' : 'ISO 8601, e.g. 2026-11-03T14:05:00Z'}).`,
      });
      delete fields.respondedAt;
    } else fields.respondedAt = date.toISOString();
  }
  const ticketId = readId(fields.ticketId, 'ticketId', issues);
  const userId = readId(fields.userId, 'userId', issues);
  const email = typeof fields.email === 'string' ? fields.email.trim().toLowerCase() : undefined;
  if (fields.email !== undefined && (email === undefined || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))) {
    issues.push({ path: 'email', message: `${JSON.stringify(fields.email)} is not an email address.` });
  }
  if (ticketId === undefined && userId === undefined && email === undefined) {
    issues.push({ path: 'email', message: 'Say who answered: an email, a userId or a ticketId.' });
  }
  const answer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (!ROUTING_KEYS.has(key)) answer[key] = value;
  if (ticketId !== undefined) answer.ticketId = String(ticketId);
  const externalId =
    typeof fields.externalId === 'string' || typeof fields.externalId === 'number'
      ? String(fields.externalId).trim()
      : undefined;
  answer.id =
    externalId !== undefined && externalId !== ''
      ? `${source}:${externalId}`
      : digestAnswer(source, answer, email ?? userId ?? null);
  const parsed = feedbackResponseSchema.safeParse(answer);
  if (!parsed.success) {
    const reported = new Set(issues.map((issue) => issue.path));
    for (const issue of parsed.error.issues) {
      const path = formatIssuePath(issue.path) || '(answer)';
      if (!reported.has(path)) issues.push({ path, message: issue.message });
    }
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  const response = parsed.data;
  const payload: FeedbackEventPayload = {
    response,
    source,
    ...(ticketId === undefined ? {} : { ticketId }),
    ...(userId === undefined ? {} : { userId }),
    ...(email === undefined ? {} : { email }),
  };
  return {
    ok: true,
    event: {
      idempotencyKey: `feedback:${response.id}`,
      kind: FEEDBACK_EVENT_KIND,
      groupKey: ticketId === undefined ? `customer:${userId ?? email ?? ''}` : `ticket:${ticketId}`,
      payload,
    },
  };
}

function parseIsoInstant(raw: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(raw.trim())) return null;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? null : date;
}

function readId(value: unknown, path: string, issues: FeedbackIssue[]): number | undefined {
  if (value === undefined) return undefined;
  const id =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  if (Number.isSafeInteger(id) && id > 0) return id;
  issues.push({ path, message: `${JSON.stringify(value)} is not a Zendesk id (a positive whole number).` });
  return undefined;
}

function digestAnswer(
  source: FeedbackSource,
  answer: Record<string, unknown>,
  who: string | number | null,
): string {
  const keys = ['kind', 'score', 'scale', 'respondedAt', 'ticketId', 'interactionId', 'comment'];
  const digest = createHash('sha256')
    .update(JSON.stringify([who, ...keys.map((key) => answer[key] ?? null)]))
    .digest('hex')
    .slice(0, 32);
  return `${source}:${digest}`;
}
