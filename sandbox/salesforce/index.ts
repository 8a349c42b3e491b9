/**
 * The Salesforce emulator: a local HTTP stand-in for the parts of Salesforce that jsforce and the Boucle
 * connector use. `startSalesforce()` is the programmatic API (tests, benchmarks); `startSalesforceEmulator`
 * is the `boucle emulate salesforce` entry.
 */
import type { KeyObject } from 'node:crypto';
import { createSign, generateKeyPairSync } from 'node:crypto';
import type { EmulatorOptions, RunningEmulator, StartEmulator } from '../emulator.ts';
import {
  AuthService,
  SALESFORCE_SANDBOX_CREDENTIALS,
  type SalesforceCredentials,
  toPublicKey,
} from './auth.ts';
import { type ClockOptions, type EmulatorClock, createClock } from './clock.ts';
import { loadDataDir } from './data-files.ts';
import { FaultQueue, type FaultRule } from './faults.ts';
import { type DatasetOptions, type GeneratedCounts, generateDataset, seededRandom } from './generate.ts';
import type { SfRecord } from './schema.ts';
import { SalesforceHttp, type RequestLogEntry } from './server.ts';
import { RecordStore, type WriteOptions } from './store.ts';

export { SALESFORCE_SANDBOX_CREDENTIALS, ORG_ID, USER_ID } from './auth.ts';
export type { SalesforceCredentials } from './auth.ts';
export type { FaultRule, FaultKind } from './faults.ts';
export type { RequestLogEntry } from './server.ts';
export type { DatasetOptions, GeneratedCounts } from './generate.ts';
export type { SfRecord, FieldValue } from './schema.ts';
export type { EmulatorClock } from './clock.ts';
export { toId18, makeId, KEY_PREFIX } from './ids.ts';

/** The API version the emulator reports as latest (and the highest it accepts). */
export const SALESFORCE_LATEST_VERSION = '66.0';

export interface SalesforceEmulatorOptions extends EmulatorOptions {
  /** Clock options, or a clock to share. Default: real time, ticking. */
  readonly clock?: ClockOptions | EmulatorClock;
  /** Generated data (with `seed`, default 42); false for an empty org. Ignored when dataDir is given. */
  readonly dataset?: DatasetOptions | false;
  /** Daily API request allocation (rolling 24 h). Default 100,000. */
  readonly apiAllocation?: number;
  /** REST query page size (default 2,000; Sforce-Query-Options batchSize overrides it per query, 200-2,000). */
  readonly queryPageSize?: number;
  /** Bulk 2.0 result page size when the client gives no maxRecords (default 50,000). */
  readonly bulkPageSize?: number;
  /** Status polls a Bulk 2.0 query job answers InProgress before JobComplete (default 1). */
  readonly bulkPollsUntilComplete?: number;
  /** Session timeout: a token expires after this much emulator time without use (default 2 hours). */
  readonly sessionTtlMs?: number;
  /** Query locator idle lifetime (default 15 minutes of emulator time). */
  readonly locatorTtlMs?: number;
  /** Accepted credentials (default SALESFORCE_SANDBOX_CREDENTIALS). */
  readonly credentials?: Partial<SalesforceCredentials>;
  /** Public key (PEM or KeyObject) that verifies JWT bearer assertions; without it JWT bearer is refused. */
  readonly jwtPublicKey?: string | KeyObject;
  /** Highest API version served, e.g. "66.0" (default SALESFORCE_LATEST_VERSION). */
  readonly latestVersion?: string;
  /** Request log entries kept (default 10,000, oldest dropped first). */
  readonly requestLogLimit?: number;
}

