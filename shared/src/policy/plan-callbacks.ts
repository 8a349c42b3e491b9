import type { Decision } from '../decision/decision.ts';

/** What the plan reads of a decision: a full `Decision`, or a ledger entry's stored figures (the console). */
export type CallbackCandidate = Pick<
  Decision,
  'id' | 'action' | 'expectedValue' | 'agentMinutes' | 'decidedBy'
>;

export interface PlannedCallback<T extends CallbackCandidate = Decision> {
  readonly decision: T;
  /** Expected value per agent-minute, the ranking key. */
  readonly valuePerMinute: number;
  /** 1-based rank in the day's queue. */
  readonly rank: number;
  /** Fits in the day's capacity. */
  readonly scheduled: boolean;
}

export interface CallbackPlan<T extends CallbackCandidate = Decision> {
  /** Every callback or compensation of the day, best first. */
  readonly queue: readonly PlannedCallback<T>[];
  readonly capacityMinutes: number;
  readonly usedMinutes: number;
  readonly scheduledValue: number;
  readonly deferredValue: number;
}

/**
 * Ranks the day's callbacks (compensations included: granting one and confirming it in writing takes agent time too, though no call) by expected value per
 * agent-minute, rules' forced callbacks first, and fills the team's capacity in that order. A callback that does
 * not fit is deferred, not dropped: a smaller one further down may still fit.
 */
export function planCallbacks<T extends CallbackCandidate = Decision>(
  decisions: readonly T[],
  capacityMinutes: number,
): CallbackPlan<T> {
  const ranked = decisions
    .filter((decision) => decision.action === 'callback' || decision.action === 'compensation')
    .map((decision) => ({
      decision,
      valuePerMinute:
        decision.agentMinutes === 0
          ? Number.POSITIVE_INFINITY
          : decision.expectedValue / decision.agentMinutes,
    }))
    .sort(
      (a, b) =>
        Number(b.decision.decidedBy === 'rule') - Number(a.decision.decidedBy === 'rule') ||
        b.valuePerMinute - a.valuePerMinute ||
        a.decision.id.localeCompare(b.decision.id),
    );
  let usedMinutes = 0;
  let scheduledValue = 0;
  let deferredValue = 0;
  const queue = ranked.map((entry, index): PlannedCallback<T> => {
    const scheduled = usedMinutes + entry.decision.agentMinutes <= capacityMinutes;
    if (scheduled) {
      usedMinutes += entry.decision.agentMinutes;
      scheduledValue += entry.decision.expectedValue;
    } else {
      deferredValue += entry.decision.expectedValue;
    }
    return { ...entry, rank: index + 1, scheduled };
  });
  return { queue, capacityMinutes, usedMinutes, scheduledValue, deferredValue };
}
