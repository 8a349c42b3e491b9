import type { InterventionRecord } from '../requester/zendesk-records.ts';
import type { ZafClient, ZafGetPath } from '../../../common/src/zaf/zaf-client.ts';
import type { Action, RecommendationView, TicketFacts } from './sidebar-model.ts';

/**
 * The ticket as Zendesk has it saved, as far as Boucle is concerned: read when the ticket opens (the form is the
 * saved ticket then) and again after each Submit, never from the form in between (Apply's edits live in the form
 * until the agent submits, as in Zendesk).
 */
export interface StoredTicket {
  readonly tags: readonly string[];
  /** The *Boucle intervention* field's saved value (an action tag); null when empty or absent. */
  readonly interventionField: string | null;
  /** Whether the ticket has the *Boucle intervention* field at all. */
  readonly hasInterventionField: boolean;
  /** The *Boucle callback due (UTC)* field's saved value; null when empty or absent. */
  readonly callbackDueField: string | null;
}

/** What Apply filled in the form during this visit, not yet submitted. */
export interface PendingApply {
  readonly ticketId: number;
  readonly action: Action;
  /** The ledger record Apply wrote or, for a re-application, the one it filled the form from. */
  readonly recordId: string;
  /** True when the form was filled again from an existing record (no new record). */
  readonly reapplied: boolean;
  /**
   * The recommendation as the agent saw it when applying: shown until Submit, since Apply's own edits (the
   * priority it raised) would otherwise change the decision under the agent's eyes.
   */
  readonly recommendation?: RecommendationView;
}

export type ApplyStatus =
  /** No intervention recorded for this ticket. */
  | { readonly kind: 'not-applied' }
  /** Filled in the form during this visit: saved only when the agent submits the ticket. */
  | { readonly kind: 'pending'; readonly record: InterventionRecord | null; readonly pending: PendingApply }
  /** Recorded in the ledger, and the saved ticket carries it. */
  | { readonly kind: 'saved'; readonly record: InterventionRecord }
  /** Recorded in the ledger, but the saved ticket does not carry it (Apply, then no Submit). */
  | { readonly kind: 'not-saved'; readonly record: InterventionRecord };

/** The ticket's intervention as the ledger has it: the newest record for this ticket (records are newest first). */
export function recordForTicket(
  interventions: readonly InterventionRecord[],
  ticketId: number,
): InterventionRecord | null {
  return interventions.find((record) => record.ticketId === String(ticketId)) ?? null;
}

/** Whether the saved ticket carries the recorded action: its field when the ticket has it, else its tag. */
export function storedCarries(stored: StoredTicket, action: Action): boolean {
  const tag = `boucle_${action}`;
  return stored.hasInterventionField ? stored.interventionField === tag : stored.tags.includes(tag);
}

/** The sidebar's apply state, from what is really stored (the ledger record, the saved ticket) and this visit. */
export function applyStatusOf(
  record: InterventionRecord | null,
  stored: StoredTicket,
  pending: PendingApply | null,
): ApplyStatus {
  if (pending) return { kind: 'pending', record, pending };
  if (!record) return { kind: 'not-applied' };
  return storedCarries(stored, record.action) ? { kind: 'saved', record } : { kind: 'not-saved', record };
}

const asText = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

/**
 * Reads the saved values of Boucle's ticket fields with one `client.get` (a message to the host, no HTTP
 * request). Call it when the form is the saved ticket: when the ticket opens and after a Submit.
 */
export async function readStoredTicket(
  client: ZafClient,
  ticket: TicketFacts,
  fieldIds: { readonly intervention: string | null; readonly callbackDueAt: string | null },
): Promise<StoredTicket> {
  const paths = [fieldIds.intervention, fieldIds.callbackDueAt]
    .filter((id): id is string => id !== null)
    .map((id) => `ticket.customField:${id}` as ZafGetPath);
  const { values, errors } = paths.length > 0 ? await client.get(paths) : { values: {}, errors: {} };
  const read = (id: string | null) =>
    id === null ? null : asText((values as Record<string, unknown>)[`ticket.customField:${id}`]);
  const exists = (id: string | null) =>
    id !== null && !(`ticket.customField:${id}` in (errors as Record<string, unknown>));
  return {
    tags: ticket.tags,
    interventionField: read(fieldIds.intervention),
    hasInterventionField: exists(fieldIds.intervention),
    callbackDueField: read(fieldIds.callbackDueAt),
  };
}

/** Boucle's ticket fields: the ids from the settings (digits) win over the ones found by title. */
export function resolveFieldIds(
  settingsIds: { readonly intervention: string; readonly callbackDueAt: string } | undefined,
  ticket: TicketFacts,
): { readonly intervention: string | null; readonly callbackDueAt: string | null } {
  const byId = (id: string | undefined) => (id ? `custom_field_${id}` : null);
  return {
    intervention: byId(settingsIds?.intervention) ?? ticket.fieldIds.intervention,
    callbackDueAt: byId(settingsIds?.callbackDueAt) ?? ticket.fieldIds.callbackDueAt,
  };
}
