/** The thread `boucle sync` runs in (see runInWorker in sync-command.ts): its heap is capped by SYNC_HEAP_MB. */
import { Readable, Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { runHere, type SyncWorkerData, type SyncWorkerMessage } from './sync-command.ts';

const data = workerData as SyncWorkerData;
const port = parentPort;
if (port === null) throw new Error('sync-worker.ts runs as a worker thread of boucle sync');

const relay = (stream: 'stdout' | 'stderr'): Writable =>
  new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      port.postMessage({ stream, chunk: String(chunk) } satisfies SyncWorkerMessage);
      done();
    },
  });
const stdout = Object.assign(relay('stdout'), { isTTY: data.tty });

const listeners = new Set<() => void>();
port.on('message', (message: unknown) => {
  if (message === 'stop') for (const listener of listeners) listener();
});
port.unref();

const code = await runHere(
  data.args,
  { stdin: Readable.from([]), stdout, stderr: relay('stderr'), env: data.env, cwd: data.cwd },
  {
    onStop(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  },
);
port.postMessage({ exit: code } satisfies SyncWorkerMessage);
port.close();
