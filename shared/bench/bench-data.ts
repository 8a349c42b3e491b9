/**
 * The bench's seeded incidents and its 24 admin rules, shared by `npm run bench` and the test that pins the
 * decision outputs (shared/src/decision/decision-outputs.test.ts): the pinned outputs are those of the benched
 * inputs. Pure: no clock, no Node API.
 */
import { CHANNELS, INCIDENT_TYPES, SEVERITIES, decisionInputSchema } from '../src/index.ts';
import type { DecisionInput, RuleInput } from '../src/index.ts';

export const BENCH_NOW = '2026-11-22T10:00:00Z';

/** A small seeded generator, so every run decides the same incidents. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

/**
 * `count` incidents from the seeded generator (seed 42 is the bench's), decided at `now`: the same list on
 * every run.
 */
export function makeBenchInputs(count: number, seed = 42, now = BENCH_NOW): DecisionInput[] {
  const random = mulberry32(seed);
  const nowMs = Date.parse(now);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (max: number) => Math.floor(random() * (max + 1));
  const iso = (ms: number) => new Date(ms).toISOString();
  return Array.from({ length: count }, (_, index) => makeInput(index));

  function makeInput(index: number): DecisionInput {
    const ticketId = `T${index}`;
    const feedback: unknown[] = [];
    if (random() < 0.4) {
      feedback.push({
        id: `ces${index}`,
        kind: 'ces',
        score: 1 + int(6),
        respondedAt: iso(nowMs - DAY),
        ticketId,
      });
      feedback.push({
        id: `ke${index}`,
        kind: 'company_effort',
        score: 1 + int(6),
        respondedAt: iso(nowMs - DAY),
        ticketId,
      });
    }
    for (let n = int(3); n > 0; n -= 1) {
      feedback.push({
        id: `nps${index}-${n}`,
        kind: 'nps',
        score: int(10),
        respondedAt: iso(nowMs - n * 30 * DAY),
      });
    }
    if (random() < 0.5) {
      feedback.push({
        id: `csat${index}`,
        kind: 'csat',
        scale: '1-5',
        score: 1 + int(4),
        respondedAt: iso(nowMs - 2 * DAY),
      });
    }
    return decisionInputSchema.parse({
      id: `bench-${index}`,
      incident: {
        ticketId,
        type: pick(INCIDENT_TYPES),
        severity: pick(SEVERITIES),
        companyAtFault: random() < 0.7,
        recurrence: int(3),
        contacts: 1 + int(4),
        reopens: int(2),
        transfers: int(2),
        channelSwitches: int(1),
        waitingHours: Math.round(random() * 96),
        channel: pick(CHANNELS),
        openedAt: iso(nowMs - 2 * DAY),
        comments: [
          pick([
            'Toujours pas de réponse, troisième fois que j’appelle.',
            'Still waiting for the refund, called again yesterday.',
            'Merci pour votre aide.',
            'Thanks, all good now.',
            'Encore un problème de livraison, attente interminable.',
          ]),
        ],
      },
      customer: {
        customerId: `C${index % 700}`,
        revenue12m: Math.round(random() ** 2 * 200_000),
        openPipeline: Math.round(random() * 50_000),
        marginRate: 0.15 + random() * 0.35,
        customerSince: iso(nowMs - int(3_000) * DAY),
        segment: pick(['Retail', 'SMB', 'Enterprise']),
        region: pick(['EU', 'NA', 'APAC']),
      },
      feedback,
      history: {
        pastIncidents: Array.from({ length: int(3) }, (_, n) => ({ at: iso(nowMs - (n + 1) * 20 * DAY) })),
        pastInterventions: random() < 0.3 ? [{ action: 'apology', at: iso(nowMs - int(60) * DAY) }] : [],
      },
      ticketSignals:
        random() < 0.6
          ? { publicReplies: int(4), escalations: int(1), ownerAssigned: random() < 0.5 }
          : undefined,
    });
  }
}

