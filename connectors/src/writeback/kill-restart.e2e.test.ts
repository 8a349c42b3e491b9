/**
 * `boucle sync --writeback` SIGKILLed in the middle of a batch, then restarted: Salesforce ends with every
 * record exactly once, as an uninterrupted run leaves it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SALESFORCE_SANDBOX_CREDENTIALS,
  startSalesforce,
  type SalesforceEmulator,
} from '../../../sandbox/salesforce/index.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import { openStore } from '../store/index.ts';
import { sqliteSql } from '../store/sql.ts';
import { WritebackOutbox } from './outbox.ts';
import { interventionExternalId } from './records.ts';
import { WRITEBACK_SCHEMA } from './schema.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const DECISIONS = 600;

async function setUp(): Promise<{ sf: SalesforceEmulator; env: Record<string, string>; dbPath: string }> {
  const sf = await startSalesforce({
    seed: 21,
    dataset: { accounts: 40, contactsPerAccount: 2, opportunitiesPerAccount: 1, ordersPerAccount: 1 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'boucle-writeback-'));
  cleanups.push(async () => {
    await sf.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const dbPath = join(dir, 'boucle.sqlite');
  const store = openStore(dbPath, [AUTOMATION_SCHEMA, WRITEBACK_SCHEMA]);
  const sql = sqliteSql(store);
  const ledger = new InterventionLedger(sql);
  const outbox = new WritebackOutbox(sql);
  const contacts = sf.store.table('Contact').records;
  const now = new Date();
  const facts: Parameters<WritebackOutbox['saveDecisionFacts']>[0][] = [];
  await sql.transaction(async () => {
    for (let i = 0; i < DECISIONS; i++) {
      const entry = await ledger.record({
        decisionKey: `evt-${i}#${1000 + i}`,
        ticketId: 1000 + i,
        userId: 5000 + i,
        action: i % 3 === 0 ? 'callback' : 'apology',
        priority: 'high',
        tier: 'silver',
        expectedValue: 100 + i,
        cost: 10,
        summary: `decision ${i}`,
        decidedAt: now,
        dueAt: null,
      });
      await ledger.markApplied(entry.id, null);
      const contact = contacts[i % contacts.length]!;
      facts.push({
        decisionKey: entry.decisionKey,
        email: contact.Email as string,
        ccer: 1.2,
        valueAtRisk: 1000 + i,
        overridden: false,
      });
    }
  });
  for (const f of facts) await outbox.saveDecisionFacts(f, now);
  store.close();
  const env = {
    BOUCLE_DB_PATH: dbPath,
    SALESFORCE_LOGIN_URL: sf.url,
    SALESFORCE_AUTH: 'client_credentials',
    SALESFORCE_CLIENT_ID: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
    SALESFORCE_CLIENT_SECRET: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
    SALESFORCE_MIN_REMAINING_REQUESTS: '1%',
    WRITEBACK_ENABLED: 'true',
    WRITEBACK_BATCH_SIZE: '50',
    WRITEBACK_KINDS: 'intervention,rollup',
  };
  return { sf, env, dbPath };
}

function startWriteback(env: Record<string, string>): {
  child: ChildProcess;
  exit: Promise<number | null>;
  output: () => string;
} {
  let output = '';
  const child = spawn(process.execPath, [join(root, 'bin/boucle.mjs'), 'sync', '--writeback'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, output: () => output };
}

/** Boucle_Intervention__c records by external id: [count, Account__c, Expected_Value__c]. */
function interventions(sf: SalesforceEmulator): Map<string, { n: number; account: unknown; value: unknown }> {
  const out = new Map<string, { n: number; account: unknown; value: unknown }>();
  for (const r of sf.store.table('Boucle_Intervention__c').records) {
    if (r.IsDeleted === true) continue;
    const key = r.Boucle_External_Id__c as string;
    const seen = out.get(key);
    out.set(key, { n: (seen?.n ?? 0) + 1, account: r.Account__c, value: r.Expected_Value__c });
  }
  return out;
}

describe('boucle sync --writeback killed with SIGKILL', () => {
  it('after a restart, every record is in Salesforce once, as after an uninterrupted run', async () => {
    const reference = await setUp();
    const crashed = await setUp();

    const uninterrupted = startWriteback(reference.env);
    expect(await uninterrupted.exit, uninterrupted.output()).toBe(0);

    // Every upsert answers slowly, so the kill lands while a batch is in flight.
    crashed.sf.injectFault({ kind: 'delay', path: '/composite/sobjects', delayMs: 150, times: 1000 });
    const first = startWriteback(crashed.env);
    for (;;) {
      const sent = crashed.sf.requests().filter((r) => r.endpoint === 'collections.upsert').length;
      if (sent >= 4) break;
      if (first.child.exitCode !== null) throw new Error(`finished before the kill:\n${first.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.child.kill('SIGKILL');
    expect(await first.exit).toBeNull();
    const partial = interventions(crashed.sf).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(DECISIONS);

    crashed.sf.clearFaults();
    const second = startWriteback(crashed.env);
    expect(await second.exit, second.output()).toBe(0);

    const expected = interventions(reference.sf);
    const actual = interventions(crashed.sf);
    expect(expected.size).toBe(DECISIONS);
    expect(actual.size).toBe(DECISIONS);
    for (const [key, value] of actual) expect(value.n, key).toBe(1);
    // Same records on the same accounts (both emulators hold the same seeded data).
    expect(new Map([...actual].map(([k, v]) => [k, [v.account, v.value]]))).toEqual(
      new Map([...expected].map(([k, v]) => [k, [v.account, v.value]])),
    );
    expect(actual.has(interventionExternalId(`evt-0#1000`))).toBe(true);

    const store = openStore(crashed.dbPath, [AUTOMATION_SCHEMA, WRITEBACK_SCHEMA]);
    try {
      expect(await new WritebackOutbox(sqliteSql(store)).countPending()).toBe(0);
    } finally {
      store.close();
    }
  }, 120_000);
});
