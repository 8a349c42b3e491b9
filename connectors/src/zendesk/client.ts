import { ZendeskApiError, codeForStatus } from './errors.ts';
import type {
  AppSettingValue,
  ZendeskAppInstallation,
  CustomObjectJobAction,
  CustomObjectRecord,
  JobStatus,
  SatisfactionRating,
  SearchResult,
  TicketUpdate,
  ZendeskAudit,
  ZendeskComment,
  ZendeskCustomObject,
  ZendeskField,
  ZendeskOrganization,
  ZendeskTicket,
  ZendeskTicketField,
  ZendeskTrigger,
  ZendeskUser,
  ZendeskWebhook,
} from './types.ts';

export type ZendeskAuth =
  | { readonly kind: 'apiToken'; readonly email: string; readonly token: string }
  | { readonly kind: 'oauth'; readonly accessToken: string };

export interface ZendeskClientOptions {
  /** Base URL of the account, without a trailing slash (the emulator's URL in tests). */
  readonly baseUrl: string;
  readonly auth: ZendeskAuth;
  /** Retries after the first attempt for 429, 5xx, timeouts and resets. Default 5. */
  readonly maxRetries?: number;
  /** First backoff step (ms); doubles per retry, capped by `maxBackoffMs`, with full jitter. Default 500. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A `Retry-After` longer than this (seconds) is not waited for: RATE_LIMITED is thrown. Default 120. */
  readonly maxRetryAfterSeconds?: number;
  /** Per-request timeout (ms). Default 30000. */
  readonly timeoutMs?: number;
  /** Own budget of requests per minute (sliding window), below the plan's limit. Unlimited when absent. */
  readonly requestsPerMinute?: number;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  /** Observability: retries, rate-limit waits. */
  readonly onEvent?: (event: ZendeskClientEvent) => void;
}

export type ZendeskClientEvent =
  | {
      readonly type: 'retry';
      readonly method: string;
      readonly path: string;
      readonly attempt: number;
      readonly waitMs: number;
      readonly reason: string;
    }
  | { readonly type: 'throttle'; readonly waitMs: number };

export interface RequestOptions {
  readonly query?: Readonly<
    Record<string, string | number | boolean | readonly (string | number)[] | undefined>
  >;
  readonly body?: unknown;
}

export interface WaitForJobOptions {
  /** First poll interval (ms), growing ×1.5 up to `maxPollIntervalMs`. Default 1000. */
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
  /** Gives up with UNAVAILABLE after this long (ms). Default 600000. */
  readonly timeoutMs?: number;
}

export interface RateBudget {
  readonly limit: number;
  readonly remaining: number;
}

const MAX_BULK = 100;

/** The one module of Boucle that speaks HTTP to Zendesk. */
export class ZendeskClient {
  readonly #baseUrl: string;
  readonly #authHeader: string;
  readonly #maxRetries: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #maxRetryAfter: number;
  readonly #timeoutMs: number;
  readonly #perMinute: number | undefined;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;
  readonly #onEvent: ((event: ZendeskClientEvent) => void) | undefined;
  readonly #window: number[] = [];
  #calls = 0;
  #budget: RateBudget | undefined;
  #resetAt: number | undefined;

