/**
 * `POST /api/v1/policy/preview`: a draft policy over the ledger's incidents of the last N days. The figures are
 * `shared/`'s `createPolicyPreview` (the same one the sidebar-side tools and `previewDraftPolicy` use); this file
 * only reads the incidents through the `Sql` port, page by page (`pageStoredIncidents`), and keeps, beside the figures, the decisions the
 * draft changes (ticket, before, after), which the shared preview counts but does not list. Every draft decision
 * is made once: the decider handed to the shared previewer remembers its last decision for the list.
 */
import { createPolicyPreview } from '../../../shared/src/index.ts';
import type { Action, Decider, Decision, PolicyPreview } from '../../../shared/src/index.ts';
import { pageStoredIncidents } from '../loop/intervention-ledger.ts';
import type { Sql } from '../store/sql.ts';

export interface PreviewChange {
  readonly ticketId: number;
  readonly decidedAt: string;
  readonly before: { readonly action: string; readonly compensationTier: string | null };
  readonly after: { readonly action: Action; readonly compensationTier: string | null };
  /** € expected value, draft minus recorded (the simulator's model: an estimate). */
  readonly expectedValueDelta: number;
}

export interface LedgerPreview {
  readonly preview: PolicyPreview;
  /** Every change, or the `limit` with the largest € effect (absolute expected-value delta) first. */
  readonly changes: readonly PreviewChange[];
}

const byEffect = (a: PreviewChange, b: PreviewChange): number =>
  Math.abs(b.expectedValueDelta) - Math.abs(a.expectedValueDelta) || a.ticketId - b.ticketId;

/**
 * The preview of `draft` over the ledger rows decided in [from, to), read `pageSize` rows at a time (keyset
 * pages on the `decided_at` index), with the `limit` changes of largest € effect.
 */
export async function previewOverLedger(
  sql: Sql,
  draft: Decider,
  window: { readonly from: number; readonly to: number },
  options: { readonly limit?: number; readonly pageSize?: number } = {},
): Promise<LedgerPreview> {
  const limit = options.limit ?? 200;
  const pageSize = options.pageSize ?? 2_000;
  let last: Decision | undefined;
  const remembering: Decider = {
    settings: draft.settings,
    rules: draft.rules,
    decide: (input, now) => (last = draft.decide(input, now)),
  };
  const previewer = createPolicyPreview(remembering);
  let changes: PreviewChange[] = [];
  for await (const { ticketId, incident } of pageStoredIncidents(sql, window, pageSize)) {
    last = undefined;
    previewer.add(incident);
    const decision = last as Decision | undefined;
    const { recorded } = incident;
    if (
      decision === undefined ||
      (decision.action === recorded.action && decision.compensationTier === recorded.compensationTier)
    )
      continue;
    changes.push({
      ticketId,
      decidedAt: new Date(incident.decidedAt).toISOString(),
      before: { action: recorded.action, compensationTier: recorded.compensationTier },
      after: { action: decision.action, compensationTier: decision.compensationTier },
      expectedValueDelta: Math.round((decision.expectedValue - (recorded.expectedValue ?? 0)) * 100) / 100,
    });
    if (changes.length > limit * 5) changes = changes.sort(byEffect).slice(0, limit);
  }
  return { preview: previewer.result(), changes: changes.sort(byEffect).slice(0, limit) };
}
