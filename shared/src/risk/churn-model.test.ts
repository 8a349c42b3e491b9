import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/parse-settings.ts';
import { computeChurnRisk } from './churn-model.ts';
import type { ChurnFactors } from './churn-model.ts';

const reference: ChurnFactors = {
  incidentType: 'delivery',
  severity: 'medium',
  effortClass: 'balanced',
  repeatIncidents: 0,
  tenureYears: null,
  npsCategory: null,
  npsFalling: false,
};
const risk = DEFAULT_SETTINGS.risk;

describe('computeChurnRisk', () => {
  it('is 8.6% on the reference incident and 34.3% when the customer made more effort (DOMAIN.md §3)', () => {
    expect(computeChurnRisk(reference, risk).probability).toBeCloseTo(0.0857, 4);
    expect(computeChurnRisk({ ...reference, effortClass: 'customer_harder' }, risk).probability).toBeCloseTo(
      0.3429,
      4,
    );
  });

  it.each([
    [{ severity: 'low' }, 'severity', -0.5],
    [{ severity: 'critical' }, 'severity', 0.8],
    [{ incidentType: 'staff_behaviour' }, 'incidentType', 0.4],
    [{ effortClass: 'company_harder' }, 'effortClass', 0],
    [{ repeatIncidents: 2 }, 'repeatIncidents', 0.6],
    [{ repeatIncidents: 9 }, 'repeatIncidents', 0.9],
    [{ tenureYears: 0.5 }, 'tenure', 0.3],
    [{ tenureYears: 2 }, 'tenure', 0],
    [{ tenureYears: 3 }, 'tenure', -0.3],
    [{ npsCategory: 'detractor' }, 'npsCategory', 0.5],
    [{ npsCategory: 'promoter' }, 'npsCategory', -0.5],
    [{ npsFalling: true }, 'npsFalling', 0.3],
  ] satisfies [Partial<ChurnFactors>, string, number][])(
    '%j adds %s points %d',
    (overrides, factor, points) => {
      const result = computeChurnRisk({ ...reference, ...overrides }, risk);
      expect(result.points[factor as keyof typeof result.points]).toBeCloseTo(points, 9);
      expect(result.logOdds).toBeCloseTo(risk.intercept + points, 9);
      expect(result.probability).toBeCloseTo(1 / (1 + Math.exp(-result.logOdds)), 12);
    },
  );

  it('uses overridden coefficients', () => {
    const custom = { ...risk, intercept: 0, severity: { ...risk.severity, medium: 0 } };
    expect(computeChurnRisk(reference, custom).probability).toBe(0.5);
  });
});
