import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CRM_FIELD_KEYS,
  CUSTOM_OBJECT_KEYS,
  FEEDBACK_FIELD_KEYS,
} from '../../../shared/src/zendesk/data-model.ts';
import {
  ZENDESK_SANDBOX_CREDENTIALS as C,
  startZendeskEmulator,
  type ZendeskEmulator,
} from '../../../sandbox/zendesk/index.ts';
import { ZendeskApiError, ZendeskClient, parseRetryAfter, type ZendeskClientOptions } from './index.ts';

let emu: ZendeskEmulator;
let waits: number[];

beforeEach(async () => {
  emu = await startZendeskEmulator({
    seed: 5,
    jobDelayMs: 5,
    counts: { users: 14, organizations: 4, tickets: 8 },
  });
  waits = [];
});

afterEach(async () => {
  await emu.close();
});

function client(overrides: Partial<ZendeskClientOptions> = {}): ZendeskClient {
  return new ZendeskClient({
    baseUrl: emu.url,
    auth: { kind: 'apiToken', email: C.email, token: C.apiToken },
    // Record every wait; really wait only a little, so that jobs running on timers can progress.
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)));
    },
    random: () => 0.5,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<ZendeskApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ZendeskApiError) return error;
    throw error;
  }
  throw new Error('expected a ZendeskApiError');
}

describe('ZendeskClient: auth and errors', () => {
  it('authenticates with an API token or an OAuth token', async () => {
    expect((await client().getCurrentUser()).email).toBe(C.email);
    const oauth = client({ auth: { kind: 'oauth', accessToken: C.oauthToken } });
    expect((await oauth.getCurrentUser()).role).toBe('admin');
  });

  it('maps 401, 404 and 422 to closed codes with actionable messages and Zendesk body', async () => {
    const bad = await failure(
      client({ auth: { kind: 'apiToken', email: C.email, token: 'wrong' } }).getTicket(1001),
    );
    expect(bad).toMatchObject({
      code: 'AUTH_FAILED',
      status: 401,
      body: { error: "Couldn't authenticate you" },
    });
    expect(bad.message).toContain('ZENDESK_API_TOKEN');
    const missing = await failure(client().getTicket(424242));
    expect(missing).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      body: { error: 'RecordNotFound', description: 'Not found' },
    });
    const invalid = await failure(client().updateTicket(1001, { status: 'nonsense' as 'open' }));
    expect(invalid.code).toBe('INVALID_RECORD');
    expect(invalid.details).toEqual(['status: Status: nonsense is not a valid status']);
    expect(invalid.message).toContain('Fix the values listed');
  });

  it('refuses more than 100 records per bulk call before sending anything', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `u${i}`, email: `u${i}@example.test` }));
    await expect(client().createOrUpdateManyUsers(many)).rejects.toThrow(/at most 100 users/);
    expect(emu.requests()).toHaveLength(0);
  });
});

