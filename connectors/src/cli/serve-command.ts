import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLoopZendesk } from '../loop/create-loop-zendesk.ts';
import { loadDecider, startAutomationService } from '../serve/start-automation-service.ts';
import { ZendeskClient } from '../zendesk/index.ts';
import { loadServeConfig } from './automation-config.ts';
import type { CliIo } from './cli-io.ts';
import { loadServeWriteback } from './writeback-command.ts';

const HELP = `Usage: boucle serve [--env-file FILE]

Runs the closed-loop automation service: POST /webhooks/zendesk (signed Zendesk webhooks), POST /feedback
(survey answers, bearer token), GET /healthz, GET /metrics. Prints its URL on the first line of stdout.
Configuration: environment variables or .env (see docs/automation.md). Ctrl-C (SIGINT/SIGTERM) stops it
after the events in progress.`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    io.stderr.write(`boucle serve: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = loadServeConfig(io, values['env-file']);
  if (config === null) return 2;
  const writeback = loadServeWriteback(io, values['env-file'], config.zendesk.url);
  if (writeback === null) return 2;
  const installationId = config.automation.zendeskInstallationId;
  let decider;
  try {
    decider =
      installationId !== undefined
        ? undefined
        : loadDecider(
            config.automation.settingsFile === undefined
              ? undefined
              : resolve(io.cwd, config.automation.settingsFile),
          );
  } catch (error) {
    io.stderr.write(`boucle serve: ${(error as Error).message}\n`);
    return 2;
  }
  const client = new ZendeskClient({
    baseUrl: config.zendesk.url,
    auth: { kind: 'apiToken', email: config.zendesk.email, token: config.zendesk.apiToken },
    requestsPerMinute: config.zendesk.requestsPerMinute,
  });
  let service;
  try {
    service = await startAutomationService({
      settings: config.automation,
      databasePath: resolve(io.cwd, config.store.path),
      ...(config.store.databaseUrl === undefined ? {} : { databaseUrl: config.store.databaseUrl }),
      zendesk: createLoopZendesk(client),
      ...(decider === undefined ? {} : { decider }),
      ...(installationId === undefined
        ? {}
        : {
            installationPolicy: {
              client,
              installationId,
              pollIntervalMs: config.automation.policyPollIntervalMs ?? 60_000,
            },
          }),
      log: (line) => io.stderr.write(`boucle serve: ${line}\n`),
      ...(writeback === undefined ? {} : { writeback }),
    });
  } catch (error) {
    if (!(error as Error).message.startsWith('BOUCLE_ZENDESK_INSTALLATION_ID')) throw error;
    io.stderr.write(`boucle serve: ${(error as Error).message}\n`);
    return 2;
  }
  io.stdout.write(`${service.url}\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await service.close();
  return 0;
}
