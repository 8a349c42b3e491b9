import { AppInstallations } from './app-installations.ts';
import type { InstallAppOptions } from './app-installations.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EmulatorOptions, RunningEmulator } from '../emulator.ts';
import { HttpError, unauthenticated, forbidden } from './errors.ts';
import { Router, parseJsonBody, readBody, type RouteContext } from './http.ts';
import { registerRoutes } from './routes.ts';
import { installRequirements, type InstalledRequirements } from './requirements.ts';
import { loadStore, seedStore } from './seed.ts';
import { Serializer } from './serialize.ts';
import { apiVia, randomHex, type TicketChange, type TicketUpdateResult, ZendeskStore } from './store.ts';
import { ticketEventDetail, ticketEvents } from './ticket-events.ts';
import {
  ZENDESK_ACCOUNT_ID,
  deliverWebhook,
  renderPlaceholders,
  triggerMatches,
  type WebhookDelivery,
} from './triggers.ts';
import type {
  JobStatusRecord,
  JsonObject,
  SatisfactionRatingRecord,
  SatisfactionScore,
  TicketRecord,
  UserRecord,
} from './types.ts';

export interface ZendeskEmulatorOptions extends EmulatorOptions {
  /** Requests per minute per account (Enterprise: 700). */
  readonly rateLimitPerMinute?: number;
  /** Clock in epoch milliseconds (rate-limit windows, timestamps, seeded dates). */
  readonly clock?: () => number;
  /** How long a bulk job stays queued before it runs (ms). Default 50. */
  readonly jobDelayMs?: number;
  /** Waits between webhook retries (ms); its length is the number of retries. Default [1000, 3000, 9000]. */
  readonly webhookRetryDelaysMs?: readonly number[];
  /** Webhook request timeout (ms). Default 12000 (Zendesk's). */
  readonly webhookTimeoutMs?: number;
  /** Whether bulk user import is enabled on the account (else create_or_update_many answers 403). Default true. */
  readonly bulkUserImport?: boolean;
  /** Sizes of the generated data. */
  readonly counts?: { readonly users?: number; readonly organizations?: number; readonly tickets?: number };
}

/**
 * A fault to inject (same vocabulary as the Salesforce emulator's rules): the next `times` (alias `count`) matching
 * requests, after letting `after` through, get it. `status` answers with Zendesk's error body for that status
 * (default 503; `retryAfter` seconds adds `Retry-After`, default 1 for 429); `delay` serves the request after
 * `delayMs` (alias `ms`); `reset` destroys the socket (ECONNRESET); `close` ends it without an answer.
 */
export interface FaultSpec {
  readonly kind: 'status' | 'delay' | 'reset' | 'close';
  readonly status?: number;
  readonly times?: number;
  readonly count?: number;
  readonly after?: number;
  readonly retryAfter?: number;
  readonly delayMs?: number;
  readonly ms?: number;
  readonly path?: string;
  readonly method?: string;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
  skip: number;
}

export interface RequestLogEntry {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** Route pattern, e.g. `GET /api/v2/tickets/{ticket_id}` (or the path when no route matched). */
  readonly endpoint: string;
  status: number;
  readonly userId: number | null;
  fault: FaultSpec['kind'] | null;
  readonly body: unknown;
}

export interface ZendeskEmulator extends RunningEmulator {
  readonly store: ZendeskStore;
  /** Adds a fault rule (same as `POST /__faults`). */
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  requests(): readonly RequestLogEntry[];
  /** Request counts per endpoint pattern, e.g. `{"PUT /api/v2/tickets/{ticket_id}": 3}`. */
  requestCounts(): Readonly<Record<string, number>>;
  clearRequests(): void;
  webhookDeliveries(): readonly WebhookDelivery[];
  /**
   * Installs the app like an admin in Admin Center (settings from the settings page, secure ones never shown by
   * the API); the Apps installation API (`/api/v2/apps/installations`) then reads and updates it.
   */
  installApp(options?: InstallAppOptions): JsonObject;
  /** An installation as the Apps installation API returns it (secure settings left out). */
  getAppInstallation(id: number): JsonObject;
  /** Serialised views, as the API returns them. */
  getTicket(id: number): JsonObject;
  getUser(id: number): JsonObject;
  getOrganization(id: number): JsonObject;
  getJob(id: string): JsonObject;
  findUserByExternalId(externalId: string): JsonObject | undefined;
  /** An agent's ticket change (like the agent's UI): updates, audits, fires triggers → webhooks. */
  applyTicketChange(
    ticketId: number,
    change: Record<string, unknown>,
    options?: { authorId?: number },
  ): Promise<TicketUpdateResult>;
  /** The requester rates the ticket: fires triggers with `satisfaction_score` conditions. */
  rateTicket(
    ticketId: number,
    score: SatisfactionScore,
    comment?: string | null,
  ): Promise<SatisfactionRatingRecord>;
  /**
   * Installs an app's requirements.json like Zendesk at app installation (fields, custom objects, webhooks with
   * `{{setting.x}}` replaced, triggers pointing at the created webhooks). Returns identifier → created id.
   */
  installRequirements(
    requirements: unknown,
    settings?: Readonly<Record<string, string>>,
  ): InstalledRequirements;
  /** Resolves when queued jobs and webhook deliveries in flight have finished. */
  settle(): Promise<void>;
}

