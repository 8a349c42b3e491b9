import {
  CRM_FIELD_KEYS,
  CUSTOM_OBJECT_KEYS,
  FEEDBACK_FIELD_KEYS,
  INTERVENTION_FIELD_KEYS,
} from '../../../../shared/src/zendesk/data-model.ts';

/** What the sidebar reads from Zendesk about a requester, already parsed from the API's JSON. */
export interface RequesterData {
  readonly user: RequesterUser;
  readonly organization: { readonly id: number; readonly name: string } | null;
  /** The custom fields of the user and of their organisation, as Zendesk returned them (the decision reads them). */
  readonly userFields: Readonly<Record<string, unknown>> | null;
  readonly organizationFields: Readonly<Record<string, unknown>> | null;
  /** CRM values synced by the connector; null when nothing was synced yet (a new customer). */
  readonly crm: CrmValues | null;
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

/** CRM values: organisation fields (the Salesforce Account) win, user fields (the Contact) fill the gaps. */
export function readCrmValues(
  userFields: Record<string, unknown> | undefined,
  organizationFields: Record<string, unknown> | undefined,
  keys: CrmFieldKeys = CRM_FIELD_KEYS,
): CrmValues | null {
  const pick = (key: string): unknown => {
    const fromOrg = organizationFields?.[key];
    if (fromOrg !== undefined && fromOrg !== null && fromOrg !== '') return fromOrg;
    return userFields?.[key];
  };
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
