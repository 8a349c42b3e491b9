import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../sandbox/dataset/generate-world.ts';
import { EXPERIMENT_SCHEMA } from '../experiment/experiment-schema.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { CONSOLE_SCHEMA } from '../programme/console-schema.ts';
import { callbackQueue } from '../programme/console-api.ts';
import { PROGRAMME_SCHEMA } from '../programme/programme-schema.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { openStore } from '../store/index.ts';
import { sqliteSql } from '../store/sql.ts';
import { SYNC_SCHEMA } from '../sync/schema.ts';
import { plantExperimentInWorld, seedPlantedExperiment } from './planted-experiment-history.ts';

const DAY = 86_400_000;

describe("npm start's planted test-and-learn history", () => {
  const world = generateWorld({ seed: 7, accounts: 300 });
  const { world: planted, decisions } = plantExperimentInWorld(world);

  it('puts the planted retention in the orders: an order within 90 days exactly when the draw retained', () => {
    expect(decisions.length).toBeGreaterThan(50);
    expect(new Set(decisions.map((d) => d.arm))).toEqual(new Set(['policy', 'holdout']));
    for (const d of decisions) {
      const within = planted.orders.filter(
        (o) =>
          o.accountId === d.accountId && o.createdAt > d.decidedAt && o.createdAt <= d.decidedAt + 90 * DAY,
      );
      expect(within.map((o) => o.createdAt)).toEqual(d.orderAt === null ? [] : [d.orderAt]);
    }
    // Customers without a planted decision keep their orders as generated.
    const plantedAccounts = new Set(decisions.map((d) => d.accountId));
    expect(planted.orders.filter((o) => !plantedAccounts.has(o.accountId))).toEqual(
      world.orders.filter((o) => !plantedAccounts.has(o.accountId)),
    );
  });

  it('writes the decisions to the ledger once, closed, so none waits in the callback queue', async () => {
    const store = openStore(':memory:', [
      QUEUE_SCHEMA,
      AUTOMATION_SCHEMA,
      SYNC_SCHEMA,
      PROGRAMME_SCHEMA,
      EXPERIMENT_SCHEMA,
      CONSOLE_SCHEMA,
    ]);
    expect(await seedPlantedExperiment(sqliteSql(store), decisions)).toBe(decisions.length);
    expect(await seedPlantedExperiment(sqliteSql(store), decisions)).toBe(0);
    const arms = store.db
      .prepare('SELECT arm, COUNT(*) AS n FROM experiment_assignments GROUP BY arm ORDER BY arm')
      .all() as { arm: string; n: number }[];
    expect(arms).toEqual([
      { arm: 'holdout', n: decisions.filter((d) => d.arm === 'holdout').length },
      { arm: 'policy', n: decisions.filter((d) => d.arm === 'policy').length },
    ]);
    const withheld = store.db
      .prepare("SELECT COUNT(*) AS n FROM automation_interventions WHERE action = 'none'")
      .get() as { n: number };
    expect(withheld.n).toBe(arms[0]!.n);
    const queue = (await callbackQueue(
      { sql: sqliteSql(store), capacityMinutes: 480 },
      world.now,
      world.now + 400 * DAY,
    )) as {
      queue: unknown[];
      outsideCapacity: unknown[];
      later: { count: number };
    };
    expect([queue.queue.length, queue.outsideCapacity.length, queue.later.count]).toEqual([0, 0, 0]);
    store.close();
  });
});