/** Request log and webhook deliveries kept in memory (oldest dropped first). */
const MAX_LOG = 10_000;

const RESERVED = new Set(['/__faults', '/__requests', '/__webhooks', '/__state']);

class Emulator {
  readonly store: ZendeskStore;
  readonly apps: AppInstallations;
  readonly router = new Router();
  ser: Serializer = new Serializer('http://127.0.0.1');
  base = 'http://127.0.0.1';
  readonly faults: ActiveFault[] = [];
  readonly log: RequestLogEntry[] = [];
  readonly counts = new Map<string, number>();
  readonly deliveries: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private window = { minute: -1, used: 0 };
  private seq = 0;
  private requestSeq = 0;
  readonly limit: number;
  readonly jobDelayMs: number;
  readonly retryDelays: readonly number[];
  readonly webhookTimeoutMs: number;
  readonly bulkUserImport: boolean;
  closed = false;

  constructor(options: ZendeskEmulatorOptions) {
    this.store = new ZendeskStore(options.clock ?? Date.now);
    this.limit = options.rateLimitPerMinute ?? 700;
    this.jobDelayMs = options.jobDelayMs ?? 50;
    this.retryDelays = options.webhookRetryDelaysMs ?? [1000, 3000, 9000];
    this.webhookTimeoutMs = options.webhookTimeoutMs ?? 12_000;
    this.bulkUserImport = options.bulkUserImport ?? true;
    this.apps = new AppInstallations(() => this.store.nowIso());
    registerRoutes(this.router, this);
    this.apps.registerRoutes(this.router);
  }

  admin(): UserRecord {
    for (const user of this.store.users.values())
      if (user.role === 'admin' && user.credentials?.apiToken !== undefined) return user;
    throw new Error('The sandbox admin agent is missing');
  }

