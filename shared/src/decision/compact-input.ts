import type { DecisionInput } from './decision-input-schema.ts';

/**
 * The compact stored form of a `DecisionInput`: what the connector keeps with every decision so that a draft
 * policy can decide it again (docs/decision-model.md §12). One JSON array, positional: no keys, the vocabulary's
 * words as small numbers. It holds every field of the input, so nothing is lost, and it is about half the text of the
 * input's JSON: `JSON.parse` of it and the SQLite row behind it are what a preview of 300k incidents waits on.
 *
 * `[1, id, now, incident, customer, feedback[], pastIncidents[], pastInterventions[], ticketSignals]`, each a
 * positional array (see the encoders below); an absent optional field is `null`.
 */
export const COMPACT_INPUT_VERSION = 1;

// The words of version 1, by position. They never change order: a word added to the vocabulary later is stored as
// its text, which the reader takes as it is.
const INCIDENT_TYPES_V1 = [
  'billing',
  'delivery',
  'product_defect',
  'service_outage',
  'service_quality',
  'staff_behaviour',
  'other',
] as const;
const SEVERITIES_V1 = ['low', 'medium', 'high', 'critical'] as const;
const CHANNELS_V1 = ['email', 'phone', 'chat', 'web', 'social', 'messaging', 'in_person', 'other'] as const;
const TICKET_STATUSES_V1 = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
const VALUE_TIERS_V1 = ['platinum', 'gold', 'silver', 'bronze'] as const;
const KINDS_V1 = ['nps', 'csat', 'ces', 'company_effort'] as const;
const SCALES_V1 = ['0-10', '1-5', '1-3', '1-2', 'good_bad', '1-7', '1-7_agree'] as const;
const ACTIONS_V1 = ['none', 'apology', 'callback', 'compensation'] as const;

/** The tables, exported for the test that checks them against the vocabulary. */
export const COMPACT_INPUT_WORDS = {
  incidentType: INCIDENT_TYPES_V1,
  severity: SEVERITIES_V1,
  channel: CHANNELS_V1,
  ticketStatus: TICKET_STATUSES_V1,
  tier: VALUE_TIERS_V1,
  kind: KINDS_V1,
  scale: SCALES_V1,
  action: ACTIONS_V1,
} as const;

type Code = number | string;
type Row = readonly unknown[];

function coder(words: readonly string[]): (word: string) => Code {
  const codes = new Map(words.map((word, index) => [word, index]));
  return (word) => codes.get(word) ?? word;
}

// Pure: a bundle that does not store inputs (the sidebar) drops them.
const code = {
  incidentType: /* @__PURE__ */ coder(INCIDENT_TYPES_V1),
  severity: /* @__PURE__ */ coder(SEVERITIES_V1),
  channel: /* @__PURE__ */ coder(CHANNELS_V1),
  ticketStatus: /* @__PURE__ */ coder(TICKET_STATUSES_V1),
  tier: /* @__PURE__ */ coder(VALUE_TIERS_V1),
  kind: /* @__PURE__ */ coder(KINDS_V1),
  scale: /* @__PURE__ */ coder(SCALES_V1),
  action: /* @__PURE__ */ coder(ACTIONS_V1),
};

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

// Beyond ASCII, as JSON escapes: the stored text is then ASCII throughout, which SQLite hands to JavaScript and
// JSON.parse reads on their one-byte fast paths (one "’" in a comment made the whole text two-byte, and its
// parse two to three times slower).
const NOT_ASCII = /[\u007f-\uffff]/g;
const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The compact form of a parsed input, as text for storage: ASCII only. */
export function encodeDecisionInput(input: DecisionInput): string {
  const { incident, customer, history, ticketSignals } = input;
  const text = JSON.stringify([
    COMPACT_INPUT_VERSION,
    input.id,
    orNull(input.now),
    [
      incident.ticketId,
      code.incidentType(incident.type),
      code.severity(incident.severity),
      incident.companyAtFault ? 1 : 0,
      incident.recurrence,
      incident.contacts,
      incident.reopens,
      incident.transfers,
      incident.channelSwitches,
      incident.waitingHours,
      code.channel(incident.channel),
      incident.openedAt,
      incident.comments,
      incident.ticketStatus === undefined ? null : code.ticketStatus(incident.ticketStatus),
      orNull(incident.monetaryLoss),
    ],
    [
      customer.customerId,
      customer.tier === undefined ? null : code.tier(customer.tier),
      customer.lifetimeRevenue,
      customer.revenue12m,
      orNull(customer.marginRate),
      customer.orders12m,
      orNull(customer.lastOrderAt),
      customer.openPipeline,
      orNull(customer.customerSince),
      orNull(customer.segment),
      orNull(customer.region),
      orNull(customer.productLine),
    ],
    input.feedback.map((response) => [
      code.kind(response.kind),
      response.id,
      response.respondedAt,
      code.scale(response.scale),
      response.score,
      orNull(response.ticketId),
      orNull(response.interactionId),
      orNull(response.comment),
      response.channel === undefined ? null : code.channel(response.channel),
      orNull(response.touchpoint),
    ]),
    history.pastIncidents.map((past) => [
      past.at,
      past.type === undefined ? null : code.incidentType(past.type),
      past.severity === undefined ? null : code.severity(past.severity),
    ]),
    history.pastInterventions.map((past) => [code.action(past.action), past.at]),
    ticketSignals === undefined
      ? null
      : [
          ticketSignals.publicReplies,
          ticketSignals.proactiveCallbacks,
          ticketSignals.escalations,
          ticketSignals.ownerAssigned ? 1 : 0,
          ticketSignals.gestures,
        ],
  ]);
  return text.replace(NOT_ASCII, escape);
}

