import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sql } from '../store/sql.ts';
import type { ExperimentSettings } from '../../../shared/src/index.ts';
import { queryExperiment } from '../experiment/experiment-service.ts';
import { parseProgrammeQuery } from '../../../shared/src/index.ts';
import { programmeJson, signalsJson } from './format-programme.ts';
import { queryFunnel, queryProgramme, querySignals, type ServiceIssue } from './programme-service.ts';
import type { ProgrammeStore } from './programme-store.ts';
import {
  acknowledgeSignal,
  callbackQueue,
  markCallbackDone,
  signalStates,
  ticketsBehind,
  DRILL_METRICS,
  type DrillMetric,
  type ConsoleAnswer,
  type ConsoleApiOptions,
} from './console-api.ts';
import { policyRoute, type PolicyApiOptions } from '../policy/policy-api.ts';

/** The OpenAPI document of this API, in the repository (served at /api/v1/openapi.yaml). */
export const OPENAPI_FILE = new URL('../../../docs/api/boucle-api.openapi.yaml', import.meta.url);

/**
 * Browser origins allowed by default: Zendesk apps run in iframes served from `*.apps.zdusercontent.com`, the
 * agent workspace from `*.zendesk.com`; localhost for the sandbox and development.
 */
export const DEFAULT_ALLOWED_ORIGINS: readonly RegExp[] = [
  /^https:\/\/[a-z0-9-]+\.zendesk\.com$/,
  /^https:\/\/[a-z0-9-]+\.apps\.zdusercontent\.com$/,
  /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/,
];

export interface ProgrammeApiOptions {
  readonly store: ProgrammeStore;
  /** The connector token (the sidebar's secure setting `connector_token`), sent as `Authorization: Bearer …`. */
  readonly token: string;
  readonly allowedOrigins?: readonly RegExp[];
  readonly clock?: () => number;
  /** Test and learn: the database holding the experiment's table and the experiment as configured. */
  readonly experiment?: { readonly sql: Sql; readonly settings: ExperimentSettings };
  /** The console's routes (callbacks, signal states); absent, they answer 404. */
  readonly console?: ConsoleApiOptions;
  /** The policy's routes (GET /api/v1/policy…, POST /api/v1/policy/sync|preview); absent, they answer 404. */
  readonly policy?: PolicyApiOptions;
}

/** Handles the request when it is for /api/…; returns false otherwise. */
export type ApiHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

const ROUTES: Readonly<Record<string, { readonly params: readonly string[] }>> = {
  '/api/v1/programme': { params: ['from', 'to', 'by', 'bucket'] },
  '/api/v1/signals': { params: ['as_of', 'recent_months', 'baseline_months', 'min_sample', 'by'] },
  '/api/v1/funnel': { params: ['by', 'retention_days'] },
  '/api/v1/experiment': { params: ['from', 'to', 'by', 'retention_days', 'repeat_days'] },
  '/api/v1/openapi.yaml': { params: [] },
};

