import { ACTIONS } from '../domain/vocabulary.ts';
import type { Action, ValueTier } from '../domain/vocabulary.ts';
import type { Decider } from '../decision/create-decider.ts';
import type { DecisionInput } from '../decision/decision-input-schema.ts';

/** What was decided and recorded for one incident (the connector's intervention ledger keeps it). */
export interface RecordedDecision {
  readonly action: string;
  readonly compensationTier: string | null;
  /** Money: compensation amount plus agent time; null when not recorded. */
  readonly cost: number | null;
  readonly expectedValue: number | null;
  readonly agentMinutes: number | null;
  /**
   * When the recorded follow-up was due (ms): the first-contact deadline of the decision, null or absent when none
   * was recorded.
   */
  readonly dueAt?: number | null;
}

/** One stored incident: the input it was decided on, when, and what was decided. */
export interface StoredIncident {
  /** Null when the decision was stored without its input (older ledger rows): it cannot be decided again. */
  readonly input: DecisionInput | null;
  /** The time of the recorded decision (ISO 8601 or ms): the draft decides at the same time. */
  readonly decidedAt: string | number;
  readonly recorded: RecordedDecision;
}

/** Decisions whose intervention stays but whose follow-up window the draft changes, for one tier and window. */
export interface DueChange {
  /** The customer's value tier (the window is per tier unless a rule sets it). */
  readonly tier: ValueTier;
  /** The recorded window in hours (recorded due time minus the follow-up's start, to 0.1 h). */
  readonly before: number;
  /** The draft's window in hours. */
  readonly after: number;
  readonly count: number;
}

/** Recorded and draft side by side: the draft's figure, the recorded one and the change. */
export interface PreviewFigure {
  readonly recorded: number;
  readonly draft: number;
  readonly change: number;
}

export interface PolicyPreview {
  /** Every stored incident read. */
  readonly incidents: number;
  /** Incidents decided again with the draft (the others lack their input). */
  readonly previewable: number;
  readonly notPreviewable: number;
  /** Previewable incidents whose action or compensation tier the draft changes. */
  readonly changed: number;
  /**
   * Previewable incidents whose action and compensation tier stay but whose follow-up is due at another time: the
   * draft's window (the tier's, or a rule's) differs from the recorded one. Incidents recorded without a due
   * time are not counted.
   */
  readonly dueChanged: number;
  /** Those, by tier and window (recorded → draft), the largest groups first. */
  readonly dueChanges: readonly DueChange[];
  /** Previewable incidents per action, as recorded and with the draft. */
  readonly actions: Readonly<Record<Action, PreviewFigure>>;
  /** `transitions[recorded][draft]`: how many incidents went from one action to another. */
  readonly transitions: Readonly<Record<Action, Readonly<Record<Action, number>>>>;
  /** € spent (compensations and agent time), over the previewable incidents. */
  readonly cost: PreviewFigure;
  /** € expected value (margin kept minus cost), over the previewable incidents. */
  readonly expectedValue: PreviewFigure;
  /** Callbacks to make (callbacks and compensations, which a callback delivers). */
  readonly callbacks: PreviewFigure;
  /** Agent minutes the interventions take. */
  readonly agentMinutes: PreviewFigure;
}

/** Accumulates a preview one stored incident at a time, so a caller can stream them from storage. */
export interface PolicyPreviewer {
  readonly add: (incident: StoredIncident) => void;
  readonly result: () => PolicyPreview;
}

const ACTION_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  ACTIONS.map((action, index) => [action, index]),
);
const CALLBACK = ACTION_INDEX['callback']!;
const COMPENSATION = ACTION_INDEX['compensation']!;

/** Money is summed in whole cents, so the totals do not depend on the order of the incidents. */
const cents = (value: number | null): number => (value === null ? 0 : Math.round(value * 100));
const MS_PER_HOUR = 3_600_000;
/** Hours to 0.1 h: a due time stored to the millisecond reads back as the window it was set from. */
const tenths = (ms: number): number => Math.round(ms / (MS_PER_HOUR / 10)) / 10;

interface Totals {
  incidents: number;
  previewable: number;
  changed: number;
  /** ACTIONS.length × 2: recorded then draft counts. */
  readonly actions: number[];
  /** ACTIONS.length²: recorded × draft. */
  readonly transitions: number[];
  costCents: [number, number];
  valueCents: [number, number];
  callbacks: [number, number];
  minutes: [number, number];
  dueChanged: number;
  /** `tier|before|after` → count. */
  readonly due: Map<string, number>;
}

const newTotals = (): Totals => ({
  incidents: 0,
  previewable: 0,
  changed: 0,
  actions: new Array<number>(ACTIONS.length * 2).fill(0),
  transitions: new Array<number>(ACTIONS.length * ACTIONS.length).fill(0),
  costCents: [0, 0],
  valueCents: [0, 0],
  callbacks: [0, 0],
  minutes: [0, 0],
  dueChanged: 0,
  due: new Map(),
});

const figure = (recorded: number, draft: number, scale = 1): PreviewFigure => ({
  recorded: recorded / scale,
  draft: draft / scale,
  change: (draft - recorded) / scale,
});

const byCount = (a: DueChange, b: DueChange): number =>
  b.count - a.count || a.tier.localeCompare(b.tier) || a.before - b.before || a.after - b.after;

function dueChangesOf(due: ReadonlyMap<string, number>): DueChange[] {
  return [...due]
    .map(([key, count]) => {
      const [tier, before, after] = key.split('|');
      return { tier: tier as ValueTier, before: Number(before), after: Number(after), count };
    })
    .sort(byCount);
}

