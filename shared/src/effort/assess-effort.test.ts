import { describe, expect, it } from 'vitest';
import type { CesResponse, FeedbackResponse } from '../feedback/feedback-schema.ts';
import { incidentSchema, ticketSignalsSchema } from '../incident/incident-schema.ts';
import type { IncidentInput } from '../incident/incident-schema.ts';
import { DEFAULT_SETTINGS } from '../settings/parse-settings.ts';
import { assessEffort, estimateCompanyEffort, estimateCustomerEffort } from './assess-effort.ts';
import { compileLexicon } from './effort-lexicon.ts';

const effort = DEFAULT_SETTINGS.effort;
const lexicon = compileLexicon([]);
const incident = (overrides: Partial<IncidentInput> = {}) =>
  incidentSchema.parse({
    ticketId: 't1',
    type: 'delivery',
    severity: 'high',
    companyAtFault: true,
    channel: 'email',
    openedAt: '2026-11-20T08:00:00Z',
    ...overrides,
  });
const at = (hour: number) => `2026-11-21T${String(hour).padStart(2, '0')}:00:00Z`;

describe('estimateCustomerEffort', () => {
  it.each([
    [{}, 0, 1],
    [{ contacts: 3 }, 0, 2.5],
    [{ reopens: 1 }, 0, 2],
    [{ channelSwitches: 2 }, 0, 2.5],
    [{ transfers: 2 }, 0, 2],
    [{ waitingHours: 48 }, 0, 2],
    [{ waitingHours: 24 * 30 }, 0, 3],
    [{}, 5, 3],
    [{ contacts: 10, reopens: 5 }, 0, 7],
  ] satisfies [Partial<IncidentInput>, number, number][])(
    '%j with phrases %d → %d',
    (overrides, phrases, expected) => {
      expect(estimateCustomerEffort(incident(overrides), effort.customer, phrases)).toBeCloseTo(expected, 9);
    },
  );
});

describe('estimateCompanyEffort', () => {
  it.each([
    [undefined, 1],
    [{}, 1],
    [{ publicReplies: 2 }, 1.5],
    [{ publicReplies: 20 }, 2.5],
    [{ proactiveCallbacks: 1 }, 2.5],
    [{ escalations: 2 }, 2.5],
    [{ ownerAssigned: true }, 1.75],
    [{ gestures: 1 }, 2],
    [{ proactiveCallbacks: 3, gestures: 3 }, 7],
  ])('%j → %d', (signals, expected) => {
    const parsed = signals === undefined ? undefined : ticketSignalsSchema.parse(signals);
    expect(estimateCompanyEffort(parsed, effort.company)).toBeCloseTo(expected, 9);
  });
});

describe('assessEffort', () => {
  const ces = (score: number, hour: number, ticketId = 't1'): FeedbackResponse => ({
    id: `ces-${hour}`,
    kind: 'ces',
    scale: '1-7',
    score,
    respondedAt: at(hour),
    ticketId,
  });
  const ke = (score: number, hour: number, ticketId = 't1'): FeedbackResponse => ({
    id: `ke-${hour}`,
    kind: 'company_effort',
    scale: '1-7',
    score,
    respondedAt: at(hour),
    ticketId,
  });

  it('measures both sides from this ticket’s latest answers', () => {
    const result = assessEffort(
      incident({ contacts: 5 }),
      [ces(2, 9), ces(6, 10), ke(5, 8), ke(2, 11), ces(7, 12, 'other'), { ...ke(1, 13), ticketId: 'other' }],
      undefined,
      effort,
      lexicon,
    );
    expect(result).toEqual({
      customer: 6,
      company: 2,
      ratio: 3,
      difference: 4,
      class: 'customer_harder',
      source: 'measured',
      confidence: 1,
      phrases: [],
    });
  });

  it('reads the CES 2.0 agree scale reversed', () => {
    const result = assessEffort(
      incident(),
      [{ ...(ces(6, 9) as CesResponse), scale: '1-7_agree' }, ke(2, 9)],
      undefined,
      effort,
      lexicon,
    );
    expect(result).toMatchObject({ customer: 2, company: 2, class: 'balanced', source: 'measured' });
  });

  it('fills a missing side with an estimate and says so', () => {
    const result = assessEffort(incident({ contacts: 3 }), [ke(6, 9)], undefined, effort, lexicon);
    expect(result).toMatchObject({
      customer: 2.5,
      company: 6,
      class: 'company_harder',
      source: 'partial',
      confidence: 0.75,
    });
    const other = assessEffort(incident(), [ces(5, 9)], undefined, effort, lexicon);
    expect(other).toMatchObject({ customer: 5, company: 1, source: 'partial' });
  });

  it('estimates from the ticket when there is no survey, reading survey comments too', () => {
    const result = assessEffort(
      incident({ contacts: 2, reopens: 1, comments: ['Toujours pas livré'] }),
      [
        {
          id: 'n',
          kind: 'nps',
          scale: '0-10',
          score: 2,
          respondedAt: at(9),
          ticketId: 't1',
          comment: 'Third time I ask',
        },
        {
          id: 'c',
          kind: 'csat',
          scale: '1-5',
          score: 1,
          respondedAt: at(9),
          ticketId: 'other',
          comment: 'still waiting',
        },
      ],
      ticketSignalsSchema.parse({ publicReplies: 2 }),
      effort,
      lexicon,
    );
    expect(result).toEqual({
      customer: 4.5,
      company: 1.5,
      ratio: 3,
      difference: 3,
      class: 'customer_harder',
      source: 'estimated',
      confidence: 0.55,
      phrases: ['toujours pas', 'third time'],
    });
  });

  it('is balanced within the tolerance, and gains confidence with signals up to a cap', () => {
    const quiet = assessEffort(incident(), [], undefined, effort, lexicon);
    expect(quiet).toMatchObject({
      customer: 1,
      company: 1,
      class: 'balanced',
      source: 'estimated',
      confidence: 0.3,
    });
    const busy = assessEffort(
      incident({
        contacts: 4,
        reopens: 2,
        transfers: 1,
        channelSwitches: 1,
        waitingHours: 5,
        comments: ['encore'],
      }),
      [],
      ticketSignalsSchema.parse({}),
      effort,
      lexicon,
    );
    expect(busy.confidence).toBe(0.65);
  });
});
