import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateOrTimestampSchema, formatIsoUtc, parseIsoMs } from './time.ts';

describe('parseIsoMs', () => {
  it.each([
    '2026-11-22',
    '2026-11-22T10:00:00Z',
    '2026-11-22T10:00:00.5Z',
    '2026-11-22T10:00:00.123Z',
    '2026-11-22T10:00:00.123456Z',
    '2026-11-22T10:00:00+01:00',
    '2026-11-22T00:30:00-05:30',
    '2024-02-29T23:59:59.999Z',
    '1970-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '2000-03-01',
    '0099-01-01T00:00:00Z',
  ])('reads %s as Date.parse does', (text) => {
    expect(dateOrTimestampSchema.safeParse(text).success).toBe(true);
    expect(parseIsoMs(text)).toBe(Date.parse(text));
  });

  it('agrees with Date.parse and Date#toISOString on any instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('0001-01-01T00:00:00Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }),
        (ms) => {
          const iso = new Date(ms).toISOString();
          expect(formatIsoUtc(ms)).toBe(iso);
          expect(parseIsoMs(iso)).toBe(ms);
        },
      ),
    );
  });
});
