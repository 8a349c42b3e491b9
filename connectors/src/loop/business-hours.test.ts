import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, addBusinessHours, parseBusinessHours } from './business-hours.ts';

const PARIS = parseBusinessHours('Mon-Fri 09:00-18:00 Europe/Paris');

describe('business hours', () => {
  it('parses a working week', () => {
    expect(PARIS).toEqual({
      timeZone: 'Europe/Paris',
      days: [1, 2, 3, 4, 5],
      openMinute: 540,
      closeMinute: 1080,
    });
    expect(parseBusinessHours('Sat-Mon 08:30-12:00 UTC').days).toEqual([1, 6, 7]);
    expect(parseBusinessHours('24/7')).toBe(ALWAYS_OPEN);
  });

  it.each([
    'Mon-Fri 18:00-09:00 UTC',
    'Mon-Fri 09:00-18:00 Mars/Olympus',
    'whenever',
    'Mon-Xyz 09:00-18:00 UTC',
  ])('refuses %s', (text) => {
    expect(() => parseBusinessHours(text)).toThrow();
  });

  it.each([
    // Friday 16:00 Paris (15:00Z, winter) + 24 working hours: 2 (Fri) + 9 (Mon) + 9 (Tue) + 4 → Wednesday 13:00 Paris.
    ['2026-11-20T15:00:00Z', 24, PARIS, '2026-11-25T12:00:00.000Z'],
    // Saturday: the clock starts Monday 09:00 Paris.
    ['2026-11-21T10:00:00Z', 2, PARIS, '2026-11-23T10:00:00.000Z'],
    // Across the spring DST change (Sunday 29 March 2026): Friday 17:00 + 2 h → Monday 10:00 CEST = 08:00Z.
    ['2026-03-27T16:00:00Z', 2, PARIS, '2026-03-30T08:00:00.000Z'],
    ['2026-11-20T15:00:00Z', 24, ALWAYS_OPEN, '2026-11-21T15:00:00.000Z'],
  ] as const)('%s + %d h', (start, hours, calendar, due) => {
    expect(addBusinessHours(new Date(start), hours, calendar).toISOString()).toBe(due);
  });
});
