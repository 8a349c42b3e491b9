import type { EffortClass, EffortSource } from '../domain/vocabulary.ts';
import { parseIsoMs } from '../domain/time.ts';
import type { FeedbackResponse } from '../feedback/feedback-schema.ts';
import type { Incident, TicketSignals } from '../incident/incident-schema.ts';
import { computeEffortRatio, toCustomerEffort } from '../metrics/feedback-metrics.ts';
import type { Settings } from '../settings/settings-schema.ts';
import type { CompiledLexicon } from './effort-lexicon.ts';

export interface EffortAssessment {
  /** Customer effort, 1–7 (CES direction). */
  readonly customer: number;
  /** Company effort, 1–7. */
  readonly company: number;
  readonly ratio: number;
  readonly difference: number;
  readonly class: EffortClass;
  /** `measured`: both sides surveyed; `partial`: one side; `estimated`: from the ticket history only. */
  readonly source: EffortSource;
  /** 0…1: 1 when measured; estimates gain confidence with the number of signals seen. */
  readonly confidence: number;
  /** Effort phrases found in the customer's words. */
  readonly phrases: readonly string[];
}

const clampEffort = (value: number): number => Math.min(7, Math.max(1, value));
const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Customer effort from the ticket history: contacts, reopens, channel switches, transfers, waiting, words. */
export function estimateCustomerEffort(
  incident: Incident,
  weights: Settings['effort']['customer'],
  phraseWeight: number,
): number {
  const fromWaiting = Math.min(weights.maxFromWaiting, (incident.waitingHours / 24) * weights.perWaitingDay);
  return clampEffort(
    1 +
      (incident.contacts - 1) * weights.perExtraContact +
      incident.reopens * weights.perReopen +
      incident.channelSwitches * weights.perChannelSwitch +
      incident.transfers * weights.perTransfer +
      fromWaiting +
      Math.min(weights.maxFromPhrases, phraseWeight),
  );
}

/** Company effort from what the company did: public replies, proactive callbacks, escalations, ownership, gestures. */
export function estimateCompanyEffort(
  signals: TicketSignals | undefined,
  weights: Settings['effort']['company'],
): number {
  if (signals === undefined) return 1;
  return clampEffort(
    1 +
      Math.min(weights.maxFromPublicReplies, signals.publicReplies * weights.perPublicReply) +
      signals.proactiveCallbacks * weights.perProactiveCallback +
      signals.escalations * weights.perEscalation +
      (signals.ownerAssigned ? weights.ownerAssigned : 0) +
      signals.gestures * weights.perGesture,
  );
}

function countSignals(incident: Incident, signals: TicketSignals | undefined, phrases: number): number {
  let seen = 0;
  if (incident.contacts > 1) seen += 1;
  if (incident.reopens > 0) seen += 1;
  if (incident.channelSwitches > 0) seen += 1;
  if (incident.transfers > 0) seen += 1;
  if (incident.waitingHours > 0) seen += 1;
  if (phrases > 0) seen += 1;
  if (signals !== undefined) seen += 2;
  return seen;
}

/**
 * Both sides' effort for this incident and their C:CER. Survey answers about this ticket (latest CES, latest
 * company effort) beat estimates from the ticket history: measured beats estimated, side by side.
 */
export function assessEffort(
  incident: Incident,
  feedback: readonly FeedbackResponse[],
  signals: TicketSignals | undefined,
  settings: Settings['effort'],
  lexicon: CompiledLexicon,
): EffortAssessment {
  let measuredCustomer: number | undefined;
  let measuredCompany: number | undefined;
  let customerAt = Number.NEGATIVE_INFINITY;
  let companyAt = Number.NEGATIVE_INFINITY;
  let texts: readonly string[] = incident.comments;
  for (const response of feedback) {
    if (response.ticketId !== incident.ticketId) continue;
    if (response.comment !== undefined) texts = [...texts, response.comment];
    if (response.kind !== 'ces' && response.kind !== 'company_effort') continue;
    const at = parseIsoMs(response.respondedAt);
    if (response.kind === 'ces' && at >= customerAt) {
      measuredCustomer = toCustomerEffort(response);
      customerAt = at;
    } else if (response.kind === 'company_effort' && at >= companyAt) {
      measuredCompany = response.score;
      companyAt = at;
    }
  }
  const matched = lexicon.match(texts);
  const customer =
    measuredCustomer ?? round2(estimateCustomerEffort(incident, settings.customer, matched.weight));
  const company = measuredCompany ?? round2(estimateCompanyEffort(signals, settings.company));
  const measuredSides = (measuredCustomer === undefined ? 0 : 1) + (measuredCompany === undefined ? 0 : 1);
  const source: EffortSource =
    measuredSides === 2 ? 'measured' : measuredSides === 1 ? 'partial' : 'estimated';
  const confidence =
    source === 'measured'
      ? 1
      : source === 'partial'
        ? 0.75
        : Math.min(0.65, 0.3 + 0.05 * countSignals(incident, signals, matched.phrases.length));
  const ratio = computeEffortRatio(customer, company, settings.balancedTolerance);
  return {
    customer,
    company,
    ratio: round2(ratio.ratio),
    difference: round2(ratio.difference),
    class: ratio.class,
    source,
    confidence: round2(confidence),
    phrases: matched.phrases,
  };
}
