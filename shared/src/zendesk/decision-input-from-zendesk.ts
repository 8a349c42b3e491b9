import type { DecisionInputData } from '../decision/decision-input-schema.ts';
import {
  ACTIONS,
  CHANNELS,
  INCIDENT_TYPES,
  TICKET_STATUSES,
  VALUE_TIERS,
  type Action,
  type Channel,
  type IncidentType,
  type Priority,
} from '../domain/vocabulary.ts';
import { crmSourceOf } from './crm-source.ts';
import { CRM_FIELD_KEYS, type CrmFieldName } from './data-model.ts';

/**
 * A Zendesk ticket and what Zendesk knows of its requester, as both the sidebar (through ZAF and three reads)
 * and the connector (through the REST API) see them. `decisionInputFromZendesk` turns it into the decision
 * input, so that both make the same decision on the same ticket. Translation only — which tag is which incident
 * type, which Zendesk channel is which, which field holds the CRM value — never a judgement.
 */
export interface ZendeskTicketFacts {
  /** Echoed in the decision. */
  readonly decisionId: string;
  readonly now: Date;
  readonly ticket: {
    readonly id: number;
    readonly tags: readonly string[];
    /** The agent's reading of the severity: the priority before Boucle raised it, when that is known. */
    readonly priority: Priority | null;
    /** `via.channel`. */
    readonly channel: string | null;
    readonly createdAt: string | null;
    /** Whether an agent owns the ticket; left out when not known. */
    readonly assigned?: boolean;
    /** Zendesk's `status` (new, open, pending, hold, solved, closed); left out when not known (a live ticket). */
    readonly status?: string | null;
  };
  /** The ticket's comments, oldest first; internal notes have `public: false`. */
  readonly comments: readonly ZendeskComment[];
  readonly requester: ZendeskParty;
  readonly organization: ZendeskParty | null;
  /** The field keys holding the CRM value, when an installation renamed them. */
  readonly crmFieldKeys?: Readonly<Record<CrmFieldName, string>>;
  /** The customer's survey answers, in the decision input's shape (from the `boucle_feedback` records). */
  readonly feedback: readonly FeedbackAnswer[];
  /** Boucle's interventions on the customer's other tickets (the `boucle_intervention` ledger). */
  readonly otherInterventions: readonly PastInterventionRecord[];
}

export interface ZendeskComment {
  readonly fromRequester: boolean;
  readonly public: boolean;
  readonly at: string | null;
  readonly text: string;
}

/** A user or an organisation, with the custom fields the sync writes the CRM value into. */
export interface ZendeskParty {
  readonly id: number;
  readonly fields: Readonly<Record<string, unknown>> | null | undefined;
}

type InputAnswer = DecisionInputData['feedback'] extends readonly (infer T)[] | undefined ? T : never;
type WithRawChannel<T> = T extends unknown
  ? Omit<T, 'channel'> & { readonly channel?: string | undefined }
  : never;
/** A survey answer in the decision input's shape, its channel as Zendesk or Boucle names it. */
export type FeedbackAnswer = WithRawChannel<InputAnswer>;

export interface PastInterventionRecord {
  readonly action: string;
  readonly status: string;
  readonly decidedAt: string | null;
}

/** Zendesk `via.channel` values → Boucle channels; Boucle's own names pass through. */
const ZENDESK_CHANNELS: Readonly<Record<string, Channel>> = {
  web_form: 'web',
  web_widget: 'web',
  help_center: 'web',
  api: 'web',
  voice: 'phone',
  native_messaging: 'messaging',
  whatsapp: 'messaging',
  sms: 'messaging',
  twitter: 'social',
  facebook: 'social',
  instagram_dm: 'social',
};

export function channelOf(zendeskChannel: string | null | undefined): Channel {
  if (!zendeskChannel) return 'other';
  return (
    ZENDESK_CHANNELS[zendeskChannel] ?? CHANNELS.find((channel) => channel === zendeskChannel) ?? 'other'
  );
}

/** A Zendesk priority is the agent's reading of the incident's severity. */
const SEVERITY_BY_PRIORITY = { low: 'low', normal: 'medium', high: 'high', urgent: 'critical' } as const;

/**
 * Incident type from the ticket's tags: `boucle_type_<type>` (set by a trigger, a macro or the agent) or a bare
 * `<type>` tag; `other` otherwise.
 */
export function incidentTypeOf(tags: readonly string[]): IncidentType {
  return (
    INCIDENT_TYPES.find((type) => tags.includes(`boucle_type_${type}`) || tags.includes(type)) ?? 'other'
  );
}

/** Tags saying the failure is not the company's. */
const NOT_COMPANY_FAULT = ['boucle_customer_fault', 'boucle_third_party'];

/** Hours the requester waited: from each of their comments to the next public reply that is not theirs. */
export function waitingHours(comments: readonly ZendeskComment[], nowMs: number): number {
  let total = 0;
  let waitingSince: number | null = null;
  for (const comment of comments) {
    const at = comment.at === null ? Number.NaN : Date.parse(comment.at);
    if (Number.isNaN(at) || at > nowMs) continue;
    if (comment.fromRequester) waitingSince ??= at;
    else if (comment.public && waitingSince !== null) {
      total += Math.max(0, at - waitingSince);
      waitingSince = null;
    }
  }
  if (waitingSince !== null) total += Math.max(0, nowMs - waitingSince);
  return Math.round((total / 3_600_000) * 10) / 10;
}

