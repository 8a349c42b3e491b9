/**
 * Bench helper (child process): runs the Salesforce and Zendesk emulators with a generated org, so the sync
 * under measurement runs in its own process. Prints `{"ready":…}` on stdout, then answers JSON-line commands
 * on stdin: counts, mutate, advance, quit. Zendesk request logs are tallied and cleared every second so the
 * emulator does not keep a million request bodies.
 */
import { createInterface } from 'node:readline';
import { startSalesforce } from '../../sandbox/salesforce/index.ts';
import { startZendeskEmulator } from '../../sandbox/zendesk/index.ts';

const accounts = Number(process.argv[2] ?? 1000);
const perAccount = Number(process.argv[3] ?? 10);

const started = Date.now();
const sf = await startSalesforce({
  seed: 11,
  dataset: {
    accounts,
    contactsPerAccount: perAccount,
    opportunitiesPerAccount: perAccount,
    ordersPerAccount: perAccount,
  },
  apiAllocation: 50_000_000,
  requestLogLimit: 100,
});
const zd = await startZendeskEmulator({
  rateLimitPerMinute: 1_000_000,
  jobDelayMs: 5,
  counts: { users: 0, organizations: 0, tickets: 0 },
});
const tally = new Map<string, number>();
const writes = { organization: 0, user: 0 };
const drain = (): void => {
  for (const entry of zd.requests()) {
    tally.set(entry.endpoint, (tally.get(entry.endpoint) ?? 0) + 1);
    if (entry.method === 'POST' && entry.path.includes('create_or_update_many')) {
      const body = entry.body as { organizations?: unknown[]; users?: unknown[] } | null;
      writes.organization += body?.organizations?.length ?? 0;
      writes.user += body?.users?.length ?? 0;
    }
  }
  zd.clearRequests();
};
setInterval(drain, 1000).unref();

const counts = (): Record<string, unknown> => {
  const sfCalls = sf.callCounts();
  return {
    salesforce: sfCalls,
    salesforceTotal: Object.values(sfCalls).reduce((a, b) => a + b, 0),
    zendesk: Object.fromEntries(tally),
    zendeskTotal: [...tally.values()].reduce((a, b) => a + b, 0),
    zendeskRecordsWritten: { ...writes },
    zendeskOrganizations: zd.store.organizations.size,
    zendeskUsers: zd.store.users.size,
  };
};

const reply = (data: unknown): void => {
  process.stdout.write(`${JSON.stringify(data)}\n`);
};

const table = (
  name: string,
): { records: Record<string, unknown>[]; children: Map<string, Map<string, Record<string, unknown>[]>> } => {
  const t = sf.store.table(name) as unknown as {
    records: Record<string, unknown>[];
    parentIndexes: Map<string, Map<string, Record<string, unknown>[]>>;
  };
  return { records: t.records, children: t.parentIndexes };
};

reply({
  ready: true,
  salesforceUrl: sf.url,
  zendeskUrl: zd.url,
  generateMs: Date.now() - started,
  records: Object.fromEntries(
    ['Account', 'Contact', 'Opportunity', 'Order'].map((o) => [o, table(o).records.length]),
  ),
});

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { cmd: string; share?: number; ms?: number };
  drain();
  switch (command.cmd) {
    case 'counts':
      reply(counts());
      break;
    case 'reset':
      sf.resetRequestLog();
      tally.clear();
      writes.organization = 0;
      writes.user = 0;
      reply({ ok: true });
      break;
    case 'mutate': {
      // Change `share` of the accounts, and, for those accounts, every contact (name), opportunity (amount)
      // and order (system touch): about `share` of every object.
      const share = command.share ?? 0.01;
      const all = table('Account').records.filter((r) => r.IsDeleted !== true);
      const step = Math.max(1, Math.round(1 / share));
      const changed = { Account: 0, Contact: 0, Opportunity: 0, Order: 0 };
      for (let i = 0; i < all.length; i += step) {
        const account = all[i]!;
        const id = account.Id as string;
        sf.update('Account', id, { Industry: account.Industry === 'Banking' ? 'Retail' : 'Banking' });
        changed.Account++;
        for (const c of table('Contact').children.get('AccountId')?.get(id) ?? []) {
          sf.update('Contact', c.Id as string, { LastName: `${String(c.LastName)}-x` });
          changed.Contact++;
        }
        for (const o of table('Opportunity').children.get('AccountId')?.get(id) ?? []) {
          sf.update('Opportunity', o.Id as string, { Amount: Number(o.Amount ?? 0) + 100 });
          changed.Opportunity++;
        }
        for (const o of table('Order').children.get('AccountId')?.get(id) ?? []) {
          sf.touch(o.Id as string);
          changed.Order++;
        }
      }
      reply({ changed });
      break;
    }
    case 'advance':
      sf.advanceClock(command.ms ?? 60_000);
      reply({ ok: true });
      break;
    case 'quit':
      await sf.close();
      await zd.close();
      reply({ bye: true });
      process.exit(0);
  }
}
