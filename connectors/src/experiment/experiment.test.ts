import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
import { OPENAPI_FILE, createProgrammeApi } from '../programme/programme-api.ts';
import { ProgrammeStore, openProgrammeStore } from '../programme/programme-store.ts';
import { DurableQueue } from '../queue/durable-queue.ts';
import { createAutomationServer } from '../serve/create-automation-server.ts';
import { ServiceMetrics } from '../serve/service-metrics.ts';
import type { Store } from '../store/index.ts';
import { sqliteSql } from '../store/sql.ts';
import { fillPlantedHistory, plantedTruth } from './testing-experiment.ts';

const dir = mkdtempSync(join(tmpdir(), 'boucle-experiment-'));
const dbPath = join(dir, 'boucle.sqlite');
const settingsPath = join(dir, 'settings.json');
const TOKEN = 'connector-token-for-tests-0123456789';
let world: World;
let decisions: PlantedDecision[];
let store: Store;
let server: ReturnType<typeof createAutomationServer>;
let base: string;

const openapi = parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: unknown; $ref?: string }> }>>;
  components: { schemas: Record<string, unknown> };
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const validateReport = ajv.compile({
  ...(JSON.parse(
    JSON.stringify(
      (
        openapi.paths['/api/v1/experiment']!.get!.responses['200']!.content as Record<
          string,
          { schema: unknown }
        >
      )['application/json']!.schema,
    ).replaceAll('#/components/schemas/', '#/$defs/'),
  ) as object),
  $defs: JSON.parse(
    JSON.stringify(openapi.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'),
  ) as Record<string, unknown>,
});

beforeAll(async () => {
  world = generateWorld({ seed: 42, accounts: 3000 });
  decisions = plantExperiment(world);
  store = openProgrammeStore(dbPath);
  await fillPlantedHistory(sqliteSql(store), world, decisions);
  writeFileSync(
    settingsPath,
    JSON.stringify({
      experiment: { id: PLANTED_EXPERIMENT.id, holdoutPercent: PLANTED_EXPERIMENT.holdoutPercent },
    }),
  );
  server = createAutomationServer({
    queue: new DurableQueue(store.db),
    metrics: new ServiceMetrics(),
    webhookSecret: 'secret',
    surveyToken: TOKEN,
    parseSurveyBody: () => ({ ok: true, events: [] }),
    toleranceSeconds: 300,
    api: createProgrammeApi({
      store: new ProgrammeStore(sqliteSql(store)),
      token: TOKEN,
      clock: () => world.now,
      experiment: {
        sql: sqliteSql(store),
        settings: { id: PLANTED_EXPERIMENT.id, holdoutPercent: PLANTED_EXPERIMENT.holdoutPercent },
      },
    }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ BOUCLE_DB_PATH: dbPath, BOUCLE_SETTINGS_FILE: settingsPath });

describe('boucle report experiment, on the planted policy effect', () => {
  it('reads back exactly what was planted, and finds the planted uplift on retention, repeat contact and follow-up', async () => {
    const { io, stdout, stderr } = captureIo({ cwd: dir, env: env() });
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
    expect(report.experiment).toEqual({ id: PLANTED_EXPERIMENT.id, holdoutPercent: 30 });
    const total = report.rows[0]!;
    const holdout = decisions.filter((d) => d.arm === 'holdout');
    expect(total.arms.holdout.customers).toBe(holdout.length);
    expect(total.arms.policy.customers).toBe(decisions.length - holdout.length);
    expect(total.arms.policy.cost).toBe((decisions.length - holdout.length) * PLANTED_EXPERIMENT.cost);
    expect(total.arms.holdout.interventions).toBe(0);
    // The same figures as the pure computation over the planted truth: the SQL loses and invents nothing.
    const expected = computeExperiment(plantedTruth(decisions), {
      asOfMs: Date.parse(report.asOf),
      fromMs: Date.parse(report.from),
      toMs: Date.parse(report.to),
      experiment: report.experiment,
    });
    expect(total.outcomes).toEqual(expected.rows[0]!.outcomes);
    const verdicts = Object.fromEntries(total.outcomes.map((o) => [o.outcome, o.verdict]));
    expect(verdicts).toMatchObject({
      retention: 'policy_better',
      repeat_contact: 'policy_better',
      follow_up_score: 'policy_better',
    });
    // € per customer is noisy (revenues differ a lot): its uplift is positive, the conclusion may need more customers.
    const value = total.outcomes.find((o) => o.outcome === 'value_per_intervention')!;
    expect(value.uplift!).toBeGreaterThan(0);
    expect(value.samplePerArm!).toBeGreaterThan(0);
  });

  it('prints a table and a CSV by region, and says what to fix', async () => {
    const table = captureIo({ cwd: dir, env: env() });
    expect(
      await runCli(
        ['report', 'experiment', '--from', '2025-01-01', '--env-file', join(dir, 'none.env')],
        table.io,
      ),
    ).toBe(0);
    expect(table.stdout()).toContain(
      `Experiment "${PLANTED_EXPERIMENT.id}" (holdout 30 % of eligible customers)`,
    );
    expect(table.stdout()).toMatch(
      /retention\s+\d+\.\d % \(n=\d+\)\s+\d+\.\d % \(n=\d+\)\s+\+\d+\.\d pts \[/,
    );
    expect(table.stdout()).toMatch(/repeat contact .* policy better \(lower is better\)/);

    const csv = captureIo({ cwd: dir, env: env() });
    expect(
      await runCli(
        [
          'report',
          'experiment',
          '--from',
          '2025-01-01',
          '--by',
          'region',
          '--format',
          'csv',
          '--env-file',
          join(dir, 'none.env'),
        ],
        csv.io,
      ),
    ).toBe(0);
    const lines = csv.stdout().trim().split('\n');
    expect(lines[0]!.startsWith('region,outcome,measure,better,policy_n')).toBe(true);
    expect(lines[1]!.startsWith('(all),retention,proportion,higher,')).toBe(true);
    const regions = new Set(lines.slice(5).map((line) => line.split(',')[0]));
    expect(regions.size).toBeGreaterThan(1);

    const bad = captureIo({ cwd: dir, env: env() });
    expect(await runCli(['report', 'experiment', '--repeat-days', 'often', '--by', 'planet'], bad.io)).toBe(
      2,
    );
    expect(bad.stderr()).toContain('--repeat-days: takes a whole number from 1 to 365 (got "often")');
    expect(bad.stderr()).toContain('"planet" is not a cut');
  });

  it('answers GET /api/v1/experiment as the OpenAPI file says, the same figures as the CLI', async () => {
    const response = await fetch(`${base}/api/v1/experiment?from=2025-01-01&by=tier`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ExperimentReport;
    expect(validateReport(body), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
    expect(experimentReportSchema.parse(body)).toEqual(body);
    expect(body.asOf).toBe(new Date(world.now).toISOString());
    expect(body.rows[0]!.outcomes.slice(0, 3).map((o) => o.verdict)).toEqual([
      'policy_better',
      'policy_better',
      'policy_better',
    ]);
    expect(body.rows.slice(1).map((row) => Object.keys(row.cut))).toContainEqual(['tier']);
    expect(body.rows[0]!.arms.holdout.customers).toBe(decisions.filter((d) => d.arm === 'holdout').length);

    const bad = await fetch(`${base}/api/v1/experiment?retention_days=0&colour=red`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('Unknown parameter(s) colour');
    const badDays = await fetch(`${base}/api/v1/experiment?retention_days=0`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await badDays.json()).toMatchObject({
      error: 'invalid_query',
      issues: [{ path: 'retention_days', message: 'takes a whole number from 1 to 3650 (got "0").' }],
    });
    expect((await fetch(`${base}/api/v1/experiment`)).status).toBe(401);
  });
});
