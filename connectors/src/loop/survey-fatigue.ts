import {
  CUSTOM_OBJECT_KEYS,
  FEEDBACK_FIELD_KEYS,
  NO_SURVEY_TAG,
  surveyFatigue,
  type FatigueVerdict,
} from '../../../shared/src/index.ts';
import type { InterventionLedger } from './intervention-ledger.ts';
import type { LoopTicket, LoopZendesk } from './loop-ports.ts';
import { toFeedbackResponse } from './to-decision-input.ts';

/**
 * When a ticket is solved, tags it `boucle_no_survey` if its requester answered a survey within `days` or has an
 * open loop on another ticket (shared/src/policy/survey-fatigue.ts), and removes the tag when neither holds any
 * more. Zendesk's CSAT automation, with the condition an admin adds, then skips the tagged tickets.
 */
export async function applySurveyFatigue(
  zendesk: Pick<LoopZendesk, 'findRecords' | 'updateTicket'>,
  ledger: Pick<InterventionLedger, 'forUser'>,
  ticket: LoopTicket,
  now: Date,
  days: number,
): Promise<FatigueVerdict | null> {
  if (ticket.status !== 'solved' || days <= 0) return null;
  const records = await zendesk.findRecords(
    CUSTOM_OBJECT_KEYS.feedback,
    FEEDBACK_FIELD_KEYS.userId,
    String(ticket.requester_id),
  );
  const answered = records
    .map(toFeedbackResponse)
    .flatMap((response) => (response === null ? [] : [Date.parse(response.respondedAt)]))
    .filter((at) => at <= now.getTime());
  const verdict = surveyFatigue(
    {
      lastAnsweredAt: answered.length === 0 ? null : Math.max(...answered),
      otherLoops: (await ledger.forUser(ticket.requester_id))
        .filter((entry) => entry.ticketId !== ticket.id)
        .map((entry) => ({
          decidedAt: entry.decidedAt.getTime(),
          action: entry.action,
          closed: entry.outcome !== null,
        })),
    },
    now.getTime(),
    days,
  );
  const tagged = ticket.tags.includes(NO_SURVEY_TAG);
  if (verdict.skip && !tagged) await zendesk.updateTicket(ticket.id, { addTags: [NO_SURVEY_TAG] });
  if (!verdict.skip && tagged) await zendesk.updateTicket(ticket.id, { removeTags: [NO_SURVEY_TAG] });
  return verdict;
}
