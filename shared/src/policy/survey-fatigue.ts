/**
 * Survey fatigue: do not ask a customer for a satisfaction rating again within `days` of their last answer, nor
 * while one of their loops is open (an intervention on another ticket that nobody has closed yet). Boucle applies
 * it by tagging the solved ticket `boucle_no_survey`; the admin adds "Tags contains none of boucle_no_survey" to
 * Zendesk's CSAT automation (docs/programme.md, "Survey fatigue").
 */

export const NO_SURVEY_TAG = 'boucle_no_survey';

/** An open loop older than this is treated as abandoned (it no longer blocks surveys). */
export const OPEN_LOOP_MAX_AGE_DAYS = 90;

export interface FatigueFacts {
  /** When the customer last answered a survey (ms), null when never. */
  readonly lastAnsweredAt: number | null;
  /** The customer's interventions on other tickets: decided (ms), the action, and whether the loop was closed. */
  readonly otherLoops: readonly {
    readonly decidedAt: number;
    readonly action: string;
    readonly closed: boolean;
  }[];
}

export type FatigueReason = 'answered_recently' | 'loop_open';

export interface FatigueVerdict {
  readonly skip: boolean;
  readonly reasons: readonly FatigueReason[];
}

const DAY = 86_400_000;

/** Whether to skip the survey of a ticket solved at `now`, with `days` the quiet period (0: never skip). */
export function surveyFatigue(facts: FatigueFacts, now: number, days: number): FatigueVerdict {
  if (days <= 0) return { skip: false, reasons: [] };
  const reasons: FatigueReason[] = [];
  if (facts.lastAnsweredAt !== null && facts.lastAnsweredAt <= now && now - facts.lastAnsweredAt < days * DAY)
    reasons.push('answered_recently');
  if (
    facts.otherLoops.some(
      (loop) => loop.action !== 'none' && !loop.closed && now - loop.decidedAt < OPEN_LOOP_MAX_AGE_DAYS * DAY,
    )
  )
    reasons.push('loop_open');
  return { skip: reasons.length > 0, reasons };
}
