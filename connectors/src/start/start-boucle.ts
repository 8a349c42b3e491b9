/**
 * `boucle start`: everything on localhost in one process. Sandbox mode: the Salesforce and Zendesk emulators
 * loaded with the generated dataset, a first sync, the automation service with the emulator's signed webhooks
 * pointing at it, the built sidebar in the agent frame, and a survey page. Real mode (real URLs and credentials in
 * .env): a first sync and the automation service against the real Salesforce org and Zendesk account.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { generateWorld } from '../../../sandbox/dataset/generate-world.ts';
import { PLANTED_EXPERIMENT } from '../../../sandbox/dataset/plant-experiment.ts';
import {
  PLANTED_DECISIONS_FILE,
  plantExperimentInWorld,
  readPlantedDecisions,
  seedPlantedExperiment,
  writePlantedDecisions,
} from './planted-experiment-history.ts';
import { writeDataset } from '../../../sandbox/dataset/write-data.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { environmentWithDotEnv, loadConfig } from '../config/config.ts';
import { salesforceSection } from '../config/salesforce.ts';
import { defaultWritebackSettings } from '../config/writeback.ts';
import type { AutomationSettings } from '../config/automation.ts';
import { createLoopZendesk } from '../loop/create-loop-zendesk.ts';
import { provisionAutomation } from '../loop/provision-automation.ts';
import { loadDecider, startAutomationService } from '../serve/start-automation-service.ts';
import { ZendeskClient } from '../zendesk/index.ts';
import { sqliteSql } from '../store/sql.ts';
import { startSurveyPage } from './survey-page.ts';

export type StartMode = 'sandbox' | 'real';

/** The keys that switch `boucle start` to real mode when all are set to non-local values. */
export const REAL_MODE_KEYS = [
  'SALESFORCE_LOGIN_URL',
  'ZENDESK_URL',
  'ZENDESK_EMAIL',
  'ZENDESK_API_TOKEN',
] as const;

const isLocal = (url: string): boolean => {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return true;
  }
};

/** Real mode when .env (or the environment) names a non-local Salesforce and Zendesk with credentials. */
export function detectMode(env: Readonly<Record<string, string | undefined>>): StartMode {
  const sf = env['SALESFORCE_LOGIN_URL'];
  const zd = env['ZENDESK_URL'];
  const token = env['ZENDESK_API_TOKEN'];
  const email = env['ZENDESK_EMAIL'];
  if (sf === undefined || zd === undefined || token === undefined || email === undefined) return 'sandbox';
  if (token === '' || token === 'replace-me') return 'sandbox';
  return isLocal(sf) || isLocal(zd) ? 'sandbox' : 'real';
}

export interface StartOptions {
  readonly io: CliIo;
  /** State folder (default <cwd>/data). */
  readonly dataDir?: string;
  /** Accounts of the generated dataset when it does not exist yet (default 1,000). */
  readonly accounts?: number;
  /** Port of the agent page (default 0: ephemeral). */
  readonly port?: number;
}

export interface RunningBoucle {
  readonly mode: StartMode;
  /** The URL to open (sandbox: a ticket in the agent page; real: the service's health check). */
  readonly url: string;
  readonly agentUrl: string | null;
  /** The Boucle console (the app's nav_bar location) in the agent page (sandbox). */
  readonly consoleUrl: string | null;
  /** The Zendesk emulator's base URL (sandbox), for tests that open another agent page on it. */
  readonly zendeskUrl: string | null;
  readonly surveyUrl: string | null;
  readonly serviceUrl: string;
  /** A critical-incident ticket of the dataset to start from (sandbox). */
  readonly ticketId: number | null;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function automationSettings(port: number, webhookSecret: string, surveyToken: string): AutomationSettings {
  return {
    host: '127.0.0.1',
    port,
    webhookSecret,
    surveyToken,
    webhookToleranceSeconds: 300,
    workers: 2,
    maxAttempts: 5,
    retryBaseMs: 500,
    retryMaxMs: 30_000,
    businessHours: null,
    reminderLeadMs: 7_200_000,
    followUpGroupId: undefined,
    surveyFatigueDays: 30,
    settingsFile: undefined,
    csatPullIntervalMs: 0,
    deadlineScanIntervalMs: 60_000,
    queueSync: 'full',
  };
}

async function runSyncOnce(
  io: CliIo,
  env: Record<string, string | undefined>,
  log: Writable,
): Promise<number> {
  const { run } = await import('../cli/sync-command.ts');
  const out = new PassThrough();
  out.pipe(log, { end: false });
  return run(['--env-file', join(io.cwd, '.env')], { ...io, env, stdout: out, stderr: out });
}

/** Starts everything; the caller prints and waits for Ctrl-C, then calls close(). */
export async function startBoucle(options: StartOptions): Promise<RunningBoucle> {
  const { io } = options;
  const env = environmentWithDotEnv(io.env, join(io.cwd, '.env'));
  const mode = detectMode(env);
  const dataDir = options.dataDir ?? resolve(io.cwd, 'data');
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(dataDir, 'start.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const say = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.splice(0).reverse()) {
      try {
        await closer();
      } catch (error) {
        log.write(`close: ${(error as Error).message}\n`);
      }
    }
    await new Promise<void>((done) => log.end(done));
  };