  track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  /** Stops waiting: pending sleeps resolve now (jobs and retries then see `closed`). */
  cancelTimers(): void {
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Queues a job: `queued` now, `working` then `completed` with per-record results after the delay. */
  queueJob(jobType: string, total: number, work: () => JsonObject[]): JobStatusRecord {
    const active = [...this.store.jobStatuses.values()].filter(
      (j) => j.status === 'queued' || j.status === 'working',
    ).length;
    if (active >= 30)
      throw new HttpError(
        429,
        {
          error: 'TooManyJobs',
          description: 'Number of allowed queued jobs (30) exceeded; wait for running jobs to finish',
        },
        { 'retry-after': '10' },
      );
    const job = this.store.createJob(jobType, total);
    const run = async (): Promise<void> => {
      await this.sleep(this.jobDelayMs);
      if (this.closed) return;
      job.status = 'working';
      job.updated_at = this.store.nowIso();
      await this.sleep(Math.ceil(this.jobDelayMs / 2));
      if (this.closed) return;
      try {
        job.results = work();
        job.progress = total;
        job.status = 'completed';
        job.message = `Completed at ${this.store.nowIso()}`;
      } catch (error) {
        job.status = 'failed';
        job.message = error instanceof HttpError ? JSON.stringify(error.body) : (error as Error).message;
      }
      job.updated_at = this.store.nowIso();
    };
    void this.track(run());
    return job;
  }

  /** Runs the trigger cycle on a ticket change and sends the webhooks of the triggers that fired. */
  afterTicketChange(change: TicketChange, ratingChanged = false): void {
    const fired = new Set<number>();
    const notifications: { webhookId: string; body: string; triggerId: number }[] = [];
    const triggers = [...this.store.triggers.values()]
      .filter((t) => t.active)
      .sort((a, b) => a.position - b.position || a.id - b.id);
    let ticket: TicketRecord = this.store.ticket(change.ticket.id);
    let restart = true;
    let rounds = 0;
    while (restart && rounds < 50) {
      restart = false;
      rounds += 1;
      for (const trigger of triggers) {
        if (fired.has(trigger.id)) continue;
        if (!triggerMatches(this.store, trigger, { change, ratingChanged }, ticket)) continue;
        fired.add(trigger.id);
        this.store.appendAuditEvent(change.audit, {
          type: 'Notification',
          via: {
            channel: 'rule',
            source: { from: { id: trigger.id, title: trigger.title, deleted: false }, rel: 'trigger' },
          },
        });
        const ticketChanges: Record<string, unknown> = {};
        for (const action of trigger.actions) {
          const value = action.value;
          switch (action.field) {
            case 'notification_webhook':
              if (Array.isArray(value) && typeof value[0] === 'string')
                notifications.push({
                  webhookId: value[0],
                  body: typeof value[1] === 'string' ? value[1] : '',
                  triggerId: trigger.id,
                });
              break;
            case 'status':
            case 'priority':
            case 'type':
              ticketChanges[action.field] = value;
              break;
            case 'group_id':
            case 'assignee_id':
              ticketChanges[action.field] = value === null ? null : Number(value);
              break;
            case 'current_tags':
              ticketChanges['additional_tags'] = value;
              break;
            case 'set_tags':
              ticketChanges['tags'] = value;
              break;
            case 'remove_tags':
              ticketChanges['remove_tags'] = value;
              break;
            default:
              break;
          }
        }
        if (Object.keys(ticketChanges).length > 0) {
          try {
            const before = structuredClone(ticket);
            const result = this.store.updateTicket(ticket.id, ticketChanges, this.admin(), {
              channel: 'rule',
              source: { from: { id: trigger.id, title: trigger.title }, to: {}, rel: 'trigger' },
            });
            ticket = result.ticket;
            if (
              JSON.stringify(before) !==
              JSON.stringify({
                ...ticket,
                updated_at: before.updated_at,
                generated_timestamp: before.generated_timestamp,
              })
            )
              restart = true;
          } catch {
            // a trigger action that Zendesk would reject is skipped, like Zendesk does
          }
        }
        if (restart) break;
      }
    }
    for (const note of notifications) {
      const webhook = this.store.webhooks.get(note.webhookId);
      if (webhook === undefined || webhook.status !== 'active') continue;
      const body = renderPlaceholders(
        this.store,
        note.body,
        ticket,
        this.base,
        webhook.request_format === 'json' ? 'json' : 'none',
      );
      this.send(webhook.id, body, note.triggerId, ticket.id);
    }
    this.sendTicketEvents(change, ticket);
  }

  /**
   * Event webhooks: each active webhook subscribed to a ticket event type gets a POST of that event (the change
   * as the triggers left it), signed like the trigger webhooks. One action's events share a sequence id.
   */
  private sendTicketEvents(change: TicketChange, ticket: TicketRecord): void {
    const subscribed = [...this.store.webhooks.values()].filter(
      (webhook) =>
        webhook.status === 'active' &&
        webhook.subscriptions.some((s) => s.startsWith('zen:event-type:ticket.')),
    );
    if (subscribed.length === 0) return;
    const events = ticketEvents(change.previous, ticket, change.comment);
    const sequence = randomHex(this.store, 32);
    const detail = ticketEventDetail(ticket, change.actor.id);
    events.forEach(({ type, event }, position) => {
      const hex = randomHex(this.store, 32);
      const body = JSON.stringify({
        type,
        account_id: ZENDESK_ACCOUNT_ID,
        id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
        time: this.store.nowIso(),
        zendesk_event_version: '2022-11-06',
        subject: `zen:ticket:${ticket.id}`,
        detail,
        event: { ...event, meta: { sequence: { id: sequence, position: position + 1 } } },
      });
      for (const webhook of subscribed)
        if (webhook.subscriptions.includes(type)) this.send(webhook.id, body, null, ticket.id);
    });
  }

  send(webhookId: string, body: string, triggerId: number | null, ticketId: number | null): WebhookDelivery {
    const webhook = this.store.webhook(webhookId);
    this.seq += 1;
    const delivery: WebhookDelivery = {
      id: `inv-${this.seq}`,
      webhookId,
      triggerId,
      ticketId,
      method: webhook.http_method,
      url: webhook.endpoint,
      headers: {},
      body,
      attempts: [],
      outcome: 'pending',
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > MAX_LOG) this.deliveries.splice(0, this.deliveries.length - MAX_LOG);
    void this.track(
      deliverWebhook(
        webhook,
        body,
        delivery,
        {
          retryDelaysMs: this.retryDelays,
          timeoutMs: this.webhookTimeoutMs,
          sleep: (ms) => this.sleep(ms),
          stopped: () => this.closed,
        },
        () => this.store.nowIso(),
      ),
    );
    return delivery;
  }

  authenticate(req: IncomingMessage): UserRecord {
    const header = req.headers.authorization ?? '';
    const [scheme, token] = header.split(/\s+/, 2);
    let user: UserRecord | undefined;
    if (scheme?.toLowerCase() === 'basic' && token !== undefined) {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const login = colon < 0 ? decoded : decoded.slice(0, colon);
      const secret = colon < 0 ? '' : decoded.slice(colon + 1);
      if (login.endsWith('/token')) {
        const candidate = this.store.findUserByEmail(login.slice(0, -'/token'.length));
        if (candidate?.credentials?.apiToken !== undefined && candidate.credentials.apiToken === secret)
          user = candidate;
      }
    } else if (scheme?.toLowerCase() === 'bearer' && token !== undefined) {
      for (const candidate of this.store.users.values())
        if (candidate.credentials?.oauthToken === token) user = candidate;
    }
    if (user === undefined || !user.active || user.suspended) throw unauthenticated();
    if (user.role === 'end-user') throw forbidden();
    return user;
  }

  rateHeaders(path: string): Record<string, string> {
    const remaining = Math.max(0, this.limit - this.window.used);
    const headers: Record<string, string> = {
      'x-rate-limit': String(this.limit),
      'x-rate-limit-remaining': String(remaining),
    };
    if (path.startsWith('/api/v2/tickets')) {
      const reset = 60 - Math.floor((this.store.clock() / 1000) % 60);
      headers['ratelimit-limit'] = String(this.limit);
      headers['ratelimit-remaining'] = String(remaining);
      headers['ratelimit-reset'] = String(reset);
    }
    return headers;
  }

  consumeRate(): number | null {
    const minute = Math.floor(this.store.clock() / 60_000);
    if (minute !== this.window.minute) this.window = { minute, used: 0 };
    if (this.window.used >= this.limit) return 60 - Math.floor((this.store.clock() / 1000) % 60);
    this.window.used += 1;
    return null;
  }

  takeFault(method: string, path: string): FaultSpec | undefined {
    for (let index = 0; index < this.faults.length; index += 1) {
      const fault = this.faults[index];
      if (fault === undefined) continue;
      const { spec } = fault;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method) continue;
      if (spec.path !== undefined && !path.includes(spec.path)) continue;
      if (fault.skip > 0) {
        fault.skip -= 1;
        return undefined;
      }
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults.splice(index, 1);
      return spec;
    }
    return undefined;
  }

