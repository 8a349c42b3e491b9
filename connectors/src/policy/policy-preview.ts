/**
 * `POST /api/v1/policy/preview`: a draft policy over the ledger's incidents of the last N days. The figures are
 * `shared/`'s `createPolicyPreview` (the same one the sidebar-side tools and `previewDraftPolicy` use); this file
 * only reads the incidents through the `Sql` port, page by page, and keeps, beside the figures, the decisions the
 * draft changes (ticket, before, after), which the shared preview counts but does not list. Every draft decision
 * is made once: the decider handed to the shared previewer remembers its last decision for the list.
 */
import { createPolicyPreview, decodeDecisionInput } from '../../../shared/src/index.ts';
import type { Action, Decider, Decision, DecisionInput, PolicyPreview } from '../../../shared/src/index.ts';
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

interface Row {
  id: number;
  ticket_id: number;
  input_compact: string | null;
  decided_at: number;
  action: string;
  compensation_tier: string | null;
  cost: number | null;
  expected_value: number | null;
  agent_minutes: number | null;
  due_at: number | null;
}

const readInput = (text: string | null): DecisionInput | null => {
  if (text === null) return null;
  try {
    return decodeDecisionInput(text);
  } catch {
    return null;
  }
};

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
  let after = { decidedAt: window.from - 1, id: Number.MAX_SAFE_INTEGER };
  for (;;) {
    const rows = await sql.all<Row>(
      `SELECT id, ticket_id, input_compact, decided_at, action, compensation_tier, cost, expected_value, agent_minutes, due_at
       FROM automation_interventions
       WHERE decided_at < ? AND (decided_at > ? OR (decided_at = ? AND id > ?)) AND decided_at >= ?
       ORDER BY decided_at, id LIMIT ?`,
      [window.to, after.decidedAt, after.decidedAt, after.id, window.from, pageSize],
    );
    for (const row of rows) {
      last = undefined;
      const recorded = {
        action: row.action,
        compensationTier: row.compensation_tier,
        cost: row.cost,
        expectedValue: row.expected_value,
        agentMinutes: row.agent_minutes,
        dueAt: row.due_at,
      };
      previewer.add({ input: readInput(row.input_compact), decidedAt: row.decided_at, recorded });
      const decision = last as Decision | undefined;
      if (
        decision === undefined ||
        (decision.action === row.action && decision.compensationTier === row.compensation_tier)
      )
        continue;
      changes.push({
        ticketId: row.ticket_id,
        decidedAt: new Date(row.decided_at).toISOString(),
        before: { action: row.action, compensationTier: row.compensation_tier },
        after: { action: decision.action, compensationTier: decision.compensationTier },
        expectedValueDelta: Math.round((decision.expectedValue - (row.expected_value ?? 0)) * 100) / 100,
      });
      if (changes.length > limit * 5) changes = changes.sort(byEffect).slice(0, limit);
    }
    if (rows.length < pageSize) break;
    const end = rows[rows.length - 1]!;
    after = { decidedAt: end.decided_at, id: end.id };
  }
  return { preview: previewer.result(), changes: changes.sort(byEffect).slice(0, limit) };
}