  try {
    if (mode === 'real') {
      say(
        `Boucle — REAL mode: Salesforce ${env['SALESFORCE_LOGIN_URL']}, Zendesk ${env['ZENDESK_URL']} (from .env). Logs: ${logFile}`,
      );
      say('First sync from Salesforce to Zendesk…');
      const code = await runSyncOnce(io, env, log);
      if (code !== 0) throw new Error(`the first sync failed (exit ${code}); details in ${logFile}`);
      const { loadServeConfig } = await import('../cli/automation-config.ts');
      const config = loadServeConfig({ ...io, env }, join(io.cwd, '.env'));
      if (config === null) throw new Error('the automation service configuration is incomplete (see above)');
      const client = new ZendeskClient({
        baseUrl: config.zendesk.url,
        auth: { kind: 'apiToken', email: config.zendesk.email, token: config.zendesk.apiToken },
        requestsPerMinute: config.zendesk.requestsPerMinute,
      });
      const installationId = config.automation.zendeskInstallationId;
      const service = await startAutomationService({
        settings: config.automation,
        databasePath: resolve(io.cwd, config.store.path),
        zendesk: createLoopZendesk(client),
        ...(installationId === undefined
          ? {
              decider: loadDecider(
                config.automation.settingsFile === undefined
                  ? undefined
                  : resolve(io.cwd, config.automation.settingsFile),
              ),
            }
          : {
              installationPolicy: {
                client,
                installationId,
                pollIntervalMs: config.automation.policyPollIntervalMs ?? 60_000,
              },
            }),
        log: (line) => log.write(`serve: ${line}\n`),
      });
      closers.push(() => service.close());
      return {
        mode,
        url: `${service.url}/healthz`,
        agentUrl: null,
        consoleUrl: null,
        zendeskUrl: null,
        surveyUrl: null,
        serviceUrl: service.url,
        ticketId: null,
        close,
      };
    }

    say(
      `Boucle — local SANDBOX mode: Salesforce and Zendesk emulators on 127.0.0.1, state in ${dataDir}. Logs: ${logFile}`,
    );
    const datasetDir = join(dataDir, 'dataset');
    if (!existsSync(join(datasetDir, 'zendesk', 'tickets.json'))) {
      say('Generating the dataset (seed 42)…');
      const planted = plantExperimentInWorld(generateWorld({ seed: 42, accounts: options.accounts ?? 1000 }));
      writeDataset(planted.world, datasetDir);
      writePlantedDecisions(join(datasetDir, PLANTED_DECISIONS_FILE), planted.decisions);
    }
    const [
      { startSalesforce, SALESFORCE_SANDBOX_CREDENTIALS },
      { startZendeskEmulator, ZENDESK_SANDBOX_CREDENTIALS, ZENDESK_SANDBOX_AGENT },
    ] = await Promise.all([
      import('../../../sandbox/salesforce/index.ts'),
      import('../../../sandbox/zendesk/index.ts'),
    ]);
    say('Starting the emulators and loading the dataset…');
    const salesforce = await startSalesforce({ dataDir: join(datasetDir, 'salesforce'), port: 0 });
    closers.push(() => salesforce.close());
    const zendesk = await startZendeskEmulator({ dataDir: join(datasetDir, 'zendesk'), port: 0 });
    closers.push(() => zendesk.close());

    const sandboxEnv: Record<string, string | undefined> = {
      BOUCLE_DB_PATH: join(dataDir, 'boucle.sqlite'),
      SALESFORCE_LOGIN_URL: salesforce.url,
      SALESFORCE_AUTH: 'client_credentials',
      SALESFORCE_CLIENT_ID: SALESFORCE_SANDBOX_CREDENTIALS.clientId,
      SALESFORCE_CLIENT_SECRET: SALESFORCE_SANDBOX_CREDENTIALS.clientSecret,
      SALESFORCE_API_VERSION: '62.0',
      ZENDESK_URL: zendesk.url,
      ZENDESK_EMAIL: ZENDESK_SANDBOX_CREDENTIALS.email,
      ZENDESK_API_TOKEN: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
      PATH: io.env['PATH'],
    };
    say('First sync from Salesforce to Zendesk…');
    // The sandbox ignores .env: every key it needs is set here.
    const { run: runSync } = await import('../cli/sync-command.ts');
    const syncOut = new PassThrough();
    syncOut.pipe(log, { end: false });
    // --full: the emulators start again from the dataset on every run, so the sync must rewrite everything.
    const syncCode = await runSync(['--full', '--env-file', join(dataDir, 'no-dotenv-in-sandbox')], {
      ...io,
      env: sandboxEnv,
      stdout: syncOut,
      stderr: syncOut,
    });
    if (syncCode !== 0) throw new Error(`the first sync failed (exit ${syncCode}); details in ${logFile}`);

    const client = new ZendeskClient({
      baseUrl: zendesk.url,
      auth: {
        kind: 'apiToken',
        email: ZENDESK_SANDBOX_CREDENTIALS.email,
        token: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
      },
    });
    say('Copying survey answers, tickets and users for boucle report programme|signals…');
    const { refreshProgrammeData } = await import('../programme/pull-programme-data.ts');
    await refreshProgrammeData(client, join(dataDir, 'boucle.sqlite'), { full: true });
    {
      const { openProgrammeStore } = await import('../programme/programme-store.ts');
      const db = openProgrammeStore(join(dataDir, 'boucle.sqlite'));
      try {
        const seeded = await seedPlantedExperiment(
          sqliteSql(db),
          readPlantedDecisions(join(datasetDir, PLANTED_DECISIONS_FILE)),
        );
        if (seeded > 0)
          say(`Test and learn: ${seeded} planted decisions written to the ledger (first run only).`);
      } finally {
        db.close();
      }
    }
    const servicePort = await freePort();
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    const { signingSecret } = await provisionAutomation(client, serviceUrl);
    const surveyToken = randomBytes(24).toString('hex');
    // The Boucle app installed in the Zendesk emulator, as an admin would: the console saves the policy on it
    // (Apps installation API) and the connector decides with what it holds (docs/admin.md).
    const installation = zendesk.installApp({
      settings: { connector_url: serviceUrl, connector_token: surveyToken },
      secure: ['connector_token'],
    });
    const installationId = installation['id'] as number;
    const service = await startAutomationService({
      settings: automationSettings(servicePort, signingSecret, surveyToken),
      databasePath: join(dataDir, 'boucle.sqlite'),
      zendesk: createLoopZendesk(client),
      installationPolicy: { client, installationId, pollIntervalMs: 60_000 },
      reportedExperiment: {
        id: PLANTED_EXPERIMENT.id,
        holdoutPercent: PLANTED_EXPERIMENT.holdoutPercent,
      },
      log: (line) => {
        log.write(`serve: ${line}\n`);
        if (line.startsWith('Salesforce write-back')) say(line);
      },
      // Results go back to the Salesforce emulator, which serves the objects of force-app/.
      writeback: {
        settings: defaultWritebackSettings({
          ticketUrl: `${zendesk.url}/agent/tickets/{id}`,
          intervalMs: 5_000,
        }),
        salesforce: loadConfig({ salesforce: salesforceSection }, sandboxEnv).salesforce,
      },
    });
    closers.push(() => service.close());

    const appRoot = join(dataDir, 'app');
    let appDir = appRoot;
    if (!existsSync(join(appDir, 'manifest.json'))) {
      say('Building the Zendesk app, sidebar and console (first run only)…');
      const { buildApp } = await import('../../../apps/zendesk-sidebar/tools/build-app.ts');
      appDir = (await buildApp({ outDir: appRoot, quiet: true })).packageDir;
    }
    const { startAgentFrame } = await import('../../../sandbox/agent-frame/index.ts');
    const frame = await startAgentFrame({
      zendesk: { url: zendesk.url, ...ZENDESK_SANDBOX_CREDENTIALS },
      // ?role=agent on an agent page signs in as the sandbox's non-admin agent.
      agentSession: ZENDESK_SANDBOX_AGENT,
      appDir,
      settings: { connector_url: serviceUrl, connector_token: surveyToken },
      installationId,
      ...(options.port === undefined ? {} : { port: options.port }),
    });
    closers.push(() => frame.close());

    const tickets = [...zendesk.store.tickets.values()];
    // A live critical incident (new, open, pending, on hold), the most urgent first: the one an agent would open.
    const rank = { urgent: 0, high: 1, normal: 2, low: 3 } as Record<string, number>;
    const live = tickets
      .filter(
        (t) => t.tags.includes('critical_incident') && ['new', 'open', 'pending', 'hold'].includes(t.status),
      )
      .sort((a, b) => (rank[a.priority ?? 'low'] ?? 3) - (rank[b.priority ?? 'low'] ?? 3) || a.id - b.id);
    const incident = live[0] ?? tickets.find((t) => t.tags.includes('critical_incident')) ?? tickets[0];
    const ticketId = incident?.id ?? 1;
    const survey = await startSurveyPage({
      serviceUrl,
      surveyToken,
      agentUrl: frame.url,
      defaultTicketId: ticketId,
    });
    closers.push(() => survey.close());
    return {
      mode,
      url: `${frame.url}/agent/tickets/${ticketId}`,
      agentUrl: frame.url,
      consoleUrl: frame.navBarUrl(),
      zendeskUrl: zendesk.url,
      surveyUrl: `${survey.url}/?ticket=${ticketId}`,
      serviceUrl,
      ticketId,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
