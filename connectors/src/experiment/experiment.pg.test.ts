import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeExperiment,
  experimentReportSchema,
  type ExperimentReport,
} from '../../../shared/src/index.ts';
import { generateWorld, type World } from '../../../sandbox/dataset/generate-world.ts';
import {
  PLANTED_EXPERIMENT,
  plantExperiment,
  type PlantedDecision,
} from '../../../sandbox/dataset/plant-experiment.ts';
import { captureIo } from '../cli/capture-io.ts';
import { runCli } from '../cli/main.ts';
import { createProgrammeApi } from '../programme/programme-api.ts';
import { PROGRAMME_SCHEMAS, ProgrammeStore, openProgrammeSql } from '../programme/programme-store.ts';
import { DurableQueue } from '../queue/durable-queue.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { createAutomationServer } from '../serve/create-automation-server.ts';
import { ServiceMetrics } from '../serve/service-metrics.ts';
import { openStore } from '../store/index.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { fillPlantedHistory, plantedTruth } from './testing-experiment.ts';

const TOKEN = 'connector-token-for-experiment-pg-0123';
const EXPERIMENT = { id: PLANTED_EXPERIMENT.id, holdoutPercent: PLANTED_EXPERIMENT.holdoutPercent };
const dir = mkdtempSync(join(tmpdir(), 'boucle-experiment-pg-'));
const settingsPath = join(dir, 'settings.json');
writeFileSync(settingsPath, JSON.stringify({ experiment: EXPERIMENT }));
const world: World = generateWorld({ seed: 42, accounts: 3000 });
const decisions: PlantedDecision[] = plantExperiment(world);
/** Each database's answers, compared at the end. */
const reports: Record<string, { cli: ExperimentReport; api: ExperimentReport }> = {};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['sqlite', 'postgres'] as const)('the experiment report on %s', (database) => {
  const where: { path: string; databaseUrl?: string } = { path: join(dir, `${database}.sqlite`) };
  let close: () => Promise<void>;
  let base: string;
  let server: ReturnType<typeof createAutomationServer>;
  const queueStore = openStore(':memory:', [QUEUE_SCHEMA]);

  beforeAll(async () => {
    if (database === 'postgres') where.databaseUrl = await freshPostgresDatabase();
    const opened = await openProgrammeSql(where, PROGRAMME_SCHEMAS);
    close = () => opened.close();
    await fillPlantedHistory(opened.sql, world, decisions);
    server = createAutomationServer({
      queue: new DurableQueue(queueStore.db),
      metrics: new ServiceMetrics(),
      webhookSecret: 'secret',
      surveyToken: TOKEN,
      parseSurveyBody: () => ({ ok: true, events: [] }),
      toleranceSeconds: 300,
      api: createProgrammeApi({
        store: new ProgrammeStore(opened.sql),
        token: TOKEN,
        clock: () => world.now,
        experiment: { sql: opened.sql, settings: EXPERIMENT },
      }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await close();
    queueStore.close();
  });

  it('boucle report experiment reads back exactly what was planted', async () => {
    const env =
      where.databaseUrl === undefined
        ? { BOUCLE_DB_PATH: where.path, BOUCLE_SETTINGS_FILE: settingsPath }
        : { BOUCLE_DATABASE_URL: where.databaseUrl, BOUCLE_SETTINGS_FILE: settingsPath };
    const { io, stdout, stderr } = captureIo({ cwd: dir, env });
    const code = await runCli(
      [
        'report',
        'experiment',
        '--from',
        '2025-01-01',
        '--format',
        'json',
        '--env-file',
        join(dir, 'none.env'),
      ],
      io,
    );
    expect(stderr()).toBe('');
    expect(code).toBe(0);
    const report = experimentReportSchema.parse(JSON.parse(stdout()));
    const total = report.rows[0]!;
    const holdout = decisions.filter((d) => d.arm === 'holdout').length;
    expect(total.arms.holdout.customers).toBe(holdout);
    expect(total.arms.policy.customers).toBe(decisions.length - holdout);
    expect(total.arms.policy.cost).toBe((decisions.length - holdout) * PLANTED_EXPERIMENT.cost);
    // The same figures as the pure computation over the planted truth: the SQL loses and invents nothing.
    const expected = computeExperiment(plantedTruth(decisions), {
      asOfMs: Date.parse(report.asOf),
      fromMs: Date.parse(report.from),
      toMs: Date.parse(report.to),
      experiment: report.experiment,
    });
    expect(total.outcomes).toEqual(expected.rows[0]!.outcomes);
    expect(total.outcomes.slice(0, 3).map((o) => o.verdict)).toEqual([
      'policy_better',
      'policy_better',
      'policy_better',
    ]);

    const response = await fetch(`${base}/api/v1/experiment?from=2025-01-01&by=region,tier`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    const api = (await response.json()) as ExperimentReport;
    expect(experimentReportSchema.parse(api)).toEqual(api);
    expect(api.rows.length).toBeGreaterThan(3);
    reports[database] = { cli: report, api };
  }, 60_000);
});

describe('the experiment report on both databases', () => {
  it('gives the same report, cut by cut', () => {
    const { sqlite, postgres } = reports;
    expect(sqlite).toBeDefined();
    expect(postgres).toBeDefined();
    // The CLI's clock is the time it ran: the rest is the same.
    expect({ ...postgres!.cli, asOf: null }).toEqual({ ...sqlite!.cli, asOf: null });
    expect(postgres!.api).toEqual(sqlite!.api);
  });
});
