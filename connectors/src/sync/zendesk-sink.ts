import type { ZendeskSettings } from '../config/zendesk.ts';
import type { ZendeskItemResult, ZendeskKind, ZendeskSink } from './outbox.ts';

/**
 * The sync's Zendesk side: users through `users/create_or_update_many` (matched by external_id), organisations
 * through `organizations/create_many` (new) and `organizations/update_many` (known Zendesk id) — Zendesk has no
 * create_or_update_many for organisations. A batch that mixes both sends two jobs; the job id the outbox stores
 * then names both, with the positions of the created ones, so results map back to the batch.
 *
 * HTTP goes through `ZendeskBulkApi`; `httpBulkApi` below is the transport (Basic API-token auth, per-minute
 * budget, Retry-After on 429, backoff on 5xx/timeouts/resets, job polling).
 */
export interface JobOutcome {
  readonly status: 'completed' | 'failed' | 'killed';
  readonly message: string | null;
  readonly results: readonly {
    index?: number;
    id?: number;
    success?: boolean;
    status?: string;
    error?: string;
    details?: string;
  }[];
}

export interface ZendeskBulkApi {
  /** POST/PUT a bulk endpoint; returns the job id. */
  startJob(method: 'POST' | 'PUT', path: string, body: Record<string, unknown>): Promise<string>;
  /** Polls the job until it ends; undefined when Zendesk no longer knows it (404). */
  waitForJob(jobId: string): Promise<JobOutcome | undefined>;
  readonly calls: number;
  readonly budget: { readonly limit: number; readonly remaining: number } | undefined;
}

export class ZendeskApiError extends Error {
  override readonly name = 'ZendeskApiError';
  readonly status: number;
  readonly body: string;
  constructor(status: number, method: string, path: string, body: string) {
    super(`Zendesk answered ${status} to ${method} ${path}: ${body.slice(0, 300)}`);
    this.status = status;
    this.body = body;
  }
}

export function createZendeskSink(
  settings: ZendeskSettings,
  onEvent?: (event: string, data: Record<string, unknown>) => void,
): ZendeskSink {
  return sinkOver(httpBulkApi(settings, onEvent === undefined ? {} : { onEvent }));
}

export function sinkOver(api: ZendeskBulkApi): ZendeskSink {
  return {
    get calls() {
      return api.calls;
    },
    get budget() {
      return api.budget;
    },
    async submit(kind: ZendeskKind, records: readonly Record<string, unknown>[]): Promise<string> {
      if (kind === 'user')
        return `u:${await api.startJob('POST', '/api/v2/users/create_or_update_many', { users: records })}`;
      const creates: number[] = [];
      const toCreate: Record<string, unknown>[] = [];
      const toUpdate: Record<string, unknown>[] = [];
      records.forEach((record, index) => {
        if (typeof record.id === 'number') toUpdate.push(record);
        else {
          creates.push(index);
          toCreate.push(record);
        }
      });
      const created =
        toCreate.length === 0
          ? ''
          : await api.startJob('POST', '/api/v2/organizations/create_many', { organizations: toCreate });
      const updated =
        toUpdate.length === 0
          ? ''
          : await api.startJob('PUT', '/api/v2/organizations/update_many', { organizations: toUpdate });
      return `o:${created}:${updated}:${creates.join('.')}`;
    },
    async results(jobId: string, count: number): Promise<readonly ZendeskItemResult[] | undefined> {
      if (jobId.startsWith('u:')) {
        const outcome = await api.waitForJob(jobId.slice(2));
        return outcome === undefined
          ? undefined
          : mapResults(
              outcome,
              Array.from({ length: count }, (_, i) => i),
            );
      }
      const [, created = '', updated = '', list = ''] = jobId.split(':');
      const createIndexes = list === '' ? [] : list.split('.').map(Number);
      const createSet = new Set(createIndexes);
      const updateIndexes = Array.from({ length: count }, (_, i) => i).filter((i) => !createSet.has(i));
      const out: ZendeskItemResult[] = [];
      for (const [job, indexes] of [
        [created, createIndexes],
        [updated, updateIndexes],
      ] as const) {
        if (job === '' || indexes.length === 0) continue;
        const outcome = await api.waitForJob(job);
        if (outcome === undefined) return undefined;
        out.push(...mapResults(outcome, indexes));
      }
      return out;
    },
  };
}