export interface SalesforceEmulator extends RunningEmulator {
  /** Base URL: use it as both loginUrl and instanceUrl. */
  readonly url: string;
  readonly clock: EmulatorClock;
  readonly store: RecordStore;
  readonly credentials: SalesforceCredentials;
  /** Adds generated data (same seed + options → same records). */
  generate(seed: number, options?: DatasetOptions): GeneratedCounts;
  /** Bulk-loads already-typed records (dates as epoch ms); ids are assigned when missing. */
  load(objectName: string, records: readonly SfRecord[]): void;
  /** Creates a record through API validation (bumps SystemModstamp). */
  create(objectName: string, values: Readonly<Record<string, unknown>>, options?: WriteOptions): SfRecord;
  /** Updates a record (bumps LastModifiedDate and SystemModstamp). */
  update(
    objectName: string,
    id: string,
    values: Readonly<Record<string, unknown>>,
    options?: WriteOptions,
  ): SfRecord;
  /** Deletes a record to the recycle bin (visible to deleted/ and queryAll). */
  remove(objectName: string, id: string): void;
  /** A system-only change: bumps SystemModstamp alone. */
  touch(id: string): SfRecord;
  /**
   * Updates `count` distinct live records of an object picked by `seed` (a realistic field change each, e.g.
   * AnnualRevenue, Phone, StageName/Amount, Status), bumping their SystemModstamp. Returns the ids changed.
   */
  mutateRandom(objectName: string, count: number, seed: number): string[];
  /** A record by id (15 or 18 characters), deleted ones included. */
  get(id: string): SfRecord | undefined;
  advanceClock(ms: number): void;
  /** Queues a fault; returns its id. */
  injectFault(rule: FaultRule): number;
  clearFaults(): void;
  /** Requests served (newest last), and per-endpoint call counts since the last reset. */
  requests(): readonly RequestLogEntry[];
  callCounts(): Record<string, number>;
  resetRequestLog(): void;
  apiUsage(): { used: number; max: number };
  setApiUsage(used: number): void;
  /** Invalidates every open query locator (INVALID_QUERY_LOCATOR on the next queryMore). */
  expireLocators(): void;
  /** Invalidates every access token (INVALID_SESSION_ID until the client logs in or refreshes again). */
  expireSessions(): void;
  /** A refresh token as the authorization-code flow would issue it. */
  issueRefreshToken(): string;
  /** A fresh access token, for tests that start from { instanceUrl, accessToken }. */
  issueAccessToken(): string;
}

