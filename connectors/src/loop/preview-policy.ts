import { availableParallelism } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import {
  createDecider,
  createPolicyPreview,
  mergePolicyPreviews,
  previewPolicy,
} from '../../../shared/src/index.ts';
import type { PolicyPreview, Settings } from '../../../shared/src/index.ts';
import { readStoredIncidents, splitDecisionWindow } from './intervention-ledger.ts';
import type { DecisionWindow, InterventionLedger } from './intervention-ledger.ts';

/**
 * The preview of a draft policy over the incidents of the ledger in the SQLite file `db` decided within
 * `window` (all by default): the rows are streamed from SQLite one at a time and decided again with the draft by
 * `shared/`'s `previewPolicy`, which compares them with the recorded decisions. The settings are parsed by the
 * caller (`parseSettings`), so a bad draft is reported with its paths before anything is read.
 */
export function previewDraftPolicy(
  db: DatabaseSync,
  draft: Settings,
  window: DecisionWindow = {},
): PolicyPreview {
  return previewPolicy(createDecider(draft), readStoredIncidents(db, window));
}

/** The same over a ledger on either database (`Sql` port), read page by page. */
export async function previewLedgerPolicy(
  ledger: InterventionLedger,
  draft: Settings,
  window: DecisionWindow = {},
): Promise<PolicyPreview> {
  const previewer = createPolicyPreview(createDecider(draft));
  for await (const incident of ledger.storedIncidents(window)) previewer.add(incident);
  return previewer.result();
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
    return previewDraftPolicy(db, request.draft, request.window);
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
 * (`splitDecisionWindow`); each thread reads its range of the `decided_at` index through its own
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
      return splitDecisionWindow(db, window, size);
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
