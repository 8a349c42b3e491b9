import { createSign } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import { QueryJobV2 } from 'jsforce/lib/api/bulk2.js';
import { HttpApi } from 'jsforce/lib/http-api.js';
import { setDefaults } from 'jsforce/lib/request.js';
import type { SalesforceSettings } from '../config/salesforce.ts';
import {
  SalesforceAuthError,
  SalesforceLimitError,
  isAuthFailure,
  isLimitExceeded,
  isTransient,
} from './errors.ts';

/**
 * Everything Boucle asks of Salesforce, behind one small port. This folder is the only one that imports jsforce.
 * - REST queries are paged by the caller (keyset on SystemModstamp, Id): no server cursor outlives a page.
 * - Bulk API 2.0 queries use jsforce's QueryJobV2 to open and poll, and our own locator loop through HttpApi
 *   (jsforce's `bulk2.query` breaks on multi-page results); each page is handed over with its locator so the
 *   caller can checkpoint `(jobId, locator)` and resume after a crash.
 * - Every call is counted; transient failures (5xx, 429, resets, timeouts) are retried with backoff;
 *   REQUEST_LIMIT_EXCEEDED becomes a SalesforceLimitError and is never retried.
 */

export type SfRecord = Record<string, unknown>;

export interface BulkPage {
  readonly jobId: string;
  /** Locator of this page (undefined for the first one). */
  readonly locator: string | undefined;
  /** Locator of the next page; undefined when this was the last one. */
  readonly nextLocator: string | undefined;
  readonly rows: readonly Record<string, string>[];
}

export interface DeletedRecords {
  readonly records: readonly { readonly id: string; readonly deletedDate: string }[];
  readonly earliestDateAvailable: string;
  readonly latestDateCovered: string;
}

/** Salesforce's per-record answer to an upsert (sObject Collections). */
export interface UpsertOutcome {
  readonly id: string | null;
  readonly success: boolean;
  readonly created: boolean;
  readonly errors: readonly { readonly statusCode: string; readonly message: string }[];
}

/** The per-record results of a Bulk API 2.0 ingest job (CSV rows as strings). */
export interface IngestResults {
  readonly jobId: string;
  readonly successful: readonly Record<string, string>[];
  readonly failed: readonly Record<string, string>[];
  readonly unprocessed: readonly Record<string, string>[];
}

export interface ApiBudget {
  readonly max: number;
  readonly remaining: number;
}

