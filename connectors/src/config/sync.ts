import { parsers, type ConfigSection } from './config.ts';

export const SYNC_OBJECTS = ['Account', 'Contact', 'Opportunity', 'Order'] as const;
export type SyncObject = (typeof SYNC_OBJECTS)[number];

/** Lower bounds of 12-month revenue (+ weighted pipeline) per tier; below silver → bronze. */
export interface TierThresholds {
  readonly platinum: number;
  readonly gold: number;
  readonly silver: number;
}

/** Which Salesforce field feeds which part of the value profile. Field names are checked against describe. */
export interface FieldMapping {
  readonly accountSegment: string | undefined;
  readonly accountRegion: string | undefined;
  readonly accountProductLine: string | undefined;
  readonly accountMarginRate: string | undefined;
  readonly opportunityAmount: string;
  readonly orderAmount: string;
  readonly orderDate: string;
}

export interface SyncSettings {
  readonly objects: readonly SyncObject[];
  readonly mapping: FieldMapping;
  readonly tiers: TierThresholds;
  readonly pipelineWeight: number;
  readonly intervalMs: number;
  readonly overlapMs: number;
  /** Accounts whose profile is recomputed per batch. */
  readonly batchSize: number;
  /** Rows per Bulk API 2.0 result page. */
  readonly bulkPageSize: number;
  /** Rows per REST query page in incremental runs. */
  readonly restPageSize: number;
  readonly recentTransactions: number;
  /** Zendesk bulk jobs in flight at once (Zendesk allows 30 queued per account). */
  readonly zendeskConcurrency: number;
  readonly currency: string;
  /** V8 heap (old generation) of the thread that runs the sync, in MB: it fails with a clear error above it. */
  readonly heapMb: number;
}

const fieldName = (raw: string): string => {
  if (!/^[A-Za-z][A-Za-z0-9_]*(__c)?$/.test(raw)) throw new Error('is not a Salesforce field API name');
  return raw;
};

const keys = {
  SYNC_OBJECTS: {
    description: `Salesforce objects to read, among ${SYNC_OBJECTS.join(', ')}`,
    default: [...SYNC_OBJECTS] as SyncObject[],
    example: 'Account,Contact,Opportunity,Order',
    parse: (raw: string): SyncObject[] => {
      const list = parsers.list(raw);
      const unknown = list.filter((name) => !(SYNC_OBJECTS as readonly string[]).includes(name));
      if (unknown.length > 0)
        throw new Error(`unknown object ${unknown.join(', ')}; use ${SYNC_OBJECTS.join(', ')}`);
      if (!list.includes('Account'))
        throw new Error('must include Account (profiles are computed per account)');
      return [...new Set(list)] as SyncObject[];
    },
  },
  SYNC_ACCOUNT_SEGMENT_FIELD: {
    description: 'Account field written as the segment',
    default: 'Industry',
    parse: fieldName,
  },
  SYNC_ACCOUNT_REGION_FIELD: {
    description: 'Account field written as the region',
    default: 'BillingCountry',
    parse: fieldName,
  },
  SYNC_ACCOUNT_PRODUCT_LINE_FIELD: {
    description: 'Account field written as the product line',
    parse: fieldName,
  },
  SYNC_ACCOUNT_MARGIN_RATE_FIELD: {
    description: 'Account field holding the margin rate (0–1 or percent)',
    parse: fieldName,
  },
  SYNC_OPPORTUNITY_AMOUNT_FIELD: {
    description: 'Opportunity amount field',
    default: 'Amount',
    parse: fieldName,
  },
  SYNC_ORDER_AMOUNT_FIELD: { description: 'Order amount field', default: 'TotalAmount', parse: fieldName },
  SYNC_ORDER_DATE_FIELD: { description: 'Order date field', default: 'EffectiveDate', parse: fieldName },
  SYNC_TIER_PLATINUM: {
    description: '12-month revenue (plus weighted open pipeline) from which a customer is platinum',
    default: 100_000,
    parse: parsers.number(0, 1e12),
  },
  SYNC_TIER_GOLD: { description: 'same, for gold', default: 25_000, parse: parsers.number(0, 1e12) },
  SYNC_TIER_SILVER: {
    description: 'same, for silver (below: bronze)',
    default: 5000,
    parse: parsers.number(0, 1e12),
  },
  SYNC_TIER_PIPELINE_WEIGHT: {
    description: 'share of the open pipeline counted with the 12-month revenue for the tier (0–1)',
    default: 0.25,
    parse: parsers.number(0, 1),
  },
  SYNC_INTERVAL: { description: 'time between runs with --watch', default: 600_000, parse: parsers.duration },
  SYNC_OVERLAP: {
    description: 'how far before the watermark an incremental run reads again (late commits)',
    default: 300_000,
    parse: parsers.duration,
  },
  SYNC_BATCH_SIZE: {
    description: 'accounts recomputed per batch',
    default: 500,
    parse: parsers.integer(1, 10_000),
  },
  SYNC_BULK_PAGE_SIZE: {
    description: 'rows per Bulk API 2.0 results page',
    default: 50_000,
    parse: parsers.integer(100, 1_000_000),
  },
  SYNC_REST_PAGE_SIZE: {
    description: 'rows per REST query page (incremental runs)',
    default: 2000,
    parse: parsers.integer(200, 2000),
  },
  SYNC_RECENT_TRANSACTIONS: {
    description: 'transactions shown in the sidebar per customer',
    default: 10,
    parse: parsers.integer(0, 10),
  },
  SYNC_ZENDESK_CONCURRENCY: {
    description: 'Zendesk bulk jobs in flight at once (Zendesk queues at most 30 per account)',
    default: 4,
    parse: parsers.integer(1, 20),
  },
  SYNC_HEAP_MB: {
    description:
      'heap of the sync thread in MB; the sync streams, so this bounds its memory (raise it with SYNC_BULK_PAGE_SIZE)',
    default: 160,
    parse: parsers.integer(64, 16_384),
  },
  SYNC_CURRENCY: {
    description: 'ISO currency code of the amounts',
    default: 'EUR',
    parse: (raw: string): string => {
      if (!/^[A-Z]{3}$/.test(raw)) throw new Error('must be a 3-letter ISO currency code');
      return raw;
    },
  },
} as const;