function toPreview(totals: Totals): PolicyPreview {
  const count = ACTIONS.length;
  const actions = {} as Record<Action, PreviewFigure>;
  const transitions = {} as Record<Action, Record<Action, number>>;
  ACTIONS.forEach((from, row) => {
    actions[from] = figure(totals.actions[row]!, totals.actions[count + row]!);
    const to = {} as Record<Action, number>;
    ACTIONS.forEach((action, column) => (to[action] = totals.transitions[row * count + column]!));
    transitions[from] = to;
  });
  return {
    incidents: totals.incidents,
    previewable: totals.previewable,
    notPreviewable: totals.incidents - totals.previewable,
    changed: totals.changed,
    dueChanged: totals.dueChanged,
    dueChanges: dueChangesOf(totals.due),
    actions,
    transitions,
    cost: figure(totals.costCents[0], totals.costCents[1], 100),
    expectedValue: figure(totals.valueCents[0], totals.valueCents[1], 100),
    callbacks: figure(totals.callbacks[0], totals.callbacks[1]),
    agentMinutes: figure(totals.minutes[0], totals.minutes[1]),
  };
}

/**
 * A preview of a draft policy (the draft's decider) over stored incidents: each incident with its input is
 * decided again by the draft at its recorded time and compared with what was recorded; the € effect and the
 * callback load are summed. An incident without its input, or with a recorded action Boucle does not know, is
 * counted as not previewable. Pure: the caller reads the incidents (the connector from its ledger, a browser
 * console from the connector) and feeds them in any number of batches.
 */
export function createPolicyPreview(draft: Decider): PolicyPreviewer {
  const totals = newTotals();
  const count = ACTIONS.length;
  return {
    add({ input, decidedAt, recorded }) {
      totals.incidents += 1;
      const from = ACTION_INDEX[recorded.action];
      if (input === null || from === undefined) return;
      const decision = draft.decide(input, decidedAt);
      const to = ACTION_INDEX[decision.action]!;
      totals.previewable += 1;
      if (from !== to || recorded.compensationTier !== decision.compensationTier) totals.changed += 1;
      else if (decision.followUp !== null && typeof recorded.dueAt === 'number') {
        // Same intervention: does its follow-up fall due at another time? Compare the windows, from the same start.
        const before = tenths(recorded.dueAt - Date.parse(decision.followUp.startsAt));
        const after = decision.followUp.windowHours;
        if (before !== after) {
          totals.dueChanged += 1;
          const key = `${decision.tier}|${before}|${after}`;
          totals.due.set(key, (totals.due.get(key) ?? 0) + 1);
        }
      }
      totals.actions[from]! += 1;
      totals.actions[count + to]! += 1;
      totals.transitions[from * count + to]! += 1;
      totals.costCents[0] += cents(recorded.cost);
      totals.costCents[1] += cents(decision.cost);
      totals.valueCents[0] += cents(recorded.expectedValue);
      totals.valueCents[1] += cents(decision.expectedValue);
      if (from === CALLBACK || from === COMPENSATION) totals.callbacks[0] += 1;
      if (to === CALLBACK || to === COMPENSATION) totals.callbacks[1] += 1;
      totals.minutes[0] += recorded.agentMinutes ?? 0;
      totals.minutes[1] += decision.agentMinutes;
    },
    result: () => toPreview(totals),
  };
}

/** The preview of every stored incident, read one at a time from any iterable (a database cursor, a list). */
export function previewPolicy(draft: Decider, incidents: Iterable<StoredIncident>): PolicyPreview {
  const previewer = createPolicyPreview(draft);
  for (const incident of incidents) previewer.add(incident);
  return previewer.result();
}

/** Two previews of disjoint sets of incidents (two pages, two workers) as one. */
export function mergePolicyPreviews(a: PolicyPreview, b: PolicyPreview): PolicyPreview {
  const sum = (x: PreviewFigure, y: PreviewFigure, scale = 1): PreviewFigure =>
    figure(
      Math.round(x.recorded * scale) + Math.round(y.recorded * scale),
      Math.round(x.draft * scale) + Math.round(y.draft * scale),
      scale,
    );
  const actions = {} as Record<Action, PreviewFigure>;
  const transitions = {} as Record<Action, Record<Action, number>>;
  for (const from of ACTIONS) {
    actions[from] = sum(a.actions[from], b.actions[from]);
    const to = {} as Record<Action, number>;
    for (const action of ACTIONS) to[action] = a.transitions[from][action] + b.transitions[from][action];
    transitions[from] = to;
  }
  return {
    incidents: a.incidents + b.incidents,
    previewable: a.previewable + b.previewable,
    notPreviewable: a.notPreviewable + b.notPreviewable,
    changed: a.changed + b.changed,
    dueChanged: a.dueChanged + b.dueChanged,
    dueChanges: mergeDueChanges(a.dueChanges, b.dueChanges),
    actions,
    transitions,
    cost: sum(a.cost, b.cost, 100),
    expectedValue: sum(a.expectedValue, b.expectedValue, 100),
    callbacks: sum(a.callbacks, b.callbacks),
    agentMinutes: sum(a.agentMinutes, b.agentMinutes),
  };
}

function mergeDueChanges(a: readonly DueChange[], b: readonly DueChange[]): DueChange[] {
  const due = new Map<string, number>();
  for (const change of [...a, ...b]) {
    const key = `${change.tier}|${change.before}|${change.after}`;
    due.set(key, (due.get(key) ?? 0) + change.count);
  }
  return dueChangesOf(due);
}
