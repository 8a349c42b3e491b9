import type { ValueTier } from '../domain/vocabulary.ts';

/** Lower bounds of 12-month revenue for each tier; below `silver` a customer is `bronze`. */
export interface ValueTierThresholds {
  readonly platinum: number;
  readonly gold: number;
  readonly silver: number;
}

/** The CRM aggregates a tier is computed from (what the Salesforce sync has for an Account or a Contact). */
export interface ValueTierFacts {
  readonly revenue12m: number;
  readonly openPipeline?: number;
}

/**
 * The customer's value tier: 12-month revenue plus the open pipeline weighted by `pipelineWeight`, against the
 * thresholds. Pure, so the Salesforce sync and the decision agree on it.
 */
export function computeValueTier(
  facts: ValueTierFacts,
  thresholds: ValueTierThresholds,
  pipelineWeight = 0,
): ValueTier {
  const value = facts.revenue12m + (facts.openPipeline ?? 0) * pipelineWeight;
  if (value >= thresholds.platinum) return 'platinum';
  if (value >= thresholds.gold) return 'gold';
  if (value >= thresholds.silver) return 'silver';
  return 'bronze';
}

export interface ValueAtRiskSettings {
  readonly horizonMonths: number;
  readonly defaultMarginRate: number;
  readonly pipelineWeight: number;
}

export interface ValueAtRiskFacts {
  readonly revenue12m: number;
  readonly openPipeline: number;
  readonly marginRate?: number | undefined;
}

/**
 * The margin Boucle expects to lose if this customer leaves: the 12-month revenue run-rate over the horizon plus
 * the weighted open pipeline, times the margin rate.
 */
export function computeValueAtRisk(facts: ValueAtRiskFacts, settings: ValueAtRiskSettings): number {
  const margin = facts.marginRate ?? settings.defaultMarginRate;
  const revenue =
    (facts.revenue12m * settings.horizonMonths) / 12 + facts.openPipeline * settings.pipelineWeight;
  return revenue * margin;
}
