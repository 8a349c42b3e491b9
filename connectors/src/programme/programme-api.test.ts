import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateWorld, type World } from '../../../sandbox/dataset/generate-world.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import { DurableQueue } from '../queue/durable-queue.ts';
import { createAutomationServer } from '../serve/create-automation-server.ts';
import { ServiceMetrics } from '../serve/service-metrics.ts';
import type { Store } from '../store/index.ts';
import { OPENAPI_FILE, createProgrammeApi } from './programme-api.ts';
import { sqliteSql, type Sql } from '../store/sql.ts';
import { ProgrammeStore, openProgrammeStore } from './programme-store.ts';

const TOKEN = 'connector-token-for-tests-0123456789';
const ORIGIN = 'https://acme.zendesk.com';
let world: World;
let store: Store;
let sql: Sql;
let server: ReturnType<typeof createAutomationServer>;
let base: string;

/** The database as the sync and `boucle report pull` leave it, filled from a generated (planted) world. */
async function fill(db: Store): Promise<void> {
  const programme = new ProgrammeStore(sql);
  const account = db.db.prepare(
    'INSERT INTO sync_account (id, name, created, segment, region, modstamp) VALUES (?, ?, 0, ?, ?, 1)',
  );
  const contact = db.db.prepare(
    'INSERT INTO sync_contact (id, account_id, name, modstamp) VALUES (?, ?, ?, 1)',
  );
  db.transaction(() => {
    for (const a of world.accounts) account.run(a.id, a.name, a.segment, a.country);
    for (const c of world.contacts) contact.run(c.id, c.accountId, c.lastName);
  });
  await programme.putUsers(
    world.contacts.map((c) => ({ id: c.zendeskUserId, externalId: c.id, email: c.email, locale: c.lang })),
  );
  const userOf = new Map(world.contacts.map((c) => [c.id, c.zendeskUserId]));
  await programme.putTickets(
    world.tickets.map((t) => ({
      id: t.id,
      createdAt: t.createdAt,
      requesterId: userOf.get(t.contactId)!,
      groupId: null,
      status: t.status,
      incident: t.type === 'incident' || t.tags.includes('complaint'),
      product: t.tags.find((tag) => tag.startsWith('product_'))!.slice('product_'.length),
      tags: t.tags,
    })),
  );
  await programme.putAnswers(
    world.answers.map((a) => ({
      id: a.id,
      respondedAt: a.respondedAt,
      kind: a.kind,
      scale: a.scale,
      score: a.score,
      comment: a.comment,
      channel: a.channel,
      touchpoint: a.touchpoint,
      ticketId: a.ticketId,
      interactionId: a.interactionId,
      userId: userOf.get(a.contactId)!,
      email: null,
      source: 'survey_api',
    })),
  );
}

