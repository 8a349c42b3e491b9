/**
 * Boucle's data model inside Zendesk: one source of truth for the keys that the sync writes, the automation
 * service reads and writes, the sidebar reads, and `requirements.json` provisions.
 * Every key and tag Boucle owns starts with `boucle_`, so Boucle never touches what it does not own.
 */

export const BOUCLE_PREFIX = 'boucle_';

/** CRM value profile, written on organisations (Salesforce Accounts) and users (Salesforce Contacts). */
export const CRM_FIELD_KEYS = {
  valueTier: 'boucle_value_tier',
  lifetimeRevenue: 'boucle_lifetime_revenue',
  revenue12m: 'boucle_revenue_12m',
  marginRate: 'boucle_margin_rate',
  orders12m: 'boucle_orders_12m',
  lastOrderDate: 'boucle_last_order_date',
  openPipeline: 'boucle_open_pipeline',
  customerSince: 'boucle_customer_since',
  segment: 'boucle_segment',
  region: 'boucle_region',
  productLine: 'boucle_product_line',
  /** JSON array of the most recent transactions (orders and opportunities), newest first, at most 10. */
  recentTransactions: 'boucle_recent_transactions',
  crmSyncedAt: 'boucle_crm_synced_at',
} as const;

export type CrmFieldName = keyof typeof CRM_FIELD_KEYS;

/** Zendesk field type of each CRM field (user_fields / organization_fields `type`). */
export const CRM_FIELD_TYPES = {
  valueTier: 'text',
  lifetimeRevenue: 'decimal',
  revenue12m: 'decimal',
  marginRate: 'decimal',
  orders12m: 'integer',
  lastOrderDate: 'date',
  openPipeline: 'decimal',
  customerSince: 'date',
  segment: 'text',
  region: 'text',
  productLine: 'text',
  recentTransactions: 'textarea',
  crmSyncedAt: 'text',
} as const satisfies Record<CrmFieldName, 'text' | 'textarea' | 'decimal' | 'integer' | 'date'>;

/** Custom objects (v2) keys. */
export const CUSTOM_OBJECT_KEYS = {
  feedback: 'boucle_feedback',
  intervention: 'boucle_intervention',
} as const;

/** Fields of the feedback custom object: one record per survey answer. `external_id` deduplicates. */
export const FEEDBACK_FIELD_KEYS = {
  kind: 'kind', // nps | csat | ces | company_effort
  score: 'score',
  scale: 'scale', // e.g. 0-10, 1-5, 1-3, 2, good_bad, 1-7
  comment: 'comment',
  channel: 'channel',
  touchpoint: 'touchpoint',
  respondedAt: 'responded_at',
  ticketId: 'ticket_id',
  userId: 'user', // lookup to the Zendesk user
  source: 'source', // survey_api | csv_import | zendesk_csat
} as const;

/** Fields of the intervention ledger custom object: one record per decision, updated as the loop moves. */
export const INTERVENTION_FIELD_KEYS = {
  ticketId: 'ticket_id',
  userId: 'user',
  action: 'action', // none | apology | callback | compensation
  compensationTier: 'compensation_tier',
  priority: 'priority',
  expectedValue: 'expected_value',
  cost: 'cost',
  status: 'status', // recommended | applied | overridden | contacted | closed
  dueAt: 'due_at',
  outcome: 'outcome', // contacted | resolved | compensated | recovered | lost
  overrideReason: 'override_reason',
  decidedAt: 'decided_at',
  summary: 'summary',
} as const;

/** Ticket fields provisioned by requirements.json; referenced by title at install time, then by id. */
export const TICKET_FIELD_TITLES = {
  intervention: 'Boucle intervention',
  callbackDueAt: 'Boucle callback due (UTC)',
} as const;

/** Tags Boucle sets on tickets. Only tags starting with `boucle_` are ever added or removed. */
export const BOUCLE_TAGS = {
  action: (action: 'none' | 'apology' | 'callback' | 'compensation') => `boucle_${action}`,
  effortCustomerHarder: 'boucle_effort_customer_harder',
  effortEstimated: 'boucle_effort_estimated',
  callbackDueSoon: 'boucle_callback_due_soon',
  callbackOverdue: 'boucle_callback_overdue',
  ruleForced: 'boucle_rule_forced',
  followUp: 'boucle_follow_up',
} as const;

export function isBoucleTag(tag: string): boolean {
  return tag.startsWith(BOUCLE_PREFIX);
}