export interface SalesforceClientOptions {
  readonly settings: SalesforceSettings;
  /** Per-request timeout (ms); a slow response is aborted and retried. */
  readonly requestTimeoutMs?: number;
  readonly maxRetries?: number;
  /** Base of the exponential backoff (ms). */
  readonly backoffMs?: number;
  readonly bulkPollIntervalMs?: number;
  readonly bulkPollTimeoutMs?: number;
  /** At most this many token refreshes per minute (jsforce itself has no cap). */
  readonly maxRefreshesPerMinute?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onRetry?: (what: string, attempt: number, error: unknown) => void;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export class SalesforceClient {
  readonly #options: Required<Omit<SalesforceClientOptions, 'onRetry'>> &
    Pick<SalesforceClientOptions, 'onRetry'>;
  #conn: Connection | undefined;
  #calls = 0;
  #refreshes: number[] = [];
  #lastBudget: ApiBudget | undefined;
  readonly #described = new Map<string, Set<string>>();

  constructor(options: SalesforceClientOptions) {
    this.#options = {
      maxRetries: 5,
      backoffMs: 500,
      bulkPollTimeoutMs: 3_600_000,
      maxRefreshesPerMinute: 5,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      requestTimeoutMs: options.settings.requestTimeoutMs,
      bulkPollIntervalMs: options.settings.bulkPollIntervalMs,
      ...options,
    };
    // jsforce reads its request defaults globally; this replaces them (keeping its proxy behaviour).
    const httpProxy =
      process.env.https_proxy ?? process.env.http_proxy ?? process.env.HTTPS_PROXY ?? process.env.HTTP_PROXY;
    setDefaults({
      ...(httpProxy === undefined ? {} : { httpProxy }),
      timeout: this.#options.requestTimeoutMs,
      followRedirect: true,
      // jsforce's own retry (idempotent methods, 420/429/5xx, resets) stays short: ours wraps it for every call.
      retry: { maxRetries: 2, minTimeout: this.#options.backoffMs },
    });
  }

  /** HTTP calls made to Salesforce so far (token requests included, retries included). */
  get calls(): number {
    return this.#calls;
  }

  /** The last `Sforce-Limit-Info` seen, or the last `/limits` read. */
  get budget(): ApiBudget | undefined {
    const usage = this.#conn?.limitInfo.apiUsage;
    if (usage !== undefined && usage.limit > 0)
      return { max: usage.limit, remaining: usage.limit - usage.used };
    return this.#lastBudget;
  }

  /** Authenticates (once). Throws SalesforceAuthError when the credentials are refused. */
  async connect(): Promise<void> {
    if (this.#conn !== undefined) return;
    const token = await this.#requestToken();
    const { settings } = this.#options;
    const conn = new Connection({
      instanceUrl: token.instance_url ?? settings.instanceUrl ?? settings.loginUrl,
      accessToken: token.access_token,
      version: settings.apiVersion,
      refreshFn: (_conn, callback) => {
        this.#refresh().then(
          (fresh) => {
            callback(null, fresh.access_token, fresh as never);
          },
          (error: unknown) => {
            callback(error as Error);
          },
        );
      },
    });
    // Count every HTTP exchange jsforce makes through this connection (jsforce's own retries excluded).
    const transport = (conn as unknown as { _transport: { httpRequest: (...args: unknown[]) => unknown } })
      ._transport;
    const httpRequest = transport.httpRequest.bind(transport);
    transport.httpRequest = (...args: unknown[]): unknown => {
      this.#calls++;
      return httpRequest(...args);
    };
    this.#conn = conn;
  }

  get #connection(): Connection {
    if (this.#conn === undefined) throw new Error('SalesforceClient.connect() was not called');
    return this.#conn;
  }

  async #refresh(): Promise<{ access_token: string; instance_url?: string }> {
    const now = Date.now();
    this.#refreshes = this.#refreshes.filter((at) => now - at < 60_000);
    if (this.#refreshes.length >= this.#options.maxRefreshesPerMinute)
      throw new SalesforceAuthError(
        `Salesforce keeps rejecting fresh tokens (${this.#refreshes.length} refreshes in a minute): check the connected app and the integration user.`,
      );
    this.#refreshes.push(now);
    return this.#requestToken();
  }

  async #requestToken(): Promise<{ access_token: string; instance_url?: string }> {
    const { settings } = this.#options;
    const { auth } = settings;
    this.#calls++;
    try {
      switch (auth.kind) {
        case 'jwt': {
          const oauth2 = new OAuth2({ loginUrl: settings.loginUrl });
          const assertion = mintJwt(auth.clientId, auth.username, settings.loginUrl, auth.privateKey);
          return await oauth2.requestToken({ grant_type: JWT_GRANT, assertion });
        }
        case 'client_credentials': {
          const oauth2 = new OAuth2({
            loginUrl: settings.loginUrl,
            clientId: auth.clientId,
            clientSecret: auth.clientSecret,
          });
          return await oauth2.requestToken({ grant_type: 'client_credentials' });
        }
        case 'password': {
          const oauth2 = new OAuth2({
            loginUrl: settings.loginUrl,
            clientId: auth.clientId,
            clientSecret: auth.clientSecret,
          });
          return await oauth2.authenticate(auth.username, auth.password);
        }
      }
    } catch (error) {
      if (isAuthFailure(error) || /authentication failure|invalid_grant|invalid_client/i.test(String(error)))
        throw new SalesforceAuthError(
          `Salesforce refused the ${auth.kind} credentials: ${(error as Error).message}. Check SALESFORCE_* settings.`,
          { cause: error },
        );
      throw error;
    }
  }

