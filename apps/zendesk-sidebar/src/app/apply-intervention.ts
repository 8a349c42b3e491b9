import { BOUCLE_TAGS, INTERVENTION_FIELD_KEYS, isBoucleTag } from '../../../../shared/src/index.ts';
import type { CustomObjectRecord, InterventionRecord } from '../requester/zendesk-records.ts';
import { INTERVENTION_OBJECT, readInterventionRecord } from '../requester/zendesk-records.ts';
import type { ZafClient } from '../../../common/src/zaf/zaf-client.ts';
import type { ZendeskApi } from '../zaf/zendesk-api.ts';
import type { Action, RecommendationView, TicketFacts } from './sidebar-model.ts';

export interface ApplyRequest {
  readonly ticket: TicketFacts;
  readonly requesterId: number;
  readonly recommendation: RecommendationView;
  /** The action actually applied (the recommended one, or the agent's override). */
  readonly action: Action;
  readonly overrideReason: string | null;
  /** Draft reply for the comment box, already in the customer's language. */
  readonly draftReply: string;
  readonly now: Date;
  /** Field ids from settings win over the ones found by title. */
  readonly fieldIds: { readonly intervention: string | null; readonly callbackDueAt: string | null };
  /**
   * A re-application: the ledger record already written for this ticket. The form is filled again from it
   * (its action, priority and due time) and nothing new is recorded.
   */
  readonly existing?: InterventionRecord | null;
}

/** The tags Apply adds: the action's tag plus the recommendation's own `boucle_` tags. */
export function tagsToAdd(
  request: Pick<ApplyRequest, 'action' | 'recommendation' | 'overrideReason'>,
): string[] {
  const tags = new Set<string>([BOUCLE_TAGS.action(request.action)]);
  if (request.overrideReason === null) {
    for (const tag of request.recommendation.tags) if (isBoucleTag(tag)) tags.add(tag);
  }
  if (request.action === 'callback' || request.action === 'compensation') tags.add(BOUCLE_TAGS.followUp);
  return [...tags];
}

/** The other action tags Boucle set earlier on this ticket, removed so that only one action tag remains. */
function staleActionTags(ticketTags: readonly string[], action: Action): string[] {
  const current = BOUCLE_TAGS.action(action);
  const actionTags = (['none', 'apology', 'callback', 'compensation'] as const).map((a) =>
    BOUCLE_TAGS.action(a),
  );
  return ticketTags.filter((t) => actionTags.includes(t) && t !== current);
}

/**
 * Apply: tags and priority through ZAF, Boucle's ticket fields when they exist, the draft reply in the comment
 * box, and the ledger record in the `boucle_intervention` custom object. The record is written first, so that a
 * Zendesk API failure leaves the ticket untouched and the agent can retry.
 */
export async function applyIntervention(
  client: ZafClient,
  api: ZendeskApi,
  request: ApplyRequest,
): Promise<InterventionRecord> {
  const { ticket, recommendation: rec, action } = request;
  if (request.existing) {
    await fillTicketForm(client, request, {
      priority: PRIORITIES.find((p) => p === request.existing?.priority) ?? rec.priority,
      dueAt: request.existing.dueAt,
    });
    return request.existing;
  }
  const overridden = request.overrideReason !== null;
  // Every recovery has its follow-up clock (shared/src/policy/follow-up.ts), the same window whichever is chosen.
  const dueAt = action === 'none' ? null : (rec.followUp?.dueAt ?? null);
  const fields: Record<string, string | number> = {
    [INTERVENTION_FIELD_KEYS.ticketId]: String(ticket.id),
    [INTERVENTION_FIELD_KEYS.userId]: String(request.requesterId),
    [INTERVENTION_FIELD_KEYS.action]: action,
    [INTERVENTION_FIELD_KEYS.priority]: rec.priority,
    [INTERVENTION_FIELD_KEYS.status]: overridden ? 'overridden' : 'applied',
    [INTERVENTION_FIELD_KEYS.decidedAt]: request.now.toISOString(),
    [INTERVENTION_FIELD_KEYS.summary]: rec.headline.slice(0, 1000),
  };
  if (!overridden || action === rec.action) {
    fields[INTERVENTION_FIELD_KEYS.expectedValue] = round2(rec.expectedValue);
    fields[INTERVENTION_FIELD_KEYS.cost] = round2(rec.cost);
    if (rec.compensationTier && action === 'compensation') {
      fields[INTERVENTION_FIELD_KEYS.compensationTier] = rec.compensationTier;
    }
  } else {
    const alternative = rec.alternatives.find((a) => a.action === action);
    if (alternative) fields[INTERVENTION_FIELD_KEYS.expectedValue] = round2(alternative.expectedValue);
  }
  if (dueAt) fields[INTERVENTION_FIELD_KEYS.dueAt] = dueAt;
  if (request.overrideReason) fields[INTERVENTION_FIELD_KEYS.overrideReason] = request.overrideReason;

  const created = await api.sendJson<{ custom_object_record?: CustomObjectRecord }>(
    'POST',
    `/api/v2/custom_objects/${INTERVENTION_OBJECT}/records`,
    {
      custom_object_record: {
        name: `Ticket #${ticket.id} — ${action}`,
        external_id: `ticket-${ticket.id}-${request.now.getTime()}`,
        custom_object_fields: fields,
      },
    },
  );

  await fillTicketForm(client, request, { priority: rec.priority, dueAt });

  const record = created.custom_object_record ? readInterventionRecord(created.custom_object_record) : null;
  return (
    record ?? {
      id: `local-${request.now.getTime()}`,
      ticketId: String(ticket.id),
      action,
      compensationTier: rec.compensationTier,
      priority: rec.priority,
      expectedValue: rec.expectedValue,
      cost: rec.cost,
      status: overridden ? 'overridden' : 'applied',
      dueAt,
      outcome: null,
      overrideReason: request.overrideReason,
      decidedAt: request.now.toISOString(),
      summary: rec.headline,
    }
  );
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/**
 * The ticket form through ZAF: the action tags, the priority, Boucle's fields and the draft reply. Nothing here
 * is saved until the agent submits the ticket.
 */
async function fillTicketForm(
  client: ZafClient,
  request: ApplyRequest,
  filled: { readonly priority: (typeof PRIORITIES)[number]; readonly dueAt: string | null },
): Promise<void> {
  const { ticket, action } = request;
  const stale = staleActionTags(ticket.tags, action);
  if (stale.length > 0) await client.invoke({ name: 'ticket.tags.remove', args: [stale] });
  await client.invoke({ name: 'ticket.tags.add', args: [tagsToAdd(request)] });
  const values: Record<string, string> = { 'ticket.priority': filled.priority };
  if (request.fieldIds.intervention) {
    values[`ticket.customField:${request.fieldIds.intervention}`] = BOUCLE_TAGS.action(action);
  }
  // The callback field holds a callback's or a compensation's clock; an apology's reply clock is the ledger's only.
  const callbackFieldDue = action === 'callback' || action === 'compensation' ? filled.dueAt : null;
  if (request.fieldIds.callbackDueAt && callbackFieldDue) {
    values[`ticket.customField:${request.fieldIds.callbackDueAt}`] = callbackFieldDue;
  }
  await client.set(values);
  if (request.draftReply) await client.invoke({ name: 'comment.appendText', args: [request.draftReply] });
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