describe('ZendeskClient: retries', () => {
  it('waits the Retry-After of a 429 and succeeds; tracks X-Rate-Limit-Remaining', async () => {
    emu.injectFault({ kind: 'status', status: 429, retryAfter: 7, path: '/api/v2/tickets/1001' });
    const zd = client();
    const ticket = await zd.getTicket(1001);
    expect(ticket.id).toBe(1001);
    expect(waits).toEqual([7000]);
    expect(zd.calls).toBe(2);
    expect(zd.budget).toEqual({ limit: 700, remaining: 699 });
  });

  it('waits for ratelimit-reset when Zendesk says the budget is spent, instead of earning a 429', async () => {
    await emu.close();
    let clock = Date.UTC(2026, 10, 22, 12, 0, 40);
    emu = await startZendeskEmulator({
      seed: 5,
      rateLimitPerMinute: 2,
      clock: () => clock,
      counts: { users: 4, organizations: 1, tickets: 3 },
    });
    const zd = client({
      now: () => clock,
      sleep: (ms) => {
        waits.push(ms);
        clock += ms;
        return Promise.resolve();
      },
    });
    await zd.getTicket(1001);
    await zd.getTicket(1001);
    expect(zd.budget).toEqual({ limit: 2, remaining: 0 });
    await zd.getTicket(1002);
    expect(waits).toEqual([20_000]);
    expect(emu.requests().map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('gives up with RATE_LIMITED when Retry-After is longer than allowed', async () => {
    emu.injectFault({ kind: 'status', status: 429, retryAfter: 600 });
    const error = await failure(client({ maxRetryAfterSeconds: 60 }).getTicket(1001));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 600 });
    expect(waits).toEqual([]);
  });

  it('retries a 503 burst with capped exponential backoff', async () => {
    emu.injectFault({ kind: 'status', status: 503, times: 3 });
    const ticket = await client({ backoffMs: 100, maxBackoffMs: 300 }).getTicket(1002);
    expect(ticket.id).toBe(1002);
    // cap = min(300, 100·2^n); wait = cap/2 + random·cap/2 with random 0.5
    expect(waits).toEqual([75, 150, 225]);
    expect(emu.requestCounts()['GET /api/v2/tickets/{ticket_id}']).toBe(4);
  });

  it('retries after a socket reset, and reports UNAVAILABLE once retries are spent', async () => {
    emu.injectFault({ kind: 'reset', path: '/api/v2/users/me' });
    expect((await client().getCurrentUser()).email).toBe(C.email);
    emu.injectFault({ kind: 'status', status: 500, times: 3 });
    const error = await failure(client({ maxRetries: 2 }).getCurrentUser());
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 500 });
  });
});

