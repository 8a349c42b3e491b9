import { describe, expect, it } from 'vitest';
import {
  Z_POWER_80,
  differenceOfMeans,
  differenceOfProportions,
  sampleSizeForMeans,
  sampleSizeForProportions,
} from './experiment-statistics.ts';

describe('experiment statistics (hand-computed)', () => {
  it('differs two proportions: 30/100 against 20/100', () => {
    // se = √(0.3·0.7/100 + 0.2·0.8/100) = √0.0037 = 0.060828; 1.96·se = 0.11922 → [−0.0192, 0.2192].
    // pooled p̂ = 0.25: √(0.1875·0.02) = 0.061237, z = 0.1 / 0.061237 = 1.63299, two-sided p = 0.1025.
    const d = differenceOfProportions({ successes: 30, n: 100 }, { successes: 20, n: 100 })!;
    expect(d.difference).toBeCloseTo(0.1, 12);
    expect(d.interval!.low).toBeCloseTo(-0.01922, 4);
    expect(d.interval!.high).toBeCloseTo(0.21922, 4);
    expect(d.pValue!).toBeCloseTo(0.1025, 3);
  });

  it('says nothing without data, and gives no interval below two per arm', () => {
    expect(differenceOfProportions({ successes: 0, n: 0 }, { successes: 1, n: 3 })).toBeNull();
    expect(differenceOfProportions({ successes: 1, n: 1 }, { successes: 1, n: 3 })).toEqual({
      difference: 1 - 1 / 3,
      interval: null,
      pValue: null,
    });
  });

  it('differs two means (Welch): [1, 2, 3, 4] against [0, 0, 1, 1]', () => {
    // means 2.5 and 0.5; variances 5/3 and 1/3; se = √(5/12 + 1/12) = √0.5 = 0.70711;
    // 2 ± 1.95996·0.70711 = [0.6141, 3.3859]; z = 2.82843, p = 2·(1 − Φ(2.82843)) = 0.00468.
    const sums = (values: number[]) => ({
      n: values.length,
      sum: values.reduce((a, b) => a + b, 0),
      sumOfSquares: values.reduce((a, b) => a + b * b, 0),
    });
    const d = differenceOfMeans(sums([1, 2, 3, 4]), sums([0, 0, 1, 1]))!;
    expect(d.difference).toBe(2);
    expect(d.interval!.low).toBeCloseTo(0.6141, 4);
    expect(d.interval!.high).toBeCloseTo(3.3859, 4);
    expect(d.pValue!).toBeCloseTo(0.00468, 4);
  });

  it('sizes the sample for 80 % power at α = 0.05 two-sided', () => {
    expect(Z_POWER_80).toBeCloseTo(0.841621, 6);
    // 50 % → 60 %: p̄ = 0.55; (1.95996·√0.495 + 0.84162·√0.49)² / 0.01 = (1.37895 + 0.58913)² / 0.01 = 387.34 → 388.
    expect(sampleSizeForProportions(0.5, 0.1)).toBe(388);
    // Symmetric near 1: 95 % + 10 points is past 1, so 95 % → 85 % is sized instead.
    expect(sampleSizeForProportions(0.95, 0.1)).toBe(sampleSizeForProportions(0.85, 0.1));
    expect(sampleSizeForProportions(0.5, 0)).toBeNull();
    // σ = 1, δ = 0.5: 2·(1.95996 + 0.84162)²/0.25 = 62.79 → 63 per arm.
    expect(sampleSizeForMeans(1, 0.5)).toBe(63);
    expect(sampleSizeForMeans(1, 0)).toBeNull();
  });
});
