import { parsers, type ConfigSection } from './config.ts';

/** What Boucle can write back into Salesforce; each kind can be switched off. */
export const WRITEBACK_KINDS = ['feedback', 'intervention', 'rollup', 'task'] as const;
export type WritebackKind = (typeof WRITEBACK_KINDS)[number];

const VALUE_TIERS = ['platinum', 'gold', 'silver', 'bronze'] as const;

export interface WritebackSettings {
  /** Master switch: off means nothing is captured nor sent. */
  readonly enabled: boolean;
  readonly kinds: ReadonlySet<WritebackKind>;
  readonly feedbackObject: string;
  readonly interventionObject: string;
  /** External id field of the Boucle objects and of Task (upserts are keyed on it). */
  readonly externalIdField: string;
  /** `Object.Field` pairs never written (e.g. `Boucle_Feedback__c.Comment__c`). */
  readonly omitFields: ReadonlySet<string>;
  /** Value tiers whose owed callbacks become a Task for the account owner. */
  readonly taskTiers: ReadonlySet<string>;
  /** Records per sObject Collections call (Salesforce allows 200). */
  readonly batchSize: number;
  /** Records per Bulk API 2.0 ingest job in a backfill. */
  readonly bulkJobSize: number;
  /** A record failing this many times becomes a dead letter. */
  readonly maxAttempts: number;
  /** First retry delay of a failed record (doubles each attempt). */
  readonly retryBaseMs: number;
  /** How long write-back pauses after REQUEST_LIMIT_EXCEEDED. */
  readonly limitPauseMs: number;
  /** `boucle serve` sends the outbox this often. */
  readonly intervalMs: number;
  /** Agent URL of a Zendesk ticket, `{id}` replaced (default: ZENDESK_URL/agent/tickets/{id}). */
  readonly ticketUrl: string | undefined;
}

const apiName = (raw: string): string => {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(raw)) throw new Error('is not a Salesforce API name');
  return raw;
};

const keys = {
  WRITEBACK_ENABLED: {
    description: 'write feedback, interventions, roll-ups and tasks back into Salesforce',
    default: false,
    parse: parsers.boolean,
  },
  WRITEBACK_KINDS: {
    description: `what is written back, among ${WRITEBACK_KINDS.join(', ')}`,
    default: [...WRITEBACK_KINDS] as WritebackKind[],
    example: 'feedback,intervention,rollup,task',
    parse: (raw: string): WritebackKind[] => {
      const list = parsers.list(raw);
      const unknown = list.filter((k) => !(WRITEBACK_KINDS as readonly string[]).includes(k));
      if (unknown.length > 0)
        throw new Error(`unknown kind ${unknown.join(', ')}; use ${WRITEBACK_KINDS.join(', ')}`);
      return [...new Set(list)] as WritebackKind[];
    },
  },
  WRITEBACK_FEEDBACK_OBJECT: {
    description: 'custom object receiving survey answers',
    default: 'Boucle_Feedback__c',
    parse: apiName,
  },
  WRITEBACK_INTERVENTION_OBJECT: {
    description: 'custom object receiving decisions and their outcomes',
    default: 'Boucle_Intervention__c',
    parse: apiName,
  },
  WRITEBACK_EXTERNAL_ID_FIELD: {
    description: 'external id field (on both objects and on Task) the upserts are keyed on',
    default: 'Boucle_External_Id__c',
    parse: apiName,
  },
  WRITEBACK_OMIT_FIELDS: {
    description: 'Object.Field pairs never written',
    default: [] as string[],
    example: 'Boucle_Feedback__c.Comment__c,Account.Boucle_Recovered_12m__c',
    parse: (raw: string): string[] => {
      const list = parsers.list(raw);
      for (const item of list)
        if (!/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/.test(item))
          throw new Error(`"${item}" is not Object.Field`);
      return list;
    },
  },
  WRITEBACK_TASK_TIERS: {
    description: 'value tiers whose owed callbacks create a Task for the account owner',
    default: ['platinum', 'gold'] as string[],
    example: 'platinum,gold',
    parse: (raw: string): string[] => {
      const list = parsers.list(raw).map((t) => t.toLowerCase());
      const unknown = list.filter((t) => !(VALUE_TIERS as readonly string[]).includes(t));
      if (unknown.length > 0)
        throw new Error(`unknown tier ${unknown.join(', ')}; use ${VALUE_TIERS.join(', ')}`);
      return list;
    },
  },
  WRITEBACK_BATCH_SIZE: {
    description: 'records per sObject Collections upsert (at most 200)',
    default: 200,
    parse: parsers.integer(1, 200),
  },
  WRITEBACK_BULK_JOB_SIZE: {
    description: 'records per Bulk API 2.0 ingest job (backfill)',
    default: 10_000,
    parse: parsers.integer(1, 150_000),
  },
  WRITEBACK_MAX_ATTEMPTS: {
    description: 'attempts before a record becomes a dead letter',
    default: 5,
    parse: parsers.integer(1, 100),
  },
  WRITEBACK_RETRY_BASE: {
    description: 'first retry delay of a refused record (doubles each attempt)',
    default: 60_000,
    parse: parsers.duration,
  },
  WRITEBACK_LIMIT_PAUSE: {
    description: 'pause after Salesforce answers REQUEST_LIMIT_EXCEEDED',
    default: 3_600_000,
    parse: parsers.duration,
  },
  WRITEBACK_INTERVAL: {
    description: 'how often boucle serve sends the write-back outbox',
    default: 30_000,
    parse: parsers.duration,
  },
  WRITEBACK_TICKET_URL: {
    description: 'agent URL of a ticket with {id} (default ZENDESK_URL/agent/tickets/{id})',
    example: 'https://yourcompany.zendesk.com/agent/tickets/{id}',
    parse: (raw: string): string => {
      if (!raw.includes('{id}')) throw new Error('must contain {id}');
      parsers.url(raw.replace('{id}', '0'));
      return raw;
    },
  },
} as const;

