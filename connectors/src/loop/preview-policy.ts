import { availableParallelism } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { createDecider, mergePolicyPreviews, previewPolicy } from '../../../shared/src/index.ts';
import type { PolicyPreview, Settings } from '../../../shared/src/index.ts';
import { InterventionLedger } from './intervention-ledger.ts';
import type { DecisionWindow } from './intervention-ledger.ts';

/**
 * The preview of a draft policy over the incidents of the intervention ledger decided within `window` (all by
 * default): the rows are streamed from SQLite one at a time and decided again with the draft by `shared/`'s
 * `previewPolicy`, which compares them with the recorded decisions. The settings are parsed by the caller
 * (`parseSettings`), so a bad draft is reported with its paths before anything is read.
 */
export function previewDraftPolicy(
  ledger: InterventionLedger,
  draft: Settings,
  window: DecisionWindow = {},
): PolicyPreview {
  return previewPolicy(createDecider(draft), ledger.storedIncidents(window));
}

/** What a preview worker thread is asked (preview-worker.ts): one share of one preview. */
export interface PreviewRequest {
  readonly path: string;
  readonly draft: Settings;
  readonly window: DecisionWindow;
}

export type PreviewReply = { readonly preview: PolicyPreview } | { readonly error: string };

const openReadOnly = (path: string) => new DatabaseSync(path, { readOnly: true, timeout: 10_000 });

/**
 * The share of the ledger file at `path` a worker previews: its own read-only connection, the same code. The
 * worker aggregates its share itself; only the figures come back.
 */
export function previewShare(request: PreviewRequest): PolicyPreview {
  const db = openReadOnly(request.path);
  try {
    return previewDraftPolicy(new InterventionLedger(db), request.draft, request.window);
  } finally {
    db.close();
  }
}

export interface PreviewPool {
  /** The preview of `draft` over the ledger file's incidents within `window`, its shares read in parallel. */
  readonly preview: (draft: Settings, window?: DecisionWindow) => Promise<PolicyPreview>;
  readonly close: () => Promise<void>;
}

/**
 * Worker threads (default: one per core, at most 4) that preview a draft over the ledger file at `path`. The
 * window is cut into consecutive ranges of decision times holding about as many incidents each
 * (`InterventionLedger.splitWindow`); each thread reads its range of the `decided_at` index through its own
 * read-only connection, decides and sums, and the shares are merged. The threads stay up between previews, so
 * an admin trying drafts one after the other gets warm code. SQLite's WAL lets them read while the connector
 * keeps writing.
 */
export function createPreviewPool(path: string, size = Math.min(4, availableParallelism())): PreviewPool {
  const workers = Array.from(
    { length: size },
    () => new Worker(new URL('./preview-worker.ts', import.meta.url)),
  );
  const failed = (reason: string) => new Error(`The preview of ${path} failed: ${reason}`);
  const ask = (worker: Worker, request: PreviewRequest) =>
    new Promise<PolicyPreview>((resolve, reject) => {
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(error);
      };
      const onMessage = (reply: PreviewReply) => {
        worker.off('error', onError);
        if ('preview' in reply) resolve(reply.preview);
        else reject(failed(reply.error));
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(request);
    });
  const split = (window: DecisionWindow): DecisionWindow[] => {
    let db: DatabaseSync;
    try {
      db = openReadOnly(path);
    } catch (error) {
      throw failed(error instanceof Error ? error.message : String(error));
    }
    try {
      return new InterventionLedger(db).splitWindow(window, size);
    } finally {
      db.close();
    }
  };
  return {
    async preview(draft, window = {}) {
      const windows = split(window);
      const shares = await Promise.all(
        workers.map((worker, part) => ask(worker, { path, draft, window: windows[part]! })),
      );
      return shares.reduce(mergePolicyPreviews);
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