  constructor(options: ZendeskClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.baseUrl);
    } catch {
      throw new Error(
        `Zendesk base URL "${options.baseUrl}" is not a URL: give the account URL, e.g. https://<subdomain>.<zendesk host>`,
      );
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new Error(`Zendesk base URL "${options.baseUrl}" must start with https://`);
    this.#baseUrl = parsed.origin;
    const auth = options.auth;
    this.#authHeader =
      auth.kind === 'apiToken'
        ? `Basic ${Buffer.from(`${auth.email}/token:${auth.token}`).toString('base64')}`
        : `Bearer ${auth.accessToken}`;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#backoffMs = options.backoffMs ?? 500;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.#maxRetryAfter = options.maxRetryAfterSeconds ?? 120;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#perMinute = options.requestsPerMinute;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#onEvent = options.onEvent;
  }

  /** HTTP requests sent (every attempt counts). */
  get calls(): number {
    return this.#calls;
  }

  /** The account's per-minute budget as Zendesk last reported it (`X-Rate-Limit`, `X-Rate-Limit-Remaining`). */
  get budget(): RateBudget | undefined {
    return this.#budget;
  }

  // ------------------------------------------------------------------ transport

  /** One API call with retries; resolves to the parsed JSON body (undefined for 204). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.#url(path, options.query);
    const pathForErrors = new URL(url).pathname;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    for (let attempt = 0; ; attempt += 1) {
      await this.#throttle();
      this.#calls += 1;
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method,
          headers: {
            authorization: this.#authHeader,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body }),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        const reason =
          error instanceof Error && error.name === 'TimeoutError'
            ? `timed out after ${this.#timeoutMs} ms`
            : 'connection failed';
        if (attempt < this.#maxRetries) {
          await this.#backoff(method, pathForErrors, attempt, reason);
          continue;
        }
        throw new ZendeskApiError({
          code: 'UNAVAILABLE',
          status: null,
          method,
          path: pathForErrors,
          body: null,
          cause: error,
        });
      }
      this.#readRateHeaders(response.headers);
      const text = await response.text().catch(() => '');
      if (response.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
      const parsed = parseBody(text);
      const status = response.status;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), this.#now());
      const retryable = status === 429 || status >= 500;
      if (retryable && attempt < this.#maxRetries) {
        if (retryAfter !== undefined) {
          if (retryAfter > this.#maxRetryAfter)
            throw new ZendeskApiError({
              code: codeForStatus(status),
              status,
              method,
              path: pathForErrors,
              body: parsed,
              retryAfterSeconds: retryAfter,
            });
          const waitMs = Math.ceil(retryAfter * 1000);
          this.#onEvent?.({
            type: 'retry',
            method,
            path: pathForErrors,
            attempt: attempt + 1,
            waitMs,
            reason: `HTTP ${status}, Retry-After ${retryAfter}s`,
          });
          await this.#sleep(waitMs);
        } else await this.#backoff(method, pathForErrors, attempt, `HTTP ${status}`);
        continue;
      }
      throw new ZendeskApiError({
        code: codeForStatus(status),
        status,
        method,
        path: pathForErrors,
        body: parsed,
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      });
    }
  }

  #url(path: string, query: RequestOptions['query']): string {
    const url =
      path.startsWith('http://') || path.startsWith('https://')
        ? new URL(path)
        : new URL(path, this.#baseUrl);
    if (url.origin !== this.#baseUrl)
      throw new Error(`Refusing to follow a link to another host: ${url.origin}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return url.toString();
  }

  async #backoff(method: string, path: string, attempt: number, reason: string): Promise<void> {
    const cap = Math.min(this.#maxBackoffMs, this.#backoffMs * 2 ** attempt);
    const waitMs = Math.round(cap / 2 + (this.#random() * cap) / 2);
    this.#onEvent?.({ type: 'retry', method, path, attempt: attempt + 1, waitMs, reason });
    await this.#sleep(waitMs);
  }

  async #throttle(): Promise<void> {
    // Zendesk said the budget is spent and when it resets (`ratelimit-reset`): wait instead of earning a 429.
    if (this.#budget !== undefined && this.#budget.remaining <= 0 && this.#resetAt !== undefined) {
      const waitMs = this.#resetAt - this.#now();
      this.#resetAt = undefined;
      if (waitMs > 0 && waitMs <= this.#maxRetryAfter * 1000) {
        this.#onEvent?.({ type: 'throttle', waitMs });
        await this.#sleep(waitMs);
      }
    }
    if (this.#perMinute === undefined) return;
    for (;;) {
      const now = this.#now();
      while (this.#window.length > 0 && now - (this.#window[0] ?? now) >= 60_000) this.#window.shift();
      if (this.#window.length < this.#perMinute) {
        this.#window.push(now);
        return;
      }
      const waitMs = 60_000 - (now - (this.#window[0] ?? now)) + 1;
      this.#onEvent?.({ type: 'throttle', waitMs });
      await this.#sleep(waitMs);
    }
  }

  #readRateHeaders(headers: Headers): void {
    const limit = Number(headers.get('x-rate-limit') ?? headers.get('ratelimit-limit'));
    const remaining = Number(headers.get('x-rate-limit-remaining') ?? headers.get('ratelimit-remaining'));
    if (headers.has('x-rate-limit-remaining') || headers.has('ratelimit-remaining'))
      if (Number.isFinite(limit) && Number.isFinite(remaining)) this.#budget = { limit, remaining };
    const reset = headers.get('ratelimit-reset');
    this.#resetAt = reset !== null && /^\d+$/.test(reset) ? this.#now() + Number(reset) * 1000 : undefined;
  }

  /** Every item of a cursor-paginated list (`page[size]`, `meta.has_more`, `links.next`). */
  async *paginate<T>(
    path: string,
    key: string,
    query: RequestOptions['query'] = {},
    pageSize = 100,
  ): AsyncGenerator<T> {
    let next: string | null = this.#url(path, { ...query, 'page[size]': pageSize });
    while (next !== null) {
      const page: Record<string, unknown> = await this.request<Record<string, unknown>>('GET', next);
      const items = page[key];
      if (!Array.isArray(items)) throw unexpected('GET', path, `no "${key}" array in the page`);
      for (const item of items) yield item as T;
      const meta = page['meta'] as { has_more?: boolean } | undefined;
      const links = page['links'] as { next?: string | null } | undefined;
      next = meta?.has_more === true && typeof links?.next === 'string' ? links.next : null;
    }
  }

  /** Every item of an offset-paginated list (`next_page`). */
  async *paginateOffset<T>(
    path: string,
    key: string,
    query: RequestOptions['query'] = {},
  ): AsyncGenerator<T> {
    let next: string | null = this.#url(path, { per_page: 100, ...query });
    while (next !== null) {
      const page: Record<string, unknown> = await this.request<Record<string, unknown>>('GET', next);
      const items = page[key];
      if (!Array.isArray(items)) throw unexpected('GET', path, `no "${key}" array in the page`);
      for (const item of items) yield item as T;
      next = typeof page['next_page'] === 'string' ? page['next_page'] : null;
    }
  }

  // ------------------------------------------------------------------ jobs

  async getJobStatus(jobId: string): Promise<JobStatus> {
    const body = await this.request<{ job_status: RawJobStatus }>(
      'GET',
      `/api/v2/job_statuses/${encodeURIComponent(jobId)}.json`,
    );
    return normaliseJob(body.job_status);
  }

  /** Polls a job until it completes or fails; returns it with its per-record `results`. */
  async waitForJob(jobId: string, options: WaitForJobOptions = {}): Promise<JobStatus> {
    let interval = options.pollIntervalMs ?? 1000;
    const max = options.maxPollIntervalMs ?? 10_000;
    const deadline = this.#now() + (options.timeoutMs ?? 600_000);
    for (;;) {
      const job = await this.getJobStatus(jobId);
      if (job.status === 'completed' || job.status === 'failed' || job.status === 'killed') return job;
      if (this.#now() >= deadline)
        throw new ZendeskApiError({
          code: 'UNAVAILABLE',
          status: null,
          method: 'GET',
          path: `/api/v2/job_statuses/${jobId}`,
          body: { error: 'JobTimeout', description: `job still ${job.status} after waiting` },
        });
      await this.#sleep(interval);
      interval = Math.min(max, Math.ceil(interval * 1.5));
    }
  }

  /** Starts a bulk endpoint and returns its job id (the shape the sync's `ZendeskBulkApi` expects). */
  async startJob(method: 'POST' | 'PUT', path: string, body: Record<string, unknown>): Promise<string> {
    const answer = await this.request<{ job_status: RawJobStatus }>(method, path, { body });
    return answer.job_status.id;
  }

  // ------------------------------------------------------------------ app installations (admins only)

  async listAppInstallations(): Promise<ZendeskAppInstallation[]> {
    const body = await this.request<{ installations: ZendeskAppInstallation[] }>(
      'GET',
      '/api/v2/apps/installations.json',
    );
    return body.installations;
  }

  /** One installation with its settings (the secure ones left out by Zendesk). */
  async getAppInstallation(id: number): Promise<ZendeskAppInstallation> {
    return this.request<ZendeskAppInstallation>('GET', `/api/v2/apps/installations/${id}.json`);
  }

  /** Changes the settings it names, leaves the others as they are; Zendesk answers 403 to a non-admin. */
  async updateAppInstallationSettings(
    id: number,
    settings: Readonly<Record<string, AppSettingValue>>,
  ): Promise<ZendeskAppInstallation> {
    return this.request<ZendeskAppInstallation>('PUT', `/api/v2/apps/installations/${id}.json`, {
      body: { settings },
    });
  }

  // ------------------------------------------------------------------ users

  async getUser(id: number): Promise<ZendeskUser> {
    return (await this.request<{ user: ZendeskUser }>('GET', `/api/v2/users/${id}.json`)).user;
  }

  async getCurrentUser(): Promise<ZendeskUser> {
    return (await this.request<{ user: ZendeskUser }>('GET', '/api/v2/users/me.json')).user;
  }

  async findUserByExternalId(externalId: string): Promise<ZendeskUser | undefined> {
    const body = await this.request<{ users: ZendeskUser[] }>('GET', '/api/v2/users/search.json', {
      query: { external_id: externalId },
    });
    return body.users[0];
  }

  async findUserByEmail(email: string): Promise<ZendeskUser | undefined> {
    const body = await this.request<{ users: ZendeskUser[] }>('GET', '/api/v2/users/search.json', {
      query: { query: `email:${email}` },
    });
    return body.users.find((u) => u.email?.toLowerCase() === email.toLowerCase());
  }

  searchUsers(query: string): AsyncGenerator<ZendeskUser> {
    return this.paginateOffset<ZendeskUser>('/api/v2/users/search.json', 'users', { query });
  }

  async showManyUsers(
    ref: { readonly ids: readonly number[] } | { readonly externalIds: readonly string[] },
  ): Promise<ZendeskUser[]> {
    const query =
      'ids' in ref
        ? { ids: checkMax(ref.ids, 'ids') }
        : { external_ids: checkMax(ref.externalIds, 'external ids') };
    return (await this.request<{ users: ZendeskUser[] }>('GET', '/api/v2/users/show_many.json', { query }))
      .users;
  }

  listUsers(query: RequestOptions['query'] = {}): AsyncGenerator<ZendeskUser> {
    return this.paginate<ZendeskUser>('/api/v2/users.json', 'users', query);
  }

  async createOrUpdateUser(user: Record<string, unknown>): Promise<ZendeskUser> {
    return (
      await this.request<{ user: ZendeskUser }>('POST', '/api/v2/users/create_or_update.json', {
        body: { user },
      })
    ).user;
  }

  async updateUser(id: number, user: Record<string, unknown>): Promise<ZendeskUser> {
    return (await this.request<{ user: ZendeskUser }>('PUT', `/api/v2/users/${id}.json`, { body: { user } }))
      .user;
  }

  /** Queues `create_or_update_many` (≤ 100 users, matched by `external_id` or `email`); returns the queued job. */
  async createOrUpdateManyUsers(users: readonly Record<string, unknown>[]): Promise<JobStatus> {
    checkBulk(users, 'users');
    const body = await this.request<{ job_status: RawJobStatus }>(
      'POST',
      '/api/v2/users/create_or_update_many.json',
      { body: { users } },
    );
    return normaliseJob(body.job_status);
  }

  // ------------------------------------------------------------------ organisations

  async getOrganization(id: number): Promise<ZendeskOrganization> {
    return (
      await this.request<{ organization: ZendeskOrganization }>('GET', `/api/v2/organizations/${id}.json`)
    ).organization;
  }

  async findOrganizationByExternalId(externalId: string): Promise<ZendeskOrganization | undefined> {
    const body = await this.request<{ organizations: ZendeskOrganization[] }>(
      'GET',
      '/api/v2/organizations/search.json',
      {
        query: { external_id: externalId },
      },
    );
    return body.organizations[0];
  }

  async showManyOrganizations(
    ref: { readonly ids: readonly number[] } | { readonly externalIds: readonly string[] },
  ): Promise<ZendeskOrganization[]> {
    const query =
      'ids' in ref
        ? { ids: checkMax(ref.ids, 'ids') }
        : { external_ids: checkMax(ref.externalIds, 'external ids') };
    return (
      await this.request<{ organizations: ZendeskOrganization[] }>(
        'GET',
        '/api/v2/organizations/show_many.json',
        { query },
      )
    ).organizations;
  }

  listOrganizations(): AsyncGenerator<ZendeskOrganization> {
    return this.paginate<ZendeskOrganization>('/api/v2/organizations.json', 'organizations');
  }

  async createOrUpdateOrganization(organization: Record<string, unknown>): Promise<ZendeskOrganization> {
    return (
      await this.request<{ organization: ZendeskOrganization }>(
        'POST',
        '/api/v2/organizations/create_or_update.json',
        { body: { organization } },
      )
    ).organization;
  }

  async updateOrganization(id: number, organization: Record<string, unknown>): Promise<ZendeskOrganization> {
    return (
      await this.request<{ organization: ZendeskOrganization }>('PUT', `/api/v2/organizations/${id}.json`, {
        body: { organization },
      })
    ).organization;
  }

  /** Queues `organizations/create_many` (≤ 100). */
  async createManyOrganizations(organizations: readonly Record<string, unknown>[]): Promise<JobStatus> {
    checkBulk(organizations, 'organizations');
    const body = await this.request<{ job_status: RawJobStatus }>(
      'POST',
      '/api/v2/organizations/create_many.json',
      { body: { organizations } },
    );
    return normaliseJob(body.job_status);
  }

  /** Queues `organizations/update_many` (≤ 100, each with its `id`). */
  async updateManyOrganizations(organizations: readonly Record<string, unknown>[]): Promise<JobStatus> {
    checkBulk(organizations, 'organizations');
    const body = await this.request<{ job_status: RawJobStatus }>(
      'PUT',
      '/api/v2/organizations/update_many.json',
      { body: { organizations } },
    );
    return normaliseJob(body.job_status);
  }

  // ------------------------------------------------------------------ user / organisation / ticket fields

  async listUserFields(): Promise<ZendeskField[]> {
    return collect(this.paginate<ZendeskField>('/api/v2/user_fields.json', 'user_fields'));
  }

  async createUserField(field: Record<string, unknown>): Promise<ZendeskField> {
    return (
      await this.request<{ user_field: ZendeskField }>('POST', '/api/v2/user_fields.json', {
        body: { user_field: field },
      })
    ).user_field;
  }

  async listOrganizationFields(): Promise<ZendeskField[]> {
    return collect(this.paginate<ZendeskField>('/api/v2/organization_fields.json', 'organization_fields'));
  }

  async createOrganizationField(field: Record<string, unknown>): Promise<ZendeskField> {
    return (
      await this.request<{ organization_field: ZendeskField }>('POST', '/api/v2/organization_fields.json', {
        body: { organization_field: field },
      })
    ).organization_field;
  }

  async listTicketFields(): Promise<ZendeskTicketField[]> {
    return collect(this.paginate<ZendeskTicketField>('/api/v2/ticket_fields.json', 'ticket_fields'));
  }

  async createTicketField(field: Record<string, unknown>): Promise<ZendeskTicketField> {
    return (
      await this.request<{ ticket_field: ZendeskTicketField }>('POST', '/api/v2/ticket_fields.json', {
        body: { ticket_field: field },
      })
    ).ticket_field;
  }

  // ------------------------------------------------------------------ tickets

  async getTicket(id: number): Promise<ZendeskTicket> {
    return (await this.request<{ ticket: ZendeskTicket }>('GET', `/api/v2/tickets/${id}.json`)).ticket;
  }

  async showManyTickets(ids: readonly number[]): Promise<ZendeskTicket[]> {
    return (
      await this.request<{ tickets: ZendeskTicket[] }>('GET', '/api/v2/tickets/show_many.json', {
        query: { ids: checkMax(ids, 'ids') },
      })
    ).tickets;
  }

  /**
   * Updates a ticket. With `updatedStamp` (the `updated_at` you read), Zendesk's safe update refuses the change
   * (409, code UNKNOWN) if someone changed the ticket meanwhile — and a retried request never applies twice.
   */
  async updateTicket(
    id: number,
    update: TicketUpdate,
    options: { readonly updatedStamp?: string } = {},
  ): Promise<{ ticket: ZendeskTicket; audit: ZendeskAudit }> {
    const ticket =
      options.updatedStamp === undefined
        ? update
        : { ...update, safe_update: true, updated_stamp: options.updatedStamp };
    return this.request<{ ticket: ZendeskTicket; audit: ZendeskAudit }>('PUT', `/api/v2/tickets/${id}.json`, {
      body: { ticket },
    });
  }

  /** A public reply (or, with `isPublic: false`, an internal note). */
  async addComment(
    id: number,
    body: string,
    options: { readonly isPublic?: boolean; readonly html?: boolean; readonly authorId?: number } = {},
  ): Promise<{ ticket: ZendeskTicket; audit: ZendeskAudit }> {
    const comment = {
      ...(options.html === true ? { html_body: body } : { body }),
      public: options.isPublic ?? true,
      ...(options.authorId === undefined ? {} : { author_id: options.authorId }),
    };
    return this.updateTicket(id, { comment });
  }

  addInternalNote(
    id: number,
    body: string,
    options: { readonly html?: boolean; readonly authorId?: number } = {},
  ): Promise<{ ticket: ZendeskTicket; audit: ZendeskAudit }> {
    return this.addComment(id, body, { ...options, isPublic: false });
  }

  /** Queues `tickets/update_many`: either one change for up to 100 ids, or up to 100 tickets each with its `id`. */
  async updateManyTickets(
    input:
      | { readonly ids: readonly number[]; readonly ticket: TicketUpdate }
      | { readonly tickets: readonly (TicketUpdate & { readonly id: number })[] },
  ): Promise<JobStatus> {
    const body =
      'ids' in input
        ? await this.request<{ job_status: RawJobStatus }>('PUT', '/api/v2/tickets/update_many.json', {
            query: { ids: checkMax(input.ids, 'ids') },
            body: { ticket: input.ticket },
          })
        : await this.request<{ job_status: RawJobStatus }>('PUT', '/api/v2/tickets/update_many.json', {
            body: { tickets: checkBulk(input.tickets, 'tickets') },
          });
    return normaliseJob(body.job_status);
  }

  listComments(ticketId: number, order: 'asc' | 'desc' = 'asc'): AsyncGenerator<ZendeskComment> {
    return this.paginate<ZendeskComment>(
      `/api/v2/tickets/${ticketId}/comments.json`,
      'comments',
      order === 'desc' ? { sort_order: 'desc' } : {},
    );
  }

  listAudits(ticketId: number): AsyncGenerator<ZendeskAudit> {
    return this.paginate<ZendeskAudit>(`/api/v2/tickets/${ticketId}/audits.json`, 'audits');
  }

  async getTags(ticketId: number): Promise<string[]> {
    return (await this.request<{ tags: string[] }>('GET', `/api/v2/tickets/${ticketId}/tags.json`)).tags;
  }

  /** Adds tags (keeps the others). */
  async addTags(ticketId: number, tags: readonly string[]): Promise<string[]> {
    return (
      await this.request<{ tags: string[] }>('PUT', `/api/v2/tickets/${ticketId}/tags.json`, {
        body: { tags },
      })
    ).tags;
  }

  async removeTags(ticketId: number, tags: readonly string[]): Promise<string[]> {
    return (
      await this.request<{ tags: string[] }>('DELETE', `/api/v2/tickets/${ticketId}/tags.json`, {
        body: { tags },
      })
    ).tags;
  }

  // ------------------------------------------------------------------ custom objects (v2)

  async listCustomObjects(): Promise<ZendeskCustomObject[]> {
    return (
      await this.request<{ custom_objects: ZendeskCustomObject[] }>('GET', '/api/v2/custom_objects.json')
    ).custom_objects;
  }

  async createCustomObject(object: Record<string, unknown>): Promise<ZendeskCustomObject> {
    return (
      await this.request<{ custom_object: ZendeskCustomObject }>('POST', '/api/v2/custom_objects.json', {
        body: { custom_object: object },
      })
    ).custom_object;
  }

  async listCustomObjectFields(key: string): Promise<ZendeskField[]> {
    return (
      await this.request<{ custom_object_fields: ZendeskField[] }>(
        'GET',
        `/api/v2/custom_objects/${encodeURIComponent(key)}/fields.json`,
      )
    ).custom_object_fields;
  }

  async createCustomObjectField(key: string, field: Record<string, unknown>): Promise<ZendeskField> {
    return (
      await this.request<{ custom_object_field: ZendeskField }>(
        'POST',
        `/api/v2/custom_objects/${encodeURIComponent(key)}/fields.json`,
        {
          body: { custom_object_field: field },
        },
      )
    ).custom_object_field;
  }

  async getCustomObjectRecord(key: string, id: string): Promise<CustomObjectRecord> {
    return (
      await this.request<{ custom_object_record: CustomObjectRecord }>(
        'GET',
        `/api/v2/custom_objects/${encodeURIComponent(key)}/records/${encodeURIComponent(id)}.json`,
      )
    ).custom_object_record;
  }

  async createCustomObjectRecord(key: string, record: Record<string, unknown>): Promise<CustomObjectRecord> {
    return (
      await this.request<{ custom_object_record: CustomObjectRecord }>(
        'POST',
        `/api/v2/custom_objects/${encodeURIComponent(key)}/records.json`,
        {
          body: { custom_object_record: record },
        },
      )
    ).custom_object_record;
  }

  async updateCustomObjectRecord(
    key: string,
    id: string,
    record: Record<string, unknown>,
  ): Promise<CustomObjectRecord> {
    return (
      await this.request<{ custom_object_record: CustomObjectRecord }>(
        'PATCH',
        `/api/v2/custom_objects/${encodeURIComponent(key)}/records/${encodeURIComponent(id)}.json`,
        { body: { custom_object_record: record } },
      )
    ).custom_object_record;
  }

  /** Creates or updates the record with this external id (idempotent: safe to retry). */
  async upsertCustomObjectRecord(
    key: string,
    externalId: string,
    record: Record<string, unknown>,
  ): Promise<CustomObjectRecord> {
    return (
      await this.request<{ custom_object_record: CustomObjectRecord }>(
        'PATCH',
        `/api/v2/custom_objects/${encodeURIComponent(key)}/records.json`,
        {
          query: { external_id: externalId },
          body: { custom_object_record: record },
        },
      )
    ).custom_object_record;
  }

  async deleteCustomObjectRecord(key: string, id: string): Promise<void> {
    await this.request(
      'DELETE',
      `/api/v2/custom_objects/${encodeURIComponent(key)}/records/${encodeURIComponent(id)}.json`,
    );
  }

  listCustomObjectRecords(
    key: string,
    options: {
      readonly externalIds?: readonly string[];
      readonly ids?: readonly string[];
      readonly sort?: 'id' | '-id' | 'updated_at' | '-updated_at';
    } = {},
  ): AsyncGenerator<CustomObjectRecord> {
    return this.paginate<CustomObjectRecord>(
      `/api/v2/custom_objects/${encodeURIComponent(key)}/records.json`,
      'custom_object_records',
      {
        'filter[external_ids]':
          options.externalIds === undefined ? undefined : checkMax(options.externalIds, 'external ids'),
        'filter[ids]': options.ids === undefined ? undefined : checkMax(options.ids, 'ids'),
        sort: options.sort,
      },
    );
  }

  /** Records matching a text query (`GET …/records/search?query=`). */
  searchCustomObjectRecords(key: string, query: string): AsyncGenerator<CustomObjectRecord> {
    return this.paginate<CustomObjectRecord>(
      `/api/v2/custom_objects/${encodeURIComponent(key)}/records/search.json`,
      'custom_object_records',
      { query },
    );
  }

  /** Records matching a filter (`POST …/records/search` with `{"filter": {...}}`), all pages. */
  async *filterCustomObjectRecords(
    key: string,
    filter: Record<string, unknown>,
  ): AsyncGenerator<CustomObjectRecord> {
    let next: string | null = this.#url(
      `/api/v2/custom_objects/${encodeURIComponent(key)}/records/search.json`,
      { 'page[size]': 100 },
    );
    while (next !== null) {
      const page: {
        custom_object_records: CustomObjectRecord[];
        meta?: { has_more?: boolean };
        links?: { next?: string | null };
      } = await this.request('POST', next, { body: { filter } });
      yield* page.custom_object_records;
      next = page.meta?.has_more === true && typeof page.links?.next === 'string' ? page.links.next : null;
    }
  }

  /** Queues a custom object records bulk job (≤ 100 items). */
  async customObjectRecordsJob(
    key: string,
    action: CustomObjectJobAction,
    items: readonly unknown[],
  ): Promise<JobStatus> {
    checkBulk(items, 'items');
    const body = await this.request<{ job_status: RawJobStatus }>(
      'POST',
      `/api/v2/custom_objects/${encodeURIComponent(key)}/jobs.json`,
      {
        body: { job: { action, items } },
      },
    );
    return normaliseJob(body.job_status);
  }

  // ------------------------------------------------------------------ satisfaction ratings, exports, search

  /** Ratings, oldest first, optionally from `startTime` (epoch seconds) — Boucle's incremental CSAT read. */
  listSatisfactionRatings(
    options: { readonly score?: string; readonly startTime?: number; readonly endTime?: number } = {},
  ): AsyncGenerator<SatisfactionRating> {
    return this.paginate<SatisfactionRating>('/api/v2/satisfaction_ratings.json', 'satisfaction_ratings', {
      score: options.score,
      start_time: options.startTime,
      end_time: options.endTime,
    });
  }

  /** One rating. The OpenAPI document wraps it in an array; Zendesk's docs examples use an object: both are read. */
  async getSatisfactionRating(id: number): Promise<SatisfactionRating> {
    const body = await this.request<{ satisfaction_rating: SatisfactionRating | SatisfactionRating[] }>(
      'GET',
      `/api/v2/satisfaction_ratings/${id}.json`,
    );
    const rating = Array.isArray(body.satisfaction_rating)
      ? body.satisfaction_rating[0]
      : body.satisfaction_rating;
    if (rating === undefined)
      throw unexpected('GET', `/api/v2/satisfaction_ratings/${id}`, 'empty satisfaction_rating');
    return rating;
  }

  /** Incremental ticket export (cursor based): pages until `end_of_stream`; resume later from `afterCursor`. */
  incrementalTickets(
    from: { readonly startTime: number } | { readonly cursor: string },
  ): AsyncGenerator<IncrementalPage<ZendeskTicket>> {
    return this.#incremental<ZendeskTicket>('tickets', from);
  }

  incrementalUsers(
    from: { readonly startTime: number } | { readonly cursor: string },
  ): AsyncGenerator<IncrementalPage<ZendeskUser>> {
    return this.#incremental<ZendeskUser>('users', from);
  }

  async *#incremental<T>(
    resource: 'tickets' | 'users',
    from: { readonly startTime: number } | { readonly cursor: string },
  ): AsyncGenerator<IncrementalPage<T>> {
    let query: RequestOptions['query'] =
      'cursor' in from ? { cursor: from.cursor } : { start_time: from.startTime };
    for (;;) {
      const page: Record<string, unknown> = await this.request<Record<string, unknown>>(
        'GET',
        `/api/v2/incremental/${resource}/cursor.json`,
        { query },
      );
      const items = page[resource];
      if (!Array.isArray(items))
        throw unexpected('GET', `/api/v2/incremental/${resource}/cursor`, `no "${resource}" array`);
      const afterCursor: string | null =
        typeof page['after_cursor'] === 'string' ? page['after_cursor'] : null;
      const endOfStream = page['end_of_stream'] === true;
      yield { items: items as T[], afterCursor, endOfStream };
      if (endOfStream || afterCursor === null) return;
      query = { cursor: afterCursor };
    }
  }

  /** Search (offset pagination, at most 1000 results: Zendesk's limit). */
  search(query: string): AsyncGenerator<SearchResult> {
    return this.paginateOffset<SearchResult>('/api/v2/search.json', 'results', { query });
  }

  // ------------------------------------------------------------------ webhooks and triggers

  async listWebhooks(): Promise<ZendeskWebhook[]> {
    return collect(this.paginate<ZendeskWebhook>('/api/v2/webhooks', 'webhooks'));
  }

  async createWebhook(webhook: Record<string, unknown>): Promise<ZendeskWebhook> {
    return (
      await this.request<{ webhook: ZendeskWebhook }>('POST', '/api/v2/webhooks', { body: { webhook } })
    ).webhook;
  }

  async getWebhookSigningSecret(webhookId: string): Promise<string> {
    return (
      await this.request<{ signing_secret: { secret: string } }>(
        'GET',
        `/api/v2/webhooks/${encodeURIComponent(webhookId)}/signing_secret`,
      )
    ).signing_secret.secret;
  }

  async listTriggers(): Promise<ZendeskTrigger[]> {
    return collect(this.paginate<ZendeskTrigger>('/api/v2/triggers.json', 'triggers'));
  }

  async createTrigger(trigger: Record<string, unknown>): Promise<ZendeskTrigger> {
    return (
      await this.request<{ trigger: ZendeskTrigger }>('POST', '/api/v2/triggers.json', { body: { trigger } })
    ).trigger;
  }
}

