import { describe, expect, it } from 'vitest';
import { BENCH_NOW, BENCH_RULES, makeBenchInputs } from '../../bench/bench-data.ts';
import { customerValueProfileSchema } from '../customer/value-profile-schema.ts';
import {
  ACTIONS,
  CHANNELS,
  INCIDENT_TYPES,
  SEVERITIES,
  TICKET_STATUSES,
  VALUE_TIERS,
} from '../domain/vocabulary.ts';
import {
  CSAT_SCALES,
  EFFORT_SCALES,
  NPS_SCALES,
  feedbackResponseSchema,
  npsResponseSchema,
} from '../feedback/feedback-schema.ts';
import { incidentSchema, ticketSignalsSchema } from '../incident/incident-schema.ts';
import { parseSettings } from '../settings/parse-settings.ts';
import { COMPACT_INPUT_WORDS, decodeDecisionInput, encodeDecisionInput } from './compact-input.ts';
import { createDecider } from './create-decider.ts';
import { decisionInputSchema, pastIncidentSchema, pastInterventionSchema } from './decision-input-schema.ts';
import type { DecisionInput } from './decision-input-schema.ts';

/** Every optional field present, words of every table, a CSAT on the good/bad scale. */
const FULL: DecisionInput = decisionInputSchema.parse({
  id: 'full',
  now: '2026-11-22T10:00:00+01:00',
  incident: {
    ticketId: '77',
    type: 'staff_behaviour',
    severity: 'critical',
    companyAtFault: false,
    recurrence: 2,
    contacts: 3,
    reopens: 1,
    transfers: 4,
    channelSwitches: 1,
    waitingHours: 12.5,
    channel: 'in_person',
    openedAt: '2026-11-20T08:00:00Z',
    comments: ['Toujours pas de réponse', 'still waiting “again”'],
    ticketStatus: 'solved',
    monetaryLoss: 120.5,
  },
  customer: {
    customerId: 'acme',
    tier: 'gold',
    lifetimeRevenue: 900_000,
    revenue12m: 120_000,
    marginRate: 0.31,
    orders12m: 14,
    lastOrderAt: '2026-10-01',
    openPipeline: 5_000,
    customerSince: '2019-03-04T00:00:00Z',
    segment: 'Enterprise',
    region: 'EU',
    productLine: 'Boilers',
  },
  feedback: [
    {
      id: 'f1',
      kind: 'csat',
      scale: 'good_bad',
      score: 'bad',
      respondedAt: '2026-11-21T10:00:00Z',
      ticketId: '77',
      interactionId: 'i1',
      comment: 'Personne ne rappelle.',
      channel: 'messaging',
      touchpoint: 'after-solve',
    },
    { id: 'f2', kind: 'ces', scale: '1-7_agree', score: 2, respondedAt: '2026-11-21T10:00:00Z' },
    { id: 'f3', kind: 'company_effort', score: 5, respondedAt: '2026-11-21T10:00:00Z' },
    { id: 'f4', kind: 'nps', score: 3, respondedAt: '2026-11-01T10:00:00Z' },
  ],
  history: {
    pastIncidents: [
      { at: '2026-10-01T00:00:00Z', type: 'delivery', severity: 'low' },
      { at: '2026-09-01T00:00:00Z' },
    ],
    pastInterventions: [{ action: 'compensation', at: '2026-10-02T00:00:00Z' }],
  },
  ticketSignals: {
    publicReplies: 3,
    proactiveCallbacks: 1,
    escalations: 2,
    ownerAssigned: true,
    gestures: 1,
  },
});

const roundTrip = (input: DecisionInput) => decodeDecisionInput(encodeDecisionInput(input));