  addFault(input: unknown): void {
    if (typeof input !== 'object' || input === null) throw new Error('a fault is a JSON object');
    const spec = input as FaultSpec;
    if (!['status', 'delay', 'reset', 'close'].includes(spec.kind))
      throw new Error('fault kind must be status, delay, reset or close');
    const count = spec.times ?? spec.count ?? 1;
    const after = spec.after ?? 0;
    if (!Number.isInteger(count) || count < 1) throw new Error('fault times must be a whole number from 1');
    if (!Number.isInteger(after) || after < 0) throw new Error('fault after must be a whole number from 0');
    if (
      spec.kind === 'status' &&
      spec.status !== undefined &&
      !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)
    )
      throw new Error('fault status must be an HTTP error status (400-599)');
    const delay = spec.delayMs ?? spec.ms;
    if (spec.kind === 'delay' && !(typeof delay === 'number' && delay >= 0))
      throw new Error('delay fault needs delayMs >= 0');
    if (spec.retryAfter !== undefined && !(typeof spec.retryAfter === 'number' && spec.retryAfter >= 0))
      throw new Error('retryAfter must be a number of seconds');
    this.faults.push({ spec, remaining: count, skip: after });
  }

  faultList(): FaultSpec[] {
    return this.faults.map((f) => ({ ...f.spec, times: f.remaining, after: f.skip }));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = url.pathname;
    if (RESERVED.has(rawPath)) return this.control(req, res, method, rawPath);

    const path = rawPath.replace(/\.json$/, '');
    const matched = this.router.match(method, path);
    const endpoint =
      matched !== null && 'route' in matched ? `${method} ${matched.route.pattern}` : `${method} ${path}`;
    let body: unknown;
    const entry: RequestLogEntry = {
      seq: (this.requestSeq += 1),
      at: this.store.nowIso(),
      method,
      path: rawPath,
      query: url.search,
      endpoint,
      status: 0,
      userId: null,
      fault: null,
      body: undefined,
    };
    this.log.push(entry);
    // A long-running sandbox keeps the latest requests only (counts keep growing).
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1);
    const send = (
      status: number,
      payload: JsonObject | undefined,
      headers: Record<string, string> = {},
    ): void => {
      entry.status = status;
      const text = payload === undefined ? '' : JSON.stringify(payload);
      res.writeHead(status, {
        ...(payload === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        'content-length': String(Buffer.byteLength(text)),
        'x-zendesk-origin-server': 'boucle-sandbox',
        'x-request-id': `req-${entry.seq}`,
        ...headers,
      });
      res.end(text);
    };

    try {
      const raw = await readBody(req);
      const fault = this.takeFault(method, rawPath);
      if (fault !== undefined) {
        entry.fault = fault.kind;
        if (fault.kind === 'reset') {
          entry.status = -1;
          req.socket.resetAndDestroy();
          return;
        }
        if (fault.kind === 'close') {
          entry.status = -1;
          req.socket.end();
          return;
        }
        if (fault.kind === 'delay') await this.sleep(fault.delayMs ?? fault.ms ?? 0);
        if (fault.kind === 'status') {
          const status = fault.status ?? 503;
          const retryAfter = fault.retryAfter ?? (status === 429 ? 1 : undefined);
          const bodies: Record<number, JsonObject> = {
            401: { error: "Couldn't authenticate you" },
            403: {
              error: 'Forbidden',
              description:
                'You do not have access to this page. Please contact the account owner of this help desk for further help.',
            },
            429: {
              error: 'APIRateLimitExceeded',
              description: 'Number of allowed API requests per minute exceeded',
            },
            503: {
              error: 'ServiceUnavailable',
              description: 'Zendesk is temporarily unavailable. Please try again later.',
            },
          };
          send(
            status,
            bodies[status] ?? {
              error: 'InternalError',
              description: 'Something went wrong on our end',
            },
            {
              ...this.rateHeaders(rawPath),
              ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
              ...(status === 401 ? { 'www-authenticate': 'Basic realm="Web Password"' } : {}),
            },
          );
          return;
        }
      }
      if (matched === null) throw new HttpError(404, { error: 'InvalidEndpoint', description: 'Not found' });
      const user = this.authenticate(req);
      (entry as { userId: number | null }).userId = user.id;
      const retryAfter = this.consumeRate();
      if (retryAfter !== null)
        throw new HttpError(
          429,
          {
            error: 'APIRateLimitExceeded',
            description: 'Number of allowed API requests per minute exceeded',
          },
          { 'retry-after': String(retryAfter) },
        );
      if (!('route' in matched))
        throw new HttpError(
          405,
          { error: 'MethodNotAllowed', description: `Use ${matched.allowed.join(' or ')}` },
          { allow: matched.allowed.join(', ') },
        );
      if (matched.route.access === 'admin' && user.role !== 'admin') throw forbidden();
      body = parseJsonBody(raw);
      (entry as { body: unknown }).body = body;
      const ctx: RouteContext = {
        method,
        path,
        params: matched.params,
        query: url.searchParams,
        body,
        user,
        base: this.base,
        rawPath,
      };
      const result = await matched.route.handler(ctx);
      send(result.status, result.body, { ...this.rateHeaders(rawPath), ...(result.headers ?? {}) });
    } catch (error) {
      if (error instanceof HttpError) {
        send(error.status, error.body, {
          ...(error.status === 401
            ? { 'www-authenticate': 'Basic realm="Web Password"' }
            : this.rateHeaders(rawPath)),
          ...error.headers,
        });
      } else {
        send(500, { error: 'InternalError', description: (error as Error).message });
      }
    }
  }

  private async control(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
  ): Promise<void> {
    const reply = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
    };
    try {
      if (path === '/__faults') {
        if (method === 'POST') {
          const body = parseJsonBody(await readBody(req));
          const list = Array.isArray(body) ? body : [body];
          for (const fault of list) this.addFault(fault);
          return reply(201, { faults: this.faultList() });
        }
        if (method === 'DELETE') {
          this.faults.length = 0;
          return reply(200, { faults: [] });
        }
        return reply(200, { faults: this.faultList() });
      }
      if (path === '/__requests') {
        if (method === 'DELETE') {
          this.log.length = 0;
          this.counts.clear();
          return reply(200, { requests: [] });
        }
        return reply(200, { requests: this.log, counts: Object.fromEntries(this.counts) });
      }
      if (path === '/__webhooks') return reply(200, { deliveries: this.deliveries });
      return reply(200, {
        users: this.store.users.size,
        organizations: this.store.organizations.size,
        tickets: this.store.tickets.size,
        credentials: 'see ZENDESK_SANDBOX_CREDENTIALS',
      });
    } catch (error) {
      return reply(400, {
        error: 'InvalidValue',
        description: error instanceof HttpError ? error.body['description'] : (error as Error).message,
      });
    }
  }
}

