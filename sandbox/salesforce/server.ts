/** The Salesforce emulator's HTTP server: OAuth, SOAP login, REST data API, Bulk API 2.0 query, control API. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthService, OAuthError, ORG_ID, USER_ID } from './auth.ts';
import { DAY_MS, formatDateTime } from './clock.ts';
import { SalesforceError, malformedQuery, notFound, type SfErrorItem } from './errors.ts';
import { type FaultKind, type FaultQueue, type FaultRule, validateFault } from './faults.ts';
import { IngestJobs } from './bulk-ingest.ts';
import { KEY_PREFIX, makeId } from './ids.ts';
import {
  type FieldValue,
  type ObjectDef,
  type SfRecord,
  OBJECTS,
  describeObject,
  findObject,
} from './schema.ts';
import {
  type CompiledQuery,
  bulkRefusal,
  compileQuery,
  csvCell,
  csvHeaders,
  executeAggregate,
  executeCount,
  executeRecords,
  formatValue,
  renderRecord,
} from './soql.ts';
import { type RecordStore, parseDateTime } from './store.ts';

export interface RequestLogEntry {
  readonly seq: number;
  /** Emulator time (ISO). */
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** A stable name of the endpoint, e.g. "query", "queryMore", "sobject.update", "bulk2.results". */
  readonly endpoint: string;
  status: number;
  /** The fault that answered (or delayed) it, if any. */
  fault: FaultKind | null;
}

export interface ServerSettings {
  readonly store: RecordStore;
  readonly auth: AuthService;
  readonly faults: FaultQueue;
  readonly apiAllocation: number;
  readonly queryPageSize: number;
  readonly bulkPageSize: number;
  readonly bulkPollsUntilComplete: number;
  readonly locatorTtlMs: number;
  readonly latestVersion: number;
  readonly requestLogLimit: number;
}

interface Cursor {
  readonly id: string;
  readonly rows: SfRecord[];
  readonly query: CompiledQuery;
  readonly includeDeleted: boolean;
  readonly batchSize: number;
  lastUsed: number;
}

interface BulkJob {
  readonly id: string;
  readonly operation: 'query' | 'queryAll';
  readonly query: CompiledQuery;
  readonly version: string;
  readonly createdDate: number;
  readonly lineEnding: 'LF' | 'CRLF';
  readonly columnDelimiter: string;
  readonly fail: boolean;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  polls: number;
  systemModstamp: number;
  rows: SfRecord[] | null;
}

const DELIMITERS: Readonly<Record<string, string>> = {
  COMMA: ',',
  TAB: '\t',
  SEMICOLON: ';',
  PIPE: '|',
  CARET: '^',
  BACKQUOTE: '`',
};
const MAX_CURSORS = 10;
const MIN_VERSION = 31;