// OpenAPI 3.1 schemas are JSON Schema 2020-12: the components become $defs of one validator per response.
const openapi = parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content: unknown }> };
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
// The API writes instants as Date.toISOString() does.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const defs = JSON.parse(
  JSON.stringify(openapi.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'),
) as Record<string, unknown>;
function validator(path: string, status: number) {
  let response = openapi.paths[path]!.get!.responses[String(status)] as { $ref?: string; content?: unknown };
  if (response.$ref !== undefined) response = openapi.components.responses[response.$ref.split('/').at(-1)!]!;
  const content = response.content as Record<string, { schema: unknown }>;
  const schema = JSON.parse(
    JSON.stringify(content['application/json']!.schema).replaceAll('#/components/schemas/', '#/$defs/'),
  ) as object;
  return ajv.compile({ ...schema, $defs: defs });
}
const expectValid = (path: string, status: number, body: unknown): void => {
  const validate = validator(path, status);
  expect(validate(body), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
};

beforeAll(async () => {
  world = generateWorld({ seed: 42 });
  store = openProgrammeStore(':memory:');
  sql = sqliteSql(store);
  await fill(store);
  server = createAutomationServer({
    queue: new DurableQueue(store.db),
    metrics: new ServiceMetrics(),
    webhookSecret: 'secret',
    surveyToken: TOKEN,
    parseSurveyBody: () => ({ ok: true, events: [] }),
    toleranceSeconds: 300,
    api: createProgrammeApi({ store: new ProgrammeStore(sql), token: TOKEN }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  store.close();
});

const call = (path: string, init: RequestInit & { token?: string | null } = {}) =>
  fetch(`${base}${path}`, {
    ...init,
    headers: {
      origin: ORIGIN,
      ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? TOKEN}` }),
      ...(init.headers as Record<string, string> | undefined),
    },
  });

describe('the programme API on boucle serve', () => {
  it('documents exactly the paths it serves', () => {
    expect(Object.keys(openapi.paths).sort()).toEqual(
      [
        '/api/v1/experiment',
        '/api/v1/funnel',
        '/api/v1/openapi.yaml',
        '/api/v1/programme',
        '/api/v1/signals',
        // the console's routes, tested in console-api.pg.test.ts
        '/api/v1/callbacks',
        '/api/v1/callbacks/{ticket}/done',
        '/api/v1/signal-states',
        '/api/v1/tickets',
        '/api/v1/signals/{id}/ack',
        // the policy's routes, tested in policy/policy-routes.emulator.test.ts
        '/api/v1/policy',
        '/api/v1/policy/versions',
        '/api/v1/policy/versions/{n}',
        '/api/v1/policy/sync',
        '/api/v1/policy/preview',
      ].sort(),
    );
    // the validators are strict enough to fail
    expect(validator('/api/v1/programme', 200)({ from: 'x', rows: [] })).toBe(false);
    expect(validator('/api/v1/signals', 400)({ error: 'teapot', message: 'm' })).toBe(false);
  });

  it('GET /api/v1/programme: the figures by cut, as documented, with CORS for the console', async () => {
    const response = await call('/api/v1/programme?by=region,product&bucket=month');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as {
      from: string;
      to: string;
      rows: { cut: { region: string; product: string }; bucket: string; figures: { csat: { n: number } } }[];
    };
    expectValid('/api/v1/programme', 200, body);
    expect(body.from).toBe('2025-11-01T00:00:00.000Z');
    expect(body.to).toBe('2026-11-01T00:00:00.000Z');
    const belgiumOctober = body.rows.filter((r) => r.cut.region === 'Belgium' && r.bucket === '2026-10');
    const countries = new Map(world.accounts.map((a) => [a.id, a.country]));
    expect(belgiumOctober.reduce((n, r) => n + r.figures.csat.n, 0)).toBe(
      world.answers.filter(
        (a) =>
          a.kind === 'csat' &&
          countries.get(a.accountId) === 'Belgium' &&
          new Date(a.respondedAt).toISOString().startsWith('2026-10'),
      ).length,
    );
  });

  it('GET /api/v1/signals: the planted signals, through the connector’s SQL and the engine', async () => {
    const response = await call('/api/v1/signals');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      signs: { kind: string; value: string; phrase: string | null; since: string }[];
    };
    expectValid('/api/v1/signals', 200, body);
    expect(body.signs.map((s) => [s.kind, s.value, s.phrase, s.since]).sort()).toEqual(
      [
        ['csat_falling', 'Belgium', null, '2026-08'],
        ['complaints_rising', 'mobile', null, '2026-08'],
        ['emerging_keyword', 'fr', 'application plante', '2026-08'],
      ].sort(),
    );
  });

  it('answers a repeated query from its cache, and sees new data at once', async () => {
    const total = async () =>
      ((await (await call('/api/v1/programme?by=tier')).json()) as { total: { answers: number } }).total
        .answers;
    const first = await total();
    expect(await total()).toBe(first);
    await new ProgrammeStore(sql).putAnswers([
      {
        id: 'late-answer',
        respondedAt: Date.parse('2026-10-30T10:00:00Z'),
        kind: 'nps',
        scale: '0-10',
        score: 10,
        comment: null,
        channel: null,
        touchpoint: null,
        ticketId: null,
        interactionId: null,
        userId: null,
        email: null,
        source: 'survey_api',
      },
    ]);
    expect(await total()).toBe(first + 1);
  });

  it('GET /api/v1/funnel: the ledger’s decisions through the loop, as documented', async () => {
    const ledger = new InterventionLedger(sqliteSql(store));
    const contact = world.contacts[0]!;
    const entry = await ledger.record({
      decisionKey: 'api-funnel',
      ticketId: 1,
      userId: contact.zendeskUserId,
      action: 'callback',
      priority: 'high',
      tier: 'gold',
      expectedValue: 10,
      cost: 1,
      summary: '',
      decidedAt: new Date('2026-06-01T09:00:00Z'),
      dueAt: new Date('2026-06-02T09:00:00Z'),
    });
    await ledger.markApplied(entry.id, null);
    const response = await call('/api/v1/funnel?by=region&retention_days=60');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      retentionDays: number;
      rows: { cut: { region: string }; steps: { count: number }[] }[];
    };
    expectValid('/api/v1/funnel', 200, body);
    expect(body.retentionDays).toBe(60);
    expect(body.rows.map((row) => row.cut.region)).toEqual([
      world.accounts.find((a) => a.id === contact.accountId)!.country,
    ]);
    expect(body.rows[0]!.steps.map((step) => step.count)).toEqual([1, 1, 1, 0, 0, 0]);
    const bad = await call('/api/v1/funnel?retention_days=never');
    expect(bad.status).toBe(400);
    expectValid('/api/v1/funnel', 400, await bad.json());
  });

  it('answers a bad query with 400 and what to fix', async () => {
    for (const [path, field] of [
      ['/api/v1/programme?by=colour', 'by'],
      ['/api/v1/programme?from=yesterday', 'from'],
      ['/api/v1/programme?colour=red', 'colour'],
      ['/api/v1/signals?recent_months=0', 'recent_months'],
      ['/api/v1/signals?as_of=soon', 'as_of'],
    ] as const) {
      const response = await call(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const body = (await response.json()) as { error: string; issues: { path: string }[] };
      expectValid(path.split('?')[0]!, 400, body);
      expect(body.error).toBe('invalid_query');
      expect(body.issues.map((issue) => issue.path)).toContain(field);
    }
  });

  it('refuses a missing or wrong token with 401, readable by the page', async () => {
    for (const token of [null, 'wrong-token']) {
      const response = await call('/api/v1/programme', { token });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="boucle-api"');
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expectValid('/api/v1/programme', 401, await response.json());
    }
  });

  it('answers the preflight of an allowed origin, refuses another, and ignores CORS without Origin', async () => {
    const preflight = await call('/api/v1/signals', {
      method: 'OPTIONS',
      token: null,
      headers: { 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    const other = await call('/api/v1/signals', {
      method: 'OPTIONS',
      token: null,
      headers: { origin: 'https://evil.example' },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const noOrigin = await fetch(`${base}/api/v1/programme?by=tier`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(noOrigin.status).toBe(200);
    expect(noOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says 404, 405 and serves its own OpenAPI document', async () => {
    const missing = await call('/api/v2/programme');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('not_found');
    const post = await call('/api/v1/programme', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const doc = await call('/api/v1/openapi.yaml', { token: null });
    expect(doc.status).toBe(200);
    expect(await doc.text()).toBe(readFileSync(OPENAPI_FILE, 'utf8'));
    // the rest of the service is untouched
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
