import {
  CRM_FIELD_KEYS,
  FEEDBACK_FIELD_KEYS,
  INCIDENT_TYPES,
  VALUE_TIERS,
  feedbackResponseSchema,
  type Channel,
  type DecisionInputData,
  type FeedbackResponse,
  type IncidentType,
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
 * Zendesk facts → the shared decision input. Translation only (which tag is which incident type, which Zendesk
 * channel is which, which field holds the CRM value): every judgement is `shared/`'s.
 */

const ZENDESK_CHANNELS: Readonly<Record<string, Channel>> = {
  email: 'email',
  web: 'web',
  web_form: 'web',
  web_widget: 'web',
  help_center: 'web',
  api: 'web',
  voice: 'phone',
  phone: 'phone',
  chat: 'chat',
  native_messaging: 'messaging',
  messaging: 'messaging',
  whatsapp: 'messaging',
  sms: 'messaging',
  twitter: 'social',
  facebook: 'social',
  instagram_dm: 'social',
};

const SEVERITY_BY_PRIORITY = { low: 'low', normal: 'medium', high: 'high', urgent: 'critical' } as const;

export function toChannel(zendeskChannel: string | undefined): Channel {
  return zendeskChannel === undefined ? 'other' : (ZENDESK_CHANNELS[zendeskChannel] ?? 'other');
}

/** `boucle_type_<type>` (set by a trigger, a macro or the agent) or a bare `<type>` tag; `other` otherwise. */
export function incidentTypeOf(tags: readonly string[]): IncidentType {
  return (
    INCIDENT_TYPES.find((type) => tags.includes(`boucle_type_${type}`) || tags.includes(type)) ?? 'other'
  );
}

function numberOf(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return Number.isFinite(number) ? number : undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function dayOf(value: unknown): string | undefined {
  const text = textOf(value);
  if (text === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The CRM value profile the sync wrote on the organisation, else on the user. */
function toCustomer(user: LoopUser, organization: LoopOrganization | null): DecisionInputData['customer'] {
  const orgFields = organization?.organization_fields ?? {};
  const hasOrgValue =
    orgFields[CRM_FIELD_KEYS.crmSyncedAt] !== undefined || orgFields[CRM_FIELD_KEYS.revenue12m] !== undefined;
  const fields = hasOrgValue ? orgFields : user.user_fields;
  const read = (key: string) => fields[key];
  const money = (key: string) => Math.max(0, numberOf(read(key)) ?? 0);
  const tier = VALUE_TIERS.find(
    (candidate) => candidate === textOf(read(CRM_FIELD_KEYS.valueTier))?.toLowerCase(),
  );
  const margin = numberOf(read(CRM_FIELD_KEYS.marginRate));
  const lastOrderAt = dayOf(read(CRM_FIELD_KEYS.lastOrderDate));
  const customerSince = dayOf(read(CRM_FIELD_KEYS.customerSince));
  const segment = textOf(read(CRM_FIELD_KEYS.segment));
  const region = textOf(read(CRM_FIELD_KEYS.region));
  const productLine = textOf(read(CRM_FIELD_KEYS.productLine));
  return {
    customerId: hasOrgValue && organization !== null ? `org-${organization.id}` : `user-${user.id}`,
    ...(tier === undefined ? {} : { tier }),
    lifetimeRevenue: money(CRM_FIELD_KEYS.lifetimeRevenue),
    revenue12m: money(CRM_FIELD_KEYS.revenue12m),
    ...(margin !== undefined && margin >= 0 && margin <= 1 ? { marginRate: margin } : {}),
    orders12m: Math.max(0, Math.round(numberOf(read(CRM_FIELD_KEYS.orders12m)) ?? 0)),
    ...(lastOrderAt === undefined ? {} : { lastOrderAt }),
    openPipeline: money(CRM_FIELD_KEYS.openPipeline),
    ...(customerSince === undefined ? {} : { customerSince }),
    ...(segment === undefined ? {} : { segment: segment.slice(0, 200) }),
    ...(region === undefined ? {} : { region: region.slice(0, 200) }),
    ...(productLine === undefined ? {} : { productLine: productLine.slice(0, 200) }),
  };
}

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

/** Hours the requester waited: from each of their comments to the next reply that is not theirs. */
export function waitingHours(comments: readonly LoopComment[], requesterId: number, nowMs: number): number {
  let total = 0;
  let waitingSince: number | null = null;
  for (const comment of comments) {
    const at = Date.parse(comment.created_at);
    if (Number.isNaN(at) || at > nowMs) continue;
    if (comment.author_id === requesterId) waitingSince ??= at;
    else if (comment.public && waitingSince !== null) {
      total += Math.max(0, at - waitingSince);
      waitingSince = null;
    }
  }
  if (waitingSince !== null) total += Math.max(0, nowMs - waitingSince);
  return Math.round((total / 3_600_000) * 10) / 10;
}

export function toDecisionInput(facts: TicketFacts, decisionId: string, now: Date): DecisionInputData {
  const { ticket, requester, comments } = facts;
  const nowMs = now.getTime();
  const visible = comments.filter((comment) => Date.parse(comment.created_at) <= nowMs);
  const fromRequester = visible.filter((comment) => comment.author_id === requester.id);
  const agentReplies = visible.filter((comment) => comment.author_id !== requester.id && comment.public);
  const openedAt = Number.isNaN(Date.parse(ticket.created_at))
    ? now.toISOString()
    : new Date(ticket.created_at).toISOString();
  const feedbackComments = facts.feedback
    .filter((f) => f.ticketId === String(ticket.id) && f.comment !== undefined)
    .map((f) => f.comment!);
  const done = new Set(['applied', 'contacted', 'closed']);
  return {
    id: decisionId,
    now: now.toISOString(),
    incident: {
      ticketId: String(ticket.id),
      type: incidentTypeOf(ticket.tags),
      severity: SEVERITY_BY_PRIORITY[facts.basePriority ?? 'normal'],
      companyAtFault: !ticket.tags.some(
        (tag) => tag === 'boucle_customer_fault' || tag === 'boucle_third_party',
      ),
      contacts: Math.min(10_000, Math.max(1, fromRequester.length)),
      channel: toChannel(ticket.via?.channel),
      openedAt,
      waitingHours: Math.min(100_000, waitingHours(visible, requester.id, nowMs)),
      comments: [...fromRequester.map((comment) => comment.body.slice(0, 20_000)), ...feedbackComments].slice(
        0,
        500,
      ),
    },
    customer: toCustomer(requester, facts.organization),
    feedback: facts.feedback.filter((f) => Date.parse(f.respondedAt) <= nowMs).slice(-1000),
    history: {
      pastIncidents: facts.history.map((entry) => ({ at: entry.decidedAt.toISOString() })).slice(-1000),
      pastInterventions: facts.history
        .filter((entry) => done.has(entry.status) && entry.action !== 'none')
        .map((entry) => ({
          action: entry.action as 'apology' | 'callback' | 'compensation',
          at: entry.decidedAt.toISOString(),
        }))
        .slice(-1000),
    },
    ticketSignals: {
      publicReplies: Math.min(10_000, agentReplies.length),
      ownerAssigned: ticket.assignee_id !== null,
    },
  };
}
