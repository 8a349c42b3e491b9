/**
 * The policy simulator: replays the generated incidents under several policies and lets the outcome model
 * (sandbox/dataset/outcome-model.ts, which reads the hidden truth) play the customers' reactions. The policies
 * see only the observables (observe.ts); Boucle's policy is shared's `createDecider` with default settings.
 */
import {
  type Action,
  type Decision,
  type Settings,
  DEFAULT_SETTINGS,
  createDecider,
} from '../../../shared/src/index.ts';
import { toOutcomeIncident, type World } from '../../../sandbox/dataset/generate-world.ts';
import { incidentHazard, treatmentMultiplier } from '../../../sandbox/dataset/outcome-model.ts';
import { createRng } from '../../../sandbox/dataset/random.ts';
import { SECTOR_PROFILES } from '../../../sandbox/dataset/sectors.ts';
import { type ObservedIncident, observeIncidents } from './observe.ts';

const DAY = 86_400_000;

export const POLICIES = [
  'boucle',
  'callback_detractors',
  'apology_all',
  'compensation_all',
  'ces_only',
  'nothing',
] as const;
export type PolicyName = (typeof POLICIES)[number];

export const POLICY_LABELS: Readonly<Record<PolicyName, string>> = {
  boucle: 'Boucle',
  callback_detractors: 'Callback every detractor',
  apology_all: 'Apology to all',
  compensation_all: 'Compensation to all',
  ces_only: 'CES only',
  nothing: 'Nothing',
};

export interface PolicyChoice {
  readonly action: Action;
  readonly compensationTier: string | null;
  /** Queue rank key when callbacks exceed capacity (higher first); FIFO when equal. */
  readonly urgency: number;
}

export interface SimulationOptions {
  /** Outcome draws (default 200): each draw replays every customer's reaction once. */
  readonly runs?: number;
  /** Seed of the outcome draws (default 1). */
  readonly seed?: number;
  /** Agent minutes per day for callbacks and compensations on this portfolio (default 40: two callbacks). */
  readonly capacityMinutesPerDay?: number;
  /** Callbacks later than this after the decision count as late (default 48 h). */
  readonly lateAfterHours?: number;
  readonly settings?: Settings;
}

export interface Interval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

export interface PolicyResult {
  readonly policy: PolicyName;
  readonly label: string;
  readonly actions: Readonly<Record<Action, number>>;
  /** Customers lost (mean and 5–95% over the outcome draws). */
  readonly churned: Interval;
  /** Value (24-month margin) of the incident customers who stayed. */
  readonly valueRetained: Interval;
  readonly cost: number;
  /** Value retained − cost. */
  readonly netValue: Interval;
  /** Net value minus the "nothing" policy's, draw by draw (common random numbers). */
  readonly netVsNothing: Interval;
  readonly callbacks: number;
  readonly callbackMinutesPerDay: number;
  readonly peakCallbackMinutes: number;
  readonly lateCallbacks: number;
}

export interface SimulationResult {
  readonly incidents: number;
  readonly customers: number;
  readonly runs: number;
  readonly capacityMinutesPerDay: number;
  readonly valueAtStake: number;
  readonly results: readonly PolicyResult[];
}

const tierOf = (settings: Settings, id: string | null) =>
  settings.compensationTiers.find((t) => t.id === id) ??
  settings.compensationTiers[1] ??
  settings.compensationTiers[0];

function minutesOf(settings: Settings, action: Action): number {
  const c = settings.costs;
  return action === 'apology'
    ? c.apologyMinutes
    : action === 'callback'
      ? c.callbackMinutes
      : action === 'compensation'
        ? c.callbackMinutes + c.compensationMinutes
        : 0;
}

/** What one intervention costs: agent time plus the gesture. The same accounting for every policy. */
export function costOf(settings: Settings, action: Action, tierId: string | null): number {
  const gesture = action === 'compensation' ? (tierOf(settings, tierId)?.amount ?? 0) : 0;
  return minutesOf(settings, action) * settings.costs.agentCostPerMinute + gesture;
}

type Chooser = (
  observed: ObservedIncident,
  pastActions: readonly { action: Action; at: number }[],
) => PolicyChoice;

function simple(action: Action, tier: string | null = null): PolicyChoice {
  return { action, compensationTier: tier, urgency: 0 };
}