/** Job results → per-record results at the batch positions `positions` (results carry their own `index`). */
function mapResults(outcome: JobOutcome, positions: readonly number[]): ZendeskItemResult[] {
  if (outcome.status !== 'completed')
    return positions.map((index) => ({
      index,
      success: false,
      error: `job ${outcome.status}: ${outcome.message ?? ''}`,
    }));
  const byIndex = new Map<number, JobOutcome['results'][number]>();
  outcome.results.forEach((result, i) => byIndex.set(result.index ?? i, result));
  return positions.map((position, i) => {
    const result = byIndex.get(i);
    if (result === undefined)
      return { index: position, success: false, error: 'missing from the job results' };
    const failed = result.success === false || result.status === 'Failed' || result.error !== undefined;
    return failed
      ? {
          index: position,
          success: false,
          error: [result.error, result.details].filter(Boolean).join(': ') || 'failed',
        }
      : { index: position, success: true, id: result.id };
  });
}

export interface HttpBulkApiOptions {
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly maxRetries?: number;
  readonly backoffMs?: number;
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
  readonly onEvent?: (event: string, data: Record<string, unknown>) => void;
}

/** Minimal Zendesk transport for the bulk endpoints the sync uses. */
export function httpBulkApi(settings: ZendeskSettings, options: HttpBulkApiOptions = {}): ZendeskBulkApi {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxRetries = options.maxRetries ?? 6;
  const backoffMs = options.backoffMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const auth = `Basic ${Buffer.from(`${settings.email}/token:${settings.apiToken}`).toString('base64')}`;
  let calls = 0;
  let budget: { limit: number; remaining: number } | undefined;
  // Per-minute budget of our own: a sliding window of request start times.
  const window: number[] = [];
  const takeSlot = async (): Promise<void> => {
    for (;;) {
      const now = Date.now();
      while (window.length > 0 && now - (window[0] ?? 0) >= 60_000) window.shift();
      if (window.length < settings.requestsPerMinute) {
        window.push(now);
        return;
      }
      await sleep(60_000 - (now - (window[0] ?? now)) + 1);
    }
  };

  const request = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> => {
    for (let attempt = 0; ; attempt++) {
      await takeSlot();
      calls++;
      let response: Response;
      try {
        response = await doFetch(`${settings.url}${path}`, {
          method,
          headers: {
            Authorization: auth,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if (attempt >= maxRetries) throw error;
        options.onEvent?.('sync.retry', {
          side: 'zendesk',
          what: `${method} ${path}`,
          attempt: attempt + 1,
          error: (error as Error).message,
        });
        await sleep(backoffMs * 2 ** attempt);
        continue;
      }
      const limit = Number(response.headers.get('x-rate-limit'));
      const remaining = Number(response.headers.get('x-rate-limit-remaining'));
      if (Number.isFinite(limit) && Number.isFinite(remaining) && response.headers.has('x-rate-limit'))
        budget = { limit, remaining };
      const text = await response.text();
      if (response.status === 429 || response.status >= 500) {
        if (attempt >= maxRetries) throw new ZendeskApiError(response.status, method, path, text);
        const retryAfter = Number(response.headers.get('retry-after'));
        const wait =
          response.status === 429 && Number.isFinite(retryAfter) && retryAfter >= 0
            ? retryAfter * 1000
            : backoffMs * 2 ** attempt;
        options.onEvent?.('sync.retry', {
          side: 'zendesk',
          what: `${method} ${path}`,
          status: response.status,
          waitMs: wait,
        });
        await sleep(wait);
        continue;
      }
      if (response.status >= 400 && !(response.status === 404 && method === 'GET'))
        throw new ZendeskApiError(response.status, method, path, text);
      return { status: response.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
    }
  };

  return {
    get calls() {
      return calls;
    },
    get budget() {
      return budget;
    },
    async startJob(method, path, body) {
      const { json } = await request(method, path, body);
      const id = (json as { job_status?: { id?: string } } | null)?.job_status?.id;
      if (typeof id !== 'string') throw new Error(`Zendesk ${method} ${path} returned no job_status id`);
      return id;
    },
    async waitForJob(jobId) {
      let interval = options.pollIntervalMs ?? 100;
      for (;;) {
        await sleep(interval);
        const { status, json } = await request('GET', `/api/v2/job_statuses/${encodeURIComponent(jobId)}`);
        if (status === 404) return undefined;
        const job = (json as { job_status?: Record<string, unknown> }).job_status ?? {};
        const state = typeof job.status === 'string' ? job.status : '';
        if (state === 'completed' || state === 'failed' || state === 'killed')
          return {
            status: state,
            message: typeof job.message === 'string' ? job.message : null,
            results: Array.isArray(job.results) ? (job.results as JobOutcome['results']) : [],
          };
        interval = Math.min(interval * 2, options.maxPollIntervalMs ?? 2000);
      }
    },
  };
}
