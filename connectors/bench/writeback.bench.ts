// npm run bench:writeback [-- --events 1000 --runs 3 --backfill 10000]
// Salesforce write-back against the Salesforce emulator (in this process, over loopback HTTP, with the real
// jsforce): records/s and Salesforce API calls per 1,000 events, against the minimum possible, for
// (a) the live flow in one flush, (b) the live flow in 10 flushes (as boucle serve sends every 30 s),
// (c) a Bulk API 2.0 backfill. An event is one survey answer or one applied decision.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  SALESFORCE_SANDBOX_CREDENTIALS,
  startSalesforce,
  type SalesforceEmulator,
} from '../../sandbox/salesforce/index.ts';
import { loadConfig } from '../src/config/config.ts';
import { salesforceSection } from '../src/config/salesforce.ts';
import { defaultWritebackSettings } from '../src/config/writeback.ts';
import { AUTOMATION_SCHEMA } from '../src/loop/automation-schema.ts';
import { InterventionLedger } from '../src/loop/intervention-ledger.ts';
import { SalesforceClient } from '../src/salesforce/client.ts';
import { openStore, type Store } from '../src/store/index.ts';
import { sqliteSql } from '../src/store/sql.ts';
import { Writeback, type FlushResult } from '../src/writeback/engine.ts';
import { WRITEBACK_SCHEMA } from '../src/writeback/schema.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    events: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    backfill: { type: 'string', default: '10000' },
  },
});
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const BACKFILL = Number(values.backfill);

interface Scenario {
  readonly sf: SalesforceEmulator;
  readonly store: Store;
  readonly writeback: Writeback;
  readonly client: SalesforceClient;
  /** Add `n` events (half answers, half decisions; one decision in five a callback for a gold customer). */
  add(n: number): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;
async function scenario(): Promise<Scenario> {
  const sf = await startSalesforce({
    seed: 9,
    dataset: { accounts: 300, contactsPerAccount: 3, opportunitiesPerAccount: 1, ordersPerAccount: 1 },
    bulkPollsUntilComplete: 1,
    apiAllocation: 10_000_000,
  });
  const settings = loadConfig(
    { salesforce: salesforceSection },
    {
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_AUTH: 'client_credentials',
      SALESFORCE_CLIENT_ID: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
      SALESFORCE_CLIENT_SECRET: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
      SALESFORCE_BULK_POLL_INTERVAL: '50ms',
    },
  ).salesforce;
  const store = openStore(':memory:', [AUTOMATION_SCHEMA, WRITEBACK_SCHEMA]);
  const sql = sqliteSql(store);
  const ledger = new InterventionLedger(sql);
  const writeback = new Writeback(
    sql,
    defaultWritebackSettings({ ticketUrl: 'https://acme.zendesk.example/agent/tickets/{id}' }),
    ledger,
  );
  const contacts = sf.store.table('Contact').records;
  const now = new Date();
  return {
    sf,
    store,
    writeback,
    client: new SalesforceClient({ settings }),
    async add(n) {
      await sql.transaction(async () => {
        for (let i = 0; i < n; i++) {
          seq++;
          const contact = contacts[seq % contacts.length]!;
          const email = contact.Email as string;
          if (i % 2 === 0) {
            await writeback.captureFeedback(
              {
                response: {
                  id: `survey:${seq}`,
                  kind: 'nps',
                  scale: '0-10',
                  score: seq % 11,
                  respondedAt: new Date(now.getTime() - seq * 1000).toISOString(),
                },
                source: 'survey',
                email,
                ticketId: seq,
              },
              now,
            );
            continue;
          }
          const callback = seq % 5 === 1;
          const entry = await ledger.record({
            decisionKey: `evt-${seq}#${seq}`,
            ticketId: seq,
            userId: seq,
            action: callback ? 'callback' : 'apology',
            priority: 'high',
            tier: callback ? 'gold' : 'silver',
            expectedValue: 1000,
            cost: 50,
            summary: 'bench',
            decidedAt: now,
            dueAt: callback ? new Date(now.getTime() + 86_400_000) : null,
          });
          await ledger.markApplied(entry.id, null);
          await writeback.captureDecision(
            { decisionKey: entry.decisionKey, email, ccer: 1.4, valueAtRisk: 5000, overridden: false },
            now,
          );
        }
      });
    },
    async close() {
      store.close();
      await sf.close();
    },
  };
}

/** The fewest calls that can carry these records: one token, then ⌈records/200⌉ upserts per object per flush. */
function minimumCalls(result: FlushResult): number {
  return Object.values(result.byObject).reduce((sum, n) => sum + Math.ceil(n / 200), 0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const floor = { kind: 'count' as const, value: 0 };

async function live(flushes: number): Promise<{
  rate: number;
  calls: number;
  minimum: number;
  records: number;
  byEndpoint: Record<string, number>;
}> {
  const s = await scenario();
  try {
    let calls = 0;
    let records = 0;
    let seconds = 0;
    let minimum = 1; // the token
    s.sf.resetRequestLog();
    for (let f = 0; f < flushes; f++) {
      await s.add(EVENTS / flushes);
      const started = performance.now();
      const result = await s.writeback.flush(s.client, { mode: 'collections', floor });
      seconds += (performance.now() - started) / 1000;
      calls += result.calls;
      records += result.written;
      minimum += minimumCalls(result);
    }
    return { rate: records / seconds, calls, minimum, records, byEndpoint: s.sf.callCounts() };
  } finally {
    await s.close();
  }
}

async function backfill(): Promise<{ rate: number; calls: number; records: number; jobs: number }> {
  const s = await scenario();
  try {
    await s.add(BACKFILL);
    const started = performance.now();
    const result = await s.writeback.flush(s.client, { mode: 'bulk', floor });
    const seconds = (performance.now() - started) / 1000;
    return {
      rate: result.written / seconds,
      calls: result.calls,
      records: result.written,
      jobs: result.batches,
    };
  } finally {
    await s.close();
  }
}

console.log(
  `write-back bench: ${EVENTS} events, ${RUNS} runs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const flushes of [1, 10]) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) runs.push(await live(flushes));
  const per1000 = (n: number) => Math.round((n * 1000) / EVENTS);
  console.log(
    `live, ${flushes} flush(es): ${runs[0]!.records} records, median ${median(runs.map((r) => r.rate)).toFixed(0)} records/s, ` +
      `${per1000(median(runs.map((r) => r.calls)))} calls per 1,000 events (minimum ${per1000(runs[0]!.minimum)}); ` +
      `by endpoint ${JSON.stringify(runs[0]!.byEndpoint)}`,
  );
}
const bulkRuns = [];
for (let r = 0; r < RUNS; r++) bulkRuns.push(await backfill());
console.log(
  `backfill (Bulk API 2.0), ${BACKFILL} events: ${bulkRuns[0]!.records} records in ${bulkRuns[0]!.jobs} ingest jobs, ` +
    `median ${median(bulkRuns.map((r) => r.rate)).toFixed(0)} records/s, ${median(bulkRuns.map((r) => r.calls))} calls ` +
    `(${((median(bulkRuns.map((r) => r.calls)) * 1000) / BACKFILL).toFixed(1)} per 1,000 events)`,
);
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
