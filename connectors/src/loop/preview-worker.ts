/** A thread of createPreviewPool (preview-policy.ts): previews the share of the ledger it is asked, posts it. */
import { parentPort } from 'node:worker_threads';
import { previewShare, type PreviewReply, type PreviewRequest } from './preview-policy.ts';

const port = parentPort;
if (port === null) throw new Error('preview-worker.ts runs as a worker thread of a preview pool');
port.on('message', (request: PreviewRequest) => {
  let reply: PreviewReply;
  try {
    reply = { preview: previewShare(request) };
  } catch (error) {
    // The thread stays up for the next preview; the caller gets the reason.
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
