/**
 * `npm run bench`: throughput and latency of Boucle's compiled rules + policy against json-rules-engine 7 running
 * the same rules on the same facts. Prints figures; asserts nothing (targets are read, not enforced by tests).
 */
import { loadavg } from 'node:os';
import { Engine } from 'json-rules-engine';
import type { RuleProperties } from 'json-rules-engine';
import {
  CHANNELS,
  INCIDENT_TYPES,
  SEVERITIES,
  createDecider,
  decisionInputSchema,
  parseSettings,
} from '../src/index.ts';
import type { DecisionInput, Facts, RuleInput } from '../src/index.ts';

const INPUTS = 2_000;
const ROUNDS = Number(process.env.BOUCLE_BENCH_ROUNDS ?? 25);
const NOW = '2026-11-22T10:00:00Z';

/** A small seeded generator, so every run decides the same incidents. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (max: number) => Math.floor(random() * (max + 1));
const iso = (ms: number) => new Date(ms).toISOString();
const nowMs = Date.parse(NOW);
const DAY = 86_400_000;

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

/** 24 admin rules, written once and given to both engines. Only operators that mean the same in both. */
const RULES: RuleInput[] = [
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

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

interface Figures {
  readonly label: string;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/** Throughput from one tight loop, latency (µs) from per-call timings in another. */
async function measure(
  label: string,
  count: number,
  call: (index: number) => unknown,
  isAsync = false,
): Promise<Figures> {
  const rounds = isAsync ? Math.max(1, Math.round(ROUNDS / 10)) : ROUNDS;
  for (let i = 0; i < Math.min(count, 500); i += 1) await call(i); // warm-up
  let start = process.hrtime.bigint();
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < count; i += 1) {
      if (isAsync) await call(i);
      else call(i);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const samples = new Float64Array(count * Math.min(rounds, 5));
  let k = 0;
  for (let round = 0; round < Math.min(rounds, 5); round += 1) {
    for (let i = 0; i < count; i += 1) {
      start = process.hrtime.bigint();
      if (isAsync) await call(i);
      else call(i);
      samples[k++] = Number(process.hrtime.bigint() - start) / 1e3;
    }
  }
  samples.sort();
  return {
    label,
    perSecond: (count * rounds) / seconds,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
  };
}

const parsed = parseSettings({ rules: RULES });
if (!parsed.success) throw new Error(`bench rules are invalid: ${JSON.stringify(parsed.issues)}`);
const decider = createDecider(parsed.data);
const inputs = Array.from({ length: INPUTS }, (_, index) => makeInput(index));
const facts: Facts[] = inputs.map((input) => decider.decide(input, NOW).explanation.facts);

const engine = new Engine(RULES as unknown as RuleProperties[], { allowUndefinedFacts: true });

// Same rules, same facts: both engines must fire the same rules before their speed means anything.
let agree = 0;
for (const [index, fact] of facts.entries()) {
  const ours = decider.rules
    .evaluate(fact)
    .fired.map((rule) => decider.rules.rules[rule]!.name)
    .sort();
  const theirs = (await engine.run({ ...fact })).results.map((result) => result.name).sort();
  if (JSON.stringify(ours) === JSON.stringify(theirs)) agree += 1;
  else if (index < 3) console.error('disagreement', index, ours, theirs);
}

const results: Figures[] = [];
results.push(
  await measure('Boucle decide (facts + compiled rules + policy + explanation data)', INPUTS, (i) =>
    decider.decide(inputs[i]!, NOW),
  ),
);
results.push(
  await measure(
    'Boucle decide + rule traces materialised',
    INPUTS,
    (i) => decider.decide(inputs[i]!, NOW).explanation.rules,
  ),
);
results.push(await measure('Boucle compiled rules only', INPUTS, (i) => decider.rules.evaluate(facts[i]!)));
results.push(
  await measure('json-rules-engine 7, same rules, same facts', INPUTS, (i) => engine.run(facts[i]), true),
);

/**
 * The ratio, measured fairly on a shared machine: alternate short timed slices of both engines, so that both see
 * the same load, and keep the median of the per-slice ratios.
 */
async function interleavedRatio(slices: number): Promise<{ median: number; min: number; max: number }> {
  const ratios: number[] = [];
  const jreBatch = 100;
  for (let slice = 0; slice < slices; slice += 1) {
    let start = process.hrtime.bigint();
    for (let i = 0; i < INPUTS; i += 1) decider.decide(inputs[i]!, NOW);
    const ours = INPUTS / (Number(process.hrtime.bigint() - start) / 1e9);
    start = process.hrtime.bigint();
    for (let i = 0; i < jreBatch; i += 1) await engine.run(facts[(slice * jreBatch + i) % INPUTS]);
    const theirs = jreBatch / (Number(process.hrtime.bigint() - start) / 1e9);
    ratios.push(ours / theirs);
  }
  ratios.sort((x, y) => x - y);
  return { median: ratios[Math.floor(ratios.length / 2)]!, min: ratios[0]!, max: ratios[ratios.length - 1]! };
}
const interleaved = await interleavedRatio(15);

const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(10);
console.log(
  `Boucle decision bench — ${RULES.length} rules, ${INPUTS} generated incidents, node ${process.version}`,
);
console.log(
  `machine: load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(' / ')} (1/5/15 min) — other work on the machine inflates every figure, the ratio less so`,
);
console.log(`rule outcomes identical in both engines: ${agree}/${facts.length}`);
console.log(
  `${'run'.padEnd(68)}${'per second'.padStart(12)}${'p50 µs'.padStart(10)}${'p99 µs'.padStart(10)}`,
);
for (const r of results)
  console.log(`${r.label.padEnd(68)}${fmt(r.perSecond, 0).padStart(12)}${fmt(r.p50, 2)}${fmt(r.p99, 2)}`);
const jre = results[3]!;
console.log(
  `throughput ratio, Boucle decide / json-rules-engine: ${(results[0]!.perSecond / jre.perSecond).toFixed(0)}× (runs above, one after the other)`,
);
console.log(
  `throughput ratio, Boucle decide / json-rules-engine, interleaved slices: median ${interleaved.median.toFixed(0)}× (min ${interleaved.min.toFixed(0)}×, max ${interleaved.max.toFixed(0)}×)`,
);
console.log(
  `throughput ratio, Boucle rules only / json-rules-engine: ${(results[2]!.perSecond / jre.perSecond).toFixed(0)}×`,
);
console.log(`targets: ≥50× json-rules-engine throughput, p99 < 50 µs per decision`);
