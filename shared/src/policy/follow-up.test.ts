import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_KINDS } from '../domain/vocabulary.ts';
import { FOLLOW_UP_OF, FOLLOW_UP_TEXTS, followUpKindOf } from './follow-up.ts';

describe('follow-up promises', () => {
  it('gives each action its own follow-up, and none to no action or an unknown one', () => {
    expect(followUpKindOf('apology')).toBe('reply');
    expect(followUpKindOf('callback')).toBe('call');
    expect(followUpKindOf('compensation')).toBe('compensate');
    expect(followUpKindOf('none')).toBeNull();
    expect(followUpKindOf('gift')).toBeNull();
    expect(Object.values(FOLLOW_UP_OF).filter((kind) => kind !== null)).toEqual([...FOLLOW_UP_KINDS]);
  });

  it('says the task, the clock and the overdue time with the hours and the due time, in both languages', () => {
    for (const kind of FOLLOW_UP_KINDS) {
      const texts = FOLLOW_UP_TEXTS[kind];
      for (const locale of ['en', 'fr'] as const) {
        expect(texts.dueLabel[locale].length).toBeGreaterThan(0);
        expect(texts.task[locale]('22/11 10:00')).toContain('22/11 10:00');
        expect(texts.dueIn[locale](5)).toContain('5 h');
        expect(texts.overdue[locale](3)).toContain('3 h');
      }
    }
  });

  it('promises a call only for a callback, and a written confirmation for a compensation', () => {
    expect(FOLLOW_UP_TEXTS.call.customerPromise.en('Monday')).toContain('call you before Monday');
    expect(FOLLOW_UP_TEXTS.call.customerPromise.fr('lundi')).toContain('appeler avant le lundi');
    for (const locale of ['en', 'fr'] as const) {
      expect(FOLLOW_UP_TEXTS.reply.customerPromise[locale]('x')).toBe('');
      expect(FOLLOW_UP_TEXTS.compensate.customerPromise[locale]('x')).not.toMatch(/call|appel/i);
    }
    expect(FOLLOW_UP_TEXTS.compensate.customerPromise.en('Monday')).toContain('written confirmation');
    expect(FOLLOW_UP_TEXTS.compensate.task.fr('lundi')).toContain('par écrit');
  });
});
