import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { EnqueueOutcome, EventQueue, NewQueueEvent } from '../queue/durable-queue.ts';
import type { ServiceMetrics } from './service-metrics.ts';
import { toWebhookEvent } from './to-webhook-event.ts';
import { verifyZendeskSignature } from './verify-zendesk-signature.ts';

export interface ParseIssue {
  readonly path: string;
  readonly message: string;
}

/** Turns a survey request body into queue events, or says what is wrong with it. */
export type ParseSurveyBody = (
  body: unknown,
) =>
  | { readonly ok: true; readonly events: readonly NewQueueEvent[] }
  | { readonly ok: false; readonly issues: readonly ParseIssue[] };

export interface AutomationServerOptions {
  readonly queue: EventQueue;
  readonly metrics: ServiceMetrics;
  readonly webhookSecret: string;
  readonly surveyToken: string;
  readonly parseSurveyBody: ParseSurveyBody;
  /** Replay window for webhook timestamps, either way. */
  readonly toleranceSeconds: number;
  readonly maxBodyBytes?: number;
  readonly clock?: () => Date;
  /** Called after events were committed (wakes the workers). */
  readonly onAccepted?: () => void;
  /** Extra health facts (e.g. workers running). */
  readonly health?: () => Readonly<Record<string, unknown>>;
  /** The console's API under /api/ (connectors/src/programme/programme-api.ts); true when it answered. */
  readonly api?: (request: IncomingMessage, response: ServerResponse) => boolean;
}

const WEBHOOK_PREFIX = '/webhooks/zendesk';

/** Seconds a sender is asked to wait when the store cannot take events (Zendesk retries a 503 after it). */
export const STORE_RETRY_AFTER_SECONDS = 5;

