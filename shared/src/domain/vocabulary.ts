/** The closed sets Boucle reasons with. Each is an `as const` array with its derived union. */

export const ACTIONS = ['none', 'apology', 'callback', 'compensation'] as const;
export type Action = (typeof ACTIONS)[number];

/** Strength order of the actions: a stronger action includes the care of the weaker ones. */
export const ACTION_STRENGTH = {
  none: 0,
  apology: 1,
  callback: 2,
  compensation: 3,
} as const satisfies Record<Action, number>;

/** Zendesk ticket statuses (`hold` is "on-hold"). new, open, pending and hold are live; solved and closed are not. */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** How each intervention keeps in touch: the agent's reply (apology), a phone call, or a granted gesture. */
export const FOLLOW_UP_KINDS = ['reply', 'call', 'compensate'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_RANK = { low: 0, normal: 1, high: 2, urgent: 3 } as const satisfies Record<
  Priority,
  number
>;

export const VALUE_TIERS = ['platinum', 'gold', 'silver', 'bronze'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

export const INCIDENT_TYPES = [
  'billing',
  'delivery',
  'product_defect',
  'service_outage',
  'service_quality',
  'staff_behaviour',
  'other',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const satisfies Record<
  Severity,
  number
>;

export const CHANNELS = [
  'email',
  'phone',
  'chat',
  'web',
  'social',
  'messaging',
  'in_person',
  'other',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const EFFORT_CLASSES = ['customer_harder', 'balanced', 'company_harder'] as const;
export type EffortClass = (typeof EFFORT_CLASSES)[number];

/** Where an effort figure comes from: both sides surveyed, one side surveyed, or neither. */
export const EFFORT_SOURCES = ['measured', 'partial', 'estimated'] as const;
export type EffortSource = (typeof EFFORT_SOURCES)[number];

export const NPS_CATEGORIES = ['detractor', 'passive', 'promoter'] as const;
export type NpsCategory = (typeof NPS_CATEGORIES)[number];

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in both languages Boucle speaks. */
export interface LocalizedText {
  readonly en: string;
  readonly fr: string;
}
