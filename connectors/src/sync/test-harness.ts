/** Test harness: the real jsforce against the Salesforce emulator, our Zendesk sink against the Zendesk emulator. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SALESFORCE_SANDBOX_CREDENTIALS,
  startSalesforce,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
} from '../../../sandbox/salesforce/index.ts';
import {
  ZENDESK_SANDBOX_CREDENTIALS,
  startZendeskEmulator,
  type ZendeskEmulator,
} from '../../../sandbox/zendesk/index.ts';
import { loadConfig } from '../config/config.ts';
import type { SalesforceSettings } from '../config/salesforce.ts';
import { syncSection, type SyncSettings } from '../config/sync.ts';
import type { ZendeskSettings } from '../config/zendesk.ts';
import { SalesforceClient, type SalesforceClientOptions } from '../salesforce/client.ts';
import { openStore, type Store } from '../store/database.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { postgresSql, sqliteSql, type Sql } from '../store/sql.ts';
import { runSync, type SyncReport, type SyncRunOptions } from './engine.ts';
import { SYNC_SCHEMA } from './schema.ts';
import { ZendeskClient } from '../zendesk/index.ts';
import { sinkOver } from './zendesk-sink.ts';

export interface Harness {
  readonly sf: SalesforceEmulator;
  readonly zd: ZendeskEmulator;
  readonly dir: string;
  readonly dbPath: string;
  readonly settings: SyncSettings;
  readonly salesforceSettings: SalesforceSettings;
  readonly zendeskSettings: ZendeskSettings;
  /** Environment for `boucle sync` against these emulators. */
  readonly env: Record<string, string>;
  sync(options?: SyncRunOptions, client?: Partial<SalesforceClientOptions>): Promise<SyncReport>;
  /** Records sent to Zendesk bulk endpoints since the last call, by kind. */
  takeWrites(): { organizations: number; users: number; calls: number };
  openState(): Store;
  /** The sync's state behind the `Sql` port (SQLite file, or the PostgreSQL database when given). */
  openSql(): Promise<{ sql: Sql; close(): Promise<void> }>;
  close(): Promise<void>;
}

export async function startHarness(
  dataset: { accounts: number; perAccount: number },
  sfOptions: Partial<SalesforceEmulatorOptions> = {},
  env: Record<string, string> = {},
  zendeskJobDelayMs = 1,
  /** Keep the sync's state in this PostgreSQL database instead of the SQLite file. */
  databaseUrl?: string,
): Promise<Harness> {
  const sf = await startSalesforce({
    seed: 5,
    dataset: {
      accounts: dataset.accounts,
      contactsPerAccount: dataset.perAccount,
      opportunitiesPerAccount: dataset.perAccount,
      ordersPerAccount: dataset.perAccount,
    },
    bulkPageSize: 40,
    ...sfOptions,
  });
  const zd = await startZendeskEmulator({
    jobDelayMs: zendeskJobDelayMs,
    rateLimitPerMinute: 100_000,
    counts: { users: 0, organizations: 0, tickets: 0 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'boucle-sync-'));
  const dbPath = join(dir, 'boucle.sqlite');
  const fullEnv: Record<string, string> = {
    BOUCLE_DB_PATH: dbPath,
    SALESFORCE_LOGIN_URL: sf.url,
    SALESFORCE_AUTH: 'client_credentials',
    SALESFORCE_CLIENT_ID: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
    SALESFORCE_CLIENT_SECRET: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
    SALESFORCE_MIN_REMAINING_REQUESTS: '1%',
    ZENDESK_URL: zd.url,
    ZENDESK_EMAIL: ZENDESK_SANDBOX_CREDENTIALS.email,
    ZENDESK_API_TOKEN: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    ZENDESK_REQUESTS_PER_MINUTE: '100000',
    SYNC_BULK_PAGE_SIZE: '100',
    SYNC_REST_PAGE_SIZE: '200',
    SYNC_BATCH_SIZE: '7',
    SALESFORCE_BULK_POLL_INTERVAL: '20ms',
    ...(databaseUrl === undefined ? {} : { BOUCLE_DATABASE_URL: databaseUrl }),
    ...env,
  };
  const settings = loadConfig({ sync: syncSection }, fullEnv).sync;
  const salesforceSettings: SalesforceSettings = {
    loginUrl: sf.url,
    instanceUrl: undefined,
    apiVersion: '62.0',
    auth: {
      kind: 'client_credentials',
      clientId: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
      clientSecret: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
    },
    minRemainingRequests: { kind: 'percent', value: 1 },
    requestTimeoutMs: 10_000,
    bulkPollIntervalMs: 5,
  };
  const zendeskSettings: ZendeskSettings = {
    url: zd.url,
    email: ZENDESK_SANDBOX_CREDENTIALS.email,
    apiToken: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    requestsPerMinute: 100_000,
  };
  let seen = 0;
  const openSql = async (): Promise<{ sql: Sql; close(): Promise<void> }> => {
    if (databaseUrl === undefined) {
      const store = openStore(dbPath, [SYNC_SCHEMA]);
      return {
        sql: sqliteSql(store),
        close: () => {
          store.close();
          return Promise.resolve();
        },
      };
    }
    const postgres = await openPostgresStore(databaseUrl, [SYNC_SCHEMA], { max: 4 });
    return { sql: postgresSql(postgres), close: () => postgres.close() };
  };
  return {
    sf,
    zd,
    dir,
    dbPath,
    settings,
    salesforceSettings,
    zendeskSettings,
    env: fullEnv,
    async sync(options = {}, client = {}) {
      const store = await openSql();
      try {
        return await runSync(
          {
            sql: store.sql,
            salesforce: new SalesforceClient({
              settings: salesforceSettings,
              bulkPollIntervalMs: 5,
              backoffMs: 5,
              ...client,
            }),
            zendesk: sinkOver(
              new ZendeskClient({
                baseUrl: zendeskSettings.url,
                auth: { kind: 'apiToken', email: zendeskSettings.email, token: zendeskSettings.apiToken },
                backoffMs: 5,
                maxBackoffMs: 50,
              }),
              { pollIntervalMs: 2, maxPollIntervalMs: 20 },
            ),
            settings,
            floor: salesforceSettings.minRemainingRequests,
            pauseMs: 60_000,
            // The engine's clock is Salesforce's (the emulator's clock can be moved forward).
            now: () => sf.clock.now(),
          },
          options,
        );
      } finally {
        await store.close();
      }
    },
    takeWrites() {
      const requests = zd.requests().slice(seen);
      seen = zd.requests().length;
      let organizations = 0;
      let users = 0;
      let calls = 0;
      for (const r of requests) {
        if (!/create_or_update_many|create_many|update_many/.test(r.path)) continue;
        calls++;
        const body = r.body as { organizations?: unknown[]; users?: unknown[] } | null;
        organizations += body?.organizations?.length ?? 0;
        users += body?.users?.length ?? 0;
      }
      return { organizations, users, calls };
    },
    openState: () => openStore(dbPath, [SYNC_SCHEMA]),
    openSql,
    async close() {
      await sf.close();
      await zd.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