// Reading: a word's code back to the word (a text is a word the table did not have), null back to absent.
const word = <T extends string>(words: readonly T[], stored: unknown): T =>
  (typeof stored === 'number' ? words[stored] : stored) as T;
const optionalWord = <T extends string>(words: readonly T[], stored: unknown): T | undefined =>
  stored === null ? undefined : word(words, stored);
const optional = <T>(stored: unknown): T | undefined => (stored === null ? undefined : (stored as T));

/**
 * A compact input back as a `DecisionInput`. It was written by `encodeDecisionInput` from a parsed input, so it
 * is not validated again (that would cost more than deciding). Every decoded object has all its fields, absent
 * ones `undefined` (JSON drops them): the inputs of a batch share one shape, which the decision's code likes.
 * Throws on text that is not JSON or not version 1.
 */
export function decodeDecisionInput(text: string): DecisionInput {
  const stored = JSON.parse(text) as Row;
  if (!Array.isArray(stored) || stored[0] !== COMPACT_INPUT_VERSION || stored.length !== 9) {
    throw new Error(`not a compact decision input of version ${COMPACT_INPUT_VERSION}`);
  }
  const i = stored[3] as Row;
  const c = stored[4] as Row;
  const feedback = (stored[5] as Row[]).map((r) => ({
    id: r[1],
    respondedAt: r[2],
    ticketId: optional(r[5]),
    interactionId: optional(r[6]),
    comment: optional(r[7]),
    channel: optionalWord(CHANNELS_V1, r[8]),
    touchpoint: optional(r[9]),
    kind: word(KINDS_V1, r[0]),
    scale: word(SCALES_V1, r[3]),
    score: r[4],
  }));
  const pastIncidents = (stored[6] as Row[]).map((r) => ({
    at: r[0],
    type: optionalWord(INCIDENT_TYPES_V1, r[1]),
    severity: optionalWord(SEVERITIES_V1, r[2]),
  }));
  const pastInterventions = (stored[7] as Row[]).map((r) => ({ action: word(ACTIONS_V1, r[0]), at: r[1] }));
  const s = stored[8] as Row | null;
  return {
    id: stored[1] as string,
    now: optional(stored[2]),
    incident: {
      ticketId: i[0],
      type: word(INCIDENT_TYPES_V1, i[1]),
      severity: word(SEVERITIES_V1, i[2]),
      companyAtFault: i[3] === 1,
      recurrence: i[4],
      contacts: i[5],
      reopens: i[6],
      transfers: i[7],
      channelSwitches: i[8],
      waitingHours: i[9],
      channel: word(CHANNELS_V1, i[10]),
      openedAt: i[11],
      comments: i[12],
      ticketStatus: optionalWord(TICKET_STATUSES_V1, i[13]),
      monetaryLoss: optional(i[14]),
    },
    customer: {
      customerId: c[0],
      tier: optionalWord(VALUE_TIERS_V1, c[1]),
      lifetimeRevenue: c[2],
      revenue12m: c[3],
      marginRate: optional(c[4]),
      orders12m: c[5],
      lastOrderAt: optional(c[6]),
      openPipeline: c[7],
      customerSince: optional(c[8]),
      segment: optional(c[9]),
      region: optional(c[10]),
      productLine: optional(c[11]),
    },
    feedback,
    history: { pastIncidents, pastInterventions },
    ticketSignals:
      s === null
        ? undefined
        : {
            publicReplies: s[0],
            proactiveCallbacks: s[1],
            escalations: s[2],
            ownerAssigned: s[3] === 1,
            gestures: s[4],
          },
  } as DecisionInput;
}
