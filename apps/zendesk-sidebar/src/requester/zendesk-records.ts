import {
  CRM_FIELD_KEYS,
  CUSTOM_OBJECT_KEYS,
  FEEDBACK_FIELD_KEYS,
  INTERVENTION_FIELD_KEYS,
} from '../../../../shared/src/zendesk/data-model.ts';
import { crmSourceOf, type CrmSource } from '../../../../shared/src/zendesk/crm-source.ts';

/** What the sidebar reads from Zendesk about a requester, already parsed from the API's JSON. */
export interface RequesterData {
  readonly user: RequesterUser;
  readonly organization: { readonly id: number; readonly name: string } | null;
  /** The custom fields of the user and of their organisation, as Zendesk returned them (the decision reads them). */
  readonly userFields: Readonly<Record<string, unknown>> | null;
  readonly organizationFields: Readonly<Record<string, unknown>> | null;
  /** CRM values synced by the connector, from the one source the decision reads; null for a new customer. */
  readonly crm: CrmValues | null;
  /** Whose `crm` is: the account's (organisation) or the contact's (user). */
  readonly crmSource: CrmReading['crmSource'];
  /** The contact's own figures where the user record holds some apart from the account's. */
  readonly contactCrm: CrmReading['contactCrm'];
  readonly feedback: readonly FeedbackRecord[];
  readonly interventions: readonly InterventionRecord[];
  /** Sections that could not be loaded (the rest is still shown). */
  readonly partialErrors: readonly string[];
}

export interface RequesterUser {
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
  readonly locale: string | null;
  readonly organizationId: number | null;
}

export interface Transaction {
  readonly kind: 'order' | 'opportunity';
  readonly label: string;
  readonly amount: number | null;
  readonly date: string | null;
  readonly stage: string | null;
}

export interface CrmValues {
  readonly valueTier: string | null;
  readonly lifetimeRevenue: number | null;
  readonly revenue12m: number | null;
  readonly marginRate: number | null;
  readonly orders12m: number | null;
  readonly lastOrderDate: string | null;
  readonly openPipeline: number | null;
  readonly customerSince: string | null;
  readonly segment: string | null;
  readonly region: string | null;
  readonly productLine: string | null;
  readonly recentTransactions: readonly Transaction[];
  readonly crmSyncedAt: string | null;
}

export interface FeedbackRecord {
  readonly id: string;
  readonly kind: 'nps' | 'csat' | 'ces' | 'company_effort';
  readonly score: number | 'good' | 'bad';
  readonly scale: string | null;
  readonly comment: string | null;
  readonly channel: string | null;
  readonly touchpoint: string | null;
  readonly respondedAt: string;
  readonly ticketId: string | null;
}

export interface InterventionRecord {
  readonly id: string;
  readonly ticketId: string | null;
  readonly action: 'none' | 'apology' | 'callback' | 'compensation';
  readonly compensationTier: string | null;
  readonly priority: string | null;
  readonly expectedValue: number | null;
  readonly cost: number | null;
  readonly status: 'recommended' | 'applied' | 'overridden' | 'contacted' | 'closed';
  readonly dueAt: string | null;
  readonly outcome: string | null;
  readonly overrideReason: string | null;
  readonly decidedAt: string | null;
  readonly summary: string | null;
}

export type CrmFieldKeys = { readonly [K in keyof typeof CRM_FIELD_KEYS]: string };

/** A custom object record as `/api/v2/custom_objects/{key}/records…` returns it. */
export interface CustomObjectRecord {
  id: string;
  name?: string;
  external_id?: string | null;
  created_at?: string;
  updated_at?: string;
  custom_object_fields?: Record<string, unknown>;
}

function str(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

function parseTransactions(value: unknown): Transaction[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value) as unknown;
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  const out: Transaction[] = [];
  for (const item of list.slice(0, 10)) {
    if (!item || typeof item !== 'object') continue;
    const r = item as Record<string, unknown>;
    const kindText = str(r.kind ?? r.type)?.toLowerCase() ?? 'order';
    out.push({
      kind: kindText.startsWith('opp') ? 'opportunity' : 'order',
      label: str(r.label ?? r.name ?? r.number ?? r.id) ?? '—',
      amount: num(r.amount),
      date: str(r.date ?? r.at ?? r.closeDate ?? r.orderedAt),
      stage: str(r.stage ?? r.status),
    });
  }
  return out;
}

/** The CRM values of one record's custom fields (a user's or an organisation's); null when nothing is there. */
function crmValuesOf(
  fields: Readonly<Record<string, unknown>> | null | undefined,
  keys: CrmFieldKeys,
): CrmValues | null {
  const pick = (key: string): unknown => fields?.[key];
  const values: CrmValues = {
    valueTier: str(pick(keys.valueTier))?.toLowerCase() ?? null,
    lifetimeRevenue: num(pick(keys.lifetimeRevenue)),
    revenue12m: num(pick(keys.revenue12m)),
    marginRate: num(pick(keys.marginRate)),
    orders12m: num(pick(keys.orders12m)),
    lastOrderDate: str(pick(keys.lastOrderDate)),
    openPipeline: num(pick(keys.openPipeline)),
    customerSince: str(pick(keys.customerSince)),
    segment: str(pick(keys.segment)),
    region: str(pick(keys.region)),
    productLine: str(pick(keys.productLine)),
    recentTransactions: parseTransactions(pick(keys.recentTransactions)),
    crmSyncedAt: str(pick(keys.crmSyncedAt)),
  };
  const anything = Object.entries(values).some(([name, v]) =>
    name === 'recentTransactions' ? (v as Transaction[]).length > 0 : v !== null,
  );
  return anything ? values : null;
}

