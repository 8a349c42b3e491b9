import { normalCdf, Z_95, type Interval } from './statistics.ts';

/**
 * The statistics of test and learn: the difference between two arms with its 95 % interval and two-sided p-value,
 * and the sample each arm needs to detect a given difference. Textbook normal approximations, written out.
 */

/** z of the power: Φ⁻¹(0.80). */
export const Z_POWER_80 = 0.8416212335729143;
export const ALPHA = 0.05;
export const POWER = 0.8;

export interface Difference {
  /** a − b. */
  readonly difference: number;
  /** 95 % interval of a − b; null when it cannot be estimated. */
  readonly interval: Interval | null;
  /** Two-sided p-value of "no difference"; null when it cannot be computed. */
  readonly pValue: number | null;
}

const twoSided = (z: number): number => Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));

/**
 * Difference of two proportions a − b (successes of n): interval (p_a − p_b) ± z·√(p_a(1−p_a)/n_a + p_b(1−p_b)/n_b)
 * (unpooled Wald), p-value of the pooled z-test z = (p_a − p_b) / √(p̂(1−p̂)(1/n_a + 1/n_b)). Null parts when an
 * arm is empty; an interval needs each arm at 2 or more.
 */
export function differenceOfProportions(
  a: { readonly successes: number; readonly n: number },
  b: { readonly successes: number; readonly n: number },
): Difference | null {
  if (a.n === 0 || b.n === 0) return null;
  const pa = a.successes / a.n;
  const pb = b.successes / b.n;
  const difference = pa - pb;
  if (a.n < 2 || b.n < 2) return { difference, interval: null, pValue: null };
  const se = Math.sqrt((pa * (1 - pa)) / a.n + (pb * (1 - pb)) / b.n);
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  return {
    difference,
    interval: { low: difference - Z_95 * se, high: difference + Z_95 * se },
    pValue: pooledSe === 0 ? (difference === 0 ? 1 : 0) : twoSided(difference / pooledSe),
  };
}

/** Sum, sum of squares and count of one arm's values. */
export interface MeanSums {
  readonly n: number;
  readonly sum: number;
  readonly sumOfSquares: number;
}

/** Sample variance (n − 1 denominator); null below 2 values. */
export function sampleVariance(sums: MeanSums): number | null {
  if (sums.n < 2) return null;
  const mean = sums.sum / sums.n;
  return Math.max(0, (sums.sumOfSquares - sums.n * mean * mean) / (sums.n - 1));
}

/**
 * Difference of two means a − b (Welch, normal approximation): interval (m_a − m_b) ± z·√(s_a²/n_a + s_b²/n_b),
 * p-value 2·(1 − Φ(|m_a − m_b| / se)). Read as indicative below ~30 per arm.
 */
export function differenceOfMeans(a: MeanSums, b: MeanSums): Difference | null {
  if (a.n === 0 || b.n === 0) return null;
  const difference = a.sum / a.n - b.sum / b.n;
  const va = sampleVariance(a);
  const vb = sampleVariance(b);
  if (va === null || vb === null) return { difference, interval: null, pValue: null };
  const se = Math.sqrt(va / a.n + vb / b.n);
  return {
    difference,
    interval: { low: difference - Z_95 * se, high: difference + Z_95 * se },
    pValue: se === 0 ? (difference === 0 ? 1 : 0) : twoSided(difference / se),
  };
}

/**
 * Observations needed in each of two equal arms to detect a difference `effect` between proportions around
 * `baseline` (p₁ = baseline, p₂ = baseline + effect, clamped to 0…1), two-sided α = 0.05, power 80 %:
 *
 *     n = ( z₀.₉₇₅·√(2·p̄(1−p̄)) + z₀.₈₀·√(p₁(1−p₁) + p₂(1−p₂)) )² / (p₂ − p₁)²,  p̄ = (p₁ + p₂)/2
 *
 * rounded up (Fleiss, without continuity correction). Null when the effect is 0.
 */
export function sampleSizeForProportions(baseline: number, effect: number): number | null {
  const p1 = Math.min(1, Math.max(0, baseline));
  let p2 = p1 + effect;
  if (p2 > 1) p2 = p1 - effect;
  const delta = Math.abs(p2 - p1);
  if (!(delta > 0)) return null;
  const mean = (p1 + p2) / 2;
  const root =
    Z_95 * Math.sqrt(2 * mean * (1 - mean)) + Z_POWER_80 * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((root * root) / (delta * delta));
}

/**
 * Observations needed in each arm to detect a difference `effect` between two means of standard deviation `sd`,
 * two-sided α = 0.05, power 80 %: n = 2·(z₀.₉₇₅ + z₀.₈₀)²·σ² / δ², rounded up. Null when the effect is 0.
 */
export function sampleSizeForMeans(sd: number, effect: number): number | null {
  if (!(effect > 0)) return null;
  const z = Z_95 + Z_POWER_80;
  return Math.ceil((2 * z * z * sd * sd) / (effect * effect));
}