/** A Zendesk custom field's value as a number (Zendesk sends decimals as numbers or text), if it is one. */
export function numberOf(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** A Zendesk custom field's value as trimmed text, if it has any. */
export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function instantOf(value: unknown): string | undefined {
  const text = textOf(value);
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** A calendar day stays a day (`2026-11-22`); anything else that parses becomes an instant. */
function dayOf(value: unknown): string | undefined {
  const text = textOf(value);
  return text !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : instantOf(text);
}

/**
 * The CRM value profile the sync wrote on the organisation (the Salesforce Account), else on the user (the
 * Contact): one source, never a mix of the two.
 */
function customerOf(facts: ZendeskTicketFacts): DecisionInputData['customer'] {
  const keys = facts.crmFieldKeys ?? CRM_FIELD_KEYS;
  const org = facts.organization;
  const orgFields = org?.fields ?? {};
  const fromOrg = org !== null && crmSourceOf(orgFields, true, keys) === 'organization';
  const fields = (fromOrg ? orgFields : facts.requester.fields) ?? {};
  const read = (name: CrmFieldName) => fields[keys[name]];
  const money = (name: CrmFieldName) => Math.max(0, numberOf(read(name)) ?? 0);
  const tier = VALUE_TIERS.find((candidate) => candidate === textOf(read('valueTier'))?.toLowerCase());
  const margin = numberOf(read('marginRate'));
  const lastOrderAt = dayOf(read('lastOrderDate'));
  const customerSince = dayOf(read('customerSince'));
  const label = (name: CrmFieldName) => textOf(read(name))?.slice(0, 200);
  const [segment, region, productLine] = [label('segment'), label('region'), label('productLine')];
  return {
    customerId: fromOrg ? `org-${org.id}` : `user-${facts.requester.id}`,
    ...(tier === undefined ? {} : { tier }),
    lifetimeRevenue: money('lifetimeRevenue'),
    revenue12m: money('revenue12m'),
    ...(margin !== undefined && margin >= 0 && margin <= 1 ? { marginRate: margin } : {}),
    orders12m: Math.max(0, Math.round(numberOf(read('orders12m')) ?? 0)),
    ...(lastOrderAt === undefined ? {} : { lastOrderAt }),
    openPipeline: money('openPipeline'),
    ...(customerSince === undefined ? {} : { customerSince }),
    ...(segment === undefined ? {} : { segment }),
    ...(region === undefined ? {} : { region }),
    ...(productLine === undefined ? {} : { productLine }),
  };
}

/** Answers given by `now` (an answer without a readable time is left out), texts within the schema's lengths. */
function feedbackOf(answers: readonly FeedbackAnswer[], nowMs: number): InputAnswer[] {
  return answers
    .filter((answer) => Date.parse(answer.respondedAt) <= nowMs)
    .map(
      (answer) =>
        // The caller's answer with its channel in Boucle's names: the kind, scale and score are untouched.
        ({
          ...answer,
          respondedAt: instantOf(answer.respondedAt) ?? answer.respondedAt,
          ...(answer.comment === undefined ? {} : { comment: answer.comment.slice(0, 10_000) }),
          ...(answer.channel === undefined ? {} : { channel: channelOf(answer.channel) }),
          ...(answer.touchpoint === undefined ? {} : { touchpoint: answer.touchpoint.slice(0, 200) }),
        }) as InputAnswer,
    )
    .slice(-1000);
}

const DONE = new Set(['applied', 'contacted', 'closed']);

function historyOf(records: readonly PastInterventionRecord[]): DecisionInputData['history'] {
  const dated = records.flatMap((record) => {
    const at = instantOf(record.decidedAt);
    return at === undefined ? [] : [{ ...record, at }];
  });
  return {
    pastIncidents: dated.map(({ at }) => ({ at })).slice(-1000),
    pastInterventions: dated
      .flatMap(({ action, status, at }) => {
        const known = ACTIONS.find(
          (candidate): candidate is Exclude<Action, 'none'> => candidate !== 'none' && candidate === action,
        );
        return known !== undefined && DONE.has(status) ? [{ action: known, at }] : [];
      })
      .slice(-1000),
  };
}

export function decisionInputFromZendesk(facts: ZendeskTicketFacts): DecisionInputData {
  const { ticket, now } = facts;
  const nowMs = now.getTime();
  const visible = facts.comments.filter((comment) => !(Date.parse(comment.at ?? '') > nowMs));
  const fromRequester = visible.filter((comment) => comment.fromRequester);
  const publicReplies = visible.filter((comment) => !comment.fromRequester && comment.public);
  const surveyComments = facts.feedback.flatMap((answer) =>
    answer.ticketId === String(ticket.id) && answer.comment !== undefined ? [answer.comment] : [],
  );
  const status = TICKET_STATUSES.find((candidate) => candidate === ticket.status);
  return {
    id: facts.decisionId,
    now: now.toISOString(),
    incident: {
      ticketId: String(ticket.id),
      type: incidentTypeOf(ticket.tags),
      severity: SEVERITY_BY_PRIORITY[ticket.priority ?? 'normal'],
      companyAtFault: !ticket.tags.some((tag) => NOT_COMPANY_FAULT.includes(tag)),
      contacts: Math.min(10_000, Math.max(1, fromRequester.length)),
      channel: channelOf(ticket.channel),
      openedAt: instantOf(ticket.createdAt) ?? now.toISOString(),
      ...(status === undefined ? {} : { ticketStatus: status }),
      waitingHours: Math.min(100_000, waitingHours(visible, nowMs)),
      comments: [...fromRequester.map((comment) => comment.text.slice(0, 20_000)), ...surveyComments].slice(
        0,
        500,
      ),
    },
    customer: customerOf(facts),
    feedback: feedbackOf(facts.feedback, nowMs),
    history: historyOf(facts.otherInterventions),
    ticketSignals: {
      publicReplies: Math.min(10_000, publicReplies.length),
      ...(ticket.assigned === undefined ? {} : { ownerAssigned: ticket.assigned }),
    },
  };
}
