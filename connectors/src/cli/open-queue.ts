import { resolve } from 'node:path';
import type { StoreSettings } from '../config/store.ts';
import { DurableQueue, type EventQueue } from '../queue/durable-queue.ts';
import { PostgresQueue } from '../queue/postgres-queue.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { openAutomationStore } from '../serve/start-automation-service.ts';
import { openPostgresStore } from '../store/postgres.ts';
import type { CliIo } from './cli-io.ts';

/**
 * The queue a command works on: PostgreSQL's with BOUCLE_DATABASE_URL, else the SQLite file's. Null (and the
 * message on stderr) when the server cannot be used.
 */
export async function openCommandQueue(
  command: string,
  store: StoreSettings,
  io: CliIo,
): Promise<{ readonly queue: EventQueue; close(): Promise<void> | void } | null> {
  if (store.databaseUrl === undefined) {
    const sqlite = openAutomationStore(resolve(io.cwd, store.path));
    return { queue: new DurableQueue(sqlite.db), close: () => sqlite.close() };
  }
  try {
    const postgres = await openPostgresStore(store.databaseUrl, [QUEUE_SCHEMA]);
    return { queue: new PostgresQueue(postgres), close: () => postgres.close() };
  } catch (error) {
    io.stderr.write(`boucle ${command}: ${(error as Error).message}\n`);
    return null;
  }
}
