/**
 * Figures for the Zendesk emulator and client: `npx node sandbox/zendesk/bench/zendesk.bench.ts`.
 * Prints medians; asserts nothing (benchmarks report, tests assert).
 */
import { ZendeskClient } from '../../../connectors/src/zendesk/index.ts';
import { ZENDESK_SANDBOX_CREDENTIALS as C, startZendeskEmulator } from '../index.ts';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const ms = (n: number): string => `${n.toFixed(1)} ms`;

const starts: number[] = [];
for (let i = 0; i < 5; i += 1) {
  const t0 = performance.now();
  const emu = await startZendeskEmulator({ seed: i + 1 });
  starts.push(performance.now() - t0);
  await emu.close();
}
console.log(`start (default seed: 40 users, 12 orgs, 60 tickets): median ${ms(median(starts))}`);

const big = performance.now();
const emu = await startZendeskEmulator({
  seed: 1,
  rateLimitPerMinute: 1_000_000,
  jobDelayMs: 1,
  counts: { users: 2000, organizations: 200, tickets: 2000 },
});
console.log(`start (2000 users, 200 orgs, 2000 tickets): ${ms(performance.now() - big)}`);
const client = new ZendeskClient({
  baseUrl: emu.url,
  auth: { kind: 'apiToken', email: C.email, token: C.apiToken },
});

const latencies: number[] = [];
for (let i = 0; i < 300; i += 1) {
  const t0 = performance.now();
  await client.getTicket(1001 + (i % 2000));
  latencies.push(performance.now() - t0);
}
console.log(`GET ticket via client: median ${ms(median(latencies))} over 300 sequential calls`);

const t1 = performance.now();
let users = 0;
for await (const _user of client.listUsers()) users += 1;
console.log(`list all users by cursor (${users}, 100/page): ${ms(performance.now() - t1)}`);

const jobs: number[] = [];
for (let round = 0; round < 5; round += 1) {
  const batch = Array.from({ length: 100 }, (_, i) => ({
    name: `Bench ${round}-${i}`,
    email: `bench.${round}.${i}@example.test`,
    external_id: `bench-${round}-${i}`,
  }));
  const t0 = performance.now();
  const job = await client.createOrUpdateManyUsers(batch);
  await client.waitForJob(job.id, { pollIntervalMs: 5, maxPollIntervalMs: 20 });
  jobs.push(performance.now() - t0);
}
console.log(`create_or_update_many 100 users + waitForJob: median ${ms(median(jobs))} (job delay 1 ms)`);
await emu.close();