function isClock(c: ClockOptions | EmulatorClock | undefined): c is EmulatorClock {
  return c !== undefined && typeof (c as EmulatorClock).now === 'function';
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative whole number, got ${value}`);
  return value;
}

/** Starts the emulator on 127.0.0.1 (port 0 = ephemeral) with seeded or loaded data. */
export async function startSalesforce(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const clock = isClock(options.clock) ? options.clock : createClock(options.clock ?? {});
  const store = new RecordStore(clock);
  if (options.dataDir !== undefined) loadDataDir(store, options.dataDir);
  else if (options.dataset !== false) generateDataset(store, options.seed ?? 42, options.dataset ?? {});
  const credentials: SalesforceCredentials = { ...SALESFORCE_SANDBOX_CREDENTIALS, ...options.credentials };
  const auth = new AuthService({
    credentials,
    sessionTtlMs: positive('sessionTtlMs', options.sessionTtlMs, 2 * 3_600_000),
    jwtPublicKey: toPublicKey(options.jwtPublicKey),
    clock,
  });
  const faults = new FaultQueue();
  const latest = Number(options.latestVersion ?? SALESFORCE_LATEST_VERSION);
  if (!Number.isInteger(latest) || latest < 31) throw new Error(`latestVersion must look like "66.0"`);
  const queryPageSize = positive('queryPageSize', options.queryPageSize, 2000);
  if (queryPageSize < 1 || queryPageSize > 2000) throw new Error('queryPageSize must be between 1 and 2000');
  const http = new SalesforceHttp({
    store,
    auth,
    faults,
    apiAllocation: positive('apiAllocation', options.apiAllocation, 100_000),
    queryPageSize,
    bulkPageSize: Math.max(1, positive('bulkPageSize', options.bulkPageSize, 50_000)),
    bulkPollsUntilComplete: positive('bulkPollsUntilComplete', options.bulkPollsUntilComplete, 1),
    locatorTtlMs: positive('locatorTtlMs', options.locatorTtlMs, 15 * 60_000),
    latestVersion: latest,
    requestLogLimit: Math.max(1, positive('requestLogLimit', options.requestLogLimit, 10_000)),
  });
  const url = await http.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    clock,
    store,
    credentials,
    close: () => http.close(),
    generate: (seed, dataset) => generateDataset(store, seed, dataset ?? {}),
    load: (objectName, records) => store.loadRecords(objectName, records),
    create: (objectName, values, writeOptions) => store.create(objectName, values, writeOptions),
    update: (objectName, id, values, writeOptions) => store.update(objectName, id, values, writeOptions),
    remove: (objectName, id) => store.delete(objectName, id),
    touch: (id) => store.touch(id),
    get: (id) => store.get(id),
    mutateRandom: (objectName, count, seed) => mutateRandom(store, objectName, count, seed),
    advanceClock: (ms) => clock.advance(ms),
    injectFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    requests: () => http.log,
    callCounts: () => Object.fromEntries(http.counts),
    resetRequestLog: () => {
      http.log.length = 0;
      http.counts.clear();
    },
    apiUsage: () => ({ used: http.apiUsed(), max: http.settings.apiAllocation }),
    setApiUsage: (used) => http.setApiUsed(used),
    expireLocators: () => http.expireLocators(),
    expireSessions: () => auth.expireAllSessions(),
    issueRefreshToken: () => auth.issueRefreshToken(),
    issueAccessToken: () => auth.issueSession('test').accessToken,
  };
}

function mutateRandom(store: RecordStore, objectName: string, count: number, seed: number): string[] {
  const live = store.table(objectName).records.filter((r) => r.IsDeleted !== true);
  if (count > live.length) throw new Error(`mutateRandom: only ${live.length} live ${objectName} records`);
  const rand = seededRandom(seed);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(rand() * live.length));
  const ids: string[] = [];
  for (const i of picked) {
    const rec = live[i]!;
    const id = rec.Id as string;
    switch (objectName) {
      case 'Account':
        store.update(objectName, id, {
          AnnualRevenue: Math.round((Number(rec.AnnualRevenue ?? 1e6) * (0.9 + rand() * 0.3)) / 1000) * 1000,
        });
        break;
      case 'Contact':
        store.update(objectName, id, { Phone: `+33 1 ${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` });
        break;
      case 'Opportunity':
        store.update(
          objectName,
          id,
          rand() < 0.5
            ? { StageName: rand() < 0.7 ? 'Closed Won' : 'Closed Lost' }
            : { Amount: Math.round(rand() * 200_000) },
        );
        break;
      case 'Order':
        store.update(objectName, id, { Status: rec.Status === 'Draft' ? 'Activated' : 'Draft' });
        break;
      default:
        store.touch(id);
    }
    ids.push(id);
  }
  return ids;
}

/** `boucle emulate salesforce`: seeded data (or --data DIR) on the given port. */
export const startSalesforceEmulator: StartEmulator = (options) => startSalesforce(options);

/** An RSA key pair for JWT bearer tests (generated on the spot; nothing is stored). */
export function generateJwtKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** Signs a JWT bearer assertion (RS256) the way a Salesforce connected-app client does. */
export function signJwtAssertion(input: {
  readonly privateKey: KeyObject | string;
  readonly clientId: string;
  readonly username: string;
  readonly audience: string;
  /** Expiry in seconds since the epoch. */
  readonly expiresAt: number;
}): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iss: input.clientId, sub: input.username, aud: input.audience, exp: input.expiresAt })}`;
  const signature = createSign('RSA-SHA256').update(body).sign(input.privateKey).toString('base64url');
  return `${body}.${signature}`;
}
