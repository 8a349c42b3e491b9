// The SQLite queue's accept writer, in a worker thread (DurableQueue's `acceptThread` option): its commits — and
// their fsync — happen here, so the event loop that answers webhooks never waits for the disk.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import type { NewQueueEvent } from './durable-queue.ts';
import { SqliteEventWriter } from './sqlite-event-writer.ts';

const { path, synchronous } = workerData as { path: string; synchronous: 'FULL' | 'NORMAL' };
const db = new DatabaseSync(path, { timeout: 10_000 });
db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'};`);
const writer = new SqliteEventWriter(db);

parentPort!.on('message', (message: { seq: number; events: NewQueueEvent[]; now: number } | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ seq: message.seq, outcomes: writer.write(message.events, message.now) });
  } catch (error) {
    parentPort!.postMessage({
      seq: message.seq,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
