import { describe, expect, it } from 'vitest';
import { parseProgrammeQuery } from './parse-programme-query.ts';

const NOW = Date.parse('2026-11-15T10:00:00Z');

describe('parseProgrammeQuery', () => {
  it('defaults to the 12 months before the current month, no cut, no bucket', () => {
    expect(parseProgrammeQuery({}, NOW)).toEqual({
      success: true,
      data: {
        fromMs: Date.parse('2025-11-01T00:00:00Z'),
        toMs: Date.parse('2026-11-01T00:00:00Z'),
        by: [],
        bucket: null,
      },
    });
  });

  it('reads dates, instants, cuts (deduplicated) and a bucket', () => {
    const result = parseProgrammeQuery(
      { from: '2026-01-01', to: '2026-04-01T12:00:00Z', by: 'region, product,region', bucket: 'week' },
      NOW,
    );
    expect(result).toEqual({
      success: true,
      data: {
        fromMs: Date.parse('2026-01-01T00:00:00Z'),
        toMs: Date.parse('2026-04-01T12:00:00Z'),
        by: ['region', 'product'],
        bucket: 'week',
      },
    });
  });

  it('lists every bad value with what to write instead', () => {
    const result = parseProgrammeQuery({ from: '01/02/2026', by: 'region,colour', bucket: 'day' }, NOW);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.map((issue) => issue.path)).toEqual(['from', 'by', 'bucket']);
    expect(result.issues[0]!.message).toContain('2026-01-01');
    expect(result.issues[1]!.message).toContain('tier, segment, product');
    expect(result.issues[2]!.message).toContain('week or month');
  });

  it('refuses an empty period', () => {
    const result = parseProgrammeQuery({ from: '2026-05-01', to: '2026-05-01' }, NOW);
    expect(result).toEqual({
      success: false,
      issues: [{ path: 'from', message: 'from must be before to (to is exclusive).' }],
    });
  });
});
