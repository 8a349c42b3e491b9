/**
 * The outcome model: how the generated customers react to an incident and to what the company does about it.
 * It plays the world, not the policy: a proportional-hazard form over hidden facts (the customer's true effort
 * class, a per-customer frailty), deliberately different from shared's logistic points model. See
 * docs/simulator.md for its assumptions and sources.
 */
import type { Action, EffortClass, IncidentType, Severity } from '../../shared/src/index.ts';

export interface OutcomeParameters {
  /** Hazard of the reference incident (medium severity, balanced effort, first incident, frailty 1). */
  readonly baseHazard: number;
  /** Hazard multiplier when the customer made more effort than the company (the seed's "4×", solved for). */
  readonly effortFactor: number;
  readonly severity: Readonly<Record<Severity, number>>;
  readonly type: Readonly<Record<IncidentType, number>>;
  /** Multiplier per earlier incident of the same customer (at most 3 counted). */
  readonly repeatFactor: number;
}

/** Shape of the frailty's gamma law (mean 1, variance 1/shape): how unequal customers are. */
export const FRAILTY_SHAPE = 2;

export const DEFAULT_OUTCOME_PARAMETERS: OutcomeParameters = {
  baseHazard: 0.1,
  effortFactor: 4,
  severity: { low: 0.6, medium: 0.9, high: 1.2, critical: 1.6 },
  type: {
    billing: 1.1,
    delivery: 0.9,
    product_defect: 1,
    service_outage: 1.1,
    service_quality: 1,
    staff_behaviour: 1.2,
    other: 1,
  },
  repeatFactor: 1.15,
};

/** What the outcome model reads of one incident: the observable facts plus its hidden truth. */
export interface OutcomeIncident {
  readonly type: IncidentType;
  readonly severity: Severity;
  readonly companyAtFault: boolean;
  /** Earlier incidents of the same customer. */
  readonly priorIncidents: number;
  readonly waitingHours: number;
  /** Hidden: how the customer really felt the effort balance. */
  readonly trueEffortClass: EffortClass;
}

/** What the company did, as the customer lives it. */
export interface Treatment {
  readonly action: Action;
  /** The callback came after 48 h (queue over capacity). */
  readonly late: boolean;
  /** The customer already got an apology in the 30 days before (boiler-plate repeats backfire). */
  readonly repeatedApology: boolean;
}

/** The incident's churn hazard without any intervention. */
export function incidentHazard(
  params: OutcomeParameters,
  incident: OutcomeIncident,
  frailty: number,
): number {
  return (
    params.baseHazard *
    (incident.trueEffortClass === 'customer_harder' ? params.effortFactor : 1) *
    params.severity[incident.severity] *
    params.type[incident.type] *
    params.repeatFactor ** Math.min(3, incident.priorIncidents) *
    frailty
  );
}

/** Recovery research (DOMAIN.md §4) as hazard multipliers (< 1 helps, > 1 hurts). */
export const RECOVERY = {
  /** Fast sincere apology. */
  apology: 0.85,
  /** Apology alone after a severe or repeated company failure: too little. */
  apologyTooLittle: 0.95,
  /** The same boiler-plate apology again within 30 days. */
  apologyRepeated: 1.1,
  /** Callback within 48 h (includes the apology). */
  callback: 0.7,
  /** Extra effect of a callback when the customer had made more effort: the company's visible effort rebalances. */
  callbackRebalance: 0.85,
  /** Compensation when the company is at fault and the failure is recurrent, severe or slowly handled. */
  compensationDeserved: 0.75,
  /** Compensation otherwise: adds little to a callback. */
  compensationOther: 0.97,
} as const;

