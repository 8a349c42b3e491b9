import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableQueue } from '../queue/durable-queue.ts';
import { openStore } from '../store/index.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { createAutomationServer, type ParseSurveyBody } from './create-automation-server.ts';
import { ServiceMetrics } from './service-metrics.ts';
import { signZendeskWebhook } from './verify-zendesk-signature.ts';

const SECRET = 'webhook-secret';
const NOW = new Date('2026-11-22T10:00:00Z');

const parseSurveyBody: ParseSurveyBody = (body) => {
  const answers = (body as { answers?: unknown[] }).answers;
  if (!Array.isArray(answers))
    return { ok: false, issues: [{ path: 'answers', message: 'answers must be a list' }] };
  return {
    ok: true,
    events: answers.map((answer, index) => ({
      idempotencyKey: `survey:${String(answer)}`,
      kind: 'feedback.answer',
      payload: { index },
    })),
  };
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function startServer() {
  const store = openStore(':memory:', [QUEUE_SCHEMA]);
  const queue = new DurableQueue(store.db, { clock: () => NOW });
  const metrics = new ServiceMetrics();
  let wakes = 0;
  const server = createAutomationServer({
    queue,
    metrics,
    webhookSecret: SECRET,
    surveyToken: 'survey-token',
    parseSurveyBody,
    toleranceSeconds: 300,
    clock: () => NOW,
    onAccepted: () => (wakes += 1),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { queue, store, metrics, base, wakes: () => wakes };
}

function signedPost(
  base: string,
  body: string,
  options: { timestamp?: string; invocation?: string; signature?: string; path?: string } = {},
) {
  const timestamp = options.timestamp ?? '2026-11-22T09:59:50Z';
  return fetch(`${base}/webhooks/zendesk${options.path ?? ''}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': options.signature ?? signZendeskWebhook(SECRET, timestamp, body),
      ...(options.invocation === undefined ? {} : { 'x-zendesk-webhook-invocation-id': options.invocation }),
    },
    body,
  });
}

describe('automation server: webhooks', () => {
  const body = JSON.stringify({ event: 'ticket.updated', ticket_id: '42' });

  it('accepts a signed webhook once, then recognises the redelivery and refuses the exact replay', async () => {
    const { base, queue, wakes } = await startServer();
    const first = await signedPost(base, body, { invocation: 'inv-1' });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: 'accepted', events: [{ id: 1, outcome: 'accepted' }] });
    // Zendesk redelivers: same invocation, new timestamp and signature.
    const redelivery = await signedPost(base, body, {
      invocation: 'inv-1',
      timestamp: '2026-11-22T09:59:55Z',
    });
    expect(redelivery.status).toBe(200);
    expect(await redelivery.json()).toMatchObject({ status: 'duplicate' });
    // An attacker replays the captured request byte for byte.
    const replay = await signedPost(base, body, { invocation: 'inv-1' });
    expect(replay.status).toBe(409);
    expect(queue.depth()).toBe(1);
    expect(queue.get(1)).toMatchObject({
      kind: 'zendesk.ticket.updated',
      groupKey: 'ticket:42',
      payload: { ticketId: 42 },
    });
    expect(wakes()).toBe(1);
  });

  it.each([
    [
      'unsigned',
      (base: string) => fetch(`${base}/webhooks/zendesk`, { method: 'POST', body }),
      401,
      'missing_signature',
    ],
    [
      'tampered',
      (base: string) =>
        signedPost(base, body, {
          signature: signZendeskWebhook(SECRET, '2026-11-22T09:59:50Z', body.replace('42', '43')),
        }),
      401,
      'bad_signature',
    ],
    [
      'signed with another secret',
      (base: string) =>
        signedPost(base, body, { signature: signZendeskWebhook('other', '2026-11-22T09:59:50Z', body) }),
      401,
      'bad_signature',
    ],
    [
      'stale',
      (base: string) => signedPost(base, body, { timestamp: '2026-11-22T09:40:00Z' }),
      401,
      'stale_timestamp',
    ],
    ['malformed JSON', (base: string) => signedPost(base, '{"ticket_id": 4'), 400, 'malformed_json'],
    [
      'without a ticket id',
      (base: string) => signedPost(base, '{"event":"ticket.updated"}'),
      400,
      'malformed_event',
    ],
    [
      'an unknown event',
      (base: string) => signedPost(base, '{"event":"user.deleted","id":3}'),
      400,
      'malformed_event',
    ],
  ] as const)('refuses a %s request and stores nothing', async (_name, send, status, code) => {
    const { base, queue, metrics } = await startServer();
    const response = await send(base);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: code });
    expect(queue.countByStatus()).toEqual({ pending: 0, processing: 0, done: 0, dead: 0 });
    expect(metrics.value('events_rejected_total', { reason: code })).toBe(1);
  });

  it('reads the event kind from the path of the documented channels', async () => {
    const { base, queue } = await startServer();
    const rating = JSON.stringify({ id: 9, ticket_id: 42, score: 'bad', comment: 'trop long' });
    expect((await signedPost(base, rating, { path: '/satisfaction-ratings/created' })).status).toBe(202);
    expect(queue.get(1)).toMatchObject({
      kind: 'zendesk.satisfaction.rated',
      payload: { ticketId: 42, satisfactionRatingId: 9, score: 'bad' },
    });
  });

  describe('event webhooks (Zendesk event subscriptions), signed the same way', () => {
    const ticketEvent = (type: string, id: string, change: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        type: `zen:event-type:${type}`,
        account_id: 12514403,
        id,
        time: '2026-11-22T09:59:49Z',
        zendesk_event_version: '2022-11-06',
        subject: 'zen:ticket:35436',
        detail: { id: '35436', status: 'SOLVED', via: { channel: 'web' } },
        event: change,
        ...extra,
      });

    it('queues a status change to solved as the solved event, keyed by the event id', async () => {
      const { base, queue } = await startServer();
      const solved = ticketEvent('ticket.status_changed', 'ev-1', { current: 'SOLVED', previous: 'OPEN' });
      const first = await signedPost(base, solved);
      expect(first.status).toBe(202);
      expect(queue.get(1)).toMatchObject({
        kind: 'zendesk.ticket.solved',
        groupKey: 'ticket:35436',
        payload: { ticketId: 35436 },
      });
      // Zendesk retries the same event (same id) with a new timestamp and signature.
      const retry = await signedPost(base, solved, { timestamp: '2026-11-22T09:59:58Z' });
      expect(retry.status).toBe(200);
      expect(await retry.json()).toMatchObject({ status: 'duplicate' });
      expect(queue.depth()).toBe(1);
    });

    it.each([
      ['ticket.created', { current: { status: 'Open' } }, 'zendesk.ticket.created'],
      ['ticket.status_changed', { current: 'PENDING', previous: 'OPEN' }, 'zendesk.ticket.updated'],
      ['ticket.comment_added', { comment: { id: '1', is_public: true } }, 'zendesk.ticket.updated'],
    ] as const)('maps %s (%j) to %s', async (type, change, kind) => {
      const { base, queue } = await startServer();
      expect((await signedPost(base, ticketEvent(type, `ev-${type}`, change))).status).toBe(202);
      expect(queue.get(1)).toMatchObject({ kind, payload: { ticketId: 35436 } });
    });

    it('reads the ticket from the subject when the detail has no id', async () => {
      const { base, queue } = await startServer();
      const body = ticketEvent('ticket.priority_changed', 'ev-2', { current: 'HIGH' }, { detail: {} });
      expect((await signedPost(base, body)).status).toBe(202);
      expect(queue.get(1)).toMatchObject({ groupKey: 'ticket:35436' });
    });

    it('acknowledges events about users or organisations with 200 and queues nothing', async () => {
      const { base, queue, metrics } = await startServer();
      const body = JSON.stringify({
        type: 'zen:event-type:user.active_changed',
        id: 'ev-3',
        subject: 'zen:user:6596848315901',
        detail: { id: '6596848315901' },
        event: { current: false, previous: true },
      });
      const response = await signedPost(base, body);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ignored' });
      expect(queue.depth()).toBe(0);
      expect(metrics.value('events_ignored_total')).toBe(1);
    });

    it('refuses a ticket event that names no ticket, and an unsigned one', async () => {
      const { base, queue } = await startServer();
      const body = ticketEvent('ticket.tags_changed', 'ev-4', {}, { subject: 'zen:ticket:', detail: {} });
      const response = await signedPost(base, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'malformed_event' });
      const unsigned = await fetch(`${base}/webhooks/zendesk`, {
        method: 'POST',
        body: ticketEvent('ticket.created', 'ev-5', {}),
      });
      expect(unsigned.status).toBe(401);
      expect(queue.depth()).toBe(0);
    });
  });

  it('refuses a body over the limit', async () => {
    const { base } = await startServer();
    const response = await signedPost(base, JSON.stringify({ ticket_id: 1, pad: 'x'.repeat(1024 * 1024) }));
    expect(response.status).toBe(413);
  });
});

describe('automation server: survey endpoint, health and metrics', () => {
  it('needs the bearer token, rejects invalid answers whole, accepts valid ones', async () => {
    const { base, queue, metrics } = await startServer();
    const post = (token: string | undefined, payload: unknown) =>
      fetch(`${base}/feedback`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(payload),
      });
    expect((await post(undefined, { answers: ['a'] })).status).toBe(401);
    expect((await post('wrong', { answers: ['a'] })).status).toBe(401);
    const invalid = await post('survey-token', { nope: true });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: 'invalid_answers', issues: [{ path: 'answers' }] });
    expect(queue.depth()).toBe(0);
    const valid = await post('survey-token', { answers: ['a', 'b'] });
    expect(valid.status).toBe(202);
    expect(queue.depth()).toBe(2);

    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', queueDepth: 2 });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('boucle_events_accepted_total 2');
    expect(text).toContain('boucle_events_rejected_total{reason="unauthorised"} 2');
    expect(text).toContain('boucle_queue_depth 2');
    expect(text).toMatch(/boucle_accept_latency_seconds_count 1\n/);
    expect(metrics.value('events_accepted_total')).toBe(2);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });
});

describe('automation server: the store cannot take events', () => {
  it('answers 503 with Retry-After (Zendesk retries), for webhooks, answers and health, storing nothing', async () => {
    const { base, store } = await startServer();
    store.close(); // what a full disk or a database that went away looks like to the server
    const webhook = await signedPost(base, JSON.stringify({ event: 'ticket.updated', ticket_id: '42' }));
    expect(webhook.status).toBe(503);
    expect(webhook.headers.get('retry-after')).toBe('5');
    expect(await webhook.json()).toMatchObject({ error: 'store_unavailable' });
    const answers = await fetch(`${base}/feedback`, {
      method: 'POST',
      headers: { authorization: 'Bearer survey-token', 'content-type': 'application/json' },
      body: JSON.stringify({ answers: ['a'] }),
    });
    expect(answers.status).toBe(503);
    expect(answers.headers.get('retry-after')).toBe('5');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');
  });
});
