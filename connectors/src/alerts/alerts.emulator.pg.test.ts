import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalScan, WarningSign } from '../../../shared/src/index.ts';
import {
  SALESFORCE_SANDBOX_CREDENTIALS,
  startSalesforce,
  type SalesforceEmulator,
} from '../../../sandbox/salesforce/index.ts';
import {
  ZENDESK_SANDBOX_CREDENTIALS,
  startZendeskEmulator,
  type ZendeskEmulator,
} from '../../../sandbox/zendesk/index.ts';
import { captureIo } from '../cli/capture-io.ts';
import { runCli } from '../cli/main.ts';
import { PROGRAMME_SCHEMAS, ProgrammeStore, openProgrammeSql } from '../programme/programme-store.ts';
import { SalesforceClient } from '../salesforce/client.ts';
import type { Sql } from '../store/sql.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { ZendeskClient } from '../zendesk/client.ts';
import { alertPorts } from './alert-ports.ts';
import type { AlertSettings } from './alerts-config.ts';
import { ALERTS_SCHEMA } from './alerts-schema.ts';
import { detractorAlerts, signAlerts } from './compose-alerts.ts';
import { alertExternalId, sendAlerts } from './send-alerts.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');
let sf: SalesforceEmulator;
let zd: ZendeskEmulator;
let zendesk: ZendeskClient;
let salesforce: SalesforceClient;
let sql: Sql;
let closeDatabase: () => Promise<void>;
/** BOUCLE_DATABASE_URL of the PostgreSQL run (the CLI is given it). */
let databaseUrl: string | undefined;
let dir: string;
let accounts: { Id: string; Name: string; Owner: { Email: string } }[];
let agentId: number;
let groups: number[];

const sign: WarningSign = {
  kind: 'csat_falling',
  dimension: 'region',
  value: 'Belgium',
  phrase: null,
  related: [],
  metric: 'csat',
  baseline: { successes: 80, n: 100, rate: 0.8, interval: { low: 0.71, high: 0.87 } },
  recent: { successes: 30, n: 60, rate: 0.5, interval: { low: 0.38, high: 0.62 } },
  change: -0.3,
  pValue: 0.0001,
  also: null,
  qValue: 0.0004,
  since: '2026-08',
  answers: 160,
  tickets: ['101', '102'],
  ticketCount: 2,
};
const scan: SignalScan = {
  baseline: { fromMs: 0, toMs: 1 },
  recent: { fromMs: 1, toMs: 2 },
  tested: 10,
  tooSmall: 0,
  keywordsTested: 0,
  signs: [sign],
};

const settings = (maxPerOwnerPerDay: number): AlertSettings => ({
  groups: new Map([
    ['region:Belgium', groups[0]!],
    ['default', groups[1]!],
  ]),
  maxPerOwnerPerDay,
  detractorMinRevenue: 25_000,
  detractorDays: 7,
  ticketLinkBase: 'https://acme.zendesk.com',
});

const answer = (id: string, userId: number, at: number, score: number) => ({
  id,
  respondedAt: at,
  kind: 'nps' as const,
  scale: '0-10',
  score,
  comment: 'Personne ne rappelle.',
  channel: 'email',
  touchpoint: 'relationship',
  ticketId: null,
  interactionId: null,
  userId,
  email: null,
  source: 'survey_api',
});

