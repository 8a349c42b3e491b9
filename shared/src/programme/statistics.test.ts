import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  normalCdf,
  npsInterval,
  toMeanEstimate,
  toProportion,
  twoProportionTest,
  wilsonInterval,
} from './statistics.ts';

describe('wilsonInterval', () => {
  // Hand-computed: z = 1.96, 0/10 → centre = half = 0.19207/1.38415 = 0.13877; 5/10 → 0.5 ± 0.26341.
  it.each([
    [0, 10, 0, 0.2775],
    [5, 10, 0.2366, 0.7634],
    [10, 10, 0.7225, 1],
    [1, 1, 0.2065, 1],
  ])('%i of %i → [%f, %f]', (successes, n, low, high) => {
    const interval = wilsonInterval(successes, n)!;
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('has no interval without a sample', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(toProportion(0, 0)).toEqual({ successes: 0, n: 0, rate: null, interval: null });
  });

  it('carries the sample with the rate', () => {
    const share = toProportion(3, 12);
    expect(share.rate).toBe(0.25);
    expect(share.n).toBe(12);
    expect(share.interval!.low).toBeLessThan(0.25);
    expect(share.interval!.high).toBeGreaterThan(0.25);
  });
});

describe('toMeanEstimate', () => {
  it('is mean ± 1.96·s/√n (1, 2, 3 → 2 ± 1.1316)', () => {
    const estimate = toMeanEstimate(6, 14, 3);
    expect(estimate.mean).toBe(2);
    expect(estimate.interval!.low).toBeCloseTo(0.8684, 4);
    expect(estimate.interval!.high).toBeCloseTo(3.1316, 4);
  });

  it('has a mean but no interval from one answer, nothing from none', () => {
    expect(toMeanEstimate(5, 25, 1)).toEqual({ n: 1, mean: 5, interval: null });
    expect(toMeanEstimate(0, 0, 0)).toEqual({ n: 0, mean: null, interval: null });
  });
});

describe('npsInterval', () => {
  it('uses the per-answer variance p₊ + p₋ − (p₊ − p₋)² (2 promoters, 1 detractor of 4)', () => {
    // score 25; variance 0.75 − 0.0625 = 0.6875; half-width 1.96·√(0.6875/4) = 0.8126 → −56.26 … 100 (capped)
    const interval = npsInterval(2, 1, 4)!;
    expect(interval.low).toBeCloseTo(-56.26, 1);
    expect(interval.high).toBe(100);
    expect(npsInterval(0, 0, 0)).toBeNull();
  });

  it('is zero-width when every answer is a promoter', () => {
    expect(npsInterval(5, 0, 5)).toEqual({ low: 100, high: 100 });
  });
});

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1.959964, 0.975],
    [-1.644854, 0.05],
    [-3, 0.0013499],
    [2.326348, 0.99],
  ])('Φ(%f) = %f', (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 6);
  });
});

describe('twoProportionTest', () => {
  it('50/100 then 30/100: z = −0.2/√(0.4·0.6·0.02) = −2.8868, one-sided p = 0.00195', () => {
    const test = twoProportionTest({ successes: 50, n: 100 }, { successes: 30, n: 100 }, 'down');
    expect(test.z).toBeCloseTo(-2.8868, 4);
    expect(test.pValue).toBeCloseTo(0.001946, 5);
    const up = twoProportionTest({ successes: 50, n: 100 }, { successes: 30, n: 100 }, 'up');
    expect(up.pValue).toBeCloseTo(1 - 0.001946, 5);
  });

  it('finds nothing when both sides are all or nothing', () => {
    const test = twoProportionTest({ successes: 0, n: 40 }, { successes: 0, n: 40 }, 'up');
    expect(test.z).toBe(0);
    expect(test.pValue).toBeCloseTo(0.5, 6);
  });
});

describe('benjaminiHochberg', () => {
  it('adjusts p·m/rank with a running minimum from the largest', () => {
    // sorted 0.01, 0.03, 0.04, 0.5 → 0.04, 0.06, 0.0533, 0.5 → running min 0.04, 0.0533, 0.0533, 0.5
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.5]);
    expect(q[0]).toBeCloseTo(0.04, 10);
    expect(q[1]).toBeCloseTo(0.16 / 3, 10);
    expect(q[2]).toBeCloseTo(0.16 / 3, 10);
    expect(q[3]).toBeCloseTo(0.5, 10);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it('never exceeds 1', () => {
    // 0.6·2/1 = 1.2 is capped by the running minimum (0.7), itself below 1.
    expect(benjaminiHochberg([0.6, 0.7])).toEqual([0.7, 0.7]);
    for (const q of benjaminiHochberg([0.9, 0.95, 0.99])) expect(q).toBeCloseTo(0.99, 10);
  });
});
