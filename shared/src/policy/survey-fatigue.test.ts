import { describe, expect, it } from 'vitest';
import { surveyFatigue } from './survey-fatigue.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20);

describe('survey fatigue', () => {
  it('skips within N days of the last answer, not on the Nth day', () => {
    const facts = (daysAgo: number) => ({ lastAnsweredAt: NOW - daysAgo * DAY, otherLoops: [] });
    expect(surveyFatigue(facts(29), NOW, 30)).toEqual({ skip: true, reasons: ['answered_recently'] });
    expect(surveyFatigue(facts(30), NOW, 30)).toEqual({ skip: false, reasons: [] });
    expect(surveyFatigue({ lastAnsweredAt: null, otherLoops: [] }, NOW, 30).skip).toBe(false);
  });

  it('skips while another loop is open (an action, not closed, under 90 days old)', () => {
    const loop = (action: string, closed: boolean, daysAgo: number) => ({
      lastAnsweredAt: null,
      otherLoops: [{ action, closed, decidedAt: NOW - daysAgo * DAY }],
    });
    expect(surveyFatigue(loop('callback', false, 3), NOW, 30)).toEqual({
      skip: true,
      reasons: ['loop_open'],
    });
    expect(surveyFatigue(loop('callback', true, 3), NOW, 30).skip).toBe(false);
    expect(surveyFatigue(loop('none', false, 3), NOW, 30).skip).toBe(false);
    expect(surveyFatigue(loop('apology', false, 91), NOW, 30).skip).toBe(false);
  });

  it('is off at 0 days', () => {
    expect(surveyFatigue({ lastAnsweredAt: NOW - DAY, otherLoops: [] }, NOW, 0)).toEqual({
      skip: false,
      reasons: [],
    });
  });
});