describe('ZendeskClient: jobs, pagination, tickets, custom objects', () => {
  it('follows a create_or_update_many job to per-record results', async () => {
    const zd = client();
    const job = await zd.createOrUpdateManyUsers([
      {
        name: 'Ada Lovelace',
        email: 'ada@example.test',
        external_id: '0035g00000AdaLoAAA',
        user_fields: { [CRM_FIELD_KEYS.valueTier]: 'gold' },
      },
      { name: 'Bad', email: 'not-an-email' },
    ]);
    expect(job.status).toBe('queued');
    const done = await zd.waitForJob(job.id, { pollIntervalMs: 10 });
    expect(done.status).toBe('completed');
    expect(done.results).toMatchObject([
      { index: 0, success: true, action: 'create' },
      { index: 1, success: false },
    ]);
    const ada = await zd.findUserByExternalId('0035g00000AdaLoAAA');
    expect(ada?.user_fields[CRM_FIELD_KEYS.valueTier]).toBe('gold');
  });

  it('iterates a cursor-paginated list through several pages', async () => {
    const zd = client();
    const ids: number[] = [];
    for await (const user of zd.paginate<{ id: number }>('/api/v2/users.json', 'users', {}, 5))
      ids.push(user.id);
    expect(ids.length).toBe(emu.store.users.size);
    expect(new Set(ids).size).toBe(ids.length);
    expect(emu.requestCounts()['GET /api/v2/users']).toBe(Math.ceil(ids.length / 5));
  });

  it('adds an internal note and tags, and reads comments and audits back', async () => {
    const zd = client();
    const before = await zd.getTicket(1003);
    const { audit } = await zd.addInternalNote(1003, 'Boucle: callback planned');
    expect(audit.events.some((e) => e.type === 'Comment' && e['public'] === false)).toBe(true);
    expect(await zd.addTags(1003, ['boucle_callback'])).toContain('boucle_callback');
    const comments = [];
    for await (const comment of zd.listComments(1003, 'desc')) comments.push(comment);
    expect(comments[0]?.body).toBe('Boucle: callback planned');
    expect(comments[0]?.public).toBe(false);
    const conflict = await failure(
      zd.updateTicket(1003, { priority: 'urgent' }, { updatedStamp: '2000-01-01T00:00:00Z' }),
    );
    expect(conflict.status).toBe(409);
    expect(before.id).toBe(1003);
  });

  it('upserts custom object records and runs a bulk records job', async () => {
    const zd = client();
    await zd.createCustomObject({
      key: CUSTOM_OBJECT_KEYS.feedback,
      title: 'Feedback',
      title_pluralized: 'Feedback',
      include_in_list_view: true,
    });
    await zd.createCustomObjectField(CUSTOM_OBJECT_KEYS.feedback, {
      key: FEEDBACK_FIELD_KEYS.kind,
      type: 'text',
      title: 'Kind',
    });
    await zd.createCustomObjectField(CUSTOM_OBJECT_KEYS.feedback, {
      key: FEEDBACK_FIELD_KEYS.score,
      type: 'integer',
      title: 'Score',
    });
    const first = await zd.upsertCustomObjectRecord(CUSTOM_OBJECT_KEYS.feedback, 'survey-1', {
      name: 'NPS 3',
      custom_object_fields: { kind: 'nps', score: 3 },
    });
    const again = await zd.upsertCustomObjectRecord(CUSTOM_OBJECT_KEYS.feedback, 'survey-1', {
      name: 'NPS 4',
      custom_object_fields: { score: 4 },
    });
    expect(again.id).toBe(first.id);
    expect(again.custom_object_fields).toMatchObject({ kind: 'nps', score: 4 });
    const job = await zd.customObjectRecordsJob(
      CUSTOM_OBJECT_KEYS.feedback,
      'create_or_update_by_external_id',
      [
        { external_id: 'survey-2', name: 'CSAT', custom_object_fields: { kind: 'csat', score: 5 } },
        { external_id: 'survey-3', name: 'CES', custom_object_fields: { score: 'high' } },
      ],
    );
    const done = await zd.waitForJob(job.id, { pollIntervalMs: 10 });
    expect(done.results.map((r) => r.success)).toEqual([true, false]);
    const all = [];
    for await (const record of zd.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.feedback))
      all.push(record.external_id);
    expect(all).toEqual(['survey-1', 'survey-2']);
  });

  it('reads the incremental ticket export to its end and resumes from the cursor', async () => {
    const zd = client();
    let count = 0;
    let cursor: string | null = null;
    for await (const page of zd.incrementalTickets({ startTime: 0 })) {
      count += page.items.length;
      cursor = page.afterCursor;
    }
    expect(count).toBe(8);
    const open = [...emu.store.tickets.values()].find((t) => t.status !== 'closed');
    if (open === undefined) throw new Error('the seed has no open ticket');
    await zd.updateTicket(open.id, { additional_tags: ['boucle_follow_up'] });
    const resumed = [];
    for await (const page of zd.incrementalTickets({ cursor: cursor ?? '' }))
      resumed.push(...page.items.map((t) => t.id));
    expect(resumed).toEqual([open.id]);
  });
});

describe('ZendeskClient: CSAT', () => {
  it('lists ratings from a start time and reads one rating', async () => {
    const zd = client();
    const ratings = [];
    for await (const rating of zd.listSatisfactionRatings({ startTime: 0 })) ratings.push(rating);
    const expected = [...emu.store.satisfactionRatings.values()].filter((r) => r.score !== 'unoffered');
    expect(ratings.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    const first = ratings[0];
    if (first === undefined) throw new Error('the seed has no rating');
    expect(await zd.getSatisfactionRating(first.id)).toMatchObject({
      id: first.id,
      ticket_id: first.ticket_id,
    });
    const bad = [];
    for await (const rating of zd.listSatisfactionRatings({ score: 'bad' })) bad.push(rating.score);
    expect(bad.every((s) => s === 'bad')).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('12', 0)).toBe(12);
    expect(parseRetryAfter(new Date(30_000).toUTCString(), 0)).toBe(30);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
