import {
  CHANNELS,
  EFFORT_CLASSES,
  EFFORT_SOURCES,
  INCIDENT_TYPES,
  NPS_CATEGORIES,
  SEVERITIES,
  VALUE_TIERS,
} from '../domain/vocabulary.ts';

export type FactType = 'number' | 'string' | 'boolean';
export type FactValue = number | string | boolean | null;

interface FactDefinition {
  readonly type: FactType;
  /** For string facts with a closed set of values: rule values are checked against it. */
  readonly values?: readonly string[];
}

/**
 * Every fact a rule can read. Boucle computes all of them before the rules run (no lazy or async facts), so a
 * rule is a pure function of these values. `null` means unknown (e.g. no NPS answer yet); every comparison with
 * an unknown fact is false.
 */
export const FACT_CATALOGUE = {
  'incident.type': { type: 'string', values: INCIDENT_TYPES },
  'incident.severity': { type: 'string', values: SEVERITIES },
  'incident.companyAtFault': { type: 'boolean' },
  'incident.recurrence': { type: 'number' },
  'incident.contacts': { type: 'number' },
  'incident.reopens': { type: 'number' },
  'incident.transfers': { type: 'number' },
  'incident.channelSwitches': { type: 'number' },
  'incident.waitingHours': { type: 'number' },
  'incident.channel': { type: 'string', values: CHANNELS },
  'incident.monetaryLoss': { type: 'number' },
  'customer.tier': { type: 'string', values: VALUE_TIERS },
  'customer.revenue12m': { type: 'number' },
  'customer.lifetimeRevenue': { type: 'number' },
  'customer.marginRate': { type: 'number' },
  'customer.orders12m': { type: 'number' },
  'customer.openPipeline': { type: 'number' },
  'customer.tenureYears': { type: 'number' },
  'customer.daysSinceLastOrder': { type: 'number' },
  'customer.segment': { type: 'string' },
  'customer.region': { type: 'string' },
  'customer.productLine': { type: 'string' },
  'effort.class': { type: 'string', values: EFFORT_CLASSES },
  'effort.source': { type: 'string', values: EFFORT_SOURCES },
  'effort.ratio': { type: 'number' },
  'effort.difference': { type: 'number' },
  'effort.customer': { type: 'number' },
  'effort.company': { type: 'number' },
  'effort.phraseMatches': { type: 'number' },
  'feedback.lastNps': { type: 'number' },
  'feedback.npsCategory': { type: 'string', values: NPS_CATEGORIES },
  'feedback.lastCsatSatisfied': { type: 'boolean' },
  'history.repeatIncidents': { type: 'number' },
  'history.daysSinceLastApology': { type: 'number' },
  'history.daysSinceLastIntervention': { type: 'number' },
  'risk.churn': { type: 'number' },
  'value.atRisk': { type: 'number' },
  'value.expectedLoss': { type: 'number' },
} as const satisfies Record<string, FactDefinition>;

export type FactName = keyof typeof FACT_CATALOGUE;
export const FACT_NAMES = Object.keys(FACT_CATALOGUE) as FactName[];

/** The facts of one decision, one value per catalogue entry. */
export type Facts = Record<FactName, FactValue>;

export function isFactName(name: string): name is FactName {
  return Object.hasOwn(FACT_CATALOGUE, name);
}
