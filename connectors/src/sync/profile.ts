import { createHash } from 'node:crypto';
import { CRM_FIELD_KEYS, computeValueTier, type ValueTier } from '../../../shared/src/index.ts';
import type { SyncSettings } from '../config/sync.ts';
import type { Sql } from '../store/sql.ts';

/** What the sidebar shows for one transaction. */
export interface RecentTransaction {
  readonly type: 'order' | 'opportunity';
  readonly id: string;
  readonly name: string | null;
  readonly amount: number;
  readonly date: string | null;
  readonly status: string | null;
}

/** An account's value profile, computed from the local mirror. Money in the configured currency. */
export interface AccountProfile {
  readonly accountId: string;
  readonly name: string;
  readonly tier: ValueTier;
  readonly lifetimeRevenue: number;
  readonly revenue12m: number;
  readonly orders12m: number;
  readonly lastOrderDate: string | null;
  readonly openPipeline: number;
  readonly customerSince: string | null;
  readonly marginRate: number | null;
  readonly segment: string | null;
  readonly region: string | null;
  readonly productLine: string | null;
  readonly currency: string;
  readonly recentTransactions: readonly RecentTransaction[];
}

/** shared's `computeValueTier`: 12-month revenue plus the weighted open pipeline against the thresholds. */
export function valueTier(
  revenue12m: number,
  openPipeline: number,
  settings: Pick<SyncSettings, 'tiers' | 'pipelineWeight'>,
): ValueTier {
  return computeValueTier({ revenue12m, openPipeline }, settings.tiers, settings.pipelineWeight);
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The first day of the 12-month window that ends `today` (YYYY-MM-DD). */
export function windowStart(today: string): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() - 1);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * Computes the profiles of a batch of accounts with two SQL queries over the mirror (aggregates, then the
 * latest transactions per account), the same on SQLite and PostgreSQL. Accounts missing from the mirror
 * (deleted) are absent from the result.
 */
export async function computeProfiles(
  sql: Sql,
  accountIds: readonly string[],
  today: string,
  settings: Pick<SyncSettings, 'tiers' | 'pipelineWeight' | 'recentTransactions' | 'currency'>,
): Promise<Map<string, AccountProfile>> {
  const ids = [...new Set(accountIds)];
  const out = new Map<string, AccountProfile>();
  if (ids.length === 0) return out;
  const inList = ids.map(() => '?').join(', ');
  const since = windowStart(today);
  const rows = await sql.all<{
    id: string;
    name: string;
    created: number | null;
    segment: string | null;
    region: string | null;
    product_line: string | null;
    margin_rate: number | null;
    lifetime: number;
    rev12: number;
    orders12: number;
    last_order: string | null;
    pipeline: number;
    first_revenue: string | null;
  }>(
    `SELECT a.id, a.name, a.created, a.segment, a.region, a.product_line, a.margin_rate,
       COALESCE(SUM(CASE WHEN t.revenue = 1 THEN t.amount END), 0) AS lifetime,
       COALESCE(SUM(CASE WHEN t.revenue = 1 AND t.date >= ? AND t.date <= ? THEN t.amount END), 0) AS rev12,
       COUNT(CASE WHEN t.revenue = 1 AND t.date >= ? AND t.date <= ? THEN 1 END) AS orders12,
       MAX(CASE WHEN t.revenue = 1 AND t.date <= ? THEN t.date END) AS last_order,
       COALESCE(SUM(CASE WHEN t.open = 1 THEN t.amount END), 0) AS pipeline,
       MIN(CASE WHEN t.revenue = 1 THEN t.date END) AS first_revenue
     FROM sync_account a
     LEFT JOIN sync_txn t ON t.account_id = a.id
     WHERE a.id IN (${inList})
     GROUP BY a.id`,
    [since, today, since, today, today, ...ids],
  );
  const recent = new Map<string, RecentTransaction[]>();
  if (settings.recentTransactions > 0) {
    const txns = await sql.all<{
      account_id: string;
      object: string;
      id: string;
      name: string | null;
      amount: number;
      date: string | null;
      status: string | null;
    }>(
      `SELECT account_id, object, id, name, amount, date, status FROM (
         SELECT t.account_id, t.object, t.id, t.name, t.amount, t.date, t.status,
           ROW_NUMBER() OVER (PARTITION BY t.account_id ORDER BY t.date DESC NULLS LAST, t.id DESC) AS rn
         FROM sync_txn t WHERE t.account_id IN (${inList})
       ) ranked WHERE rn <= ? ORDER BY account_id, rn`,
      [...ids, settings.recentTransactions],
    );
    for (const t of txns) {
      const list = recent.get(t.account_id) ?? [];
      list.push({
        type: t.object === 'Order' ? 'order' : 'opportunity',
        id: t.id,
        name: t.name,
        amount: round2(t.amount),
        date: t.date,
        status: t.status,
      });
      recent.set(t.account_id, list);
    }
  }
  for (const r of rows) {
    const created = r.created === null ? null : new Date(r.created).toISOString().slice(0, 10);
    const customerSince = [created, r.first_revenue].filter((d): d is string => d !== null).sort()[0] ?? null;
    out.set(r.id, {
      accountId: r.id,
      name: r.name,
      tier: valueTier(r.rev12, r.pipeline, settings),
      lifetimeRevenue: round2(r.lifetime),
      revenue12m: round2(r.rev12),
      orders12m: r.orders12,
      lastOrderDate: r.last_order,
      openPipeline: round2(r.pipeline),
      customerSince,
      marginRate: r.margin_rate,
      segment: r.segment,
      region: r.region,
      productLine: r.product_line,
      currency: settings.currency,
      recentTransactions: recent.get(r.id) ?? [],
    });
  }
  return out;
}