function choosers(settings: Settings): Record<PolicyName, Chooser> {
  const decider = createDecider(settings);
  const mediumTier = settings.compensationTiers[1]?.id ?? settings.compensationTiers[0]?.id ?? null;
  return {
    boucle: (observed, past) => {
      const decision: Decision = decider.decide(
        {
          ...observed.input,
          history: {
            ...observed.input.history,
            pastInterventions: past.map((p) => ({ action: p.action, at: new Date(p.at).toISOString() })),
          },
        },
        observed.decidedAt,
      );
      return {
        action: decision.action,
        compensationTier: decision.compensationTier,
        urgency: decision.agentMinutes === 0 ? 0 : decision.expectedValue / decision.agentMinutes,
      };
    },
    callback_detractors: (observed) =>
      simple(observed.nps !== null && observed.nps <= 6 ? 'callback' : 'none'),
    apology_all: () => simple('apology'),
    compensation_all: () => simple('compensation', mediumTier),
    ces_only: (observed) =>
      simple(
        observed.ces === null
          ? 'none'
          : observed.ces >= 5
            ? 'callback'
            : observed.ces >= 3
              ? 'apology'
              : 'none',
      ),
    nothing: () => simple('none'),
  };
}

interface Planned {
  readonly observed: ObservedIncident;
  readonly choice: PolicyChoice;
  late: boolean;
  repeatedApology: boolean;
}

/** Decides every incident in time order, then serves callbacks day by day within capacity. */
function plan(
  observed: readonly ObservedIncident[],
  chooser: Chooser,
  settings: Settings,
  capacity: number,
  lateAfterMs: number,
): { planned: Planned[]; peak: number; days: number; late: number } {
  const byTime = [...observed].sort((a, b) => a.decidedAt - b.decidedAt);
  const pastOf = new Map<string, { action: Action; at: number }[]>();
  const planned: Planned[] = [];
  for (const item of byTime) {
    const past = pastOf.get(item.incident.accountId) ?? [];
    const choice = chooser(item, past);
    const repeatedApology =
      choice.action === 'apology' &&
      past.some((p) => p.action !== 'none' && item.decidedAt - p.at <= 30 * DAY);
    planned.push({ observed: item, choice, late: false, repeatedApology });
    if (choice.action !== 'none') past.push({ action: choice.action, at: item.decidedAt });
    pastOf.set(item.incident.accountId, past);
  }
  // Callback queue: each day, the best-ranked waiting callbacks that fit in the day's agent minutes.
  const calls = planned.filter((p) => p.choice.action === 'callback' || p.choice.action === 'compensation');
  if (calls.length === 0) return { planned, peak: 0, days: 1, late: 0 };
  const first = Math.floor(calls[0]!.observed.decidedAt / DAY);
  const last = Math.floor(calls[calls.length - 1]!.observed.decidedAt / DAY);
  let waiting: Planned[] = [];
  let next = 0;
  let peak = 0;
  let late = 0;
  let day = first;
  for (; next < calls.length || waiting.length > 0; day += 1) {
    while (next < calls.length && Math.floor(calls[next]!.observed.decidedAt / DAY) <= day) {
      waiting.push(calls[next]!);
      next += 1;
    }
    const demand = waiting.reduce((sum, p) => sum + minutesOf(settings, p.choice.action), 0);
    peak = Math.max(peak, demand);
    waiting.sort(
      (a, b) => b.choice.urgency - a.choice.urgency || a.observed.decidedAt - b.observed.decidedAt,
    );
    let left = capacity;
    const rest: Planned[] = [];
    for (const p of waiting) {
      const minutes = minutesOf(settings, p.choice.action);
      if (minutes <= left) {
        left -= minutes;
        const servedAt = (day + 1) * DAY;
        if (servedAt - p.observed.decidedAt > lateAfterMs) {
          p.late = true;
          late += 1;
        }
      } else rest.push(p);
    }
    waiting = rest;
    if (day - last > 3650) break;
  }
  // Never served within ten years (no capacity at all): as good as late.
  for (const p of waiting) {
    p.late = true;
    late += 1;
  }
  return { planned, peak, days: Math.max(1, last - first + 1), late };
}

