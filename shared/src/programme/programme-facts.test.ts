import { describe, expect, it } from 'vitest';
import { addMonths, customerEffortOf, cutOf, isoWeekOf, isSatisfied, monthOf } from './programme-facts.ts';

describe('programme facts', () => {
  it.each([
    ['1-5', 4, true],
    ['1-5', 3, false],
    ['1-3', 3, true],
    ['1-3', 2, false],
    ['1-2', 2, true],
    ['1-2', 1, false],
    ['good_bad', 1, true],
    ['good_bad', 0, false],
  ] as const)('on %s, %i is satisfied: %s', (scale, score, satisfied) => {
    expect(isSatisfied(scale, score)).toBe(satisfied);
  });

  it('reverses the agree form of CES', () => {
    expect(customerEffortOf('1-7_agree', 7)).toBe(1);
    expect(customerEffortOf('1-7', 7)).toBe(7);
  });

  it.each([
    ['2026-01-01T00:00:00Z', '2026-01', '2026-W01'],
    ['2021-01-03T12:00:00Z', '2021-01', '2020-W53'],
    ['2026-12-31T23:00:00Z', '2026-12', '2026-W53'],
    ['2024-12-30T00:00:00Z', '2024-12', '2025-W01'],
  ])('%s is in month %s and week %s', (iso, month, week) => {
    expect(monthOf(Date.parse(iso))).toBe(month);
    expect(isoWeekOf(Date.parse(iso))).toBe(week);
  });

  it('moves by calendar months to the first of the month', () => {
    expect(new Date(addMonths(Date.parse('2026-11-15T10:00:00Z'), -3)).toISOString()).toBe(
      '2026-08-01T00:00:00.000Z',
    );
    expect(new Date(addMonths(Date.parse('2026-11-15T10:00:00Z'), 2)).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });

  it('reads a missing cut as unknown', () => {
    expect(cutOf({ region: 'France' }, 'region')).toBe('France');
    expect(cutOf({}, 'product')).toBe('(unknown)');
  });
});
