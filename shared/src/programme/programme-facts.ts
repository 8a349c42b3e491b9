import type { FeedbackKind } from '../feedback/feedback-schema.ts';

/**
 * The cuts a programme figure can be broken down by. `tier` is Boucle's value tier, `segment` the CRM's own
 * segment field, `product` the CRM product line (or a ticket field), `region` the billing country/region,
 * `group` the Zendesk group, `language` the language of the answer (en/fr).
 */
export const PROGRAMME_DIMENSIONS = [
  'tier',
  'segment',
  'product',
  'region',
  'channel',
  'group',
  'touchpoint',
  'language',
] as const;
export type ProgrammeDimension = (typeof PROGRAMME_DIMENSIONS)[number];

/** The value of each cut for one answer or ticket; a missing cut reads as UNKNOWN_CUT. */
export type ProgrammeCuts = Readonly<Partial<Record<ProgrammeDimension, string>>>;

export const UNKNOWN_CUT = '(unknown)';

/** One survey answer as the programme reads it: flat, with its cuts resolved by the data layer. */
export interface ProgrammeAnswer {
  readonly id: string;
  /** ms since the epoch. */
  readonly at: number;
  readonly kind: FeedbackKind;
  /** The answer's scale (`0-10`, `1-5`, `1-3`, `1-2`, `good_bad`, `1-7`, `1-7_agree`). */
  readonly scale: string;
  /** The score; on the good_bad scale 1 = good, 0 = bad. */
  readonly score: number;
  readonly ticketId: string | null;
  /** Groups a CES and a company-effort answer into one C:CER pair (falls back to the ticket). */
  readonly interactionId: string | null;
  readonly comment: string | null;
  readonly cuts: ProgrammeCuts;
}

/** One ticket: the denominator of the complaint (incident) rate. */
export interface ProgrammeTicket {
  readonly id: string;
  /** ms since the epoch (creation). */
  readonly at: number;
  /** A critical incident / complaint. */
  readonly incident: boolean;
  readonly cuts: ProgrammeCuts;
}

export interface ProgrammeFacts {
  readonly answers: readonly ProgrammeAnswer[];
  readonly tickets: readonly ProgrammeTicket[];
}

export const cutOf = (cuts: ProgrammeCuts, dimension: ProgrammeDimension): string =>
  cuts[dimension] ?? UNKNOWN_CUT;

/** Whether a CSAT answer is satisfied (Zendesk's mapping: the top two of 5, the top of 3 and of 2, "good"). */
export function isSatisfied(scale: string, score: number): boolean {
  switch (scale) {
    case '1-5':
      return score >= 4;
    case '1-3':
      return score === 3;
    default:
      // 1-2 and good_bad (1 = good)
      return scale === '1-2' ? score === 2 : score === 1;
  }
}

/** The customer's effort on the "how much effort" direction (1 = very little … 7 = a great deal). */
export const customerEffortOf = (scale: string, score: number): number =>
  scale === '1-7_agree' ? 8 - score : score;

/** Calendar month `YYYY-MM` (UTC). */
export function monthOf(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** ISO week `YYYY-Www` (UTC): weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeekOf(ms: number): string {
  const date = new Date(ms);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const weekday = date.getUTCDay() || 7;
  const thursday = new Date(day + (4 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Start (ms) of the calendar month `months` after the one holding `ms` (negative: before). */
export function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
}
