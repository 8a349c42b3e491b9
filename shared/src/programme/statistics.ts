/**
 * The few statistics the programme view needs, written out (a handful of textbook formulas; a statistics library
 * would be shared/'s only dependency besides zod). Every interval is at 95 % unless a `z` is passed.
 */

/** z of a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** A share with its sample: `successes` of `n`, the rate (0…1, null when n = 0) and its Wilson score interval. */
export interface Proportion {
  readonly successes: number;
  readonly n: number;
  readonly rate: number | null;
  /** Wilson score interval (95 %); null when n = 0. */
  readonly interval: Interval | null;
}

/**
 * Wilson score interval of `successes` out of `n`: centre (p + z²/2n) / (1 + z²/n), half-width
 * z·√(p(1−p)/n + z²/4n²) / (1 + z²/n). Unlike p ± z·√(p(1−p)/n) it stays within 0…1 and is not zero-width at
 * 0 or n successes, which matters for the small cells of a cut.
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function toProportion(successes: number, n: number): Proportion {
  return { successes, n, rate: n === 0 ? null : successes / n, interval: wilsonInterval(successes, n) };
}

/** A mean with its sample and a normal-approximation interval (mean ± z·s/√n, s the sample standard deviation). */
export interface MeanEstimate {
  readonly n: number;
  readonly mean: number | null;
  /** null when n < 2 (no spread to estimate). */
  readonly interval: Interval | null;
}

export function toMeanEstimate(sum: number, sumOfSquares: number, n: number, z = Z_95): MeanEstimate {
  if (n === 0) return { n, mean: null, interval: null };
  const mean = sum / n;
  if (n < 2) return { n, mean, interval: null };
  const variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  const half = z * Math.sqrt(variance / n);
  return { n, mean, interval: { low: mean - half, high: mean + half } };
}

/**
 * Interval of an NPS (−100…100) from its promoters and detractors among n answers: each answer scores +1, 0 or −1,
 * so the variance of one answer is p₊ + p₋ − (p₊ − p₋)², and NPS ± z·100·√(variance/n). Normal approximation:
 * read it as indicative below ~30 answers.
 */
export function npsInterval(promoters: number, detractors: number, n: number, z = Z_95): Interval | null {
  if (n === 0) return null;
  const plus = promoters / n;
  const minus = detractors / n;
  const score = plus - minus;
  const half = z * Math.sqrt(Math.max(0, plus + minus - score * score) / n);
  return { low: Math.max(-100, (score - half) * 100), high: Math.min(100, (score + half) * 100) };
}

/**
 * The standard normal distribution function Φ(x), by the complementary error function of Numerical Recipes
 * (erfcc, Chebyshev fit, fractional error below 1.2·10⁻⁷ everywhere).
 */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.5 * (Math.abs(x) / Math.SQRT2));
  const y =
    t *
    Math.exp(
      -(x * x) / 2 -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  // y = erfc(|x|/√2); Φ(x) = 1 − y/2 for x ≥ 0.
  return x >= 0 ? 1 - y / 2 : y / 2;
}

export interface TwoProportionTest {
  /** (p₂ − p₁) / √(p̂(1−p̂)(1/n₁ + 1/n₂)), p̂ the pooled rate; 0 when the pooled rate is 0 or 1. */
  readonly z: number;
  /** One-sided p-value of a rise (p₂ > p₁) when `direction` is "up", of a fall when "down". */
  readonly pValue: number;
}

/**
 * Pooled two-proportion z-test of `after` against `before`, one-sided in the direction given. The usual normal
 * approximation; callers require a minimum sample on each side before trusting it.
 */
export function twoProportionTest(
  before: { readonly successes: number; readonly n: number },
  after: { readonly successes: number; readonly n: number },
  direction: 'up' | 'down',
): TwoProportionTest {
  const pooled = (before.successes + after.successes) / (before.n + after.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / before.n + 1 / after.n));
  const z = se === 0 ? 0 : (after.successes / after.n - before.successes / before.n) / se;
  return { z, pValue: direction === 'up' ? 1 - normalCdf(z) : normalCdf(z) };
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the order given: q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎·m/j.
 * Raising a sign when q ≤ 0.05 keeps the expected share of false alarms among the signs raised at 5 % or less
 * (for independent or positively dependent tests).
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank -= 1) {
    const item = order[rank - 1]!;
    running = Math.min(running, (item.p * m) / rank);
    adjusted[item.index] = running;
  }
  return adjusted;
}
