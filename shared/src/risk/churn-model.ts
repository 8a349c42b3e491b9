import type { EffortClass, IncidentType, NpsCategory, Severity } from '../domain/vocabulary.ts';
import type { Settings } from '../settings/settings-schema.ts';

/** What the churn model reads. `null` = unknown, which adds no points. */
export interface ChurnFactors {
  readonly incidentType: IncidentType;
  readonly severity: Severity;
  readonly effortClass: EffortClass;
  /** Earlier incidents in the repeat window, or recurrences of this problem, whichever is larger. */
  readonly repeatIncidents: number;
  readonly tenureYears: number | null;
  readonly npsCategory: NpsCategory | null;
  /** The latest NPS fell by at least `npsFallingBy` points since the answer before it. */
  readonly npsFalling: boolean;
}

export const RISK_FACTORS = [
  'baseline',
  'incidentType',
  'severity',
  'effortClass',
  'repeatIncidents',
  'tenure',
  'npsCategory',
  'npsFalling',
] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];

export interface ChurnRisk {
  /** P(churn | no action), 0…1. */
  readonly probability: number;
  readonly logOdds: number;
  /** Log-odds points of each factor, in RISK_FACTORS order (baseline = the intercept). */
  readonly points: Readonly<Record<RiskFactor, number>>;
}

function tenurePoints(years: number | null, tenure: Settings['risk']['tenure']): number {
  if (years === null) return 0;
  if (years < 1) return tenure.underOneYear;
  if (years < 3) return tenure.oneToThreeYears;
  return tenure.overThreeYears;
}

/**
 * A transparent logistic model: log-odds = intercept + one term per factor, P = 1 / (1 + e^−log-odds). Each
 * term is a named setting, so an agent can see what raised the risk and an admin can change it.
 */
export function computeChurnRisk(factors: ChurnFactors, risk: Settings['risk']): ChurnRisk {
  const points: Record<RiskFactor, number> = {
    baseline: risk.intercept,
    incidentType: risk.incidentType[factors.incidentType],
    severity: risk.severity[factors.severity],
    effortClass: risk.effortClass[factors.effortClass],
    repeatIncidents: Math.min(factors.repeatIncidents, risk.maxRepeatIncidents) * risk.perRepeatIncident,
    tenure: tenurePoints(factors.tenureYears, risk.tenure),
    npsCategory: factors.npsCategory === null ? 0 : risk.npsCategory[factors.npsCategory],
    npsFalling: factors.npsFalling ? risk.npsFalling : 0,
  };
  const logOdds =
    points.baseline +
    points.incidentType +
    points.severity +
    points.effortClass +
    points.repeatIncidents +
    points.tenure +
    points.npsCategory +
    points.npsFalling;
  return { probability: 1 / (1 + Math.exp(-logOdds)), logOdds, points };
}
