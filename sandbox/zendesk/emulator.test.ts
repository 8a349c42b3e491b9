import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CRM_FIELD_KEYS } from '../../shared/src/zendesk/data-model.ts';
import {
  ZENDESK_SANDBOX_AGENT,
  ZENDESK_SANDBOX_CREDENTIALS as C,
  signWebhook,
  startZendeskEmulator,
  type ZendeskEmulator,
} from './index.ts';

/** Reads `a.b.0.c` in parsed JSON. */
function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

type Row = Record<string, unknown>;

const basic = `Basic ${Buffer.from(`${C.email}/token:${C.apiToken}`).toString('base64')}`;
let emu: ZendeskEmulator | undefined;

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: Parameters<typeof startZendeskEmulator>[0] = {}): Promise<ZendeskEmulator> {
  emu = await startZendeskEmulator({
    seed: 3,
    jobDelayMs: 5,
    counts: { users: 12, organizations: 4, tickets: 10 },
    ...options,
  });
  return emu;
}

async function call(
  e: ZendeskEmulator,
  path: string,
  init: { method?: string; body?: unknown; auth?: string | null } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.auth !== null) headers['authorization'] = init.auth ?? basic;
  const response = await fetch(`${e.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: (text === '' ? null : JSON.parse(text)) as unknown,
  };
}

describe('Zendesk emulator: seed and auth', () => {
  it('seeds the same data for the same seed, with Salesforce-like external ids and CRM field values', async () => {
    const a = await start({ seed: 11 });
    const first = at((await call(a, '/api/v2/users.json?role=end-user')).json, 'users') as Row[];
    await a.close();
    const b = await start({ seed: 11 });
    const second = at((await call(b, '/api/v2/users.json?role=end-user')).json, 'users') as Row[];
    expect(second.map((u) => u['external_id'])).toEqual(first.map((u) => u['external_id']));
    const linked = first.filter((u) => u['external_id'] !== null);
    expect(linked.length).toBeGreaterThan(0);
    for (const user of linked) expect(user['external_id']).toMatch(/^003[0-9A-Za-z]{15}$/);
    expect(linked.some((u) => at(u, `user_fields.${CRM_FIELD_KEYS.valueTier}`) !== null)).toBe(true);
  });

  it('accepts API-token basic auth and OAuth bearer; refuses others with Zendesk 401 body', async () => {
    const e = await start();
    expect(at((await call(e, '/api/v2/users/me.json')).json, 'user.email')).toBe(C.email);
    expect((await call(e, '/api/v2/users/me.json', { auth: `Bearer ${C.oauthToken}` })).status).toBe(200);
    const none = await call(e, '/api/v2/users/me.json', { auth: null });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: "Couldn't authenticate you" });
    const wrong = await call(e, '/api/v2/users/me.json', {
      auth: `Basic ${Buffer.from(`${C.email}/token:nope`).toString('base64')}`,
    });
    expect(wrong.status).toBe(401);
  });

  it("sideloads the user's organisation on users/{id} with include=organizations", async () => {
    const e = await start();
    const users = at((await call(e, '/api/v2/users.json?role=end-user')).json, 'users') as Row[];
    const member = users.find((u) => typeof u['organization_id'] === 'number');
    expect(member).toBeDefined();
    const created = await call(e, '/api/v2/users.json', {
      method: 'POST',
      body: { user: { name: 'Sans Organisation', email: 'sans.org@example.com' } },
    });
    const loner = at(created.json, 'user') as Row;
    const plain = (await call(e, `/api/v2/users/${String(member?.['id'])}.json`)).json as Row;
    expect(Object.keys(plain)).toEqual(['user']);
    const withOrg = (
      await call(e, `/api/v2/users/${String(member?.['id'])}.json?include=roles,organizations`)
    ).json as Row;
    expect(at(withOrg, 'organizations.0.id')).toBe(member?.['organization_id']);
    expect(at(withOrg, 'organizations.0.name')).toEqual(expect.any(String));
    expect(at(withOrg, 'organizations.1')).toBeUndefined();
    const none = (await call(e, `/api/v2/users/${String(loner['id'])}.json?include=organizations`)).json;
    expect(at(none, 'organizations')).toEqual([]);
  });

  it('answers 403 to a non-admin agent on admin endpoints', async () => {
    const e = await start();
    const agent = `Basic ${Buffer.from(`${ZENDESK_SANDBOX_AGENT.email}/token:${ZENDESK_SANDBOX_AGENT.apiToken}`).toString('base64')}`;
    expect((await call(e, '/api/v2/tickets/1001.json', { auth: agent })).status).toBe(200);
    const res = await call(e, '/api/v2/user_fields.json', {
      method: 'POST',
      auth: agent,
      body: { user_field: { key: 'k', title: 'K' } },
    });
    expect(res.status).toBe(403);
    expect(at(res.json, 'error')).toBe('Forbidden');
  });
});

describe('Zendesk emulator: tickets', () => {
  it('updates a ticket with an internal note and tags, records an audit, and 404/422 like Zendesk', async () => {
    const e = await start();
    const res = await call(e, '/api/v2/tickets/1001.json', {
      method: 'PUT',
      body: {
        ticket: {
          status: 'pending',
          additional_tags: ['boucle_apology'],
          comment: { body: 'Called <b>back</b>', public: false },
        },
      },
    });
    expect(res.status).toBe(200);
    expect(at(res.json, 'ticket.status')).toBe('pending');
    expect(at(res.json, 'ticket.tags')).toContain('boucle_apology');
    const events = at(res.json, 'audit.events') as Row[];
    expect(events.find((ev) => ev['type'] === 'Comment')).toMatchObject({
      public: false,
      body: 'Called <b>back</b>',
    });
    expect(events.find((ev) => ev['field_name'] === 'status')).toMatchObject({
      type: 'Change',
      value: 'pending',
    });
    const comments = at((await call(e, '/api/v2/tickets/1001/comments.json')).json, 'comments') as Row[];
    const last = comments[comments.length - 1];
    expect(last?.['html_body']).toContain('Called &lt;b&gt;back&lt;/b&gt;');
    expect((await call(e, '/api/v2/tickets/999999.json')).json).toEqual({
      error: 'RecordNotFound',
      description: 'Not found',
    });
    const bad = await call(e, '/api/v2/tickets/1001.json', {
      method: 'PUT',
      body: { ticket: { priority: 'meh' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { priority: [{}] },
    });
  });

  it('pages tickets by cursor and by offset', async () => {
    const e = await start();
    const seen: number[] = [];
    let next: string | null = '/api/v2/tickets.json?page[size]=3';
    while (next !== null) {
      const page = await call(e, next.replace(e.url, ''));
      seen.push(...(at(page.json, 'tickets') as { id: number }[]).map((t) => t.id));
      next = at(page.json, 'meta.has_more') === true ? (at(page.json, 'links.next') as string) : null;
    }
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    const offset = await call(e, '/api/v2/tickets.json?per_page=4&page=3');
    expect(at(offset.json, 'count')).toBe(10);
    expect(at(offset.json, 'tickets')).toHaveLength(2);
    expect(at(offset.json, 'next_page')).toBeNull();
    expect(at(offset.json, 'previous_page')).toContain('page=2');
  });
});

describe('Zendesk emulator: bulk jobs', () => {
  it('create_or_update_many queues a job that completes with per-record results', async () => {
    const e = await start();
    const existing = at((await call(e, '/api/v2/users.json?role=end-user')).json, 'users.0') as Row;
    const res = await call(e, '/api/v2/users/create_or_update_many.json', {
      method: 'POST',
      body: {
        users: [
          { name: 'New Person', email: 'new.person@example.test', external_id: '003000000000001AAA' },
          { email: existing['email'], name: 'Renamed' },
          { name: '' },
        ],
      },
    });
    expect(at(res.json, 'job_status.status')).toBe('queued');
    await e.settle();
    const jobId = String(at(res.json, 'job_status.id'));
    const job = at((await call(e, `/api/v2/job_statuses/${jobId}.json`)).json, 'job_status');
    expect(at(job, 'status')).toBe('completed');
    expect(at(job, 'results')).toMatchObject([
      { index: 0, action: 'create', success: true },
      { index: 1, action: 'update', success: true, id: existing['id'] },
      { index: 2, success: false, error: 'RecordInvalid' },
    ]);
    expect(e.getUser(Number(existing['id']))['name']).toBe('Renamed');
    const tooMany = await call(e, '/api/v2/users/create_or_update_many.json', {
      method: 'POST',
      body: { users: Array.from({ length: 101 }, (_, i) => ({ name: `u${i}` })) },
    });
    expect(tooMany.status).toBe(400);
  });
});

describe('Zendesk emulator: rate limit, faults, request log', () => {
  it('answers 429 with Retry-After once the per-minute budget is spent, with X-Rate-Limit headers', async () => {
    const e = await start({ rateLimitPerMinute: 3, clock: () => Date.UTC(2026, 10, 22, 12, 0, 30) });
    const first = await call(e, '/api/v2/tickets/1001.json');
    expect(first.headers.get('x-rate-limit')).toBe('3');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    await call(e, '/api/v2/users/me.json');
    await call(e, '/api/v2/users/me.json');
    const limited = await call(e, '/api/v2/users/me.json');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(at(limited.json, 'error')).toBe('APIRateLimitExceeded');
  });

  it('injects 503 bursts and socket resets over HTTP, and logs requests with per-endpoint counts', async () => {
    const e = await start();
    const post = await fetch(`${e.url}/__faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'status', status: 503, count: 2, retryAfter: 2, path: '/api/v2/tickets' }),
    });
    expect(post.status).toBe(201);
    expect((await call(e, '/api/v2/tickets/1001.json')).status).toBe(503);
    const second = await call(e, '/api/v2/tickets/1001.json');
    expect(second.headers.get('retry-after')).toBe('2');
    expect((await call(e, '/api/v2/tickets/1001.json')).status).toBe(200);
    e.injectFault({ kind: 'reset', path: '/api/v2/users/me' });
    await expect(call(e, '/api/v2/users/me.json')).rejects.toThrow();
    const log = (await (await fetch(`${e.url}/__requests`)).json()) as {
      counts: Record<string, number>;
      requests: unknown[];
    };
    expect(log.counts['GET /api/v2/tickets/{ticket_id}']).toBe(3);
    expect(e.requestCounts()['GET /api/v2/users/me']).toBe(1);
  });
});