class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly (ServiceIssue | object)[] | undefined;
  constructor(status: number, code: string, message: string, issues?: readonly (ServiceIssue | object)[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * The programme's read-only HTTP API for a browser console: versioned paths, JSON bodies, errors as
 * `{ error, message, issues? }`, the connector token as a bearer token, CORS for the allowed origins
 * (preflight included; the error responses carry the CORS headers too, so the page can read them).
 */
export function createProgrammeApi(options: ProgrammeApiOptions): ApiHandler {
  const tokenDigest = digest(options.token);
  const allowed = options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS;
  const clock = options.clock ?? Date.now;
  let openApiText: string | undefined;

  const cors = (request: IncomingMessage, response: ServerResponse): boolean => {
    const origin = request.headers.origin;
    response.setHeader('Vary', 'Origin');
    if (origin === undefined || !allowed.some((pattern) => pattern.test(origin))) return false;
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate');
    return true;
  };

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    path: string,
  ): Promise<void> => {
    const originAllowed = cors(request, response);
    const route = ROUTES[path];
    if (request.method === 'OPTIONS') {
      if (request.headers.origin !== undefined && !originAllowed)
        throw new ApiProblem(
          403,
          'origin_not_allowed',
          `Origin ${request.headers.origin} may not call this API.`,
        );
      if (route === undefined) throw new ApiProblem(404, 'not_found', `Nothing at ${path}.`);
      response.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600',
      });
      response.end();
      return;
    }
    if (route === undefined)
      throw new ApiProblem(404, 'not_found', `Nothing at ${path}; see /api/v1/openapi.yaml.`);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD, OPTIONS');
      throw new ApiProblem(405, 'method_not_allowed', `${path} is read with GET.`);
    }
    if (path === '/api/v1/openapi.yaml') {
      openApiText ??= readFileSync(OPENAPI_FILE, 'utf8');
      response.writeHead(200, {
        'content-type': 'application/yaml; charset=utf-8',
        'cache-control': 'no-cache',
      });
      response.end(request.method === 'HEAD' ? undefined : openApiText);
      return;
    }
    const authorization = request.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
    if (token === undefined || !timingSafeEqual(digest(token), tokenDigest)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="boucle-api"');
      throw new ApiProblem(
        401,
        'unauthorised',
        'Send the connector token as "Authorization: Bearer <connector token>".',
      );
    }
    const unknown = [...url.searchParams.keys()].filter((key) => !route.params.includes(key));
    if (unknown.length > 0)
      throw new ApiProblem(
        400,
        'invalid_query',
        `Unknown parameter(s) ${unknown.join(', ')}; ${path} takes ${route.params.join(', ')}.`,
        unknown.map((key) => ({ path: key, message: `is not a parameter of ${path}.` })),
      );
    const param = (key: string): Record<string, string> => {
      const value = url.searchParams.get(key);
      return value === null ? {} : { [key]: value };
    };
    if (path === '/api/v1/programme') {
      const result = await queryProgramme(
        options.store,
        { ...param('from'), ...param('to'), ...param('by'), ...param('bucket') },
        clock,
      );
      if (!result.ok)
        throw new ApiProblem(400, 'invalid_query', 'Some parameters are invalid.', result.issues);
      return sendJson(response, 200, programmeJson(result.value), request.method === 'HEAD');
    }
    if (path === '/api/v1/experiment') {
      const experiment = options.experiment;
      if (experiment === undefined)
        throw new ApiProblem(404, 'not_found', 'This connector does not record an experiment.');
      const get = (key: string): Record<string, string> => {
        const value = url.searchParams.get(key);
        return value === null ? {} : { [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())]: value };
      };
      const result = await queryExperiment(
        options.store,
        experiment.sql,
        experiment.settings,
        { ...get('from'), ...get('to'), ...get('by'), ...get('retention_days'), ...get('repeat_days') },
        clock,
      );
      if (!result.ok)
        throw new ApiProblem(
          400,
          'invalid_query',
          'Some parameters are invalid.',
          result.issues.map((issue) => ({ ...issue, path: issue.path.replaceAll('-', '_') })),
        );
      return sendJson(response, 200, result.value, request.method === 'HEAD');
    }
    if (path === '/api/v1/funnel') {
      const result = await queryFunnel(
        options.store,
        {
          ...param('by'),
          ...(url.searchParams.has('retention_days')
            ? { retentionDays: url.searchParams.get('retention_days')! }
            : {}),
        },
        clock,
      );
      if (!result.ok)
        throw new ApiProblem(
          400,
          'invalid_query',
          'Some parameters are invalid.',
          result.issues.map((issue) => ({ ...issue, path: issue.path.replaceAll('-', '_') })),
        );
      const { asOfMs, retentionDays, rows } = result.value;
      return sendJson(
        response,
        200,
        { asOf: new Date(asOfMs).toISOString(), retentionDays, rows },
        request.method === 'HEAD',
      );
    }
    const get = (key: string): string | undefined => url.searchParams.get(key) ?? undefined;
    const input = {
      asOf: get('as_of'),
      recentMonths: get('recent_months'),
      baselineMonths: get('baseline_months'),
      minSample: get('min_sample'),
      by: get('by'),
    };
    const result = await querySignals(
      options.store,
      Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
      clock,
    );
    if (!result.ok)
      throw new ApiProblem(
        400,
        'invalid_query',
        'Some parameters are invalid.',
        result.issues.map((issue) => ({ ...issue, path: issue.path.replaceAll('-', '_') })),
      );
    sendJson(response, 200, signalsJson(result.value), request.method === 'HEAD');
  };

  // ------------------------------------------------------------------ the console's routes (issue 14)
  // GET /api/v1/callbacks, POST /api/v1/callbacks/{ticket}/done, GET /api/v1/signal-states,
  // POST /api/v1/signals/{id}/ack. Same token, CORS and error bodies as the routes above.
  const consoleRoute = (
    path: string,
  ): {
    readonly method: 'GET' | 'POST';
    readonly maxBodyBytes?: number;
    readonly run: (body: unknown, by: string | null, url: URL) => ConsoleAnswer | Promise<ConsoleAnswer>;
  } | null => {
    if (options.policy !== undefined) {
      const policy = policyRoute(path, options.policy, clock);
      if (policy !== null) return policy;
    }
    const consoleOptions = options.console;
    if (consoleOptions === undefined) return null;
    if (path === '/api/v1/callbacks')
      return {
        method: 'GET',
        run: async (_body, _by, url) => {
          const raw = url.searchParams.get('until');
          const now = clock();
          if (raw === null || raw === '')
            return { status: 200, body: await callbackQueue(consoleOptions, now) };
          const until = Date.parse(raw);
          if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(until) || until <= now - 86_400_000 * 2)
            return {
              status: 400,
              code: 'invalid_query',
              message: `until takes the end of the agent's day as an ISO date-time, e.g. 2026-12-03T00:00:00+01:00 (got "${raw}").`,
            };
          return { status: 200, body: await callbackQueue(consoleOptions, now, until) };
        },
      };
    if (path === '/api/v1/tickets') return { method: 'GET', run: (_body, _by, url) => drillDown(url) };
    if (path === '/api/v1/signal-states')
      return {
        method: 'GET',
        run: async () => ({ status: 200, body: await signalStates(consoleOptions, clock()) }),
      };
    const done = /^\/api\/v1\/callbacks\/(\d+)\/done$/.exec(path);
    if (done !== null)
      return {
        method: 'POST',
        run: (_body, by) => markCallbackDone(consoleOptions, Number(done[1]), by, clock()),
      };
    const ack = /^\/api\/v1\/signals\/([^/]+)\/ack$/.exec(path);
    if (ack !== null)
      return {
        method: 'POST',
        run: (body) => acknowledgeSignal(consoleOptions, decodeURIComponent(ack[1]!), body, clock()),
      };
    return null;
  };

  const drillDown = async (url: URL): Promise<ConsoleAnswer> => {
    const q = url.searchParams;
    const dimension = q.get('dimension') ?? 'all';
    const metric = q.get('metric') ?? '';
    const value = q.get('value') ?? '';
    if (!(DRILL_METRICS as readonly string[]).includes(metric))
      return { status: 400, code: 'invalid_query', message: `metric takes ${DRILL_METRICS.join(', ')}.` };
    const query = parseProgrammeQuery(
      {
        ...(dimension === 'all' ? {} : { by: dimension }),
        ...(q.has('from') ? { from: q.get('from')! } : {}),
        ...(q.has('to') ? { to: q.get('to')! } : {}),
      },
      clock(),
    );
    if (!query.success)
      return {
        status: 400,
        code: 'invalid_query',
        message: query.issues.map((i) => `${i.path} ${i.message}`).join('; '),
      };
    const facts = await options.store.readFacts(query.data.fromMs, query.data.toMs, { comments: false });
    return {
      status: 200,
      body: ticketsBehind(facts, {
        dimension: query.data.by[0] ?? 'all',
        value,
        metric: metric as DrillMetric,
      }),
    };
  };

  const handleConsole = async (
    request: IncomingMessage,
    response: ServerResponse,
    route: NonNullable<ReturnType<typeof consoleRoute>>,
  ): Promise<void> => {
    const originAllowed = cors(request, response);
    if (request.method === 'OPTIONS') {
      if (request.headers.origin !== undefined && !originAllowed)
        throw new ApiProblem(
          403,
          'origin_not_allowed',
          `Origin ${request.headers.origin} may not call this API.`,
        );
      response.writeHead(204, {
        'Access-Control-Allow-Methods': `${route.method}, OPTIONS`,
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600',
      });
      response.end();
      return;
    }
    if (request.method !== route.method) {
      response.setHeader('Allow', `${route.method}, OPTIONS`);
      throw new ApiProblem(405, 'method_not_allowed', `This path takes ${route.method}.`);
    }
    const authorization = request.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
    if (token === undefined || !timingSafeEqual(digest(token), tokenDigest)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="boucle-api"');
      throw new ApiProblem(
        401,
        'unauthorised',
        'Send the connector token as "Authorization: Bearer <connector token>".',
      );
    }
    let body: unknown = undefined;
    if (route.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request as AsyncIterable<Buffer>) {
        size += chunk.length;
        const limit = route.maxBodyBytes ?? 64 * 1024;
        if (size > limit)
          throw new ApiProblem(400, 'invalid_body', `The body is over ${Math.round(limit / 1024)} KB.`);
        chunks.push(chunk);
      }
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text !== '') {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          throw new ApiProblem(400, 'invalid_body', 'The body must be JSON.');
        }
      }
    }
    const by =
      typeof body === 'object' && body !== null && typeof (body as Record<string, unknown>)['by'] === 'string'
        ? ((body as Record<string, unknown>)['by'] as string).slice(0, 200)
        : null;
    const answer = await route.run(body, by, new URL(request.url ?? '/', 'http://boucle.invalid'));
    if ('code' in answer) throw new ApiProblem(answer.status, answer.code, answer.message, answer.issues);
    sendJson(response, answer.status, answer.body);
  };

  const sendProblem = (response: ServerResponse, error: unknown): void => {
    if (error instanceof ApiProblem)
      sendJson(response, error.status, {
        error: error.code,
        message: error.message,
        ...(error.issues === undefined ? {} : { issues: error.issues }),
      });
    else
      sendJson(response, 500, {
        error: 'internal',
        message: 'The report could not be computed; retry later.',
      });
  };
  // ------------------------------------------------------------------ end of the console's routes

  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://boucle.invalid');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path !== '/api' && !path.startsWith('/api/')) return false;
    const consoleMatch = consoleRoute(path);
    if (consoleMatch !== null) {
      handleConsole(request, response, consoleMatch).catch((error: unknown) => sendProblem(response, error));
      return true;
    }
    handle(request, response, url, path).catch((error: unknown) => sendProblem(response, error));
    return true;
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headOnly = false): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(headOnly ? undefined : text);
}