describe.each(['sqlite', 'postgres'] as const)('on %s', (database) => {
  beforeAll(async () => {
    sf = await startSalesforce({
      seed: 5,
      dataset: { accounts: 3, contactsPerAccount: 1, opportunitiesPerAccount: 0, ordersPerAccount: 0 },
    });
    zd = await startZendeskEmulator({ seed: 7, counts: { users: 2, organizations: 1, tickets: 0 } });
    zendesk = new ZendeskClient({
      baseUrl: zd.url,
      auth: {
        kind: 'apiToken',
        email: ZENDESK_SANDBOX_CREDENTIALS.email,
        token: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
      },
      requestsPerMinute: 100_000,
    });
    salesforce = new SalesforceClient({
      settings: {
        loginUrl: sf.url,
        instanceUrl: undefined,
        apiVersion: '62.0',
        auth: {
          kind: 'client_credentials',
          clientId: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
          clientSecret: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
        },
        minRemainingRequests: { kind: 'percent', value: 1 },
        requestTimeoutMs: 10_000,
        bulkPollIntervalMs: 5,
      },
    });
    await salesforce.connect();
    accounts = (await salesforce.query(
      'SELECT Id, Name, Owner.Email FROM Account ORDER BY Id',
    )) as unknown as typeof accounts;
    // The first account's owner is a Zendesk agent; the second's is not (its alert goes to its region's group).
    agentId = (
      await zendesk.createOrUpdateUser({ name: 'Owner', email: accounts[0]!.Owner.Email, role: 'agent' })
    ).id;
    groups = (await zendesk.request<{ groups: { id: number }[] }>('GET', '/api/v2/groups.json')).groups.map(
      (g) => g.id,
    );

    dir = mkdtempSync(join(tmpdir(), 'boucle-alerts-'));
    databaseUrl = database === 'postgres' ? await freshPostgresDatabase() : undefined;
    const opened = await openProgrammeSql({ path: join(dir, 'boucle.sqlite'), databaseUrl }, [
      ...PROGRAMME_SCHEMAS,
      ALERTS_SCHEMA,
    ]);
    sql = opened.sql;
    closeDatabase = () => opened.close();
    for (const [i, a] of accounts.entries()) {
      await sql.run('INSERT INTO sync_account (id, name, region, modstamp) VALUES (?, ?, ?, 1)', [
        a.Id,
        a.Name,
        i === 1 ? 'Belgium' : 'France',
      ]);
      await sql.run('INSERT INTO sync_contact (id, account_id, name, modstamp) VALUES (?, ?, ?, 1)', [
        `C${i}`,
        a.Id,
        `Contact ${i}`,
      ]);
      // The third account is below the high-value threshold.
      await sql.run('INSERT INTO sync_profile (account_id, profile, computed_at) VALUES (?, ?, 0)', [
        a.Id,
        JSON.stringify({ revenue12m: i === 2 ? 1_000 : 120_000, tier: i === 2 ? 'bronze' : 'gold' }),
      ]);
    }
    const store = new ProgrammeStore(sql);
    await store.putUsers(
      accounts.map((_, i) => ({ id: 500 + i, externalId: `C${i}`, email: null, locale: 'fr' })),
    );
    await store.putAnswers([
      answer('a0', 500, NOW - DAY, 2),
      answer('a1', 501, NOW - 2 * DAY, 4),
      answer('a2', 502, NOW - DAY, 0),
      answer('old', 500, NOW - 30 * DAY, 1),
      answer('promoter', 501, NOW - DAY, 10),
    ]);
  }, 60_000);

  afterAll(async () => {
    await closeDatabase();
    await zd.close();
    await sf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (max: number, now = NOW) =>
    sendAlerts(
      sql,
      [...signAlerts(scan, 'https://acme.zendesk.com'), ...(await detractorAlerts(sql, settings(max), now))],
      alertPorts(zendesk, salesforce),
      settings(max),
      now,
    );

  describe('alerts to the right person (Salesforce and Zendesk emulators)', { timeout: 30_000 }, () => {
    it('opens one ticket per alert for its owner, says why, links the tickets, and rate-limits per owner and day', async () => {
      const outcomes = await send(1);
      const byKey = new Map(outcomes.map((o) => [o.key, o]));
      expect(outcomes).toHaveLength(3); // the sign and two high-value detractors; the small account is left out
      expect(byKey.get(`detractor:${accounts[0]!.Id}`)).toMatchObject({
        status: 'opened',
        owner: `agent:${agentId}`,
      });
      // The sign and the Belgian detractor both belong to the Belgium group: one today, the other rate-limited.
      expect(byKey.get('sign:csat_falling:region:Belgium:')).toMatchObject({
        status: 'opened',
        owner: `group:${groups[0]}`,
      });
      expect(byKey.get(`detractor:${accounts[1]!.Id}`)).toEqual({
        key: `detractor:${accounts[1]!.Id}`,
        status: 'rate_limited',
        owner: `group:${groups[0]}`,
      });

      const owned = await zendesk.getTicket(
        (byKey.get(`detractor:${accounts[0]!.Id}`) as { ticketId: number }).ticketId,
      );
      expect(owned).toMatchObject({
        assignee_id: agentId,
        external_id: alertExternalId(`detractor:${accounts[0]!.Id}`),
      });
      expect(owned.tags).toEqual(expect.arrayContaining(['boucle_alert', 'boucle_alert_detractor']));
      const [note] = await collect(zendesk.listComments(owned.id));
      expect(note!.public).toBe(false);
      expect(note!.body).toContain(
        `Why you: You own this account in Salesforce (${accounts[0]!.Owner.Email}).`,
      );
      expect(note!.body).toContain('- NPS 2 on 2026-11-19');
      expect(note!.body).not.toContain('NPS 1 on'); // 30 days old: outside the 7 days

      const signTicket = await zendesk.getTicket(
        (byKey.get('sign:csat_falling:region:Belgium:') as { ticketId: number }).ticketId,
      );
      expect(signTicket.group_id).toBe(groups[0]);
      const [signNote] = await collect(zendesk.listComments(signTicket.id));
      expect(signNote!.body).toContain('CSAT falling — region = Belgium');
      expect(signNote!.body).toContain('- https://acme.zendesk.com/agent/tickets/101');
      expect(signNote!.body).toContain('Your group is configured for region:Belgium (BOUCLE_ALERT_GROUPS).');
    });

    it('never duplicates: the same alerts again send nothing; the next day the waiting one goes out', async () => {
      const before = (await collect(zendesk.paginate('/api/v2/tickets.json', 'tickets'))).length;
      const again = await send(1);
      expect(again.map((o) => o.status).sort()).toEqual(['rate_limited', 'unchanged', 'unchanged']);
      const nextDay = await send(1, NOW + DAY);
      const belgian = nextDay.find((o) => o.key === `detractor:${accounts[1]!.Id}`)!;
      expect(belgian).toMatchObject({ status: 'opened', owner: `group:${groups[0]}` });
      const after = (await collect(zendesk.paginate('/api/v2/tickets.json', 'tickets'))).length;
      expect(after).toBe(before + 1);
    });

    it('updates the ticket of an alert with something new, on its ticket', async () => {
      await new ProgrammeStore(sql).putAnswers([answer('a0-bis', 500, NOW + DAY, 0)]);
      const outcomes = await send(5, NOW + 2 * DAY);
      const first = outcomes.find((o) => o.key === `detractor:${accounts[0]!.Id}`) as {
        status: string;
        ticketId: number;
      };
      expect(first.status).toBe('updated');
      const notes = await collect(zendesk.listComments(first.ticketId));
      expect(notes).toHaveLength(2);
      expect(notes[1]!.body).toMatch(/^Update — Boucle: high-value customer .* is a detractor \(NPS 0\)/);
      expect(notes[1]!.body).toContain('- NPS 0 on 2026-11-21');
    });

    it('runs from `boucle report signals --alert` with the real clients, and opens nothing twice', async () => {
      const before = (await collect(zendesk.paginate('/api/v2/tickets.json', 'tickets'))).length;
      const { io, stdout, stderr } = captureIo({
        cwd: dir,
        env: {
          BOUCLE_DB_PATH: join(dir, 'boucle.sqlite'),
          ...(databaseUrl === undefined ? {} : { BOUCLE_DATABASE_URL: databaseUrl }),
          ZENDESK_URL: zd.url,
          ZENDESK_EMAIL: ZENDESK_SANDBOX_CREDENTIALS.email,
          ZENDESK_API_TOKEN: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
          ZENDESK_REQUESTS_PER_MINUTE: '100000',
          SALESFORCE_LOGIN_URL: sf.url,
          SALESFORCE_AUTH: 'client_credentials',
          SALESFORCE_CLIENT_ID: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
          SALESFORCE_CLIENT_SECRET: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
          SALESFORCE_MIN_REMAINING_REQUESTS: '1%',
          BOUCLE_ALERT_GROUPS: `region:Belgium=${groups[0]},default=${groups[1]}`,
          BOUCLE_ALERT_DETRACTOR_DAYS: '365',
        },
      });
      const code = await runCli(['report', 'signals', '--alert', '--env-file', join(dir, 'none.env')], io);
      expect(stderr()).toBe('');
      expect(code).toBe(0);
      expect(stdout()).toMatch(/Alerts: 0 opened, \d+ updated, \d+ unchanged, 0 rate-limited/);
      expect(stdout()).toContain(`detractor:${accounts[1]!.Id}: unchanged → group:${groups[0]}`);
      const after = (await collect(zendesk.paginate('/api/v2/tickets.json', 'tickets'))).length;
      expect(after).toBe(before);

      const bad = captureIo({
        cwd: dir,
        env: {
          BOUCLE_DB_PATH: join(dir, 'boucle.sqlite'),
          ...(databaseUrl === undefined ? {} : { BOUCLE_DATABASE_URL: databaseUrl }),
          BOUCLE_ALERT_GROUPS: 'Belgium',
        },
      });
      expect(
        await runCli(['report', 'signals', '--alert', '--env-file', join(dir, 'none.env')], bad.io),
      ).toBe(2);
      expect(bad.stderr()).toContain('BOUCLE_ALERT_GROUPS');
    });
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
