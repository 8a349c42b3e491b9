import { describe, expect, it } from 'vitest';
import { computeValueAtRisk, computeValueTier } from './compute-value-tier.ts';

const thresholds = { platinum: 100_000, gold: 25_000, silver: 5_000 };

describe('computeValueTier', () => {
  it.each([
    [{ revenue12m: 150_000 }, 0, 'platinum'],
    [{ revenue12m: 100_000 }, 0, 'platinum'],
    [{ revenue12m: 99_999 }, 0, 'gold'],
    [{ revenue12m: 25_000 }, 0, 'gold'],
    [{ revenue12m: 5_000 }, 0, 'silver'],
    [{ revenue12m: 4_999 }, 0, 'bronze'],
    [{ revenue12m: 0 }, 0, 'bronze'],
    [{ revenue12m: 20_000, openPipeline: 20_000 }, 0.25, 'gold'],
    [{ revenue12m: 20_000, openPipeline: 20_000 }, 0, 'silver'],
  ] as const)('%j with pipeline weight %d → %s', (facts, weight, tier) => {
    expect(computeValueTier(facts, thresholds, weight)).toBe(tier);
  });

  it('ignores the pipeline unless weighted', () => {
    expect(computeValueTier({ revenue12m: 0, openPipeline: 1e9 }, thresholds)).toBe('bronze');
  });
});

describe('computeValueAtRisk', () => {
  const settings = { horizonMonths: 24, defaultMarginRate: 0.3, pipelineWeight: 0.25 };
  it.each([
    [{ revenue12m: 10_000, openPipeline: 0, marginRate: 0.5 }, 10_000],
    [{ revenue12m: 10_000, openPipeline: 0 }, 6_000],
    [{ revenue12m: 10_000, openPipeline: 8_000, marginRate: 0.5 }, 11_000],
    [{ revenue12m: 0, openPipeline: 0 }, 0],
  ])('%j → %d', (facts, expected) => {
    expect(computeValueAtRisk(facts, settings)).toBeCloseTo(expected, 9);
  });
});
