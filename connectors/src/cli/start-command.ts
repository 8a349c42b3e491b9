/** `boucle start` (`npm start`): runs Boucle locally, prints the URL to open, stops everything on Ctrl-C. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBoucle } from '../start/start-boucle.ts';
import type { CliIo } from './cli-io.ts';

const HELP = `Usage: boucle start [--data DIR] [--accounts N] [--port N]

Sandbox mode (default): starts the Salesforce and Zendesk emulators loaded with the generated dataset, runs a
first sync, starts the automation service with the emulator's signed webhooks pointing at it, and the built
sidebar inside the Zendesk-like agent page. Prints the URL to open and a survey page to send answers from.
Real mode: when .env sets SALESFORCE_LOGIN_URL, ZENDESK_URL, ZENDESK_EMAIL and ZENDESK_API_TOKEN to a real
org and account (plus the keys of docs/sync.md and docs/automation.md), runs the first sync and the service
against them instead. The first line says which mode. Ctrl-C stops everything; state stays in DIR.

  --data DIR     state folder (default data)
  --accounts N   accounts of the generated dataset, when it does not exist yet (default 1000)
  --port N       port of the agent page (default: any free port)
`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        data: { type: 'string' },
        accounts: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`boucle start: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const accounts = values.accounts === undefined ? undefined : Number(values.accounts);
  if (accounts !== undefined && (!Number.isInteger(accounts) || accounts < 1)) {
    io.stderr.write(`boucle start: --accounts must be a whole number ≥ 1 (got "${values.accounts}")\n`);
    return 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    io.stderr.write(`boucle start: --port must be a port number 0–65535 (got "${values.port}")\n`);
    return 2;
  }
  let running;
  try {
    running = await startBoucle({
      io,
      ...(values.data === undefined ? {} : { dataDir: resolve(io.cwd, values.data) }),
      ...(accounts === undefined ? {} : { accounts }),
      ...(port === undefined ? {} : { port }),
    });
  } catch (error) {
    io.stderr.write(`boucle start: ${(error as Error).message}\n`);
    return 1;
  }
  if (running.mode === 'sandbox') {
    io.stdout.write(
      [
        '',
        `Open: ${running.url}`,
        ...(running.consoleUrl === null
          ? []
          : [`Console (team leads, Zendesk's left bar): ${running.consoleUrl}`]),
        `Survey page (send a customer's answer): ${running.surveyUrl ?? ''}`,
        `Connector: ${running.serviceUrl}`,
        'Written back to Salesforce: npx boucle report writeback',
        'Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } else {
    io.stdout.write(`\nConnector running: ${running.serviceUrl} (health: ${running.url})\nCtrl-C to stop.\n`);
  }
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  io.stdout.write('Stopping…\n');
  await running.close();
  io.stdout.write('Stopped. State kept in the data folder.\n');
  return 0;
}