export const syncSection: ConfigSection<typeof keys, SyncSettings> = {
  name: 'sync',
  keys,
  build: (v) => {
    if (!(v.SYNC_TIER_PLATINUM >= v.SYNC_TIER_GOLD && v.SYNC_TIER_GOLD >= v.SYNC_TIER_SILVER))
      return { problems: [['SYNC_TIER_GOLD', 'tier thresholds must go down: platinum ≥ gold ≥ silver']] };
    return {
      value: {
        objects: v.SYNC_OBJECTS,
        mapping: {
          accountSegment: v.SYNC_ACCOUNT_SEGMENT_FIELD,
          accountRegion: v.SYNC_ACCOUNT_REGION_FIELD,
          accountProductLine: v.SYNC_ACCOUNT_PRODUCT_LINE_FIELD,
          accountMarginRate: v.SYNC_ACCOUNT_MARGIN_RATE_FIELD,
          opportunityAmount: v.SYNC_OPPORTUNITY_AMOUNT_FIELD,
          orderAmount: v.SYNC_ORDER_AMOUNT_FIELD,
          orderDate: v.SYNC_ORDER_DATE_FIELD,
        },
        tiers: { platinum: v.SYNC_TIER_PLATINUM, gold: v.SYNC_TIER_GOLD, silver: v.SYNC_TIER_SILVER },
        pipelineWeight: v.SYNC_TIER_PIPELINE_WEIGHT,
        intervalMs: v.SYNC_INTERVAL,
        overlapMs: v.SYNC_OVERLAP,
        batchSize: v.SYNC_BATCH_SIZE,
        bulkPageSize: v.SYNC_BULK_PAGE_SIZE,
        restPageSize: v.SYNC_REST_PAGE_SIZE,
        recentTransactions: v.SYNC_RECENT_TRANSACTIONS,
        zendeskConcurrency: v.SYNC_ZENDESK_CONCURRENCY,
        currency: v.SYNC_CURRENCY,
        heapMb: v.SYNC_HEAP_MB,
      },
    };
  },
};