  /** Runs one Salesforce call with our retry policy and error classification. */
  async #call<T>(what: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (error instanceof SalesforceAuthError || error instanceof SalesforceLimitError) throw error;
        if (isLimitExceeded(error))
          throw new SalesforceLimitError(
            `Salesforce refused ${what}: REQUEST_LIMIT_EXCEEDED (the org's API allocation is used up). The org is paused until the allocation frees up.`,
            { cause: error },
          );
        if (isAuthFailure(error))
          throw new SalesforceAuthError(
            `Salesforce refused the session during ${what}: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
        if (!isTransient(error) || attempt >= this.#options.maxRetries) throw error;
        this.#options.onRetry?.(what, attempt + 1, error);
        const delay = this.#options.backoffMs * 2 ** attempt;
        await this.#options.sleep(delay + Math.floor(Math.random() * (delay / 2)));
      }
    }
  }

  /** Reads `/limits` (DailyApiRequests). */
  async limits(): Promise<ApiBudget> {
    const conn = this.#connection;
    const limits = await this.#call('GET /limits', () => conn.limits());
    const daily = limits.DailyApiRequests;
    if (daily === undefined) throw new Error('Salesforce /limits has no DailyApiRequests');
    this.#lastBudget = { max: daily.Max, remaining: daily.Remaining };
    return this.#lastBudget;
  }

  /** Field API names of an object (describe), to validate the mapping. */
  async fieldsOf(object: string): Promise<Set<string>> {
    const cached = this.#described.get(object);
    if (cached !== undefined) return cached;
    const conn = this.#connection;
    const describe = await this.#call(`describe ${object}`, () => conn.describe(object));
    const fields = new Set(describe.fields.map((field) => field.name));
    this.#described.set(object, fields);
    return fields;
  }

  /** One REST query page (≤ 2,000 rows); callers page with keyset conditions, never with locators. */
  async query(soql: string): Promise<SfRecord[]> {
    const conn = this.#connection;
    const result = await this.#call(
      'query',
      async () => await conn.query<SfRecord>(soql, { autoFetch: false }),
    );
    return result.records.map((record: SfRecord) => {
      const { attributes: _attributes, ...rest } = record;
      return rest;
    });
  }

  async deleted(object: string, start: Date, end: Date): Promise<DeletedRecords> {
    const conn = this.#connection;
    const result = await this.#call(`deleted ${object}`, () => conn.sobject(object).deleted(start, end));
    return {
      records: result.deletedRecords,
      earliestDateAvailable: result.earliestDateAvailable,
      latestDateCovered: result.latestDateCovered,
    };
  }

  /** Opens a Bulk API 2.0 query job and waits for it to complete; returns its id. */
  async openBulkQuery(soql: string, operation: 'query' | 'queryAll' = 'query'): Promise<string> {
    const conn = this.#connection;
    const job = await this.#call('open bulk query', async () => {
      const created = new QueryJobV2(conn, {
        bodyParams: { operation, query: soql },
        pollingOptions: {
          pollInterval: this.#options.bulkPollIntervalMs,
          pollTimeout: this.#options.bulkPollTimeoutMs,
        },
      });
      await created.open();
      return created;
    });
    await this.#call('poll bulk query', () => job.poll());
    return job.id;
  }

  /**
   * Upserts ≤ 200 records by an external id with one sObject Collections call
   * (`PATCH /composite/sobjects/{type}/{field}`, allOrNone false): one outcome per record, in order.
   * An upsert by external id is idempotent, so a transient failure is retried like a read.
   */
  async upsertCollection(
    object: string,
    externalIdField: string,
    records: readonly Record<string, unknown>[],
  ): Promise<UpsertOutcome[]> {
    if (records.length > 200)
      throw new Error(`sObject Collections take at most 200 records (got ${records.length})`);
    if (records.length === 0) return [];
    const conn = this.#connection;
    const results = await this.#call(`upsert ${object}`, async () => {
      const answer: unknown = await conn.upsert(
        object,
        records as Record<string, string>[],
        externalIdField,
        {
          allOrNone: false,
        },
      );
      return answer;
    });
    const list = (Array.isArray(results) ? results : [results]) as {
      id?: string;
      success: boolean;
      created?: boolean;
      errors?: { statusCode?: string; errorCode?: string; message: string }[];
    }[];
    return list.map((r) => ({
      id: r.id ?? null,
      success: r.success,
      created: r.created ?? false,
      errors: (r.errors ?? []).map((e) => ({
        statusCode: e.statusCode ?? e.errorCode ?? 'UNKNOWN',
        message: e.message,
      })),
    }));
  }

  /**
   * Upserts records with one Bulk API 2.0 ingest job through jsforce's IngestJobV2: create, upload the CSV,
   * UploadComplete, poll, then the successful, failed and unprocessed results. `onOpen` gets the job id.
   */
  async bulkUpsert(
    object: string,
    externalIdField: string,
    records: readonly Record<string, unknown>[],
    onOpen?: (jobId: string) => void,
  ): Promise<IngestResults> {
    const conn = this.#connection;
    const job = conn.bulk2.createJob({
      object,
      operation: 'upsert',
      externalIdFieldName: externalIdField,
      lineEnding: 'LF',
    });
    await this.#call(`open ingest ${object}`, () => job.open());
    const jobId = job.id ?? '';
    onOpen?.(jobId);
    await this.#call(`upload ingest ${object}`, () => job.uploadData(records as Record<string, string>[]));
    await this.#call(`close ingest ${object}`, () => job.close());
    await this.#call(`poll ingest ${object}`, () =>
      job.poll(this.#options.bulkPollIntervalMs, this.#options.bulkPollTimeoutMs),
    );
    const results = await this.#call(`ingest results ${object}`, () => job.getAllResults());
    const rows = (list: unknown): Record<string, string>[] =>
      (Array.isArray(list) ? list : []) as Record<string, string>[];
    return {
      jobId,
      successful: rows(results.successfulResults),
      failed: rows(results.failedResults),
      unprocessed: rows(results.unprocessedRecords),
    };
  }

  /** Reads the results of a completed Bulk API 2.0 query job, one page per iteration, from `locator`. */
  async *bulkPages(jobId: string, pageSize: number, locator?: string): AsyncGenerator<BulkPage> {
    const conn = this.#connection;
    let current = locator;
    for (;;) {
      const base = `${conn.instanceUrl}/services/data/v${conn.version}/jobs/query/${jobId}/results`;
      const url = `${base}?maxRecords=${pageSize}${current === undefined ? '' : `&locator=${encodeURIComponent(current)}`}`;
      const { rows, next } = await this.#call('bulk results page', async () => {
        const api = new HttpApi(conn, { responseType: 'text/csv' });
        let headers: Record<string, string> = {};
        api.on('response', (res: { headers: Record<string, string> }) => {
          headers = res.headers;
        });
        const body = await api.request<unknown>({ method: 'GET', url, headers: { Accept: 'text/csv' } });
        const parsed = Array.isArray(body) ? (body as Record<string, string>[]) : [];
        const nextLocator = headers['sforce-locator'];
        return {
          rows: parsed,
          next:
            nextLocator === undefined || nextLocator === 'null' || nextLocator === ''
              ? undefined
              : nextLocator,
        };
      });
      yield { jobId, locator: current, nextLocator: next, rows };
      if (next === undefined) return;
      current = next;
    }
  }
}

/** A JWT bearer assertion signed RS256 with the connected app's private key (valid 3 minutes). */
export function mintJwt(clientId: string, username: string, audience: string, privateKeyPem: string): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT' });
  const claims = encode({
    iss: clientId,
    sub: username,
    aud: audience,
    exp: Math.floor(Date.now() / 1000) + 180,
  });
  const signature = createSign('RSA-SHA256')
    .update(`${header}.${claims}`)
    .sign(privateKeyPem)
    .toString('base64url');
  return `${header}.${claims}.${signature}`;
}