/** Season label of an API version (31.0 = Summer '14, three releases a year). */
function versionLabel(v: number): string {
  const k = v - 62;
  const season = ['Winter', 'Spring', 'Summer'][((k % 3) + 3) % 3]!;
  const year = 25 + Math.floor(k / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

class HttpReply extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export class SalesforceHttp {
  readonly settings: ServerSettings;
  readonly server: Server;
  readonly log: RequestLogEntry[] = [];
  readonly counts = new Map<string, number>();
  private seq = 0;
  private readonly cursors = new Map<string, Cursor>();
  private readonly jobs = new Map<string, BulkJob>();
  private readonly ingest: IngestJobs;
  private cursorSeq = 0;
  private jobSeq = 0;
  private usageBuckets = new Map<number, number>();
  private bulkJobsToday = 0;
  baseUrl = '';

  constructor(settings: ServerSettings) {
    this.settings = settings;
    this.ingest = new IngestJobs(settings.store, USER_ID, () => settings.bulkPollsUntilComplete);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent)
          this.send(res, 500, [{ message: String(error), errorCode: 'UNKNOWN_EXCEPTION' }]);
        else res.destroy();
      });
    });
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${shownHost}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // --- API usage (rolling 24 hours, per-minute buckets of emulator time)

  apiUsed(): number {
    const now = this.settings.store.clock.now();
    const cutoff = Math.floor((now - DAY_MS) / 60_000);
    let used = 0;
    for (const [minute, count] of this.usageBuckets) {
      if (minute <= cutoff) this.usageBuckets.delete(minute);
      else used += count;
    }
    return used;
  }

  setApiUsed(used: number): void {
    this.usageBuckets = new Map([[Math.floor(this.settings.store.clock.now() / 60_000), used]]);
  }

  private countCall(): void {
    const minute = Math.floor(this.settings.store.clock.now() / 60_000);
    this.usageBuckets.set(minute, (this.usageBuckets.get(minute) ?? 0) + 1);
  }

  expireLocators(): void {
    this.cursors.clear();
  }

  // --- plumbing

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (res.headersSent) return;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json;charset=UTF-8' }),
      ...headers,
    });
    res.end(text);
  }

  private limitHeader(): Record<string, string> {
    return { 'Sforce-Limit-Info': `api-usage=${this.apiUsed()}/${this.settings.apiAllocation}` };
  }

  private sendError(res: ServerResponse, error: SalesforceError, api: boolean): void {
    this.send(res, error.status, error.errors, api ? this.limitHeader() : {});
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async readJson(req: IncomingMessage): Promise<unknown> {
    const text = await this.readBody(req);
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new SalesforceError(
        400,
        'JSON_PARSER_ERROR',
        `Unexpected character in the request body: ${(error as Error).message}`,
      );
    }
  }

  private record(entry: Omit<RequestLogEntry, 'seq' | 'at'>): RequestLogEntry {
    this.seq += 1;
    const full: RequestLogEntry = {
      seq: this.seq,
      at: new Date(this.settings.store.clock.now()).toISOString(),
      ...entry,
    };
    this.log.push(full);
    if (this.log.length > this.settings.requestLogLimit)
      this.log.splice(0, this.log.length - this.settings.requestLogLimit);
    this.counts.set(entry.endpoint, (this.counts.get(entry.endpoint) ?? 0) + 1);
    return full;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/__')) {
      await this.control(req, res, method, path, url);
      return;
    }
    const entry = this.record({
      method,
      path,
      query: url.search,
      endpoint: endpointName(method, path),
      status: 0,
      fault: null,
    });
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    const fault = this.settings.faults.match(method, path);
    if (fault !== null) {
      entry.fault = fault.kind;
      if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
      else {
        this.applyFault(req, res, fault, path.startsWith('/services/data/'));
        return;
      }
    }
    try {
      if (path === '/services/oauth2/token' && method === 'POST') await this.oauthToken(req, res);
      else if (path === '/services/oauth2/authorize' && method === 'GET') this.oauthAuthorize(res, url);
      else if (path === '/services/oauth2/revoke' && method === 'POST') await this.oauthRevoke(req, res, url);
      else if (/^\/services\/Soap\/u\/\d+\.\d$/.test(path) && method === 'POST')
        await this.soapLogin(req, res, path);
      else if (path === '/services/data' && method === 'GET') this.send(res, 200, this.versions());
      else if (path.startsWith('/id/')) this.identity(req, res);
      else if (path.startsWith('/services/data/')) await this.dataApi(req, res, method, path, url, entry);
      else
        this.send(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    } catch (error) {
      if (error instanceof SalesforceError) this.sendError(res, error, path.startsWith('/services/data/'));
      else if (error instanceof HttpReply) this.send(res, error.status, error.body, this.limitHeader());
      else throw error;
    }
  }

  private applyFault(req: IncomingMessage, res: ServerResponse, fault: FaultRule, api: boolean): void {
    const headers = { ...(api ? this.limitHeader() : {}), ...(fault.headers ?? {}) };
    switch (fault.kind) {
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'close':
        req.socket.destroy();
        return;
      case 'invalidSession':
        this.send(
          res,
          401,
          [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
          headers,
        );
        return;
      case 'limitExceeded':
        this.send(
          res,
          403,
          [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
          headers,
        );
        return;
      case 'status': {
        const status = fault.status ?? 503;
        const body =
          fault.body ??
          (status === 429
            ? [{ message: 'Too many requests, retry later', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]
            : status >= 500
              ? [{ message: 'Service temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }]
              : [{ message: `Injected HTTP ${status}`, errorCode: 'UNKNOWN_EXCEPTION' }]);
        this.send(res, status, body, headers);
        return;
      }
      case 'delay':
      case 'expireLocator':
      case 'failBulkJob':
        return;
    }
  }

  // --- control API (/__…): faults, request log, counts, clock, limits

  private async control(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    url: URL,
  ): Promise<void> {
    try {
      if (path === '/__faults') {
        if (method === 'GET') return this.send(res, 200, this.settings.faults.list());
        if (method === 'DELETE') {
          this.settings.faults.clear();
          return this.send(res, 204, undefined);
        }
        if (method === 'POST') {
          const body = await this.readJson(req);
          const rules = Array.isArray(body) ? body : [body];
          for (const rule of rules) {
            const problem = validateFault(rule);
            if (problem !== null) return this.send(res, 400, { error: problem });
          }
          const ids = rules.map((r) => this.settings.faults.add(r as FaultRule));
          return this.send(res, 201, { ids });
        }
      }
      if (path === '/__requests') {
        if (method === 'GET') return this.send(res, 200, this.log);
        if (method === 'DELETE') {
          this.log.length = 0;
          this.counts.clear();
          return this.send(res, 204, undefined);
        }
      }
      if (path === '/__stats' && method === 'GET') {
        return this.send(res, 200, {
          calls: Object.fromEntries(this.counts),
          apiUsage: { used: this.apiUsed(), max: this.settings.apiAllocation },
          records: Object.fromEntries([...this.settings.store.tables].map(([n, t]) => [n, t.records.length])),
        });
      }
      if (path === '/__clock') {
        const clock = this.settings.store.clock;
        if (method === 'POST') {
          const body = (await this.readJson(req)) as { advanceMs?: unknown; set?: unknown };
          if (typeof body.advanceMs === 'number') clock.advance(body.advanceMs);
          else if (typeof body.set === 'string') clock.set(parseDateTime(body.set));
          else return this.send(res, 400, { error: 'give {"advanceMs": N} or {"set": "<ISO datetime>"}' });
        }
        if (method === 'GET' || method === 'POST')
          return this.send(res, 200, { now: new Date(clock.now()).toISOString() });
      }
      if (path === '/__locators' && method === 'DELETE') {
        this.expireLocators();
        return this.send(res, 204, undefined);
      }
      this.send(res, 404, { error: `no control endpoint ${method} ${path}${url.search}` });
    } catch (error) {
      this.send(res, 400, { error: (error as Error).message });
    }
  }

  // --- OAuth / SOAP / identity

  private async oauthToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URLSearchParams(await this.readBody(req));
    try {
      this.send(res, 200, this.settings.auth.token(params, this.baseUrl));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      this.send(res, error.status, { error: error.error, error_description: error.description });
    }
  }

  private oauthAuthorize(res: ServerResponse, url: URL): void {
    const redirect = url.searchParams.get('redirect_uri');
    if (url.searchParams.get('client_id') !== this.settings.auth.credentials.clientId || redirect === null) {
      this.send(res, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
      return;
    }
    const target = new URL(redirect);
    target.searchParams.set('code', this.settings.auth.issueAuthorizationCode());
    const state = url.searchParams.get('state');
    if (state !== null) target.searchParams.set('state', state);
    res.writeHead(302, { Location: target.toString() });
    res.end();
  }

  private async oauthRevoke(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const params = new URLSearchParams(await this.readBody(req));
    const token = params.get('token') ?? url.searchParams.get('token') ?? '';
    if (!this.settings.auth.revoke(token)) {
      this.send(res, 400, {
        error: 'unsupported_token_type',
        error_description: 'this token type is not supported',
      });
      return;
    }
    this.send(res, 200, undefined);
  }

  private async soapLogin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const body = await this.readBody(req);
    const pick = (tag: string): string | null => {
      const m = new RegExp(`<(?:\\w+:)?${tag}>([\\s\\S]*?)</(?:\\w+:)?${tag}>`).exec(body);
      return m === null ? null : unescapeXml(m[1]!);
    };
    const version = path.split('/').pop()!;
    const session = this.settings.auth.soapLogin(pick('username'), pick('password'));
    res.setHeader('Content-Type', 'text/xml;charset=UTF-8');
    if (session === null) {
      res.statusCode = 500;
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
      );
      return;
    }
    const c = this.settings.auth.credentials;
    res.statusCode = 200;
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result><metadataServerUrl>${this.baseUrl}/services/Soap/m/${version}/${ORG_ID.slice(0, 15)}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>true</sandbox><serverUrl>${this.baseUrl}/services/Soap/u/${version}/${ORG_ID.slice(0, 15)}</serverUrl><sessionId>${session.accessToken}</sessionId><userId>${USER_ID}</userId><userInfo><organizationId>${ORG_ID}</organizationId><organizationName>Boucle Sandbox</organizationName><userEmail>${c.username}</userEmail><userFullName>Boucle Integration</userFullName><userId>${USER_ID}</userId><userName>${c.username}</userName></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>`,
    );
  }

  private bearer(req: IncomingMessage): string {
    const header = req.headers.authorization ?? '';
    const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header);
    const session = m === null ? null : this.settings.auth.check(m[1]!.trim());
    if (session === null) {
      throw new SalesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    return session.accessToken;
  }

  private identity(req: IncomingMessage, res: ServerResponse): void {
    this.bearer(req);
    const c = this.settings.auth.credentials;
    this.send(res, 200, {
      id: `${this.baseUrl}/id/${ORG_ID}/${USER_ID}`,
      asserted_user: true,
      user_id: USER_ID,
      organization_id: ORG_ID,
      username: c.username,
      nick_name: 'integration',
      display_name: 'Boucle Integration',
      email: c.username,
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      urls: {
        rest: `${this.baseUrl}/services/data/v{version}/`,
        sobjects: `${this.baseUrl}/services/data/v{version}/sobjects/`,
        query: `${this.baseUrl}/services/data/v{version}/query/`,
        partner: `${this.baseUrl}/services/Soap/u/{version}/${ORG_ID.slice(0, 15)}`,
      },
    });
  }

  private versions(): unknown[] {
    const out = [];
    for (let v = MIN_VERSION; v <= this.settings.latestVersion; v += 1) {
      out.push({ label: versionLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
    }
    return out;
  }

  // --- REST data API

  private async dataApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    url: URL,
    entry: RequestLogEntry,
  ): Promise<void> {
    const m = /^\/services\/data\/v(\d+)\.(\d)(\/.*)?$/.exec(path);
    const major = m === null ? NaN : Number(m[1]);
    if (m === null || m[2] !== '0' || major < MIN_VERSION || major > this.settings.latestVersion)
      throw notFound();
    const version = `${major}.0`;
    const rest = m[3] ?? '';
    this.bearer(req);
    if (this.apiUsed() >= this.settings.apiAllocation) {
      throw new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    this.countCall();
    this.settings.store.purgeRecycleBin();
    const seg = rest
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const head = seg[0] ?? '';
    if (seg.length === 0 && method === 'GET') return this.ok(res, this.resources(version));
    if (head === 'limits' && seg.length === 1 && method === 'GET') return this.ok(res, this.limits());
    if ((head === 'query' || head === 'queryAll') && method === 'GET') {
      if (seg.length === 1) return this.ok(res, this.startQuery(req, url, version, head === 'queryAll'));
      if (seg.length === 2) return this.ok(res, this.queryMore(seg[1]!, version, method, path));
    }
    if (head === 'sobjects') return this.sobjects(req, res, method, seg.slice(1), url, version);
    if (head === 'composite' && seg[1] === 'sobjects')
      return this.composite(req, res, method, seg.slice(2), url, version);
    if (head === 'jobs' && seg[1] === 'query')
      return this.bulk(req, res, method, seg.slice(2), url, version, entry);
    if (head === 'jobs' && seg[1] === 'ingest')
      return this.ingestRoute(req, res, method, seg.slice(2), version);
    if (['query', 'queryAll', 'limits'].includes(head)) throw methodNotAllowed(method, 'GET');
    throw notFound();
  }

  private ok(res: ServerResponse, body: unknown, status = 200): void {
    this.send(res, status, body, this.limitHeader());
  }

  private resources(version: string): Record<string, string> {
    const base = `/services/data/v${version}`;
    return {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      limits: `${base}/limits`,
      composite: `${base}/composite`,
      jobs: `${base}/jobs`,
    };
  }

  private limits(): Record<string, { Max: number; Remaining: number }> {
    const used = this.apiUsed();
    const max = this.settings.apiAllocation;
    return {
      DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: Math.max(0, 10000 - this.bulkJobsToday) },
      DataStorageMB: { Max: 1024, Remaining: 1000 },
      FileStorageMB: { Max: 1024, Remaining: 1024 },
    };
  }

  // --- queries

  private batchSize(req: IncomingMessage): number {
    const header = req.headers['sforce-query-options'];
    const m = typeof header === 'string' ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
    if (m === null) return this.settings.queryPageSize;
    return Math.min(2000, Math.max(200, Number(m[1])));
  }

  private startQuery(req: IncomingMessage, url: URL, version: string, includeDeleted: boolean): unknown {
    const soql = url.searchParams.get('q');
    if (soql === null || soql.trim() === '')
      throw malformedQuery('A query string must be supplied (q parameter)');
    const store = this.settings.store;
    const q = compileQuery(soql, { store, now: store.clock.now() });
    if (q.kind === 'count') {
      return { totalSize: executeCount(q, store, includeDeleted), done: true, records: [] };
    }
    if (q.kind === 'aggregate') {
      const rows = executeAggregate(q, store, includeDeleted);
      if (rows.length > 2000 && q.limit === null) {
        throw malformedQuery(
          'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
        );
      }
      return {
        totalSize: rows.length,
        done: true,
        records: rows.map((r) => ({ attributes: { type: 'AggregateResult' }, ...r })),
      };
    }
    const rows = executeRecords(q, store, includeDeleted);
    const batch = this.batchSize(req);
    if (rows.length <= batch) return this.page(q, rows, 0, rows.length, version, includeDeleted, null);
    this.cursorSeq += 1;
    const id = makeId(KEY_PREFIX.QueryLocator, this.cursorSeq, 'BX');
    const cursor: Cursor = {
      id,
      rows,
      query: q,
      includeDeleted,
      batchSize: batch,
      lastUsed: store.clock.now(),
    };
    this.cursors.set(id, cursor);
    while (this.cursors.size > MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
    return this.page(q, rows, 0, batch, version, includeDeleted, cursor);
  }

  private queryMore(locator: string, version: string, method: string, path: string): unknown {
    const m = /^([0-9A-Za-z]{15,18})-(\d+)$/.exec(locator);
    const cursor = m === null ? undefined : this.cursors.get(m[1]!);
    const now = this.settings.store.clock.now();
    const expired =
      cursor === undefined ||
      cursor.lastUsed + this.settings.locatorTtlMs < now ||
      this.settings.faults.match(method, path, new Set(['expireLocator'])) !== null;
    if (expired) {
      if (cursor !== undefined) this.cursors.delete(cursor.id);
      throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    const start = Number(m![2]);
    if (start > cursor.rows.length)
      throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    cursor.lastUsed = now;
    return this.page(
      cursor.query,
      cursor.rows,
      start,
      start + cursor.batchSize,
      version,
      cursor.includeDeleted,
      cursor,
    );
  }

  private page(
    q: CompiledQuery,
    rows: SfRecord[],
    start: number,
    end: number,
    version: string,
    includeDeleted: boolean,
    cursor: Cursor | null,
  ): unknown {
    const store = this.settings.store;
    const slice = rows.slice(start, end);
    const done = end >= rows.length;
    if (done && cursor !== null) this.cursors.delete(cursor.id);
    return {
      totalSize: rows.length,
      done,
      ...(done || cursor === null
        ? {}
        : { nextRecordsUrl: `/services/data/v${version}/query/${cursor.id}-${end}` }),
      records: slice.map((rec) => renderRecord(q, rec, version, store, includeDeleted)),
    };
  }

  // --- sObjects

  private objectOf(name: string | undefined): ObjectDef {
    const def = name === undefined ? undefined : findObject(name);
    if (def === undefined) {
      throw new SalesforceError(404, 'NOT_FOUND', `The requested resource does not exist`);
    }
    return def;
  }

  private renderFull(
    def: ObjectDef,
    rec: SfRecord,
    version: string,
    fields: string | null,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {
      attributes: {
        type: def.name,
        url: `/services/data/v${version}/sobjects/${def.name}/${String(rec.Id)}`,
      },
    };
    const wanted =
      fields === null
        ? def.fields
        : fields.split(',').map((f) => {
            const field = def.fieldsByLowerName.get(f.trim().toLowerCase());
            if (field === undefined) {
              throw new SalesforceError(
                400,
                'INVALID_FIELD',
                `No such column '${f.trim()}' on sobject of type ${def.name}`,
              );
            }
            return field;
          });
    for (const f of wanted) out[f.name] = formatValue(f.type, rec[f.name] ?? null);
    return out;
  }

  private async sobjects(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    seg: string[],
    url: URL,
    version: string,
  ): Promise<void> {
    const store = this.settings.store;
    if (seg.length === 0) {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return this.ok(res, {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: [...OBJECTS.values()].map((d) => ({
          name: d.name,
          label: d.label,
          labelPlural: d.labelPlural,
          keyPrefix: d.keyPrefix,
          custom: false,
          queryable: true,
          createable: true,
          updateable: true,
          deletable: true,
          replicateable: true,
          retrieveable: true,
          searchable: true,
          urls: { sobject: `/services/data/v${version}/sobjects/${d.name}` },
        })),
      });
    }
    const def = this.objectOf(seg[0]);
    const second = seg[1];
    if (seg.length === 1) {
      if (method === 'GET') {
        return this.ok(res, {
          objectDescribe: { name: def.name, label: def.label, keyPrefix: def.keyPrefix, queryable: true },
          recentItems: [],
        });
      }
      if (method !== 'POST') throw methodNotAllowed(method, 'GET, POST');
      const body = await this.readJson(req);
      const rec = store.create(def.name, asObject(body));
      return this.ok(res, { id: rec.Id, success: true, errors: [] }, 201);
    }
    if (second === 'describe' && seg.length === 2) {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return this.ok(res, describeObject(def, version));
    }
    if ((second === 'updated' || second === 'deleted') && seg.length === 2) {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return this.ok(res, second === 'updated' ? this.getUpdated(def, url) : this.getDeleted(def, url));
    }
    if (seg.length === 2) {
      const id = second!;
      const rec = store.get(id);
      const mine =
        rec !== undefined && (rec.Id as string).startsWith(def.keyPrefix) && rec.IsDeleted !== true;
      if (method === 'GET') {
        if (!mine) throw notFound();
        return this.ok(res, this.renderFull(def, rec, version, url.searchParams.get('fields')));
      }
      if (method === 'PATCH') {
        store.update(def.name, id, asObject(await this.readJson(req)));
        return this.ok(res, undefined, 204);
      }
      if (method === 'DELETE') {
        store.delete(def.name, id);
        return this.ok(res, undefined, 204);
      }
      throw methodNotAllowed(method, 'GET, PATCH, DELETE');
    }
    if (seg.length === 3) {
      const field = second!;
      const value = seg[2]!;
      if (method === 'GET') {
        const found = store.findByExternalId(def.name, this.externalField(def, field), value);
        if (found.length === 0) throw notFound();
        if (found.length > 1) {
          throw new HttpReply(
            300,
            found.map((r) => `/services/data/v${version}/sobjects/${def.name}/${String(r.Id)}`),
          );
        }
        return this.ok(res, this.renderFull(def, found[0]!, version, url.searchParams.get('fields')));
      }
      if (method === 'PATCH') {
        const result = store.upsert(def.name, field, value, asObject(await this.readJson(req)));
        if (result.created)
          return this.ok(res, { id: result.record.Id, success: true, errors: [], created: true }, 201);
        if (Number(version) < 46) return this.ok(res, undefined, 204);
        return this.ok(res, { id: result.record.Id, success: true, errors: [], created: false }, 200);
      }
      throw methodNotAllowed(method, 'GET, PATCH');
    }
    throw notFound();
  }

  private externalField(def: ObjectDef, field: string): string {
    const f = def.fieldsByLowerName.get(field.toLowerCase());
    if (f === undefined || !(f.externalId || f.name === 'Id')) {
      throw new SalesforceError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${field}`,
      );
    }
    return f.name;
  }

  private replicationWindow(
    url: URL,
    maxDays: number,
    earliest: number | null,
  ): { start: number; end: number } {
    const parse = (name: string): number => {
      const raw = url.searchParams.get(name);
      const ms = raw === null ? Number.NaN : parseDateTime(raw);
      if (Number.isNaN(ms)) {
        throw new SalesforceError(
          400,
          'INVALID_REPLICATION_DATE',
          `${name} is missing or not a valid dateTime (e.g. 2024-05-01T00:00:00+00:00)`,
        );
      }
      return Math.floor(ms / 60_000) * 60_000;
    };
    const start = parse('start');
    const end = parse('end');
    const now = this.settings.store.clock.now();
    if (end < start)
      throw new SalesforceError(400, 'INVALID_REPLICATION_DATE', 'end date must be after start date');
    if (start < now - maxDays * DAY_MS) {
      throw new SalesforceError(
        400,
        'INVALID_REPLICATION_DATE',
        `startDate cannot be more than ${maxDays} days ago`,
      );
    }
    if (earliest !== null && start < earliest) {
      throw new SalesforceError(
        400,
        'INVALID_REPLICATION_DATE',
        'startDate must chronologically precede earliestDateAvailable',
      );
    }
    return { start, end: Math.min(end, Math.floor(now / 60_000) * 60_000) };
  }

  private getUpdated(def: ObjectDef, url: URL): unknown {
    const { start, end } = this.replicationWindow(url, 30, null);
    const table = this.settings.store.table(def.name);
    const ids: string[] = [];
    for (let i = table.lowerBound(start); i < table.stamps.length && table.stamps[i]! < end; i += 1) {
      const rec = table.stampRecs[i]!;
      if (table.isLive(i) && rec.IsDeleted !== true) ids.push(rec.Id as string);
    }
    if (ids.length > 600_000) {
      throw new SalesforceError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 600,000 records',
      );
    }
    return { ids, latestDateCovered: formatDateTime(end) };
  }

  private getDeleted(def: ObjectDef, url: URL): unknown {
    const table = this.settings.store.table(def.name);
    const earliest = Math.floor(table.earliestDeleteAvailable / 60_000) * 60_000;
    const { start, end } = this.replicationWindow(url, 15, null);
    const deletedRecords = table.deleteLog
      .filter(
        (e) =>
          e.deletedDate >= start &&
          e.deletedDate < end &&
          this.settings.store.byId.get(e.id)?.IsDeleted === true,
      )
      .map((e) => ({ id: e.id, deletedDate: formatDateTime(e.deletedDate) }));
    return {
      deletedRecords,
      earliestDateAvailable: formatDateTime(earliest),
      latestDateCovered: formatDateTime(end),
    };
  }

  // --- sObject Collections

  private async composite(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    seg: string[],
    url: URL,
    version: string,
  ): Promise<void> {
    const store = this.settings.store;
    if (seg.length === 0 && method === 'DELETE') {
      const ids = (url.searchParams.get('ids') ?? '').split(',').filter((s) => s !== '');
      checkBatch(ids.length);
      const allOrNone = url.searchParams.get('allOrNone') === 'true';
      return this.ok(
        res,
        this.batch(ids, allOrNone, (id) => {
          const rec = store.get(id);
          const def = rec === undefined ? undefined : findObject(objectNameOf(rec));
          if (rec === undefined || def === undefined || rec.IsDeleted === true) {
            throw new SalesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
          }
          store.delete(def.name, id);
          return { id: rec.Id, success: true, errors: [] };
        }),
      );
    }
    if (seg.length === 0 && (method === 'POST' || method === 'PATCH')) {
      const body = asObject(await this.readJson(req)) as { allOrNone?: unknown; records?: unknown };
      const records = asRecords(body.records);
      checkBatch(records.length);
      return this.ok(
        res,
        this.batch(records, body.allOrNone === true, (r) => {
          const type = (r.attributes as { type?: unknown } | undefined)?.type;
          if (typeof type !== 'string')
            throw new SalesforceError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
          const def = this.objectOf(type);
          if (method === 'POST') {
            if (r.Id !== undefined)
              throw new SalesforceError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
            const rec = store.create(def.name, r);
            return { id: rec.Id, success: true, errors: [] };
          }
          if (typeof r.Id !== 'string')
            throw new SalesforceError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
          const rec = store.update(def.name, r.Id, r);
          return { id: rec.Id, success: true, errors: [] };
        }),
      );
    }
    if (seg.length === 2 && method === 'PATCH') {
      const def = this.objectOf(seg[0]);
      const field = this.externalField(def, seg[1]!);
      const body = asObject(await this.readJson(req)) as { allOrNone?: unknown; records?: unknown };
      const records = asRecords(body.records);
      checkBatch(records.length);
      return this.ok(
        res,
        this.batch(records, body.allOrNone === true, (r) => {
          const key = Object.keys(r).find((k) => k.toLowerCase() === field.toLowerCase());
          const value = key === undefined ? undefined : r[key];
          if (typeof value !== 'string' || value === '') {
            throw new SalesforceError(400, 'MISSING_ARGUMENT', `${field} not specified`, [field]);
          }
          const result = store.upsert(def.name, field, value, r);
          return { id: result.record.Id, success: true, errors: [], created: result.created };
        }),
      );
    }
    if (seg.length === 1 && (method === 'POST' || method === 'GET')) {
      const def = this.objectOf(seg[0]);
      let ids: string[];
      let fields: string[];
      if (method === 'POST') {
        const body = asObject(await this.readJson(req)) as { ids?: unknown; fields?: unknown };
        ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
        fields = Array.isArray(body.fields) ? body.fields.map(String) : [];
      } else {
        ids = (url.searchParams.get('ids') ?? '').split(',').filter((s) => s !== '');
        fields = (url.searchParams.get('fields') ?? '').split(',').filter((s) => s !== '');
      }
      if (fields.length === 0) throw new SalesforceError(400, 'MISSING_ARGUMENT', 'fields must be specified');
      if (ids.length > 2000)
        throw new SalesforceError(400, 'EXCEEDED_ID_LIMIT', 'too many ids: at most 2000');
      return this.ok(
        res,
        ids.map((id) => {
          const rec = store.get(id);
          return rec === undefined || rec.IsDeleted === true || !(rec.Id as string).startsWith(def.keyPrefix)
            ? null
            : this.renderFull(def, rec, version, fields.join(','));
        }),
      );
    }
    throw notFound();
  }

  private batch<T>(items: T[], allOrNone: boolean, run: (item: T) => Record<string, unknown>): unknown[] {
    const store = this.settings.store;
    const failure = (error: unknown): Record<string, unknown> => {
      if (!(error instanceof SalesforceError)) throw error;
      const e = error.errors[0] as SfErrorItem;
      return {
        success: false,
        errors: [{ statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] }],
      };
    };
    if (!allOrNone) {
      return items.map((item) => {
        try {
          return run(item);
        } catch (error) {
          return failure(error);
        }
      });
    }
    const results: Record<string, unknown>[] = [];
    let failedAt = -1;
    try {
      store.atomically(() => {
        for (const [i, item] of items.entries()) {
          try {
            results.push(run(item));
          } catch (error) {
            failedAt = i;
            results.push(failure(error));
            throw error;
          }
        }
      });
      return results;
    } catch (error) {
      if (!(error instanceof SalesforceError)) throw error;
      return items.map((_, i) =>
        i === failedAt
          ? results[i]!
          : {
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message:
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ],
            },
      );
    }
  }

  // --- Bulk API 2.0 query

  private jobInfo(job: BulkJob, full: boolean): Record<string, unknown> {
    return {
      id: job.id,
      operation: job.operation,
      object: job.query.object.name,
      createdById: USER_ID,
      createdDate: formatDateTime(job.createdDate),
      systemModstamp: formatDateTime(job.systemModstamp),
      state: job.state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(job.version),
      lineEnding: job.lineEnding,
      columnDelimiter: Object.keys(DELIMITERS).find((k) => DELIMITERS[k] === job.columnDelimiter) ?? 'COMMA',
      ...(full
        ? {
            jobType: 'V2Query',
            numberRecordsProcessed: job.rows?.length ?? 0,
            retries: 0,
            totalProcessingTime: job.state === 'JobComplete' ? 120 : 0,
            isPkChunkingSupported: true,
            ...(job.state === 'Failed' ? { errorMessage: 'InternalServerError: the query job failed' } : {}),
          }
        : {}),
    };
  }

  private async bulk(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    seg: string[],
    url: URL,
    version: string,
    entry: RequestLogEntry,
  ): Promise<void> {
    const store = this.settings.store;
    if (seg.length === 0) {
      if (method === 'GET') {
        return this.ok(res, {
          done: true,
          records: [...this.jobs.values()].map((j) => this.jobInfo(j, false)),
          nextRecordsUrl: null,
        });
      }
      if (method !== 'POST') throw methodNotAllowed(method, 'GET, POST');
      const body = asObject(await this.readJson(req));
      const operation = body.operation;
      if (operation !== 'query' && operation !== 'queryAll') {
        throw new SalesforceError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${String(operation)}`);
      }
      if (typeof body.query !== 'string')
        throw new SalesforceError(400, 'INVALIDJOB', 'InvalidJob : query is required');
      const delimiterName = typeof body.columnDelimiter === 'string' ? body.columnDelimiter : 'COMMA';
      const delimiter = DELIMITERS[delimiterName];
      if (delimiter === undefined)
        throw new SalesforceError(
          400,
          'INVALIDJOB',
          `InvalidJob : Invalid columnDelimiter: ${delimiterName}`,
        );
      const lineEnding = body.lineEnding === undefined ? 'LF' : body.lineEnding;
      if (lineEnding !== 'LF' && lineEnding !== 'CRLF') {
        throw new SalesforceError(
          400,
          'INVALIDJOB',
          `InvalidJob : Invalid lineEnding: ${JSON.stringify(lineEnding)}`,
        );
      }
      const q = compileQuery(body.query, { store, now: store.clock.now() });
      const refusal = bulkRefusal(q);
      if (refusal !== null) throw new SalesforceError(400, 'API_ERROR', refusal);
      this.jobSeq += 1;
      this.bulkJobsToday += 1;
      const fail = this.settings.faults.match('POST', entry.path, new Set(['failBulkJob'])) !== null;
      if (fail) entry.fault = 'failBulkJob';
      const now = store.clock.now();
      const job: BulkJob = {
        id: makeId(KEY_PREFIX.BulkJob, this.jobSeq),
        operation,
        query: q,
        version,
        createdDate: now,
        lineEnding,
        columnDelimiter: delimiter,
        fail,
        state: 'UploadComplete',
        polls: 0,
        systemModstamp: now,
        rows: null,
      };
      this.jobs.set(job.id, job);
      return this.ok(res, this.jobInfo(job, false));
    }
    const job = this.jobs.get(seg[0]!);
    if (job === undefined) throw notFound();
    if (seg.length === 1) {
      if (method === 'GET') {
        this.advanceJob(job);
        return this.ok(res, this.jobInfo(job, true));
      }
      if (method === 'DELETE') {
        this.jobs.delete(job.id);
        return this.ok(res, undefined, 204);
      }
      if (method === 'PATCH') {
        const body = asObject(await this.readJson(req));
        if (body.state !== 'Aborted')
          throw new SalesforceError(400, 'INVALIDJOB', 'InvalidJob : only state Aborted can be set');
        if (job.state === 'JobComplete' || job.state === 'Failed') {
          throw new SalesforceError(
            400,
            'INVALIDJOB',
            `InvalidJob : Job is in state ${job.state} and cannot be aborted`,
          );
        }
        job.state = 'Aborted';
        job.systemModstamp = store.clock.now();
        return this.ok(res, this.jobInfo(job, false));
      }
      throw methodNotAllowed(method, 'GET, PATCH, DELETE');
    }
    if (seg.length === 2 && seg[1] === 'results' && method === 'GET') {
      if (job.version !== version) {
        throw new SalesforceError(
          409,
          'INVALIDJOB',
          `InvalidJob : the job was created with API version ${job.version}; fetch its results with the same version`,
        );
      }
      if (job.state !== 'JobComplete' || job.rows === null) {
        throw new SalesforceError(
          400,
          'INVALIDJOB',
          `InvalidJob : job ${job.id} is in state ${job.state}, not JobComplete`,
        );
      }
      const locator = url.searchParams.get('locator');
      let start = 0;
      if (locator !== null && locator !== '') {
        const decoded = Buffer.from(locator, 'base64').toString('utf8');
        start = /^\d+$/.test(decoded) ? Number(decoded) : Number.NaN;
        const expired = this.settings.faults.match(method, entry.path, new Set(['expireLocator'])) !== null;
        if (expired) entry.fault = 'expireLocator';
        if (!Number.isInteger(start) || start > job.rows.length || expired) {
          throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', `Invalid locator: ${locator}`);
        }
      }
      const maxRaw = url.searchParams.get('maxRecords');
      const max = maxRaw === null ? this.settings.bulkPageSize : Number(maxRaw);
      if (!Number.isInteger(max) || max <= 0) {
        throw new SalesforceError(
          400,
          'INVALIDJOB',
          `InvalidJob : maxRecords must be a positive whole number`,
        );
      }
      await this.streamCsv(res, job, start, Math.min(start + max, job.rows.length));
      return;
    }
    throw notFound();
  }

  // --- Bulk API 2.0 ingest (bulk-ingest.ts)

  private async ingestRoute(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    seg: string[],
    version: string,
  ): Promise<void> {
    const ingest = this.ingest;
    if (seg.length === 0) {
      if (method === 'GET')
        return this.ok(res, {
          done: true,
          records: [...ingest.jobs.values()].map((j) => ingest.info(j, false)),
          nextRecordsUrl: null,
        });
      if (method !== 'POST') throw methodNotAllowed(method, 'GET, POST');
      return this.ok(res, ingest.info(ingest.create(asObject(await this.readJson(req)), version), false));
    }
    const job = ingest.get(seg[0]!);
    if (seg.length === 1) {
      if (method === 'GET') {
        ingest.advance(job);
        return this.ok(res, ingest.info(job, true));
      }
      if (method === 'PATCH') {
        ingest.setState(job, asObject(await this.readJson(req)).state);
        return this.ok(res, ingest.info(job, false));
      }
      if (method === 'DELETE') {
        if (job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'InProgress')
          throw new SalesforceError(
            400,
            'INVALIDJOB',
            `InvalidJob : Job ${job.id} must be complete, failed or aborted to be deleted`,
          );
        ingest.jobs.delete(job.id);
        return this.ok(res, undefined, 204);
      }
      throw methodNotAllowed(method, 'GET, PATCH, DELETE');
    }
    if (seg.length === 2 && seg[1] === 'batches') {
      if (method !== 'PUT') throw methodNotAllowed(method, 'PUT');
      const type = String(req.headers['content-type'] ?? '');
      if (!/^text\/csv/i.test(type))
        throw new SalesforceError(
          400,
          'INVALIDJOB',
          `InvalidJob : Content-Type must be text/csv (got ${type || 'none'})`,
        );
      ingest.upload(job, await this.readBody(req));
      return this.ok(res, undefined, 201);
    }
    if (
      seg.length === 2 &&
      method === 'GET' &&
      (seg[1] === 'successfulResults' || seg[1] === 'failedResults' || seg[1] === 'unprocessedrecords')
    ) {
      const csv = ingest.resultsCsv(job, seg[1], version);
      res.writeHead(200, { 'Content-Type': 'text/csv', ...this.limitHeader() });
      res.end(csv);
      return;
    }
    throw notFound();
  }

  private advanceJob(job: BulkJob): void {
    if (job.state === 'Aborted' || job.state === 'JobComplete' || job.state === 'Failed') return;
    job.polls += 1;
    const store = this.settings.store;
    job.systemModstamp = store.clock.now();
    if (job.fail) {
      job.state = 'Failed';
      return;
    }
    if (job.polls <= this.settings.bulkPollsUntilComplete) {
      job.state = 'InProgress';
      return;
    }
    job.rows = executeRecords(job.query, store, job.operation === 'queryAll');
    job.state = 'JobComplete';
  }

  private async streamCsv(res: ServerResponse, job: BulkJob, start: number, end: number): Promise<void> {
    const rows = job.rows!;
    const next = end < rows.length ? Buffer.from(String(end)).toString('base64') : 'null';
    res.writeHead(200, {
      'Content-Type': 'text/csv',
      'Sforce-Locator': next,
      'Sforce-NumberOfRecords': String(end - start),
      ...this.limitHeader(),
    });
    const d = job.columnDelimiter;
    const nl = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
    const cols = job.query.columns;
    const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
    let chunk = csvHeaders(job.query).map(quote).join(d) + nl;
    for (let i = start; i < end; i += 1) {
      const rec = rows[i]!;
      let line = '';
      for (let c = 0; c < cols.length; c += 1) {
        if (c > 0) line += d;
        line += quote(csvCell(cols[c]!, rec));
      }
      chunk += line + nl;
      if (chunk.length > 64_000) {
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
        chunk = '';
      }
    }
    res.end(chunk);
  }
}

function endpointName(method: string, path: string): string {
  if (path === '/services/oauth2/token') return 'oauth.token';
  if (path.startsWith('/services/oauth2/')) return `oauth.${path.split('/')[3] ?? ''}`;
  if (path.startsWith('/services/Soap/')) return 'soap.login';
  if (path === '/services/data') return 'versions';
  if (path.startsWith('/id/')) return 'identity';
  const m = /^\/services\/data\/v[\d.]+(\/.*)?$/.exec(path);
  if (m === null) return 'unknown';
  const seg = (m[1] ?? '').split('/').filter((s) => s !== '');
  const [a, b, c, d] = seg;
  if (a === undefined) return 'resources';
  if (a === 'query' || a === 'queryAll') return b === undefined ? a : 'queryMore';
  if (a === 'limits') return 'limits';
  if (a === 'sobjects') {
    if (b === undefined) return 'sobjects.describeGlobal';
    if (c === undefined) return method === 'POST' ? 'sobject.create' : 'sobject.basicInfo';
    if (c === 'describe' || c === 'updated' || c === 'deleted') return `sobject.${c}`;
    if (d !== undefined) return method === 'PATCH' ? 'sobject.upsert' : 'sobject.getByExternalId';
    return `sobject.${method === 'GET' ? 'retrieve' : method === 'PATCH' ? 'update' : method === 'DELETE' ? 'delete' : method.toLowerCase()}`;
  }
  if (a === 'composite') {
    if (c !== undefined && d !== undefined) return 'collections.upsert';
    if (c !== undefined) return 'collections.retrieve';
    return `collections.${method === 'POST' ? 'create' : method === 'PATCH' ? 'update' : method === 'DELETE' ? 'delete' : method.toLowerCase()}`;
  }
  if (a === 'jobs' && b === 'ingest') {
    if (c === undefined) return method === 'POST' ? 'bulk2.ingest.create' : 'bulk2.ingest.list';
    if (d !== undefined) return d === 'batches' ? 'bulk2.ingest.upload' : `bulk2.ingest.${d}`;
    return `bulk2.ingest.${method === 'GET' ? 'status' : method === 'DELETE' ? 'delete' : 'state'}`;
  }
  if (a === 'jobs') {
    if (c === undefined) return method === 'POST' ? 'bulk2.create' : 'bulk2.list';
    if (d === 'results') return 'bulk2.results';
    return `bulk2.${method === 'GET' ? 'status' : method === 'DELETE' ? 'delete' : 'abort'}`;
  }
  return 'unknown';
}

function methodNotAllowed(method: string, allowed: string): SalesforceError {
  return new SalesforceError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed}`,
  );
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function asRecords(records: unknown): Record<string, unknown>[] {
  if (!Array.isArray(records))
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'records must be a JSON array');
  return records.map(asObject);
}

function checkBatch(n: number): void {
  if (n > 200) {
    throw new SalesforceError(
      400,
      'EXCEEDED_ID_LIMIT',
      `Record limit exceeded: ${n} records sent, 200 at most`,
    );
  }
}

function objectNameOf(rec: SfRecord): string {
  for (const def of OBJECTS.values()) if ((rec.Id as string).startsWith(def.keyPrefix)) return def.name;
  return '';
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export type { FieldValue };