describe('the compact stored form of a decision input', () => {
  it('gives back every field of the input, in half the text of its JSON', () => {
    expect(roundTrip(FULL)).toEqual(FULL);
    // JSON drops the absent fields the reader sets to undefined: the same text as the input's own.
    expect(JSON.parse(JSON.stringify(roundTrip(FULL)))).toEqual(JSON.parse(JSON.stringify(FULL)));
    const inputs = makeBenchInputs(300, 7);
    let compact = 0;
    let json = 0;
    for (const input of inputs) {
      expect(roundTrip(input)).toEqual(input);
      compact += encodeDecisionInput(input).length;
      json += JSON.stringify(input).length;
    }
    expect(compact / json).toBeLessThan(0.55);
  });

  it('leads to the same decisions, explanations included', () => {
    const parsed = parseSettings({ rules: BENCH_RULES });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
    const decider = createDecider(parsed.data);
    for (const input of [FULL, ...makeBenchInputs(200, 11)]) {
      expect(JSON.stringify(decider.decide(roundTrip(input), BENCH_NOW))).toBe(
        JSON.stringify(decider.decide(input, BENCH_NOW)),
      );
    }
  });

  it('reads back a word its tables do not have, stored as text', () => {
    const unknown = {
      ...FULL,
      incident: { ...FULL.incident, channel: 'carrier_pigeon' },
    } as unknown as DecisionInput;
    expect(encodeDecisionInput(unknown)).toContain('"carrier_pigeon"');
    expect(roundTrip(unknown).incident.channel).toBe('carrier_pigeon');
  });

  it('has a code for every word of the vocabulary', () => {
    const words = COMPACT_INPUT_WORDS;
    expect([...words.incidentType].sort()).toEqual([...INCIDENT_TYPES].sort());
    expect([...words.severity].sort()).toEqual([...SEVERITIES].sort());
    expect([...words.channel].sort()).toEqual([...CHANNELS].sort());
    expect([...words.ticketStatus].sort()).toEqual([...TICKET_STATUSES].sort());
    expect([...words.tier].sort()).toEqual([...VALUE_TIERS].sort());
    expect([...words.action].sort()).toEqual([...ACTIONS].sort());
    expect([...words.kind].sort()).toEqual(
      feedbackResponseSchema.options.map((o) => o.shape.kind.value).sort(),
    );
    expect([...words.scale].sort()).toEqual([...NPS_SCALES, ...CSAT_SCALES, ...EFFORT_SCALES].sort());
  });

  it('knows every field of the schemas: a field added to the input must be added to the compact form', () => {
    const decoded = roundTrip(FULL);
    const keys = (value: object) => Object.keys(value).sort();
    expect(keys(decoded)).toEqual(keys(decisionInputSchema.shape));
    expect(keys(decoded.incident)).toEqual(keys(incidentSchema.shape));
    expect(keys(decoded.customer)).toEqual(keys(customerValueProfileSchema.shape));
    for (const response of decoded.feedback) {
      const schema = feedbackResponseSchema.options.find((o) => o.shape.kind.value === response.kind)!;
      expect(keys(response)).toEqual(keys(schema.shape));
    }
    expect(keys(npsResponseSchema.shape)).toHaveLength(10);
    expect(keys(decoded.history.pastIncidents[0]!)).toEqual(keys(pastIncidentSchema.shape));
    expect(keys(decoded.history.pastInterventions[0]!)).toEqual(keys(pastInterventionSchema.shape));
    expect(keys(decoded.ticketSignals!)).toEqual(keys(ticketSignalsSchema.shape));
  });

  it('says what it is not', () => {
    expect(() => decodeDecisionInput('{"id":"x"}')).toThrow(/not a compact decision input of version 1/);
    expect(() => decodeDecisionInput('[2]')).toThrow(/version 1/);
    expect(() => decodeDecisionInput('{not json')).toThrow(SyntaxError);
  });
});

describe('the compact text', () => {
  it('is ASCII, with what is beyond it as JSON escapes, surrogate pairs included', () => {
    const input = { ...FULL, incident: { ...FULL.incident, comments: ['j’appelle 😡 problème\u007f'] } };
    const text = encodeDecisionInput(input);
    expect([...text].every((char) => char.charCodeAt(0) < 0x7f)).toBe(true);
    expect(text).toContain('j\\u2019appelle \\ud83d\\ude21 probl\\u00e8me\\u007f');
    expect(decodeDecisionInput(text).incident.comments).toEqual(input.incident.comments);
  });
});