export type { Emulator };

export async function startZendeskEmulator(options: ZendeskEmulatorOptions = {}): Promise<ZendeskEmulator> {
  const emulator = new Emulator(options);
  if (options.dataDir !== undefined) await loadStore(emulator.store, options.dataDir);
  else seedStore(emulator.store, { seed: options.seed ?? 1, ...(options.counts ?? {}) });

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void emulator.handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  emulator.base = `http://${host}:${address.port}`;
  emulator.ser = new Serializer(emulator.base);
  const { store, ser } = emulator;

  return {
    url: emulator.base,
    store,
    injectFault: (fault) => emulator.addFault(fault),
    clearFaults: () => {
      emulator.faults.length = 0;
    },
    requests: () => emulator.log,
    requestCounts: () => Object.fromEntries(emulator.counts),
    clearRequests: () => {
      emulator.log.length = 0;
      emulator.counts.clear();
    },
    webhookDeliveries: () => emulator.deliveries,
    installApp: (options) => emulator.apps.serialize(emulator.apps.install(options)),
    getAppInstallation: (id) => emulator.apps.serialize(emulator.apps.get(id)),
    getTicket: (id) => ser.ticket(store.ticket(id)),
    getUser: (id) => ser.user(store.user(id)),
    getOrganization: (id) => ser.organization(store.organization(id)),
    getJob: (id) => ser.jobStatus(store.job(id)),
    findUserByExternalId: (externalId) => {
      const user = store.findUserByExternalId(externalId);
      return user === undefined ? undefined : ser.user(user);
    },
    applyTicketChange: (ticketId, change, opts) => {
      const author = opts?.authorId === undefined ? emulator.admin() : store.user(opts.authorId);
      const result = store.updateTicket(ticketId, change, author, apiVia());
      emulator.afterTicketChange(result.change);
      return Promise.resolve({ ...result, ticket: store.ticket(ticketId) });
    },
    rateTicket: (ticketId, score, comment = null) => {
      const rating = store.rateTicket(ticketId, score, comment);
      const ticket = store.ticket(ticketId);
      const requester = store.user(ticket.requester_id);
      const audit = {
        id: store.nextId('audit', 900_000_000),
        ticket_id: ticketId,
        author_id: requester.id,
        created_at: store.nowIso(),
        via: { channel: 'web', source: { from: {}, to: {}, rel: null } },
        metadata: {},
        events: [
          {
            id: store.nextId('event', 800_000_000),
            type: 'SatisfactionRating',
            score,
            assignee_id: ticket.assignee_id,
            body: comment ?? '',
          },
        ],
      };
      store.audits.get(ticketId)?.push(audit);
      emulator.afterTicketChange(
        {
          ticket,
          previous: structuredClone(ticket),
          audit,
          comment: null,
          updateType: 'Change',
          actor: requester,
          changedFields: new Set(['satisfaction_score']),
        },
        true,
      );
      return Promise.resolve(rating);
    },
    installRequirements: (requirements, settings = {}) =>
      installRequirements(store, requirements, settings, emulator.admin()),
    settle: () => emulator.settle(),
    close: async () => {
      emulator.closed = true;
      emulator.cancelTimers();
      await Promise.race([emulator.settle(), new Promise((resolve) => setTimeout(resolve, 500))]);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
