/**
 * The write-back with the real jsforce against the Salesforce emulator, which serves the custom objects of
 * force-app/ (the same XML a real org gets deployed).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SALESFORCE_SANDBOX_CREDENTIALS,
  startSalesforce,
  type SalesforceEmulator,
} from '../../../sandbox/salesforce/index.ts';
import { loadConfig } from '../config/config.ts';
import { salesforceSection, type SalesforceSettings } from '../config/salesforce.ts';
import { defaultWritebackSettings, type WritebackSettings } from '../config/writeback.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { InterventionLedger, type NewLedgerEntry } from '../loop/intervention-ledger.ts';
import { SalesforceClient } from '../salesforce/client.ts';
import { openStore, type Store } from '../store/index.ts';
import { sqliteSql } from '../store/sql.ts';
import { Writeback, WritebackConfigError, type FlushOptions } from './engine.ts';
import { interventionExternalId, taskExternalId } from './records.ts';
import { WRITEBACK_SCHEMA } from './schema.ts';

const T0 = Date.parse('2026-11-20T09:00:00Z');
const DAY = 86_400_000;
const TICKETS = 'https://acme.zendesk.example/agent/tickets/{id}';

let sf: SalesforceEmulator;
let sfSettings: SalesforceSettings;
let store: Store;
let ledger: InterventionLedger;
let now: number;

interface Customer {
  readonly contactId: string;
  readonly accountId: string;
  readonly email: string;
  readonly ownerId: string;
}

function customer(index: number): Customer {
  const contact = sf.store.table('Contact').records[index]!;
  const account = sf.store.get(contact.AccountId as string)!;
  return {
    contactId: contact.Id as string,
    accountId: account.Id as string,
    email: contact.Email as string,
    ownerId: account.OwnerId as string,
  };
}

function client(): SalesforceClient {
  return new SalesforceClient({ settings: sfSettings, backoffMs: 1, sleep: () => Promise.resolve() });
}

function writeback(overrides: Partial<WritebackSettings> = {}): Writeback {
  return new Writeback(
    sqliteSql(store),
    defaultWritebackSettings({ ticketUrl: TICKETS, ...overrides }),
    ledger,
  );
}

const flushOptions = (extra: Partial<FlushOptions> = {}): FlushOptions => ({
  mode: 'collections',
  floor: { kind: 'count', value: 0 },
  now: () => new Date(now),
  ...extra,
});

async function soql<T>(query: string): Promise<T[]> {
  const c = client();
  await c.connect();
  return (await c.query(query)) as T[];
}

async function decide(
  key: string,
  ticketId: number,
  entry: Partial<NewLedgerEntry> & { action: string; tier: string },
): Promise<number> {
  const recorded = await ledger.record({
    decisionKey: key,
    ticketId,
    userId: 900 + ticketId,
    priority: 'high',
    expectedValue: 1200,
    cost: 80,
    summary: `Call back the customer of ticket ${ticketId}`,
    decidedAt: new Date(now),
    dueAt: entry.action === 'callback' ? new Date(now + DAY) : null,
    ...entry,
  });
  await ledger.markApplied(recorded.id, null);
  return recorded.id;
}

function nps(id: string, score: number, at: number, ticketId: number | null = null) {
  return {
    response: {
      id,
      kind: 'nps' as const,
      scale: '0-10' as const,
      score,
      respondedAt: new Date(at).toISOString(),
      comment: 'Three days without service.',
    },
    source: 'survey_csv',
    ticketId,
  };
}

beforeEach(async () => {
  now = T0;
  sf = await startSalesforce({
    seed: 11,
    clock: { start: T0, frozen: true },
    dataset: { accounts: 12, contactsPerAccount: 2, opportunitiesPerAccount: 1, ordersPerAccount: 1 },
    bulkPollsUntilComplete: 1,
  });
  sfSettings = loadConfig(
    { salesforce: salesforceSection },
    {
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_AUTH: 'client_credentials',
      SALESFORCE_CLIENT_ID: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
      SALESFORCE_CLIENT_SECRET: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
      SALESFORCE_BULK_POLL_INTERVAL: '10ms',
    },
  ).salesforce;
  store = openStore(':memory:', [AUTOMATION_SCHEMA, WRITEBACK_SCHEMA]);
  ledger = new InterventionLedger(sqliteSql(store));
});

afterEach(async () => {
  store.close();
  await sf.close();
});

describe('write-back to Salesforce', () => {
  it('a detractor answer becomes a Boucle_Feedback__c on the right Account and Contact, with the Account roll-up', async () => {
    const c = customer(3);
    const wb = writeback();
    expect(
      await wb.captureFeedback(
        { ...nps('survey:42', 3, T0 - 3600_000, 4101), email: c.email.toUpperCase() },
        new Date(now),
      ),
    ).toBe(true);
    sf.resetRequestLog();
    const result = await wb.flush(client(), flushOptions());
    expect(result).toMatchObject({ outcome: 'done', written: 2, created: 1, updated: 1, failed: 0 });
    // One Contact query (by email), one collection upsert per object.
    const counts = sf.callCounts();
    expect(counts['collections.upsert']).toBe(2);
    expect(counts.query).toBe(1);

    const rows = await soql<Record<string, unknown>>(
      'SELECT Account__c, Contact__c, Kind__c, Score__c, Category__c, Zendesk_Ticket_URL__c, Boucle_External_Id__c FROM Boucle_Feedback__c',
    );
    expect(rows).toEqual([
      {
        Account__c: c.accountId,
        Contact__c: c.contactId,
        Kind__c: 'nps',
        Score__c: 3,
        Category__c: 'detractor',
        Zendesk_Ticket_URL__c: 'https://acme.zendesk.example/agent/tickets/4101',
        Boucle_External_Id__c: 'survey:42',
      },
    ]);
    const account = sf.store.get(c.accountId)!;
    expect(account.Boucle_Last_NPS__c).toBe(3);
    expect(account.Boucle_Open_Incidents__c).toBe(0);
  });

  it('an applied callback becomes a Boucle_Intervention__c and a Task for the account owner when configured', async () => {
    const gold = customer(0);
    const silver = customer(5);
    const wb = writeback({ taskTiers: new Set(['gold']) });
    await decide('evt-1', 501, { action: 'callback', tier: 'gold' });
    await decide('evt-2', 502, { action: 'callback', tier: 'silver' });
    await wb.captureDecision(
      { decisionKey: 'evt-1', email: gold.email, ccer: 2.5, valueAtRisk: 18000, overridden: false },
      new Date(now),
    );
    await wb.captureDecision(
      { decisionKey: 'evt-2', email: silver.email, ccer: 1.1, valueAtRisk: 900, overridden: false },
      new Date(now),
    );
    const result = await wb.flush(client(), flushOptions());
    expect(result).toMatchObject({
      outcome: 'done',
      failed: 0,
      byObject: { Boucle_Intervention__c: 2, Task: 1, Account: 2 },
    });

    const interventions = await soql<Record<string, unknown>>(
      `SELECT Account__c, Contact__c, Action__c, Status__c, CCER__c, Expected_Value__c, Cost__c, Value_At_Risk__c, SLA_Met__c, Zendesk_Ticket_Id__c
       FROM Boucle_Intervention__c WHERE Boucle_External_Id__c = '${interventionExternalId('evt-1')}'`,
    );
    expect(interventions).toEqual([
      {
        Account__c: gold.accountId,
        Contact__c: gold.contactId,
        Action__c: 'callback',
        Status__c: 'applied',
        CCER__c: 2.5,
        Expected_Value__c: 1200,
        Cost__c: 80,
        Value_At_Risk__c: 18000,
        SLA_Met__c: false,
        Zendesk_Ticket_Id__c: '501',
      },
    ]);
    const tasks = await soql<Record<string, unknown>>(
      'SELECT WhatId, WhoId, OwnerId, Status, Priority, ActivityDate, Boucle_External_Id__c FROM Task',
    );
    expect(tasks).toEqual([
      {
        WhatId: gold.accountId,
        WhoId: gold.contactId,
        OwnerId: gold.ownerId,
        Status: 'Not Started',
        Priority: 'High',
        ActivityDate: '2026-11-21',
        Boucle_External_Id__c: taskExternalId('evt-1'),
      },
    ]);
    expect(gold.ownerId).not.toBe(sf.store.table('User').records[0]!.Id); // an account manager, not the integration user

    // The callback is made in time: the intervention records it and the Task is completed.
    const id = (await ledger.byKey('evt-1'))!.id;
    now += 3 * 3600_000;
    await ledger.recordOutcome(id, 'contacted', new Date(now));
    const second = await wb.flush(client(), flushOptions());
    expect(second.byObject).toEqual({ Boucle_Intervention__c: 1, Task: 1 });
    const after = await soql<{ SLA_Met__c: boolean; Status__c: string }>(
      `SELECT SLA_Met__c, Status__c FROM Boucle_Intervention__c WHERE Boucle_External_Id__c = '${interventionExternalId('evt-1')}'`,
    );
    expect(after).toEqual([{ SLA_Met__c: true, Status__c: 'contacted' }]);
    expect((await soql<{ Status: string }>('SELECT Status FROM Task'))[0]!.Status).toBe('Completed');
  });

  it('no Task when the task kind is off', async () => {
    const c = customer(0);
    const wb = writeback({ kinds: new Set(['feedback', 'intervention', 'rollup'] as const) });
    await decide('evt-1', 501, { action: 'callback', tier: 'platinum' });
    await wb.captureDecision(
      { decisionKey: 'evt-1', email: c.email, ccer: 2, valueAtRisk: 5000, overridden: false },
      new Date(now),
    );
    const result = await wb.flush(client(), flushOptions());
    expect(result.byObject).toEqual({ Boucle_Intervention__c: 1, Account: 1 });
    expect(await soql('SELECT Id FROM Task')).toEqual([]);
  });

  it("the Account's roll-ups are right after a series of events", async () => {
    const c = customer(2);
    const other = customer(4);
    const wb = writeback();
    const facts = async (key: string, valueAtRisk: number, email = c.email) =>
      wb.captureDecision(
        { decisionKey: key, email, ccer: 1.5, valueAtRisk, overridden: false },
        new Date(now),
      );
    // 14 months ago: a compensation that recovered the customer (outside the 12-month window).
    now = T0 - 420 * DAY;
    const old = await decide('old', 301, { action: 'compensation', tier: 'gold' });
    await facts('old', 7000);
    await ledger.recordOutcome(old, 'compensated', new Date(now));
    await ledger.recordOutcome(old, 'recovered', new Date(now + DAY));
    // 2 months ago: another one, recovered.
    now = T0 - 60 * DAY;
    const recent = await decide('recent', 302, { action: 'compensation', tier: 'gold' });
    await facts('recent', 5000);
    await ledger.recordOutcome(recent, 'compensated', new Date(now));
    await ledger.recordOutcome(recent, 'recovered', new Date(now + DAY));
    await wb.captureFeedback({ ...nps('a-1', 9, now), email: c.email }, new Date(now));
    // Now: a detractor and two open callbacks, one of them on another account; and a "none" decision.
    now = T0;
    await wb.captureFeedback({ ...nps('a-2', 4, now - 1000), email: c.email }, new Date(now));
    await decide('open-1', 303, { action: 'callback', tier: 'gold' });
    await facts('open-1', 10000);
    await decide('open-2', 304, { action: 'callback', tier: 'gold' });
    await facts('open-2', 2500, other.email);
    await decide('nothing', 305, { action: 'none', tier: 'gold' });
    await facts('nothing', 400);

    expect((await wb.flush(client(), flushOptions())).failed).toBe(0);
    const rollup = (id: string) => {
      const a = sf.store.get(id)!;
      return {
        nps: a.Boucle_Last_NPS__c,
        open: a.Boucle_Open_Incidents__c,
        atRisk: a.Boucle_Value_At_Risk__c,
        recovered: a.Boucle_Recovered_12m__c,
      };
    };
    expect(rollup(c.accountId)).toEqual({ nps: 4, open: 1, atRisk: 10000, recovered: 5000 });
    expect(rollup(other.accountId)).toEqual({ nps: null, open: 1, atRisk: 2500, recovered: 0 });

    // The open callback is made and the customer recovered: nothing at risk, 15,000 € recovered.
    now += DAY;
    const open = (await ledger.byKey('open-1'))!.id;
    await ledger.recordOutcome(open, 'resolved', new Date(now));
    await ledger.recordOutcome(open, 'recovered', new Date(now));
    await wb.flush(client(), flushOptions());
    expect(rollup(c.accountId)).toEqual({ nps: 4, open: 0, atRisk: 0, recovered: 15000 });
  });

  it('a replay writes nothing new', async () => {
    const c = customer(1);
    const wb = writeback();
    const answer = { ...nps('survey:7', 2, T0), email: c.email };
    await wb.captureFeedback(answer, new Date(now));
    await decide('evt-9', 777, { action: 'callback', tier: 'platinum' });
    await wb.captureDecision(
      { decisionKey: 'evt-9', email: c.email, ccer: 3, valueAtRisk: 40000, overridden: false },
      new Date(now),
    );
    const first = await wb.flush(client(), flushOptions());
    expect(first.written).toBe(4); // feedback, intervention, task, account
    const before = sf.callCounts()['collections.upsert'];

    // The same events again (a redelivered webhook, a re-imported survey file).
    expect(await wb.captureFeedback(answer, new Date(now + 1000))).toBe(false);
    await decide('evt-9', 777, { action: 'callback', tier: 'platinum' });
    await wb.captureDecision(
      { decisionKey: 'evt-9', email: c.email, ccer: 3, valueAtRisk: 40000, overridden: false },
      new Date(now),
    );
    now += 60_000;
    const replay = await wb.flush(client(), flushOptions());
    expect(replay).toMatchObject({ outcome: 'done', written: 0, pending: 0 });
    expect(sf.callCounts()['collections.upsert']).toBe(before);
    expect(await soql('SELECT Id FROM Boucle_Feedback__c')).toHaveLength(1);
    expect(await soql('SELECT Id FROM Boucle_Intervention__c')).toHaveLength(1);
    expect(await soql('SELECT Id FROM Task')).toHaveLength(1);
  });

  it('REQUEST_LIMIT_EXCEEDED pauses the write-back, keeps every record, and it resumes after the pause', async () => {
    const c = customer(6);
    const wb = writeback();
    await wb.captureFeedback({ ...nps('survey:limit', 1, T0), email: c.email }, new Date(now));
    sf.injectFault({ kind: 'limitExceeded', path: '/composite/sobjects', times: 1 });
    const first = await wb.flush(client(), flushOptions());
    expect(first.outcome).toBe('paused');
    expect(first.pausedUntil).toBe(new Date(T0 + 3_600_000).toISOString());
    expect(first.pending).toBe(2); // the answer and the roll-up wait
    expect(await soql('SELECT Id FROM Boucle_Feedback__c')).toEqual([]);

    // During the pause nothing is sent, not even a token request.
    now += 10 * 60_000;
    sf.resetRequestLog();
    const during = await wb.flush(client(), flushOptions());
    expect(during).toMatchObject({ outcome: 'paused', calls: 0 });
    expect(sf.requests()).toEqual([]);

    now = T0 + 3_600_000 + 1;
    const after = await wb.flush(client(), flushOptions());
    expect(after).toMatchObject({ outcome: 'done', written: 2, pending: 0 });
    expect(await soql('SELECT Id FROM Boucle_Feedback__c')).toHaveLength(1);
  });

  it('stops at the daily API budget floor the sync respects, and goes on later', async () => {
    const c = customer(6);
    const wb = writeback();
    await wb.captureFeedback({ ...nps('survey:budget', 1, T0), email: c.email }, new Date(now));
    sf.setApiUsage(99_990); // of 100,000
    const stopped = await wb.flush(client(), flushOptions({ floor: { kind: 'count', value: 20 } }));
    expect(stopped).toMatchObject({ outcome: 'budget', written: 0, pending: 1 }); // roll-ups come next run
    sf.setApiUsage(0);
    expect((await wb.flush(client(), flushOptions({ floor: { kind: 'count', value: 20 } }))).written).toBe(2);
  });

  it('an answer from an unknown email is retried, then becomes a dead letter', async () => {
    const wb = writeback({ maxAttempts: 2, retryBaseMs: 60_000 });
    await wb.captureFeedback(
      { ...nps('survey:ghost', 0, T0), email: 'nobody@nowhere.example' },
      new Date(now),
    );
    const first = await wb.flush(client(), flushOptions());
    expect(first).toMatchObject({ outcome: 'done', written: 0, pending: 1 });
    expect(await wb.outbox.deadLetters()).toEqual([]);
    now += 61_000;
    await wb.flush(client(), flushOptions());
    const dead = await wb.outbox.deadLetters();
    expect(dead.map((d) => [d.externalId, d.lastError])).toEqual([
      ['survey:ghost', 'no Salesforce Contact has the email nobody@nowhere.example'],
    ]);
    expect(await wb.outbox.retryDeadLetters()).toBe(1);
  });

  it('a dry run plans the writes and sends none; the next run sends them', async () => {
    const c = customer(7);
    const wb = writeback({ omitFields: new Set(['Boucle_Feedback__c.Comment__c']) });
    await wb.captureFeedback({ ...nps('survey:dry', 9, T0), email: c.email }, new Date(now));
    const dry = await wb.flush(client(), flushOptions({ dryRun: true }));
    expect(dry.written).toBe(0);
    expect(dry.planned?.map((p) => p.object)).toEqual(['Boucle_Feedback__c', 'Account']);
    const planned = dry.planned![0]!.values;
    expect(planned).toMatchObject({ Account__c: c.accountId, Score__c: 9, Category__c: 'promoter' });
    expect(planned).not.toHaveProperty('Comment__c');
    expect(sf.callCounts()['collections.upsert']).toBeUndefined();
    expect((await wb.flush(client(), flushOptions())).written).toBe(2);
    expect(
      (await soql<{ Comment__c: string | null }>('SELECT Comment__c FROM Boucle_Feedback__c'))[0]!.Comment__c,
    ).toBeNull();
  });

  it('a decision recorded before write-back was on finds its customer through Zendesk users (backfill)', async () => {
    const c = customer(8);
    const wb = writeback();
    await decide('before', 880, { action: 'apology', tier: 'silver' }); // no captured facts: no email
    const asked: number[][] = [];
    const result = await wb.flush(
      client(),
      flushOptions({
        emailsOfUsers: (ids) => {
          asked.push([...ids]);
          return Promise.resolve(new Map([[900 + 880, c.email]]));
        },
      }),
    );
    expect(asked).toEqual([[1780]]);
    expect(result).toMatchObject({ failed: 0, byObject: { Boucle_Intervention__c: 1, Account: 1 } });
    expect(sf.store.table('Boucle_Intervention__c').records[0]).toMatchObject({
      Account__c: c.accountId,
      Contact__c: c.contactId,
      Value_At_Risk__c: null,
    });
  });

  it('names the key to fix when the org lacks an object or a field', async () => {
    const wb = writeback({ feedbackObject: 'Survey_Answer__c' });
    await wb.captureFeedback({ ...nps('survey:x', 8, T0), email: customer(0).email }, new Date(now));
    await expect(wb.flush(client(), flushOptions())).rejects.toThrow(WritebackConfigError);
    await expect(wb.flush(client(), flushOptions())).rejects.toThrow(/WRITEBACK_FEEDBACK_OBJECT/);
  });

  it('a backfill goes through Bulk API 2.0 ingest jobs, one per object, and is idempotent', async () => {
    const wb = writeback({ bulkJobSize: 10_000 });
    const accounts = new Set<string>();
    for (let i = 0; i < 250; i++) {
      const c = customer(i % 20);
      accounts.add(c.accountId);
      await decide(`hist-${i}`, 10_000 + i, { action: i % 2 === 0 ? 'callback' : 'apology', tier: 'bronze' });
      await wb.captureDecision(
        { decisionKey: `hist-${i}`, email: c.email, ccer: 1, valueAtRisk: 100 + i, overridden: false },
        new Date(now),
      );
    }
    const result = await wb.flush(client(), flushOptions({ mode: 'bulk' }));
    expect(result).toMatchObject({
      outcome: 'done',
      written: 250 + accounts.size,
      created: 250,
      failed: 0,
      batches: 2,
    });
    const counts = sf.callCounts();
    expect(counts['bulk2.ingest.create']).toBe(2);
    expect(counts['collections.upsert']).toBeUndefined();
    expect(await soql('SELECT Id FROM Boucle_Intervention__c')).toHaveLength(250);
    const again = await wb.flush(client(), flushOptions({ mode: 'bulk' }));
    expect(again.written).toBe(0);
    expect(sf.callCounts()['bulk2.ingest.create']).toBe(2);
  }, 30_000);
});
