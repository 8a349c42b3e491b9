import { ACTIONS } from '../domain/vocabulary.ts';
import type { Action } from '../domain/vocabulary.ts';
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
}

/** One stored incident: the input it was decided on, when, and what was decided. */
export interface StoredIncident {
  /** Null when the decision was stored without its input (older ledger rows): it cannot be decided again. */
  readonly input: DecisionInput | null;
  /** The time of the recorded decision (ISO 8601 or ms): the draft decides at the same time. */
  readonly decidedAt: string | number;
  readonly recorded: RecordedDecision;
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
});

const figure = (recorded: number, draft: number, scale = 1): PreviewFigure => ({
  recorded: recorded / scale,
  draft: draft / scale,
  change: (draft - recorded) / scale,
});

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
    actions,
    transitions,
    cost: sum(a.cost, b.cost, 100),
    expectedValue: sum(a.expectedValue, b.expectedValue, 100),
    callbacks: sum(a.callbacks, b.callbacks),
    agentMinutes: sum(a.agentMinutes, b.agentMinutes),
  };
}