export const writebackSection: ConfigSection<typeof keys, WritebackSettings> = {
  name: 'writeback',
  keys,
  build: (v) => ({
    value: {
      enabled: v.WRITEBACK_ENABLED,
      kinds: new Set(v.WRITEBACK_KINDS),
      feedbackObject: v.WRITEBACK_FEEDBACK_OBJECT,
      interventionObject: v.WRITEBACK_INTERVENTION_OBJECT,
      externalIdField: v.WRITEBACK_EXTERNAL_ID_FIELD,
      omitFields: new Set(v.WRITEBACK_OMIT_FIELDS),
      taskTiers: new Set(v.WRITEBACK_TASK_TIERS),
      batchSize: v.WRITEBACK_BATCH_SIZE,
      bulkJobSize: v.WRITEBACK_BULK_JOB_SIZE,
      maxAttempts: v.WRITEBACK_MAX_ATTEMPTS,
      retryBaseMs: v.WRITEBACK_RETRY_BASE,
      limitPauseMs: v.WRITEBACK_LIMIT_PAUSE,
      intervalMs: v.WRITEBACK_INTERVAL,
      ticketUrl: v.WRITEBACK_TICKET_URL,
    },
  }),
};

/** The write-back settings with their defaults (tests, tools). */
export function defaultWritebackSettings(overrides: Partial<WritebackSettings> = {}): WritebackSettings {
  return {
    enabled: true,
    kinds: new Set(WRITEBACK_KINDS),
    feedbackObject: 'Boucle_Feedback__c',
    interventionObject: 'Boucle_Intervention__c',
    externalIdField: 'Boucle_External_Id__c',
    omitFields: new Set(),
    taskTiers: new Set(['platinum', 'gold']),
    batchSize: 200,
    bulkJobSize: 10_000,
    maxAttempts: 5,
    retryBaseMs: 60_000,
    limitPauseMs: 3_600_000,
    intervalMs: 30_000,
    ticketUrl: undefined,
    ...overrides,
  };
}
