import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DurableQueue } from '../queue/durable-queue.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { createAutomationServer } from '../serve/create-automation-server.ts';
import { ServiceMetrics } from '../serve/service-metrics.ts';
import { openStore, type Store } from '../store/index.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { postgresSql, sqliteSql, type Sql } from '../store/sql.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { ALERTS_SCHEMA } from '../alerts/alerts-schema.ts';
import { sendAlerts, type Alert, type AlertPorts } from '../alerts/send-alerts.ts';
import { signAlertTickets, ticketsBehind } from './console-api.ts';
import { CONSOLE_SCHEMA } from './console-schema.ts';
import { OPENAPI_FILE, createProgrammeApi } from './programme-api.ts';
import { PROGRAMME_SCHEMAS, ProgrammeStore, openProgrammeSql } from './programme-store.ts';

const TOKEN = 'connector-token-for-console-tests-0123';
const ORIGIN = 'https://acme.apps.zdusercontent.com';
const NOW = Date.parse('2026-11-20T10:00:00.000Z');
const HOUR = 3_600_000;
let queueStore: Store;
let sql: Sql;
let closeDatabase: () => Promise<void>;
let server: ReturnType<typeof createAutomationServer>;
let base: string;

const openapi = parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content: unknown }> };
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const defs = JSON.parse(
  JSON.stringify(openapi.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'),
) as Record<string, unknown>;
function expectValid(path: string, method: 'get' | 'post', status: number, body: unknown): void {
  let response = openapi.paths[path]![method]!.responses[String(status)] as {
    $ref?: string;
    content?: unknown;
  };
  if (response.$ref !== undefined) response = openapi.components.responses[response.$ref.split('/').at(-1)!]!;
  const content = response.content as Record<string, { schema: unknown }>;
  const schema = JSON.parse(
    JSON.stringify(content['application/json']!.schema).replaceAll('#/components/schemas/', '#/$defs/'),
  ) as object;
  const validate = ajv.compile({ ...schema, $defs: defs });
  expect(validate(body), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
}

describe.each(['sqlite', 'postgres'] as const)('on %s', (database) => {
  beforeAll(async () => {
    const opened = await openProgrammeSql(
      database === 'sqlite' ? { path: ':memory:' } : { path: '', databaseUrl: await freshPostgresDatabase() },
      [...PROGRAMME_SCHEMAS, CONSOLE_SCHEMA, ALERTS_SCHEMA],
    );
    sql = opened.sql;
    closeDatabase = () => opened.close();
    // The webhook queue is not under test here: an in-memory SQLite one.
    queueStore = openStore(':memory:', [QUEUE_SCHEMA]);
    // Ledger entries as the loop records them (InterventionLedger.record: status "recommended").
    const entry = (ticketId: number, action: string, value: number, minutes: number, dueInHours: number) =>
      sql.run(
        `INSERT INTO automation_interventions (decision_key, ticket_id, user_id, action, priority, tier, expected_value,
         cost, agent_minutes, summary, status, decided_at, due_at)
       VALUES (?, ?, ?, ?, 'high', 'gold', ?, 10, ?, ?, 'recommended', ?, ?)`,
        [
          `t${ticketId}`,
          ticketId,
          ticketId + 1000,
          action,
          value,
          minutes,
          `ticket ${ticketId}`,
          NOW - 2 * HOUR,
          NOW + dueInHours * HOUR,
        ],
      );
    await entry(101, 'callback', 300, 15, 4); // 20 €/min
    await entry(102, 'callback', 100, 20, -1); // 5 €/min, overdue
    await entry(103, 'compensation', 400, 10, 8); // 40 €/min
    await entry(104, 'callback', 900, 60, 12); // 15 €/min, does not fit in 60 minutes after the others
    await entry(105, 'apology', 50, 5, 2); // not a callback
    await entry(106, 'callback', 5_000, 5, 50); // due in two days: not today's, however valuable
    await entry(107, 'compensation', 700, 5, 30); // due tomorrow: not today's
    server = createAutomationServer({
      queue: new DurableQueue(queueStore.db),
      metrics: new ServiceMetrics(),
      webhookSecret: 'secret',
      surveyToken: TOKEN,
      parseSurveyBody: () => ({ ok: true, events: [] }),
      toleranceSeconds: 300,
      api: createProgrammeApi({
        store: new ProgrammeStore(sql),
        token: TOKEN,
        clock: () => NOW,
        console: { sql, capacityMinutes: 60 },
      }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    queueStore.close();
    await closeDatabase();
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

  interface Queue {
    queue: { ticketId: number; rank: number; overdue: boolean; scheduled: boolean }[];
    outsideCapacity: { ticketId: number; outsideCapacity: { minutesNeeded: number; minutesLeft: number } }[];
    usedMinutes: number;
    until: string;
    later: { count: number; nextDueAt: string | null; expectedValue: number };
  }

  describe("the console's routes", () => {
    it('GET /api/v1/callbacks: ranked by € per agent-minute within capacity, overdue first, the rest outside', async () => {
      const response = await call('/api/v1/callbacks');
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const body = (await response.json()) as Queue;
      expectValid('/api/v1/callbacks', 'get', 200, body);
      // plan: 103 (40/min, 10) → 101 (20/min, 15) → 104 (15/min, 60: does not fit) → 102 (5/min, 20) = 45 min used
      expect(body.queue.map((i) => [i.ticketId, i.rank, i.overdue])).toEqual([
        [102, 4, true],
        [103, 1, false],
        [101, 2, false],
      ]);
      expect(body.usedMinutes).toBe(45);
      expect(body.outsideCapacity.map((i) => [i.ticketId, i.outsideCapacity])).toEqual([
        [104, { minutesNeeded: 60, minutesLeft: 15, reason: 'capacity' }],
      ]);
      // Today is the connector's UTC day by default: 106 and 107 are counted apart, not planned.
      expect(body.until).toBe('2026-11-21T00:00:00.000Z');
      expect(body.later).toEqual({ count: 2, nextDueAt: '2026-11-21T16:00:00.000Z', expectedValue: 5_700 });
    });

    it("GET /api/v1/callbacks?until=: the agent's day decides what is today's; a bad until says what to send", async () => {
      // A Paris agent's day ends at 23:00 UTC; at 22:00 UTC (23:00 in Paris, 104's deadline) it is tomorrow's.
      const paris = (await (
        await call('/api/v1/callbacks?until=2026-11-20T23:00:00%2B01:00')
      ).json()) as Queue;
      expectValid('/api/v1/callbacks', 'get', 200, paris);
      expect(paris.until).toBe('2026-11-20T22:00:00.000Z');
      expect(paris.queue.map((i) => i.ticketId)).toEqual([102, 103, 101]);
      expect(paris.outsideCapacity).toEqual([]);
      expect(paris.later).toEqual({ count: 3, nextDueAt: '2026-11-20T22:00:00.000Z', expectedValue: 6_600 });
      // Three days ahead: everything open is planned, 106 (1,000 €/min) first among those on time.
      const wide = (await (await call('/api/v1/callbacks?until=2026-11-23T00:00:00Z')).json()) as Queue;
      expect(wide.queue.map((i) => i.ticketId)).toEqual([102, 106, 107, 103, 101]);
      expect(wide.later.count).toBe(0);
      expect(wide.later.nextDueAt).toBeNull();
      const bad = await call('/api/v1/callbacks?until=tomorrow');
      expect(bad.status).toBe(400);
      const problem = (await bad.json()) as { message: string };
      expectValid('/api/v1/callbacks', 'get', 400, problem);
      expect(problem.message).toMatch(/until takes the end of the agent's day as an ISO date-time/);
    });

    it('POST /api/v1/callbacks/{ticket}/done: leaves the queue, counts as contacted in the ledger, once', async () => {
      const done = await call('/api/v1/callbacks/101/done', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by: 'Camille Martin' }),
      });
      expect(done.status).toBe(200);
      const body = (await done.json()) as { by: string; inTime: boolean };
      expectValid('/api/v1/callbacks/{ticket}/done', 'post', 200, body);
      expect(body).toMatchObject({ by: 'Camille Martin', inTime: true });
      const queue = (await (await call('/api/v1/callbacks')).json()) as Queue;
      expect(queue.queue.map((i) => i.ticketId)).toEqual([102, 103]);
      // 104 now fits: 103 (10) + 104 (60) > 60? 70 > 60, still outside; 102 still scheduled
      expect(
        await sql.get(
          'SELECT first_contact_at, outcome, status FROM automation_interventions WHERE ticket_id = 101',
        ),
      ).toEqual({ first_contact_at: NOW, outcome: 'contacted', status: 'contacted' });
      const again = await call('/api/v1/callbacks/101/done', { method: 'POST' });
      expect(again.status).toBe(404);
      expectValid('/api/v1/callbacks/{ticket}/done', 'post', 404, await again.json());
      expect((await call('/api/v1/callbacks/105/done', { method: 'POST' })).status).toBe(404);
    });

    it('acknowledges and snoozes a warning sign, and lists the states', async () => {
      const ack = await call('/api/v1/signals/csat-falling.region.belgium/ack', {
        method: 'POST',
        body: JSON.stringify({ action: 'acknowledge', by: 'Lead' }),
      });
      expect(ack.status).toBe(200);
      expectValid('/api/v1/signals/{id}/ack', 'post', 200, await ack.json());
      const snooze = await call('/api/v1/signals/complaints-rising.product.mobile/ack', {
        method: 'POST',
        body: JSON.stringify({ action: 'snooze', days: 3 }),
      });
      expect(((await snooze.json()) as { until: string }).until).toBe(
        new Date(NOW + 3 * 24 * HOUR).toISOString(),
      );
      const states = (await (await call('/api/v1/signal-states')).json()) as {
        states: { id: string; state: string }[];
      };
      expectValid('/api/v1/signal-states', 'get', 200, states);
      expect(states.states.map((s) => [s.id, s.state])).toEqual([
        ['complaints-rising.product.mobile', 'snoozed'],
        ['csat-falling.region.belgium', 'acknowledged'],
      ]);
    });

    it('says who was alerted of each sign: the alert ticket sent for it, its owner (agent or group)', async () => {
      const none = (await (await call('/api/v1/signal-states')).json()) as { alerts: unknown[] };
      expect(none.alerts).toEqual([]);
      // What `boucle report signals --alert` records, through the alerts feature's own sending code.
      const created: { groupId: number | null; assigneeId: number | null }[] = [];
      const ports: AlertPorts = {
        ownerEmails: () => Promise.resolve(new Map([['001A', 'owner@acme.test']])),
        findAgent: (email) => Promise.resolve(email === 'owner@acme.test' ? 7001 : null),
        findTicketByExternalId: () => Promise.resolve(null),
        createTicket: (ticket) => {
          created.push({ groupId: ticket.groupId, assigneeId: ticket.assigneeId });
          return Promise.resolve(900 + created.length);
        },
        addNote: () => Promise.resolve(),
      };
      const alert = (key: string, routes: string[], accountId: string | null = null): Alert => ({
        key,
        kind: key.startsWith('sign:') ? 'sign' : 'detractor',
        subject: key,
        body: key,
        fingerprint: 'f1',
        accountId,
        routes,
        tags: [],
      });
      await sendAlerts(
        sql,
        [
          alert('sign:csat_falling:region:Belgium:', ['region:Belgium']),
          alert('sign:emerging_keyword:language:fr:application plante', ['language:fr']),
          alert('detractor:001A', [], '001A'),
        ],
        ports,
        {
          groups: new Map([
            ['region:Belgium', 360001],
            ['default', 360002],
          ]),
          maxPerOwnerPerDay: 10,
          detractorMinRevenue: 0,
          detractorDays: 30,
          ticketLinkBase: undefined,
        },
        NOW,
      );
      const body = (await (await call('/api/v1/signal-states')).json()) as { alerts: unknown[] };
      expectValid('/api/v1/signal-states', 'get', 200, body);
      // Keyed like the console's signs (shared signalId); the detractor's alert is not a sign's.
      expect(body.alerts).toEqual([
        {
          signalId: 'csat-falling.region.belgium',
          ticketId: 901,
          owner: { kind: 'group', id: 360001 },
          openedAt: new Date(NOW).toISOString(),
          updatedAt: new Date(NOW).toISOString(),
        },
        {
          signalId: 'emerging-keyword.language.fr.application-plante',
          ticketId: 902,
          owner: { kind: 'group', id: 360002 },
          openedAt: new Date(NOW).toISOString(),
          updatedAt: new Date(NOW).toISOString(),
        },
      ]);
      // A database where alerts never ran has no alerts table: nobody was alerted, nothing fails.
      if (database === 'sqlite') {
        const bare = openStore(':memory:', []);
        expect(await signAlertTickets(sqliteSql(bare))).toEqual([]);
        bare.close();
      } else {
        const bare = await openPostgresStore(await freshPostgresDatabase(), []);
        expect(await signAlertTickets(postgresSql(bare))).toEqual([]);
        await bare.close();
      }
    });

    it('says what to fix: bad id, bad body, wrong method, no token; preflight allows POST', async () => {
      const badId = await call('/api/v1/signals/nope/ack', { method: 'POST' });
      expect(badId.status).toBe(400);
      expectValid('/api/v1/signals/{id}/ack', 'post', 400, await badId.json());
      const badDays = await call('/api/v1/signals/csat-falling.all.all/ack', {
        method: 'POST',
        body: JSON.stringify({ action: 'snooze', days: 400 }),
      });
      expect(((await badDays.json()) as { message: string }).message).toMatch(/days takes a whole number/);
      expect(
        (await call('/api/v1/signals/csat-falling.all.all/ack', { method: 'POST', body: '{' })).status,
      ).toBe(400);
      const get = await call('/api/v1/callbacks/101/done');
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST, OPTIONS');
      const anonymous = await call('/api/v1/callbacks', { token: null });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const preflight = await call('/api/v1/callbacks/102/done', { method: 'OPTIONS', token: null });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    });
  });

  describe('ticketsBehind (the drill-down)', () => {
    const answer = (
      id: string,
      kind: string,
      scale: string,
      score: number,
      region: string,
      ticketId: string,
      at: number,
    ) =>
      ({
        id,
        at,
        kind,
        scale,
        score,
        ticketId,
        interactionId: null,
        comment: null,
        cuts: { region },
      }) as never;
    const facts = {
      answers: [
        answer('a1', 'csat', '1-5', 2, 'Belgium', '11', 1),
        answer('a2', 'csat', '1-5', 5, 'Belgium', '12', 2),
        answer('a3', 'csat', '1-5', 1, 'France', '13', 3),
        answer('a4', 'nps', '0-10', 3, 'Belgium', '14', 4),
        answer('a5', 'csat', '1-5', 3, 'Belgium', '15', 5),
      ],
      tickets: [
        { id: '21', at: 1, incident: true, cuts: { region: 'Belgium' } },
        { id: '22', at: 2, incident: false, cuts: { region: 'Belgium' } },
      ],
    } as never;
    it('lists the unsatisfied CSAT answers of the cut, newest first', () => {
      expect(ticketsBehind(facts, { dimension: 'region', value: 'Belgium', metric: 'csat' })).toEqual({
        tickets: ['15', '11'],
        count: 2,
      });
    });
    it('the detractors, the complaints, the whole programme', () => {
      expect(ticketsBehind(facts, { dimension: 'region', value: 'Belgium', metric: 'nps' }).tickets).toEqual([
        '14',
      ]);
      expect(
        ticketsBehind(facts, { dimension: 'region', value: 'Belgium', metric: 'complaints' }).tickets,
      ).toEqual(['21']);
      expect(ticketsBehind(facts, { dimension: 'all', value: '', metric: 'csat' }).count).toBe(3);
    });
    it('answers through the API, and says which metrics exist', async () => {
      const ok = await call('/api/v1/tickets?dimension=region&value=Belgium&metric=csat');
      expect(ok.status).toBe(200);
      expectValid('/api/v1/tickets', 'get', 200, await ok.json());
      const bad = await call('/api/v1/tickets?metric=mood');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(
        /metric takes csat, nps, ces, complaints/,
      );
    });
  });
});
