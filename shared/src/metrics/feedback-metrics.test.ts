import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsatResponse, FeedbackResponse } from '../feedback/feedback-schema.ts';
import {
  aggregateFeedback,
  categorizeNps,
  computeCes,
  computeCsat,
  computeEffortRatio,
  computeNps,
  isCsatSatisfied,
  toCustomerEffort,
} from './feedback-metrics.ts';

describe('computeNps', () => {
  it.each([
    [[], null, 0, 0, 0],
    [[10, 9, 8, 7, 6, 0], 0, 2, 2, 2],
    [[10, 10, 10], 100, 3, 0, 0],
    [[0, 3, 6], -100, 0, 0, 3],
    [[9, 7, 7, 5], 0, 1, 2, 1],
    [[9, 9, 6, 8], 25, 2, 1, 1],
  ] satisfies [number[], number | null, number, number, number][])(
    '%j → NPS %s',
    (scores, score, promoters, passives, detractors) => {
      expect(computeNps(scores)).toEqual({
        responses: scores.length,
        promoters,
        passives,
        detractors,
        score,
      });
    },
  );

  it.each([
    [0, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ] as const)('categorises %i as %s', (score, category) => {
    expect(categorizeNps(score)).toBe(category);
  });

  it('stays within −100…100 and equals %promoters − %detractors', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 200 }), (scores) => {
        const { score, promoters, detractors } = computeNps(scores);
        expect(score).not.toBeNull();
        expect(score!).toBeGreaterThanOrEqual(-100);
        expect(score!).toBeLessThanOrEqual(100);
        expect(score!).toBeCloseTo(((promoters - detractors) / scores.length) * 100, 9);
      }),
    );
  });
});

describe('CSAT', () => {
  it.each([
    ['1-5', 5, true],
    ['1-5', 4, true],
    ['1-5', 3, false],
    ['1-5', 1, false],
    ['1-3', 3, true],
    ['1-3', 2, false],
    ['1-2', 2, true],
    ['1-2', 1, false],
    ['good_bad', 'good', true],
    ['good_bad', 'bad', false],
  ] satisfies [CsatResponse['scale'], CsatResponse['score'], boolean][])(
    'on %s, %s is satisfied: %s',
    (scale, score, satisfied) => {
      expect(isCsatSatisfied({ scale, score })).toBe(satisfied);
    },
  );

  it('is satisfied / responses × 100 across mixed scales', () => {
    expect(
      computeCsat([
        { scale: '1-5', score: 5 },
        { scale: 'good_bad', score: 'bad' },
        { scale: '1-3', score: 3 },
        { scale: '1-2', score: 1 },
      ]),
    ).toEqual({ responses: 4, satisfied: 2, percent: 50 });
    expect(computeCsat([])).toEqual({ responses: 0, satisfied: 0, percent: null });
  });
});

describe('CES', () => {
  it('reads the CES 2.0 agree scale reversed', () => {
    expect(toCustomerEffort({ scale: '1-7', score: 6 })).toBe(6);
    expect(toCustomerEffort({ scale: '1-7_agree', score: 6 })).toBe(2);
    expect(
      computeCes([
        { scale: '1-7', score: 7 },
        { scale: '1-7_agree', score: 7 },
      ]),
    ).toEqual({ responses: 2, mean: 4 });
    expect(computeCes([])).toEqual({ responses: 0, mean: null });
  });
});

describe('computeEffortRatio (C:CER)', () => {
  it.each([
    [6, 2, 0, 3, 4, 'customer_harder'],
    [2, 6, 0, 1 / 3, -4, 'company_harder'],
    [4, 4, 0, 1, 0, 'balanced'],
    [4.4, 4, 0.5, 1.1, 0.4, 'balanced'],
    [4.6, 4, 0.5, 1.15, 0.6, 'customer_harder'],
    [7, 1, 0, 7, 6, 'customer_harder'],
    [1, 7, 0, 1 / 7, -6, 'company_harder'],
  ] as const)(
    'CES %d / KE %d (tolerance %d) → %d, %s',
    (ces, ke, tolerance, ratio, difference, effortClass) => {
      const result = computeEffortRatio(ces, ke, tolerance);
      expect(result.ratio).toBeCloseTo(ratio, 9);
      expect(result.difference).toBeCloseTo(difference, 9);
      expect(result.class).toBe(effortClass);
    },
  );

  it('class is consistent with its inputs', () => {
    const effort = fc.double({ min: 1, max: 7, noNaN: true });
    fc.assert(
      fc.property(effort, effort, fc.double({ min: 0, max: 6, noNaN: true }), (ces, ke, tolerance) => {
        const result = computeEffortRatio(ces, ke, tolerance);
        expect(result.ratio).toBeGreaterThanOrEqual(1 / 7);
        expect(result.ratio).toBeLessThanOrEqual(7);
        if (Math.abs(ces - ke) <= tolerance) expect(result.class).toBe('balanced');
        else if (ces > ke) expect(result.class).toBe('customer_harder');
        else expect(result.class).toBe('company_harder');
        expect(result.ratio > 1).toBe(result.difference > 0);
      }),
    );
  });
});

describe('aggregateFeedback', () => {
  const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T10:00:00Z`;
  const responses: FeedbackResponse[] = [
    { id: '1', kind: 'nps', scale: '0-10', score: 10, respondedAt: at(2) },
    { id: '2', kind: 'nps', scale: '0-10', score: 3, respondedAt: at(3) },
    { id: '3', kind: 'nps', scale: '0-10', score: 10, respondedAt: at(20) },
    { id: '4', kind: 'csat', scale: '1-5', score: 4, respondedAt: at(4) },
    { id: '5', kind: 'ces', scale: '1-7', score: 6, respondedAt: at(5), interactionId: 'a' },
    { id: '6', kind: 'company_effort', scale: '1-7', score: 2, respondedAt: at(5), interactionId: 'a' },
    { id: '7', kind: 'ces', scale: '1-7', score: 3, respondedAt: at(6), ticketId: 't9' },
    { id: '8', kind: 'company_effort', scale: '1-7', score: 3, respondedAt: at(6), ticketId: 't9' },
    { id: '9', kind: 'ces', scale: '1-7', score: 2, respondedAt: at(6) },
    { id: '10', kind: 'company_effort', scale: '1-7', score: 5, respondedAt: at(7), ticketId: 'lonely' },
  ];

  it('summarises every metric over the window only', () => {
    const window = { fromMs: Date.parse(at(1)), toMs: Date.parse(at(15)) };
    expect(aggregateFeedback(responses, window)).toEqual({
      nps: { responses: 2, promoters: 1, passives: 0, detractors: 1, score: 0 },
      csat: { responses: 1, satisfied: 1, percent: 100 },
      ces: { responses: 3, mean: 11 / 3 },
      companyEffort: { responses: 3, mean: 10 / 3 },
      effortRatio: {
        pairs: 2,
        meanRatio: 2,
        classes: { customer_harder: 1, balanced: 1, company_harder: 0 },
      },
    });
  });

  it('is empty outside the window', () => {
    const result = aggregateFeedback(responses, { fromMs: 0, toMs: 1 });
    expect(result.nps.score).toBeNull();
    expect(result.effortRatio).toEqual({
      pairs: 0,
      meanRatio: null,
      classes: { customer_harder: 0, balanced: 0, company_harder: 0 },
    });
  });
});
