/**
 * The console's end-to-end harness: `boucle start`'s sandbox in-process (the generated dataset with its planted
 * warning signs, the emulators, a first sync, the programme copy, the connector, the agent frame), the app built
 * once into the sandbox's folder, and a day's callbacks recorded in the intervention ledger as the closed loop
 * records them. Used by the e2e tests, the screenshots and `npm run bench:app`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Browser, Frame, Page } from 'playwright-core';
import { captureIo } from '../../../connectors/src/cli/capture-io.ts';
import { runCli } from '../../../connectors/src/cli/main.ts';
import { InterventionLedger } from '../../../connectors/src/loop/intervention-ledger.ts';
import { startBoucle, type RunningBoucle } from '../../../connectors/src/start/start-boucle.ts';
import { openStore } from '../../../connectors/src/store/index.ts';
import { sqliteSql } from '../../../connectors/src/store/sql.ts';
import { ZendeskClient } from '../../../connectors/src/zendesk/client.ts';
import { ZAF_SDK_CDN_URL } from '../../../sandbox/agent-frame/index.ts';
import { ZENDESK_SANDBOX_CREDENTIALS } from '../../../sandbox/zendesk/index.ts';
import { buildApp } from '../../zendesk-sidebar/tools/build-app.ts';

export { launchChromium } from '../../../sandbox/chromium.ts';

export interface ConsoleHarness {
  readonly running: RunningBoucle;
  readonly dataDir: string;
  /**
   * The seeded callbacks' tickets: [due later today, overdue by 1 h, compensation due later today, too long for
   * today's capacity, due tomorrow]. "Today" is the UTC day (the console's pages run in UTC, see openConsole).
   */
  readonly callbackTickets: readonly number[];
  /** The Zendesk group Belgium's warning signs are alerted to (the others have no owner: not sent). */
  readonly alertGroups: readonly number[];
  close(): Promise<void>;
}

const HOUR = 3_600_000;

export async function startConsoleHarness(): Promise<ConsoleHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'boucle-console-'));
  await buildApp({ outDir: join(dataDir, 'app'), quiet: true });
  const sink = new PassThrough();
  sink.resume();
  const running = await startBoucle({
    io: {
      stdin: new PassThrough(),
      stdout: sink,
      stderr: sink,
      env: { PATH: process.env['PATH'] },
      cwd: dataDir,
    },
    dataDir,
  });
  const store = openStore(join(dataDir, 'boucle.sqlite'), []);
  const ids = (
    store.db
      .prepare('SELECT id, requester_id FROM programme_tickets WHERE incident = 1 ORDER BY id DESC LIMIT 5')
      .all() as { id: number; requester_id: number | null }[]
  ).map((r) => ({ id: r.id, user: r.requester_id }));
  const ledger = new InterventionLedger(sqliteSql(store));
  const now = Date.now();
  const day = new Date(now);
  // What is left of today (UTC): the day's callbacks fall in it, whatever the hour the tests run.
  const left = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1) - now;
  const plan: [string, number, number, number][] = [
    ['callback', 600, 15, 0.3 * left], // 40 €/min
    ['callback', 300, 20, -HOUR], // 15 €/min, overdue
    ['compensation', 900, 10, 0.6 * left], // 90 €/min
    ['callback', 2_000, 600, 0.9 * left], // 3.3 €/min, 600 min: more than the day's 480
    ['callback', 1_200, 10, left + 26 * HOUR], // 120 €/min but due after today: counted apart, not planned
  ];
  for (const [index, [action, value, minutes, dueInMs]] of plan.entries()) {
    const ticket = ids[index]!;
    await ledger.record({
      decisionKey: `console-e2e-${ticket.id}`,
      ticketId: ticket.id,
      userId: ticket.user,
      action,
      priority: 'high',
      tier: 'gold',
      expectedValue: value,
      cost: 20,
      agentMinutes: minutes,
      summary: `Seeded ${action}`,
      decidedAt: new Date(now - 2 * HOUR),
      dueAt: new Date(now + dueInMs),
    });
  }
  store.close();
  // The warning signs alerted as `boucle report signals --alert` does it (the alerts feature's own code, tickets in
  // the Zendesk emulator): Belgium's to the sandbox's group; no default, so the other signs have nobody to go to.
  const zendesk = new ZendeskClient({
    baseUrl: running.zendeskUrl!,
    auth: {
      kind: 'apiToken',
      email: ZENDESK_SANDBOX_CREDENTIALS.email,
      token: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    },
  });
  const groups = (
    await zendesk.request<{ groups: { id: number }[] }>('GET', '/api/v2/groups.json')
  ).groups.map((g) => g.id);
  const alerting = captureIo({
    cwd: dataDir,
    env: {
      BOUCLE_DB_PATH: join(dataDir, 'boucle.sqlite'),
      ZENDESK_URL: running.zendeskUrl!,
      ZENDESK_EMAIL: ZENDESK_SANDBOX_CREDENTIALS.email,
      ZENDESK_API_TOKEN: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
      BOUCLE_ALERT_GROUPS: `region:Belgium=${groups[0]}`,
      BOUCLE_ALERT_DETRACTOR_MIN_REVENUE: '1000000000',
    },
  });
  const alertCode = await runCli(
    ['report', 'signals', '--alert', '--env-file', join(dataDir, 'no-dotenv')],
    alerting.io,
  );
  if (alertCode !== 0) throw new Error(`boucle report signals --alert failed: ${alerting.stderr()}`);
  return {
    running,
    dataDir,
    callbackTickets: ids.map((t) => t.id),
    alertGroups: groups.slice(0, 1),
    close: () => running.close(),
  };
}

/** A new tab on the console (the app's nav_bar page) at a sub-path; returns the page and the app's frame. */
export async function openConsole(
  browser: Browser,
  url: string,
  options: { width?: number; height?: number } = {},
): Promise<{ page: Page; app: Frame }> {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1366, height: options.height ?? 900 },
    timezoneId: 'UTC',
  });
  const origin = new URL(url).origin;
  const sdk = await (
    await fetch(`${origin}/agent/frame.json`).then(async (r) => {
      const config = (await r.json()) as { appOrigin: string };
      return fetch(`${config.appOrigin}/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js`);
    })
  ).text();
  await page.route(ZAF_SDK_CDN_URL, (route) => route.fulfill({ body: sdk, contentType: 'text/javascript' }));
  await page.goto(url);
  await page.waitForFunction(() => window.__agentFrame?.state()['registered'] === true);
  const handle = await page.waitForSelector('iframe.af-navbar-frame');
  const app = await handle.contentFrame();
  if (app === null) throw new Error('The console iframe has no content frame.');
  return { page, app };
}
