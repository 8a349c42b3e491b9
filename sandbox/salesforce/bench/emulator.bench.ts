/**
 * Salesforce emulator at sync-benchmark volumes: generation time and heap, then medians of the calls the
 * sync makes (keyset page, aggregate over 200 accounts, updated/, a Bulk 2.0 CSV page), over real HTTP.
 *   npx node sandbox/salesforce/bench/emulator.bench.ts [accounts=100000] [perAccount=10]
 */
import { startSalesforce } from '../index.ts';

const accounts = Number(process.argv[2] ?? 100_000);
const perAccount = Number(process.argv[3] ?? 10);
const VERSION = '62.0';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time and median CPU time (this process: server and client) of `runs` calls. */
async function timeIt(runs: number, fn: () => Promise<unknown>): Promise<string> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return `median ${median(wall).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU`;
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const emu = await startSalesforce({
  seed: 1,
  dataset: {
    accounts,
    contactsPerAccount: perAccount,
    opportunitiesPerAccount: perAccount,
    ordersPerAccount: perAccount,
  },
  apiAllocation: 10_000_000,
});
const genMs = performance.now() - t0;
const genCpu = process.cpuUsage(cpu0);
global.gc?.();
const heapMb = process.memoryUsage().heapUsed / 1e6;
const counts = Object.fromEntries([...emu.store.tables].map(([n, t]) => [n, t.records.length]));
console.log(`records: ${JSON.stringify(counts)}`);
console.log(
  `generate+index: ${(genMs / 1000).toFixed(1)} s wall, ${((genCpu.user + genCpu.system) / 1e6).toFixed(1)} s CPU, heap ${heapMb.toFixed(0)} MB`,
);

const token = emu.issueAccessToken();
const headers = { Authorization: `Bearer ${token}` };
const get = async (path: string): Promise<Response> => {
  const res = await fetch(`${emu.url}/services/data/v${VERSION}${path}`, { headers });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
};
const q = (soql: string): Promise<Response> => get(`/query?q=${encodeURIComponent(soql)}`);

// keyset paging from the middle of the modstamp range
const mid = (await (
  await q('SELECT SystemModstamp FROM Opportunity ORDER BY SystemModstamp LIMIT 1 OFFSET 2000')
).json()) as {
  records: { SystemModstamp: string }[];
};
const stamp = mid.records[0]!.SystemModstamp;
const keyset = await timeIt(9, async () =>
  (
    await q(
      `SELECT Id, AccountId, StageName, Amount, SystemModstamp FROM Opportunity WHERE SystemModstamp > ${stamp} OR (SystemModstamp = ${stamp} AND Id > '006000000000000AAA') ORDER BY SystemModstamp, Id LIMIT 2000`,
    )
  ).json(),
);
console.log(`keyset page (2,000 opportunities, ORDER BY SystemModstamp, Id): ${keyset}`);

const ids = (
  (await (await q('SELECT Id FROM Account LIMIT 200')).json()) as { records: { Id: string }[] }
).records
  .map((r) => `'${r.Id}'`)
  .join(',');
const agg = await timeIt(9, async () =>
  (
    await q(
      `SELECT AccountId, SUM(Amount) ltv, COUNT(Id) n, MAX(CloseDate) lastWon FROM Opportunity WHERE IsWon = true AND AccountId IN (${ids}) GROUP BY AccountId`,
    )
  ).json(),
);
console.log(`aggregate over 200 accounts (GROUP BY AccountId): ${agg}`);

const scan = await timeIt(5, async () =>
  (await q("SELECT COUNT() FROM Contact WHERE MailingCountry = 'France'")).json(),
);
console.log(`full scan COUNT() over contacts: ${scan}`);

emu.advanceClock(120_000);
const accountRecords = emu.store.table('Account').records;
for (let i = 0; i < 1000; i += 1) {
  const rec = accountRecords[(i * 7) % accountRecords.length]!;
  emu.update('Account', rec.Id as string, { AnnualRevenue: 1000 + i });
}
emu.advanceClock(120_000);
const end = new Date(emu.clock.now()).toISOString();
const start = new Date(emu.clock.now() - 3_600_000).toISOString();
const upd = await timeIt(9, async () =>
  (
    await get(`/sobjects/Account/updated/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`)
  ).json(),
);
console.log(`updated/ after 1,000 account writes: ${upd}`);

const job = (await (
  await fetch(`${emu.url}/services/data/v${VERSION}/jobs/query`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      operation: 'query',
      query: 'SELECT Id, AccountId, Email, Account.Name FROM Contact',
    }),
  })
).json()) as { id: string };
const t1 = performance.now();
let state = '';
while (state !== 'JobComplete')
  state = ((await (await get(`/jobs/query/${job.id}`)).json()) as { state: string }).state;
const snapshotMs = performance.now() - t1;
const page = await timeIt(5, async () =>
  (await get(`/jobs/query/${job.id}/results?maxRecords=50000`)).text(),
);
console.log(
  `bulk 2.0 job snapshot of all contacts: ${snapshotMs.toFixed(0)} ms; CSV page of 50,000 rows: ${page}`,
);
await emu.close();