export type ZendeskFieldValues = Record<string, string | number | null>;

/** The Zendesk organisation / user field values of a profile (keys from shared's data model). */
export function crmFields(profile: AccountProfile | undefined): ZendeskFieldValues {
  if (profile === undefined) return emptyCrmFields();
  return {
    [CRM_FIELD_KEYS.valueTier]: profile.tier,
    [CRM_FIELD_KEYS.lifetimeRevenue]: profile.lifetimeRevenue,
    [CRM_FIELD_KEYS.revenue12m]: profile.revenue12m,
    [CRM_FIELD_KEYS.marginRate]: profile.marginRate,
    [CRM_FIELD_KEYS.orders12m]: profile.orders12m,
    [CRM_FIELD_KEYS.lastOrderDate]: profile.lastOrderDate,
    [CRM_FIELD_KEYS.openPipeline]: profile.openPipeline,
    [CRM_FIELD_KEYS.customerSince]: profile.customerSince,
    [CRM_FIELD_KEYS.segment]: profile.segment,
    [CRM_FIELD_KEYS.region]: profile.region,
    [CRM_FIELD_KEYS.productLine]: profile.productLine,
    [CRM_FIELD_KEYS.recentTransactions]: JSON.stringify(profile.recentTransactions),
  };
}

/** Every CRM field set to null: what a record deleted in Salesforce gets in Zendesk. */
export function emptyCrmFields(): ZendeskFieldValues {
  const out: ZendeskFieldValues = {};
  for (const key of Object.values(CRM_FIELD_KEYS)) if (key !== CRM_FIELD_KEYS.crmSyncedAt) out[key] = null;
  return out;
}

/**
 * Stable hash of a payload (keys sorted), so equal payloads give equal hashes across runs. Payloads must not be
 * mutated once hashed: an object's serialisation is remembered, so the field values an account's contacts share
 * are serialised once.
 */
export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(stableJson(payload)).digest('base64url').slice(0, 32);
}

const serialised = new WeakMap<object, string>();

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const known = serialised.get(value);
  if (known !== undefined) return known;
  let out: string;
  if (Array.isArray(value)) out = `[${value.map(stableJson).join(',')}]`;
  else {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  serialised.set(value, out);
  return out;
}