describe('Zendesk emulator: triggers and webhooks', () => {
  it('fires a trigger on a REST ticket update and POSTs a signed webhook with rendered placeholders', async () => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    let failFirst = true;
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(failFirst ? 503 : 200).end();
        failFirst = false;
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const e = await start({ webhookRetryDelaysMs: [5, 5] });
      const hook = await call(e, '/api/v2/webhooks.json', {
        method: 'POST',
        body: {
          webhook: {
            name: 'Boucle',
            status: 'active',
            endpoint,
            http_method: 'POST',
            request_format: 'json',
            subscriptions: ['conditional_ticket_events'],
            signing_secret: { algorithm: 'SHA256', secret: 's3cret' },
          },
        },
      });
      expect(hook.status).toBe(201);
      const trigger = await call(e, '/api/v2/triggers.json', {
        method: 'POST',
        body: {
          trigger: {
            title: 'Boucle: solved',
            conditions: {
              all: [
                { field: 'update_type', operator: 'is', value: 'Change' },
                { field: 'status', operator: 'value', value: 'solved' },
              ],
              any: [],
            },
            actions: [
              {
                field: 'notification_webhook',
                value: [
                  at(hook.json, 'webhook.id'),
                  '{"ticket_id": {{ticket.id}}, "status": "{{ticket.status}}", "comment": "{{ticket.latest_comment}}"}',
                ],
              },
            ],
          },
        },
      });
      expect(trigger.status).toBe(201);
      await call(e, '/api/v2/tickets/1002.json', { method: 'PUT', body: { ticket: { status: 'open' } } });
      await call(e, '/api/v2/tickets/1002.json', {
        method: 'PUT',
        body: { ticket: { status: 'solved', comment: { body: 'Fixed "it"\nbye' } } },
      });
      await e.settle();
      expect(received).toHaveLength(2);
      const last = received[1];
      const body = JSON.parse(last?.body ?? '') as Record<string, unknown>;
      expect(body).toEqual({ ticket_id: 1002, status: 'Solved', comment: 'Fixed "it"\nbye' });
      const ts = String(last?.headers['x-zendesk-webhook-signature-timestamp']);
      expect(last?.headers['x-zendesk-webhook-signature']).toBe(signWebhook('s3cret', ts, last?.body ?? ''));
      expect(e.webhookDeliveries()[0]).toMatchObject({
        outcome: 'delivered',
        triggerId: at(trigger.json, 'trigger.id'),
      });
      expect(e.webhookDeliveries()[0]?.attempts.map((a) => a.status)).toEqual([503, 200]);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});