/** 24 admin rules, written once and given to both engines. Only operators that mean the same in both. */
export const BENCH_RULES: RuleInput[] = [
  {
    name: 'platinum-callback',
    priority: 10,
    conditions: {
      all: [
        { fact: 'customer.tier', operator: 'equal', value: 'platinum' },
        { fact: 'incident.severity', operator: 'in', value: ['high', 'critical'] },
      ],
    },
    event: { type: 'boucle', params: { force: 'callback', callbackWindowHours: 4, addTags: ['boucle_vip'] } },
  },
  {
    name: 'no-money-for-billing',
    priority: 9,
    conditions: {
      all: [
        { fact: 'incident.type', operator: 'equal', value: 'billing' },
        { fact: 'incident.companyAtFault', operator: 'equal', value: false },
      ],
    },
    event: { type: 'boucle', params: { forbid: ['compensation'] } },
  },
  {
    name: 'outage-urgent',
    priority: 8,
    conditions: {
      all: [
        { fact: 'incident.type', operator: 'equal', value: 'service_outage' },
        { fact: 'value.expectedLoss', operator: 'greaterThan', value: 2_000 },
      ],
    },
    event: { type: 'boucle', params: { setPriority: 'urgent', addTags: ['boucle_outage'] } },
  },
  {
    name: 'effort-imbalance',
    priority: 7,
    conditions: {
      all: [
        { fact: 'effort.class', operator: 'equal', value: 'customer_harder' },
        { fact: 'effort.ratio', operator: 'greaterThanInclusive', value: 3 },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_effort_high'] } },
  },
  {
    name: 'repeat-offender',
    priority: 7,
    conditions: {
      any: [
        { fact: 'history.repeatIncidents', operator: 'greaterThanInclusive', value: 2 },
        { fact: 'incident.recurrence', operator: 'greaterThanInclusive', value: 2 },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_repeat'], setPriority: 'high' } },
  },
  {
    name: 'detractor-gold',
    priority: 6,
    conditions: {
      all: [
        { fact: 'feedback.npsCategory', operator: 'equal', value: 'detractor' },
        { fact: 'customer.tier', operator: 'in', value: ['gold', 'platinum'] },
      ],
    },
    event: { type: 'boucle', params: { forbid: ['none'] } },
  },
  {
    name: 'social-channel',
    priority: 6,
    conditions: { all: [{ fact: 'incident.channel', operator: 'equal', value: 'social' }] },
    event: { type: 'boucle', params: { addTags: ['boucle_social'], forbid: ['apology'] } },
  },
  {
    name: 'long-wait',
    priority: 5,
    conditions: {
      all: [
        { fact: 'incident.waitingHours', operator: 'greaterThan', value: 72 },
        { not: { fact: 'incident.severity', operator: 'equal', value: 'low' } },
      ],
    },
    event: { type: 'boucle', params: { callbackWindowHours: 12 } },
  },
  {
    name: 'reopened-twice',
    priority: 5,
    conditions: { all: [{ fact: 'incident.reopens', operator: 'greaterThanInclusive', value: 2 }] },
    event: { type: 'boucle', params: { addTags: ['boucle_reopened'] } },
  },
  {
    name: 'many-transfers',
    priority: 4,
    conditions: {
      all: [
        { fact: 'incident.transfers', operator: 'greaterThanInclusive', value: 2 },
        { fact: 'incident.contacts', operator: 'greaterThan', value: 2 },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_ping_pong'] } },
  },
  {
    name: 'staff-behaviour',
    priority: 4,
    conditions: {
      all: [
        { fact: 'incident.type', operator: 'equal', value: 'staff_behaviour' },
        { fact: 'incident.companyAtFault', operator: 'equal', value: true },
      ],
    },
    event: { type: 'boucle', params: { force: 'callback' } },
  },
  {
    name: 'enterprise-segment',
    priority: 4,
    conditions: {
      all: [
        { fact: 'customer.segment', operator: 'equal', value: 'Enterprise' },
        { fact: 'risk.churn', operator: 'greaterThan', value: 0.3 },
      ],
    },
    event: { type: 'boucle', params: { setPriority: 'high' } },
  },
  {
    name: 'apac-window',
    priority: 3,
    conditions: {
      all: [
        { fact: 'customer.region', operator: 'equal', value: 'APAC' },
        { fact: 'customer.tier', operator: 'notIn', value: ['bronze'] },
      ],
    },
    event: { type: 'boucle', params: { callbackWindowHours: 36 } },
  },
  {
    name: 'small-customer-no-comp',
    priority: 3,
    conditions: {
      all: [
        { fact: 'customer.tier', operator: 'equal', value: 'bronze' },
        { fact: 'value.atRisk', operator: 'lessThan', value: 500 },
      ],
    },
    event: { type: 'boucle', params: { forbid: ['compensation'] } },
  },
  {
    name: 'new-customer',
    priority: 3,
    conditions: {
      all: [
        { fact: 'customer.tenureYears', operator: 'lessThan', value: 1 },
        { fact: 'incident.severity', operator: 'in', value: ['medium', 'high', 'critical'] },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_new_customer'] } },
  },
  {
    name: 'loyal-customer',
    priority: 2,
    conditions: {
      all: [
        { fact: 'customer.tenureYears', operator: 'greaterThanInclusive', value: 5 },
        { fact: 'feedback.npsCategory', operator: 'equal', value: 'promoter' },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_loyal'] } },
  },
  {
    name: 'unhappy-csat',
    priority: 2,
    conditions: {
      all: [
        { fact: 'feedback.lastCsatSatisfied', operator: 'equal', value: false },
        { fact: 'effort.source', operator: 'equal', value: 'measured' },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_unhappy'] } },
  },
  {
    name: 'phrases',
    priority: 2,
    conditions: { all: [{ fact: 'effort.phraseMatches', operator: 'greaterThanInclusive', value: 2 }] },
    event: { type: 'boucle', params: { addTags: ['boucle_words'] } },
  },
  {
    name: 'critical-delivery',
    priority: 2,
    conditions: {
      all: [
        { fact: 'incident.type', operator: 'equal', value: 'delivery' },
        { fact: 'incident.severity', operator: 'equal', value: 'critical' },
      ],
    },
    event: { type: 'boucle', params: { setPriority: 'urgent' } },
  },
  {
    name: 'pipeline-at-stake',
    priority: 2,
    conditions: {
      all: [
        { fact: 'customer.openPipeline', operator: 'greaterThan', value: 40_000 },
        { fact: 'incident.severity', operator: 'notIn', value: ['low'] },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_pipeline'] } },
  },
  {
    name: 'balanced-low',
    priority: 1,
    conditions: {
      all: [
        { fact: 'effort.class', operator: 'equal', value: 'company_harder' },
        { fact: 'incident.severity', operator: 'equal', value: 'low' },
      ],
    },
    event: { type: 'boucle', params: { forbid: ['callback', 'compensation'] } },
  },
  {
    name: 'chat-quick',
    priority: 1,
    conditions: {
      all: [
        { fact: 'incident.channel', operator: 'in', value: ['chat', 'messaging'] },
        { fact: 'incident.contacts', operator: 'equal', value: 1 },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_quick'] } },
  },
  {
    name: 'high-margin',
    priority: 1,
    conditions: {
      all: [
        { fact: 'customer.marginRate', operator: 'greaterThan', value: 0.4 },
        { fact: 'value.expectedLoss', operator: 'greaterThan', value: 1_000 },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_high_margin'] } },
  },
  {
    name: 'retail-silver-apology',
    priority: 1,
    conditions: {
      any: [
        {
          all: [
            { fact: 'customer.segment', operator: 'equal', value: 'Retail' },
            { fact: 'customer.tier', operator: 'equal', value: 'silver' },
          ],
        },
        { fact: 'incident.type', operator: 'equal', value: 'other' },
      ],
    },
    event: { type: 'boucle', params: { addTags: ['boucle_retail'] } },
  },
];