/** The figures the card shows next to the account's as the contact's own: those the user record holds apart. */
const CONTACT_FIGURES = [
  'lifetimeRevenue',
  'revenue12m',
  'orders12m',
  'customerSince',
  'lastOrderDate',
] as const;

/** Whose CRM figures the sidebar shows, and the contact's own ones where they differ from the account's. */
export interface CrmReading {
  /** The figures the decision is made on, from one source (never a mix). */
  readonly crm: CrmValues | null;
  /** Whose `crm` is: the organisation's (the Salesforce Account) or the user's (the Contact); null without CRM. */
  readonly crmSource: CrmSource | null;
  /**
   * When `crm` is the account's: the user record's own figures where they differ from the account's (the
   * contact's own); null when the user record holds none of its own (the sync copies the account's onto it).
   */
  readonly contactCrm: Partial<Pick<CrmValues, (typeof CONTACT_FIGURES)[number]>> | null;
}

/**
 * CRM values from the one source the decision reads (shared's `crmSourceOf`): the organisation when the sync
 * wrote there, else the user. Not field by field: a figure missing on the account is not taken from the contact.
 */
export function readCrmValues(
  userFields: Readonly<Record<string, unknown>> | null | undefined,
  organizationFields: Readonly<Record<string, unknown>> | null | undefined,
  keys: CrmFieldKeys = CRM_FIELD_KEYS,
  hasOrganization = organizationFields !== null && organizationFields !== undefined,
): CrmReading {
  const source = crmSourceOf(organizationFields, hasOrganization, keys);
  const user = crmValuesOf(userFields, keys);
  if (source === 'user') return { crm: user, crmSource: user ? 'user' : null, contactCrm: null };
  const account = crmValuesOf(organizationFields, keys);
  const own: Record<string, unknown> = {};
  for (const name of CONTACT_FIGURES) {
    const value = user?.[name] ?? null;
    if (value !== null && value !== account?.[name]) own[name] = value;
  }
  return {
    crm: account,
    crmSource: account ? 'organization' : null,
    contactCrm: Object.keys(own).length > 0 ? own : null,
  };
}

const FEEDBACK_KINDS = ['nps', 'csat', 'ces', 'company_effort'] as const;

export function readFeedbackRecord(record: CustomObjectRecord): FeedbackRecord | null {
  const f = record.custom_object_fields ?? {};
  const kind = FEEDBACK_KINDS.find((k) => k === f[FEEDBACK_FIELD_KEYS.kind]);
  const rawScore = f[FEEDBACK_FIELD_KEYS.score];
  const score = rawScore === 'good' || rawScore === 'bad' ? rawScore : num(rawScore);
  const respondedAt = str(f[FEEDBACK_FIELD_KEYS.respondedAt]) ?? record.created_at ?? null;
  if (!kind || score === null || !respondedAt) return null;
  return {
    id: record.id,
    kind,
    score,
    scale: str(f[FEEDBACK_FIELD_KEYS.scale]),
    comment: str(f[FEEDBACK_FIELD_KEYS.comment]),
    channel: str(f[FEEDBACK_FIELD_KEYS.channel]),
    touchpoint: str(f[FEEDBACK_FIELD_KEYS.touchpoint]),
    respondedAt,
    ticketId: str(f[FEEDBACK_FIELD_KEYS.ticketId]),
  };
}

const ACTIONS = ['none', 'apology', 'callback', 'compensation'] as const;
const STATUSES = ['recommended', 'applied', 'overridden', 'contacted', 'closed'] as const;

export function readInterventionRecord(record: CustomObjectRecord): InterventionRecord | null {
  const f = record.custom_object_fields ?? {};
  const action = ACTIONS.find((a) => a === f[INTERVENTION_FIELD_KEYS.action]);
  if (!action) return null;
  const status = STATUSES.find((s) => s === f[INTERVENTION_FIELD_KEYS.status]) ?? 'recommended';
  return {
    id: record.id,
    ticketId: str(f[INTERVENTION_FIELD_KEYS.ticketId]),
    action,
    compensationTier: str(f[INTERVENTION_FIELD_KEYS.compensationTier]),
    priority: str(f[INTERVENTION_FIELD_KEYS.priority]),
    expectedValue: num(f[INTERVENTION_FIELD_KEYS.expectedValue]),
    cost: num(f[INTERVENTION_FIELD_KEYS.cost]),
    status,
    dueAt: str(f[INTERVENTION_FIELD_KEYS.dueAt]),
    outcome: str(f[INTERVENTION_FIELD_KEYS.outcome]),
    overrideReason: str(f[INTERVENTION_FIELD_KEYS.overrideReason]),
    decidedAt: str(f[INTERVENTION_FIELD_KEYS.decidedAt]) ?? record.created_at ?? null,
    summary: str(f[INTERVENTION_FIELD_KEYS.summary]),
  };
}

export const FEEDBACK_OBJECT = CUSTOM_OBJECT_KEYS.feedback;
export const INTERVENTION_OBJECT = CUSTOM_OBJECT_KEYS.intervention;
