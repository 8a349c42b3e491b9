/**
 * Test support for the closed loop against the Zendesk emulator: one set-up (emulator, client, provisioned
 * webhook, `boucle serve` on a free port with a fresh SQLite file) shared by the loop's, the follow-ups', the
 * write-back's and the programme's emulator tests. Imported by tests only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { DEFAULT_SETTINGS, createDecider, type Decider } from '../../../shared/src/index.ts';
import {
  startZendeskEmulator,
  ZENDESK_SANDBOX_CREDENTIALS,
  type ZendeskEmulator,
  type ZendeskEmulatorOptions,
} from '../../../sandbox/zendesk/index.ts';
import type { AutomationSettings } from '../config/automation.ts';
import { startAutomationService, type RunningAutomationService } from '../serve/start-automation-service.ts';
import { ZendeskClient } from '../zendesk/index.ts';
import { createLoopZendesk } from './create-loop-zendesk.ts';
import { provisionAutomation } from './provision-automation.ts';

export const SURVEY_TOKEN = 'survey-token-for-tests-0123456789';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The connector's Zendesk client, with the emulator's sandbox API token. */
export function sandboxZendeskClient(baseUrl: string): ZendeskClient {
  return new ZendeskClient({
    baseUrl,
    auth: {
      kind: 'apiToken',
      email: ZENDESK_SANDBOX_CREDENTIALS.email,
      token: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    },
    backoffMs: 5,
  });
}

/** `boucle serve`'s settings for a test: fast retries, no periodic jobs unless asked. */
export function testAutomationSettings(
  port: number,
  webhookSecret: string,
  overrides: Partial<AutomationSettings> = {},
): AutomationSettings {
  return {
    host: '127.0.0.1',
    port,
    webhookSecret,
    surveyToken: SURVEY_TOKEN,
    webhookToleranceSeconds: 300,
    workers: 2,
    maxAttempts: 3,
    retryBaseMs: 10,
    retryMaxMs: 50,
    businessHours: null,
    reminderLeadMs: 7_200_000,
    followUpGroupId: undefined,
    settingsFile: undefined,
    csatPullIntervalMs: 0,
    deadlineScanIntervalMs: 0,
    queueSync: 'full',
    ...overrides,
  };
}

type ServiceOptions = Parameters<typeof startAutomationService>[0];

export interface LoopHarnessOptions {
  readonly settings?: Partial<AutomationSettings>;
  readonly decider?: Decider;
  readonly emulator?: ZendeskEmulatorOptions;
  /** More of `startAutomationService`'s options (write-back, …), given the running emulator. */
  readonly service?: (
    emulator: ZendeskEmulator,
  ) => Partial<Omit<ServiceOptions, 'settings' | 'databasePath' | 'zendesk' | 'decider'>>;
}

export interface LoopHarness {
  readonly emulator: ZendeskEmulator;
  readonly client: ZendeskClient;
  readonly service: RunningAutomationService;
  /** The service's BOUCLE_DB_PATH (not created with BOUCLE_DATABASE_URL). */
  readonly databasePath: string;
}

/**
 * Call once at the top of a test file: returns `setUp`, and closes what each test started after it (in reverse
 * order), removing the database folder.
 */
export function useLoopHarness(): (options?: LoopHarnessOptions) => Promise<LoopHarness> {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (options = {}) => {
    const emulator = await startZendeskEmulator({
      seed: 7,
      counts: { users: 6, organizations: 2, tickets: 4 },
      webhookRetryDelaysMs: [20, 50],
      ...options.emulator,
    });
    cleanups.push(() => emulator.close());
    const client = sandboxZendeskClient(emulator.url);
    const port = await freePort();
    const { signingSecret } = await provisionAutomation(client, `http://127.0.0.1:${port}`);
    const dir = mkdtempSync(join(tmpdir(), 'boucle-loop-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const databasePath = join(dir, 'boucle.sqlite');
    const service = await startAutomationService({
      settings: testAutomationSettings(port, signingSecret, options.settings),
      databasePath,
      zendesk: createLoopZendesk(client),
      decider: options.decider ?? createDecider(DEFAULT_SETTINGS),
      pollMs: 10,
      ...options.service?.(emulator),
    });
    cleanups.push(() => service.close());
    return { emulator, client, service, databasePath };
  };
}

/** Until the emulator has delivered its webhooks and the service has processed everything, twice in a row. */
export async function settle(emulator: ZendeskEmulator, service: RunningAutomationService): Promise<void> {
  let quiet = 0;
  while (quiet < 2) {
    await emulator.settle();
    await service.workers.idle();
    quiet = (await service.queue.depth()) === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

/** Polls `check` (after settling) until it holds: webhook deliveries are asynchronous. */
export async function waitFor(
  emulator: ZendeskEmulator,
  service: RunningAutomationService,
  check: () => boolean | Promise<boolean>,
): Promise<void> {
  for (let round = 0; round < 100 && !(await check()); round += 1) {
    await settle(emulator, service);
  }
}

/** Every item of an asynchronous iterable (stored incidents, a paginated Zendesk list), in order. */
export async function collectAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
