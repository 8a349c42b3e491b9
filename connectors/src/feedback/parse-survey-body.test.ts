import { describe, expect, it } from 'vitest';
import { parseSurveyBody } from './parse-survey-body.ts';

describe('parseSurveyBody', () => {
  it('accepts one answer object', () => {
    const result = parseSurveyBody({
      kind: 'nps',
      score: 2,
      respondedAt: '2026-11-20T09:00:00Z',
      email: 'a@example.com',
      id: 'x1',
    });
    expect(result).toMatchObject({
      ok: true,
      events: [
        {
          idempotencyKey: 'feedback:survey_api:x1',
          kind: 'feedback.answer',
          groupKey: 'customer:a@example.com',
        },
      ],
    });
  });

  it('lists every problem of a batch with its index, and accepts nothing', () => {
    const result = parseSurveyBody({
      answers: [
        { kind: 'nps', score: 11, respondedAt: '2026-11-20T09:00:00Z', email: 'a@example.com' },
        { kind: 'ces', score: 3, respondedAt: '20/11/2026', ticketId: 5 },
        { kind: 'csat', score: 4, respondedAt: '2026-11-20T09:00:00Z', userId: 7 },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((issue) => issue.path)).toEqual([
        'answers[0].score',
        'answers[1].respondedAt',
      ]);
    }
  });

  it.each([[[]], [{ answers: 'x' }], [{ answers: Array.from({ length: 101 }, () => ({})) }]])(
    'refuses %j',
    (body) => {
      expect(parseSurveyBody(body).ok).toBe(false);
    },
  );
});
