import { join } from 'node:path';
import { automationSection } from '../config/automation.ts';
import { ConfigError, environmentWithDotEnv, loadConfig } from '../config/config.ts';
import { storeSection } from '../config/store.ts';
import { zendeskSection } from '../config/zendesk.ts';
import type { CliIo } from './cli-io.ts';

/** Loads the store section (import, dlq, report) or everything `serve` needs; prints every bad key. */
export function loadStoreConfig(command: string, io: CliIo, envFile: string | undefined) {
  return guarded(command, io, () =>
    loadConfig({ store: storeSection }, environmentWithDotEnv(io.env, envFile ?? join(io.cwd, '.env'))),
  );
}

export function loadServeConfig(io: CliIo, envFile: string | undefined) {
  return guarded('serve', io, () =>
    loadConfig(
      { store: storeSection, zendesk: zendeskSection, automation: automationSection },
      environmentWithDotEnv(io.env, envFile ?? join(io.cwd, '.env')),
    ),
  );
}

function guarded<T>(command: string, io: CliIo, load: () => T): T | null {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`boucle ${command}: ${error.message}\nSee docs/automation.md for every key.\n`);
      return null;
    }
    throw error;
  }
}
