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
    '1899-12-31T23:59:59.999Z',
    '1900-01-01T00:00:00Z',
    '2199-12-31T23:59:59Z',
    '2200-01-01',
    '2100-02-28T12:00:00Z',
    '2100-03-01',
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

  it('agrees with Date.parse on the years of the fast table (1900–2199), offsets included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1900-01-01T00:00:00Z'), max: Date.parse('2199-12-31T23:59:59.999Z') }),
        fc.constantFrom('Z', '+01:00', '-05:30', '+14:00'),
        (ms, offset) => {
          const iso = new Date(ms).toISOString().replace('Z', offset);
          expect(parseIsoMs(iso)).toBe(Date.parse(iso));
          expect(parseIsoMs(iso.slice(0, 10))).toBe(Date.parse(iso.slice(0, 10)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
