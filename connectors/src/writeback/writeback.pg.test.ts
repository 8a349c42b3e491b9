/** The write-back's outbox on both databases: the same answers and decisions give the same Salesforce records. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  SALESFORCE_SANDBOX_CREDENTIALS,
  startSalesforce,
  type SalesforceEmulator,
} from '../../../sandbox/salesforce/index.ts';
import { loadConfig } from '../config/config.ts';
import { salesforceSection } from '../config/salesforce.ts';
import { defaultWritebackSettings } from '../config/writeback.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import { SalesforceClient } from '../salesforce/client.ts';
import { openStore } from '../store/database.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { postgresSql, sqliteSql } from '../store/sql.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { Writeback } from './engine.ts';
import { WRITEBACK_SCHEMA } from './schema.ts';

const T0 = Date.parse('2026-11-20T09:00:00Z');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const results = new Map<string, unknown>();

describe.each(['sqlite', 'postgres'] as const)('write-back on %s', (database) => {
  it('an answer and an applied decision end in Salesforce once; a replay sends nothing; an unknown email is retried', async () => {
    const sf: SalesforceEmulator = await startSalesforce({
      seed: 11,
      clock: { start: T0, frozen: true },
      dataset: { accounts: 6, contactsPerAccount: 2, opportunitiesPerAccount: 1, ordersPerAccount: 1 },
    });
    cleanups.push(() => sf.close());
    const settings = loadConfig(
      { salesforce: salesforceSection },
      {
        SALESFORCE_LOGIN_URL: sf.url,
        SALESFORCE_AUTH: 'client_credentials',
        SALESFORCE_CLIENT_ID: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
        SALESFORCE_CLIENT_SECRET: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
      },
    ).salesforce;
    const sqlite = openStore(':memory:', [AUTOMATION_SCHEMA, WRITEBACK_SCHEMA]);
    cleanups.push(() => sqlite.close());
    let sql = sqliteSql(sqlite);
    if (database === 'postgres') {
      const pg = await openPostgresStore(await freshPostgresDatabase(), [
        AUTOMATION_SCHEMA,
        WRITEBACK_SCHEMA,
      ]);
      cleanups.push(() => pg.close());
      sql = postgresSql(pg);
    }
    // The ledger beside the outbox: on the same database.
    const ledger = new InterventionLedger(sql);
    const wb = new Writeback(
      sql,
      defaultWritebackSettings({ ticketUrl: 'https://z.example/t/{id}' }),
      ledger,
    );
    const contact = sf.store.table('Contact').records[3]!;
    const email = contact.Email as string;
    const answer = {
      response: {
        id: 'survey:1',
        kind: 'nps' as const,
        scale: '0-10' as const,
        score: 3,
        respondedAt: new Date(T0 - 3_600_000).toISOString(),
      },
      source: 'survey_csv',
      email: email.toUpperCase(),
      ticketId: 41,
    };
    expect(await wb.captureFeedback(answer, new Date(T0))).toBe(true);
    const entry = await ledger.record({
      decisionKey: 'evt-1#41',
      ticketId: 41,
      userId: 941,
      action: 'callback',
      priority: 'high',
      tier: 'gold',
      expectedValue: 1200,
      cost: 80,
      summary: 'Call back',
      decidedAt: new Date(T0),
      dueAt: null,
    });
    await ledger.markApplied(entry.id, null);
    await wb.captureDecision(
      { decisionKey: 'evt-1#41', email, ccer: 1.5, valueAtRisk: 5000, overridden: false },
      new Date(T0),
    );
    await wb.captureFeedback(
      { ...answer, response: { ...answer.response, id: 'survey:2' }, email: 'nobody@x.example' },
      new Date(T0),
    );
    const options = {
      mode: 'collections' as const,
      floor: { kind: 'count' as const, value: 0 },
      now: () => new Date(T0),
    };
    const client = new SalesforceClient({ settings, backoffMs: 1, sleep: () => Promise.resolve() });
    const first = await wb.flush(client, options);
    expect(first).toMatchObject({ outcome: 'done', failed: 0, pending: 1 });
    expect(first.byObject).toMatchObject({ Boucle_Feedback__c: 1, Boucle_Intervention__c: 1 });
    expect(await wb.captureFeedback(answer, new Date(T0 + 1000))).toBe(false);
    const replay = await wb.flush(client, options);
    expect(replay.written).toBe(0);
    const records = {
      feedback: sf.store
        .table('Boucle_Feedback__c')
        .records.map((r) => [r.Account__c, r.Contact__c, r.Score__c]),
      interventions: sf.store
        .table('Boucle_Intervention__c')
        .records.map((r) => [r.Account__c, r.Contact__c, r.Value_At_Risk__c]),
      rollup: sf.store.get(contact.AccountId as string)?.Boucle_Last_NPS__c ?? null,
    };
    expect(records.feedback).toEqual([[contact.AccountId, contact.Id, 3]]);
    expect(records.interventions).toHaveLength(1);
    results.set(database, records);
    if (database === 'postgres') expect(records).toEqual(results.get('sqlite'));
  });
});
