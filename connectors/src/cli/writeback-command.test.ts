/** `boucle sync --writeback` (dry run, real run, exit codes) and `boucle report writeback` through runCli. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SALESFORCE_SANDBOX_CREDENTIALS,
  startSalesforce,
  type SalesforceEmulator,
} from '../../../sandbox/salesforce/index.ts';
import { defaultWritebackSettings } from '../config/writeback.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { openStore } from '../store/index.ts';
import { sqliteSql } from '../store/sql.ts';
import { Writeback } from '../writeback/engine.ts';
import { WRITEBACK_SCHEMA } from '../writeback/schema.ts';
import { captureIo } from './capture-io.ts';
import { runCli } from './main.ts';

let sf: SalesforceEmulator;
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  sf = await startSalesforce({
    seed: 4,
    dataset: { accounts: 5, contactsPerAccount: 2, opportunitiesPerAccount: 1, ordersPerAccount: 1 },
  });
  dir = mkdtempSync(join(tmpdir(), 'boucle-wb-cli-'));
  env = {
    BOUCLE_DB_PATH: join(dir, 'boucle.sqlite'),
    SALESFORCE_LOGIN_URL: sf.url,
    SALESFORCE_AUTH: 'client_credentials',
    SALESFORCE_CLIENT_ID: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
    SALESFORCE_CLIENT_SECRET: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
    SALESFORCE_MIN_REMAINING_REQUESTS: '1%',
    ZENDESK_URL: 'https://acme.zendesk.example',
    WRITEBACK_ENABLED: 'true',
  };
  const store = openStore(env.BOUCLE_DB_PATH!, [AUTOMATION_SCHEMA, WRITEBACK_SCHEMA]);
  const email = sf.store.table('Contact').records[0]!.Email as string;
  await new Writeback(
    sqliteSql(store),
    defaultWritebackSettings({ ticketUrl: 'https://acme.zendesk.example/agent/tickets/{id}' }),
  ).captureFeedback(
    {
      response: {
        id: 'survey:1',
        kind: 'nps',
        scale: '0-10',
        score: 1,
        respondedAt: '2026-11-30T10:00:00.000Z',
      },
      source: 'survey',
      email,
      ticketId: 77,
    },
    new Date(),
  );
  store.close();
});

afterEach(async () => {
  await sf.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = async (args: string[], extra: Record<string, string> = {}) => {
  const c = captureIo({ cwd: dir, env: { ...env, ...extra } });
  const code = await runCli(args, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
};

describe('boucle sync --writeback', () => {
  it('a dry run prints each record it would write and writes none; the real run writes; the report lists them', async () => {
    const dry = await cli(['sync', '--writeback', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const plans = dry.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { event: string; object?: string; values?: Record<string, unknown> })
      .filter((l) => l.event === 'writeback.plan');
    expect(plans.map((p) => p.object)).toEqual(['Boucle_Feedback__c', 'Account']);
    expect(plans[0]!.values).toMatchObject({
      Score__c: 1,
      Category__c: 'detractor',
      Zendesk_Ticket_URL__c: 'https://acme.zendesk.example/agent/tickets/77',
    });
    expect(sf.store.table('Boucle_Feedback__c').records).toHaveLength(0);

    const real = await cli(['sync', '--writeback']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/"event":"writeback.done".*"written":2/);
    expect(sf.store.table('Boucle_Feedback__c').records).toHaveLength(1);

    const report = await cli(['report', 'writeback']);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/Boucle_Feedback__c\s+1 written\s+0 pending\s+0 dead/);
    expect(report.stdout).toMatch(/NPS 1 \(detractor\)/);
    expect(report.stdout).toMatch(/last NPS 1, 0 open/);
    const json = await cli(['report', 'writeback', '--json']);
    expect((JSON.parse(json.stdout) as { totals: Record<string, unknown> }).totals).toEqual({
      Account: { written: 1, pending: 0, dead: 0 },
      Boucle_Feedback__c: { written: 1, pending: 0, dead: 0 },
    });
  });

  it('an unknown customer becomes a dead letter in the report; --retry-dead sends it once the Contact exists', async () => {
    const store = openStore(env.BOUCLE_DB_PATH!, [AUTOMATION_SCHEMA, WRITEBACK_SCHEMA]);
    await new Writeback(sqliteSql(store), defaultWritebackSettings()).captureFeedback(
      {
        response: {
          id: 'survey:2',
          kind: 'nps',
          scale: '0-10',
          score: 0,
          respondedAt: '2026-11-30T11:00:00.000Z',
        },
        source: 'survey',
        email: 'new.customer@example.org',
        ticketId: null,
      },
      new Date(),
    );
    store.close();
    expect((await cli(['sync', '--writeback'], { WRITEBACK_MAX_ATTEMPTS: '1' })).code).toBe(0);
    const report = await cli(['report', 'writeback']);
    expect(report.stdout).toMatch(/survey:2: no Salesforce Contact has the email new.customer@example.org/);
    expect(report.stdout).toMatch(/Boucle_Feedback__c\s+1 written\s+0 pending\s+1 dead/);

    const account = sf.store.table('Account').records[0]!.Id as string;
    sf.create('Contact', { LastName: 'Customer', Email: 'new.customer@example.org', AccountId: account });
    const retried = await cli(['sync', '--writeback', '--retry-dead']);
    expect(retried.stdout).toMatch(/"event":"writeback.retry_dead".*"records":1/);
    expect(
      sf.store
        .table('Boucle_Feedback__c')
        .records.map((r) => r.Boucle_External_Id__c)
        .sort(),
    ).toEqual(['survey:1', 'survey:2']);
  });

  it('exit 4 when Salesforce answers REQUEST_LIMIT_EXCEEDED (paused), exit 2 on a bad key or with write-back off', async () => {
    sf.injectFault({ kind: 'limitExceeded', path: '/composite/sobjects' });
    const paused = await cli(['sync', '--writeback']);
    expect(paused.code).toBe(4);
    expect(paused.stdout).toMatch(/"outcome":"paused"/);

    const bad = await cli(['sync', '--writeback'], { WRITEBACK_BATCH_SIZE: '900' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/WRITEBACK_BATCH_SIZE/);

    const off = await cli(['sync', '--writeback'], { WRITEBACK_ENABLED: 'false' });
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/WRITEBACK_ENABLED/);
  });
});
