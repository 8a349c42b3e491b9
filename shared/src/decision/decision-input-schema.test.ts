import { describe, expect, it } from 'vitest';
import { feedbackResponseSchema } from '../feedback/feedback-schema.ts';
import { decisionInputSchema } from './decision-input-schema.ts';

const minimal = {
  id: 'line-1',
  incident: {
    ticketId: '42',
    type: 'delivery',
    severity: 'high',
    companyAtFault: true,
    channel: 'email',
    openedAt: '2026-11-20T08:00:00Z',
  },
  customer: { customerId: 'acc-1', revenue12m: 12_000 },
};

describe('decisionInputSchema', () => {
  it('fills every default of a minimal line', () => {
    const parsed = decisionInputSchema.parse(minimal);
    expect(parsed.incident).toMatchObject({
      recurrence: 0,
      contacts: 1,
      reopens: 0,
      waitingHours: 0,
      comments: [],
    });
    expect(parsed.customer).toMatchObject({ lifetimeRevenue: 0, openPipeline: 0, orders12m: 0 });
    expect(parsed.history).toEqual({ pastIncidents: [], pastInterventions: [] });
    expect(parsed.feedback).toEqual([]);
    expect(parsed.ticketSignals).toBeUndefined();
  });

  it.each([
    [{ ...minimal, incident: { ...minimal.incident, severity: 'huge' } }, ['incident', 'severity']],
    [{ ...minimal, incident: { ...minimal.incident, contacts: 0 } }, ['incident', 'contacts']],
    [{ ...minimal, customer: { customerId: 'a', marginRate: 1.5 } }, ['customer', 'marginRate']],
    [{ ...minimal, now: 'yesterday' }, ['now']],
    [{ ...minimal, extra: true }, []],
    [
      { ...minimal, customer: { customerId: 'a', customerSince: '2020-13-01' } },
      ['customer', 'customerSince'],
    ],
  ])('rejects a bad line at the right path (%#)', (line, path) => {
    const result = decisionInputSchema.safeParse(line);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });

  it('accepts dates and instants with offsets', () => {
    const line = {
      ...minimal,
      now: '2026-11-22T10:00:00+01:00',
      customer: { customerId: 'a', customerSince: '2020-01-31', lastOrderAt: '2026-11-01T00:00:00Z' },
    };
    expect(decisionInputSchema.safeParse(line).success).toBe(true);
  });
});

describe('feedbackResponseSchema', () => {
  const base = { id: 'f', respondedAt: '2026-11-20T08:00:00Z' };
  it.each([
    [{ ...base, kind: 'nps', score: 10 }, true],
    [{ ...base, kind: 'nps', score: 11 }, false],
    [{ ...base, kind: 'csat', scale: '1-5', score: 5 }, true],
    [{ ...base, kind: 'csat', scale: '1-3', score: 4 }, false],
    [{ ...base, kind: 'csat', scale: '1-2', score: 'good' }, false],
    [{ ...base, kind: 'csat', scale: 'good_bad', score: 'good' }, true],
    [{ ...base, kind: 'csat', scale: 'good_bad', score: 1 }, false],
    [{ ...base, kind: 'ces', score: 7 }, true],
    [{ ...base, kind: 'ces', scale: '1-7_agree', score: 1 }, true],
    [{ ...base, kind: 'ces', score: 0 }, false],
    [{ ...base, kind: 'company_effort', score: 4, channel: 'phone', touchpoint: 'delivery' }, true],
    [{ ...base, kind: 'sentiment', score: 4 }, false],
  ])('%j valid: %s', (response, valid) => {
    expect(feedbackResponseSchema.safeParse(response).success).toBe(valid);
  });

  it('says how to fix a CSAT score off its scale', () => {
    const result = feedbackResponseSchema.safeParse({ ...base, kind: 'csat', scale: '1-3', score: 5 });
    expect(result.error?.issues[0]?.message).toBe(
      'On the 1-3 scale the score is a whole number from 1 to 3.',
    );
    const goodBad = feedbackResponseSchema.safeParse({ ...base, kind: 'csat', scale: 'good_bad', score: 2 });
    expect(goodBad.error?.issues[0]?.message).toBe('On the good_bad scale the score is "good" or "bad".');
  });
});