export interface IncrementalPage<T> {
  readonly items: readonly T[];
  /** Store it to resume the export later. */
  readonly afterCursor: string | null;
  readonly endOfStream: boolean;
}

interface RawJobStatus {
  readonly id: string;
  readonly status: string;
  readonly total?: number | null;
  readonly progress?: number | null;
  readonly message?: string | null;
  readonly results?: unknown;
  readonly job_type?: string;
  readonly url?: string;
}

function normaliseJob(raw: RawJobStatus): JobStatus {
  const status = ['queued', 'working', 'completed', 'failed', 'killed'].includes(raw.status)
    ? (raw.status as JobStatus['status'])
    : 'working';
  return {
    id: raw.id,
    status,
    total: raw.total ?? null,
    progress: raw.progress ?? null,
    message: raw.message ?? null,
    results: Array.isArray(raw.results) ? (raw.results as JobStatus['results']) : [],
    ...(raw.job_type === undefined ? {} : { job_type: raw.job_type }),
    ...(raw.url === undefined ? {} : { url: raw.url }),
  };
}

function checkBulk<T>(items: readonly T[], what: string): readonly T[] {
  if (items.length === 0) throw new Error(`Nothing to send: ${what} is empty`);
  if (items.length > MAX_BULK)
    throw new Error(
      `Zendesk takes at most ${MAX_BULK} ${what} per request, got ${items.length}: split the batch`,
    );
  return items;
}

function checkMax<T>(items: readonly T[], what: string): readonly T[] {
  if (items.length === 0) throw new Error(`Pass at least one of the ${what}`);
  if (items.length > MAX_BULK)
    throw new Error(
      `Zendesk takes at most ${MAX_BULK} ${what} per request, got ${items.length}: split the list`,
    );
  return items;
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date). */
export function parseRetryAfter(raw: string | null, now: number): number | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Number(raw.trim());
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function unexpected(method: string, path: string, what: string): ZendeskApiError {
  return new ZendeskApiError({
    code: 'UNKNOWN',
    status: 200,
    method,
    path,
    body: { error: 'UnexpectedResponse', description: what },
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