function interval(values: readonly number[]): Interval {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
  return {
    mean: values.reduce((s, v) => s + v, 0) / Math.max(1, values.length),
    low: at(0.05),
    high: at(0.95),
  };
}

/** Runs every policy on a world. Deterministic for the same world and options. */
export function simulatePolicies(world: World, options: SimulationOptions = {}): SimulationResult {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const runs = options.runs ?? 200;
  const capacity = options.capacityMinutesPerDay ?? 40;
  const lateAfterMs = (options.lateAfterHours ?? 48) * 3_600_000;
  const observed = observeIncidents(world);
  const accountOf = new Map(world.accounts.map((a) => [a.id, a]));
  const customers = [...new Set(world.incidents.map((i) => i.accountId))];
  // True value at stake: 24 months of margin at the account's real margin rate (the policy assumes 30%).
  const trueValue = new Map(
    customers.map((id) => {
      const account = accountOf.get(id)!;
      const yearAgo = world.now - 365 * DAY;
      const revenue = world.orders
        .filter((o) => o.accountId === id && o.status === 'Activated' && o.createdAt > yearAgo)
        .reduce((sum, o) => sum + o.amount, 0);
      return [id, revenue * SECTOR_PROFILES[account.sector].marginRate * 2];
    }),
  );
  const valueAtStake = [...trueValue.values()].reduce((s, v) => s + v, 0);
  // Common random numbers: the same uniform per customer and draw for every policy.
  const rng = createRng(options.seed ?? 1);
  const uniforms = customers.map(() => Array.from({ length: runs }, () => rng.next()));
  const all = choosers(settings);

  const raw = POLICIES.map((policy) => {
    const { planned, peak, days, late } = plan(observed, all[policy], settings, capacity, lateAfterMs);
    const hazardOf = new Map<string, number>();
    const actions: Record<Action, number> = { none: 0, apology: 0, callback: 0, compensation: 0 };
    let cost = 0;
    let callMinutes = 0;
    for (const p of planned) {
      const truth = world.truth.incidents.get(p.observed.incident.id)!;
      const customer = world.truth.customers.get(p.observed.incident.accountId)!;
      const oi = toOutcomeIncident(p.observed.incident, truth);
      const h =
        incidentHazard(world.truth.outcome, oi, customer.frailty) *
        treatmentMultiplier(oi, {
          action: p.choice.action,
          late: p.late,
          repeatedApology: p.repeatedApology,
        });
      hazardOf.set(p.observed.incident.accountId, (hazardOf.get(p.observed.incident.accountId) ?? 0) + h);
      actions[p.choice.action] += 1;
      cost += costOf(settings, p.choice.action, p.choice.compensationTier);
      if (p.choice.action === 'callback' || p.choice.action === 'compensation')
        callMinutes += minutesOf(settings, p.choice.action);
    }
    const churned: number[] = [];
    const retained: number[] = [];
    for (let r = 0; r < runs; r += 1) {
      let lost = 0;
      let kept = 0;
      customers.forEach((id, c) => {
        const p = 1 - Math.exp(-(hazardOf.get(id) ?? 0));
        if (uniforms[c]![r]! < p) lost += 1;
        else kept += trueValue.get(id)!;
      });
      churned.push(lost);
      retained.push(kept);
    }
    return { policy, actions, cost, churned, retained, peak, days, late, callMinutes };
  });
  const nothing = raw.find((r) => r.policy === 'nothing')!;
  const results: PolicyResult[] = raw.map((r) => ({
    policy: r.policy,
    label: POLICY_LABELS[r.policy],
    actions: r.actions,
    churned: interval(r.churned),
    valueRetained: interval(r.retained),
    cost: r.cost,
    netValue: interval(r.retained.map((v) => v - r.cost)),
    netVsNothing: interval(r.retained.map((v, i) => v - r.cost - (nothing.retained[i]! - nothing.cost))),
    callbacks: r.actions.callback + r.actions.compensation,
    callbackMinutesPerDay: r.callMinutes / r.days,
    peakCallbackMinutes: r.peak,
    lateCallbacks: r.late,
  }));
  return {
    incidents: world.incidents.length,
    customers: customers.length,
    runs,
    capacityMinutesPerDay: capacity,
    valueAtStake,
    results,
  };
}