/** Hazard multiplier of a treatment on an incident. */
export function treatmentMultiplier(incident: OutcomeIncident, treatment: Treatment): number {
  const severe = incident.severity === 'high' || incident.severity === 'critical';
  switch (treatment.action) {
    case 'none':
      return 1;
    case 'apology':
      if (treatment.repeatedApology) return RECOVERY.apologyRepeated;
      return incident.companyAtFault && (incident.severity === 'critical' || incident.priorIncidents > 0)
        ? RECOVERY.apologyTooLittle
        : RECOVERY.apology;
    case 'callback':
    case 'compensation': {
      let m = RECOVERY.callback;
      if (incident.trueEffortClass === 'customer_harder') m *= RECOVERY.callbackRebalance;
      if (treatment.action === 'compensation') {
        const deserved =
          incident.companyAtFault && (incident.priorIncidents > 0 || severe || incident.waitingHours >= 48);
        m *= deserved ? RECOVERY.compensationDeserved : RECOVERY.compensationOther;
      }
      return treatment.late ? 1 - (1 - m) / 2 : m;
    }
  }
}

/** P(the customer leaves) from the hazards of all their incidents (after treatment). */
export function churnProbability(hazards: readonly number[]): number {
  return 1 - Math.exp(-hazards.reduce((sum, h) => sum + h, 0));
}

/** One customer with incidents, for calibration. */
export interface CalibrationCustomer {
  readonly frailty: number;
  readonly incidents: readonly OutcomeIncident[];
}

interface Weights {
  /** Σ of the non-effort hazard weights of the customer's customer_harder incidents. */
  readonly harder: number;
  /** Σ of the other incidents' weights. */
  readonly other: number;
}

/** The hazard is linear in baseHazard and effortFactor: precompute each customer's two weight sums once. */
function toWeights(params: OutcomeParameters, customers: readonly CalibrationCustomer[]): Weights[] {
  const unit = { ...params, baseHazard: 1, effortFactor: 1 };
  return customers.map((customer) => {
    let harder = 0;
    let other = 0;
    for (const incident of customer.incidents) {
      const w = incidentHazard(unit, incident, customer.frailty);
      if (incident.trueEffortClass === 'customer_harder') harder += w;
      else other += w;
    }
    return { harder, other };
  });
}

function rates(
  weights: readonly Weights[],
  baseHazard: number,
  effortFactor: number,
): { overall: number; ratio: number } {
  let all = 0;
  let harder = 0;
  let harderN = 0;
  let other = 0;
  let otherN = 0;
  for (const w of weights) {
    const p = 1 - Math.exp(-baseHazard * (effortFactor * w.harder + w.other));
    all += p;
    if (w.harder > 0) {
      harder += p;
      harderN += 1;
    } else {
      other += p;
      otherN += 1;
    }
  }
  const n = Math.max(1, weights.length);
  return {
    overall: all / n,
    ratio: otherN === 0 || harderN === 0 || other === 0 ? 1 : harder / harderN / (other / otherN),
  };
}

function expectedRates(
  params: OutcomeParameters,
  customers: readonly CalibrationCustomer[],
): { overall: number; ratio: number } {
  return rates(toWeights(params, customers), params.baseHazard, params.effortFactor);
}

function bisect(lo: number, hi: number, f: (x: number) => number, target: number): number {
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Solves the base hazard and the effort factor so that, in expectation over these customers with no
 * intervention, `churn` of them leave and those who made more effort leave `factor` times as often.
 * Calibration is on expected values, never on sampled outcomes.
 */
export function calibrateOutcomeModel(
  customers: readonly CalibrationCustomer[],
  churn: number,
  factor: number,
  base: OutcomeParameters = DEFAULT_OUTCOME_PARAMETERS,
): OutcomeParameters {
  const weights = toWeights(base, customers);
  const withFactor = (effortFactor: number): OutcomeParameters => {
    const baseHazard = bisect(1e-6, 5, (h) => rates(weights, h, effortFactor).overall, churn);
    return { ...base, effortFactor, baseHazard };
  };
  const effortFactor = bisect(
    1,
    40,
    (f) => {
      const p = withFactor(f);
      return rates(weights, p.baseHazard, p.effortFactor).ratio;
    },
    factor,
  );
  return withFactor(effortFactor);
}

/** Expected figures of a parameter set over customers (no intervention). */
export function expectedChurn(
  params: OutcomeParameters,
  customers: readonly CalibrationCustomer[],
): { overall: number; ratio: number } {
  return expectedRates(params, customers);
}