class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly ParseIssue[] | undefined;
  constructor(status: number, code: string, message: string, issues?: readonly ParseIssue[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

/** Nothing was stored (database down, restarting, disk full): the sender must retry; 503 + Retry-After. */
function storeUnavailable(error: unknown): HttpProblem {
  const detail = error instanceof Error ? error.message : String(error);
  return new HttpProblem(
    503,
    'store_unavailable',
    `The event could not be stored (${detail.slice(0, 200)}); nothing was accepted, retry in ${STORE_RETRY_AFTER_SECONDS} s.`,
  );
}

async function enqueueAll(queue: EventQueue, events: readonly NewQueueEvent[]): Promise<EnqueueOutcome[]> {
  try {
    return await Promise.all(events.map((event) => queue.enqueue(event)));
  } catch (error) {
    throw storeUnavailable(error);
  }
}

/** The automation service's HTTP face: Zendesk webhooks, the survey endpoint, health and metrics. */
export function createAutomationServer(options: AutomationServerOptions): Server {
  const clock = options.clock ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const surveyTokenDigest = digest(options.surveyToken);

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://boucle.invalid');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (options.api?.(request, response) === true) return;
    if (path === '/healthz' && request.method === 'GET') return sendHealth(response);
    if (path === '/metrics' && request.method === 'GET') return sendMetrics(response);
    if (path === WEBHOOK_PREFIX || path.startsWith(`${WEBHOOK_PREFIX}/`)) {
      if (request.method !== 'POST')
        throw new HttpProblem(405, 'method_not_allowed', 'Webhooks are POST requests.');
      return acceptWebhook(request, response, path.slice(WEBHOOK_PREFIX.length + 1));
    }
    if (path === '/feedback' || path === '/surveys/answers') {
      if (request.method !== 'POST')
        throw new HttpProblem(405, 'method_not_allowed', 'Survey answers are POSTed.');
      return acceptSurvey(request, response);
    }
    throw new HttpProblem(404, 'not_found', `Nothing at ${request.method ?? 'GET'} ${path}.`);
  };

  const acceptWebhook = async (
    request: IncomingMessage,
    response: ServerResponse,
    subPath: string,
  ): Promise<void> => {
    const started = performance.now();
    const rawBody = await readBody(request, maxBodyBytes);
    const signature = header(request, 'x-zendesk-webhook-signature');
    const check = verifyZendeskSignature({
      secret: options.webhookSecret,
      signature,
      timestamp: header(request, 'x-zendesk-webhook-signature-timestamp'),
      rawBody,
      now: clock(),
      toleranceSeconds: options.toleranceSeconds,
    });
    if (!check.ok) throw new HttpProblem(401, check.reason, check.message);
    const body = parseJson(rawBody);
    const parsed = toWebhookEvent({
      subPath,
      body,
      rawBody,
      invocationId: header(request, 'x-zendesk-webhook-invocation-id'),
      signature: signature!,
      signedAt: check.signedAt,
    });
    if (!parsed.ok && parsed.ignored === true) {
      options.metrics.increment('events_ignored_total');
      return sendJson(response, 200, { status: 'ignored', message: parsed.message });
    }
    if (!parsed.ok) throw new HttpProblem(400, 'malformed_event', parsed.message);
    const [outcome] = await enqueueAll(options.queue, [parsed.event]);
    if (outcome === undefined) throw storeUnavailable(new Error('no outcome'));
    if (outcome.outcome === 'replay') {
      throw new HttpProblem(
        409,
        'replayed_request',
        'This exact signed request was already received; it is not accepted twice.',
      );
    }
    answerOutcomes(response, [outcome]);
    options.metrics.observeAcceptLatency((performance.now() - started) / 1000);
  };

  const acceptSurvey = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    const authorization = header(request, 'authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
    if (token === undefined || !timingSafeEqual(digest(token), surveyTokenDigest)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="boucle-surveys"');
      throw new HttpProblem(
        401,
        'unauthorised',
        'Send the survey token as "Authorization: Bearer <BOUCLE_SURVEY_TOKEN>".',
      );
    }
    const rawBody = await readBody(request, maxBodyBytes);
    const parsed = options.parseSurveyBody(parseJson(rawBody));
    if (!parsed.ok)
      throw new HttpProblem(
        400,
        'invalid_answers',
        'Some answers are invalid; nothing was stored.',
        parsed.issues,
      );
    const outcomes = await enqueueAll(options.queue, parsed.events);
    answerOutcomes(response, outcomes);
    options.metrics.observeAcceptLatency((performance.now() - started) / 1000);
  };

  const answerOutcomes = (response: ServerResponse, outcomes: readonly EnqueueOutcome[]): void => {
    const accepted = outcomes.filter((outcome) => outcome.outcome === 'accepted').length;
    const duplicates = outcomes.filter((outcome) => outcome.outcome === 'duplicate').length;
    if (accepted > 0) options.metrics.increment('events_accepted_total', {}, accepted);
    if (duplicates > 0) options.metrics.increment('events_duplicate_total', {}, duplicates);
    if (accepted > 0) options.onAccepted?.();
    sendJson(response, accepted > 0 ? 202 : 200, {
      status: accepted > 0 ? 'accepted' : 'duplicate',
      events: outcomes.map((outcome) =>
        'id' in outcome ? { id: outcome.id, outcome: outcome.outcome } : { outcome: outcome.outcome },
      ),
    });
  };

  const sendHealth = async (response: ServerResponse): Promise<void> => {
    let depth: number;
    try {
      depth = await options.queue.depth();
    } catch (error) {
      response.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
      sendJson(response, 503, { status: 'unavailable', error: (error as Error).message });
      return;
    }
    sendJson(response, 200, { status: 'ok', queueDepth: depth, ...(options.health?.() ?? {}) });
  };

  const sendMetrics = async (response: ServerResponse): Promise<void> => {
    let counts: Awaited<ReturnType<EventQueue['countByStatus']>>;
    try {
      counts = await options.queue.countByStatus();
    } catch (error) {
      throw storeUnavailable(error);
    }
    const text = options.metrics.render({
      queue_depth: {
        help: 'Events accepted and not yet processed.',
        value: counts.pending + counts.processing,
      },
      dead_letters: { help: 'Events in the dead-letter list.', value: counts.dead },
    });
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(text);
  };

  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (error instanceof HttpProblem) {
        options.metrics.increment('events_rejected_total', { reason: error.code });
        if (error.status === 503) response.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
        sendJson(response, error.status, {
          error: error.code,
          message: error.message,
          ...(error.issues === undefined ? {} : { issues: error.issues }),
        });
        if (error.status === 413) request.resume();
        return;
      }
      sendJson(response, 500, { error: 'internal', message: 'The event could not be stored; retry later.' });
    });
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpProblem(400, 'malformed_json', 'The body is not valid JSON.');
  }
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new HttpProblem(413, 'body_too_large', `The body is larger than ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    request.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
