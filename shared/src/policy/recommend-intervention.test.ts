import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/parse-settings.ts';
import type { Settings } from '../settings/settings-schema.ts';
import {
  assessCompensationEligibility,
  chooseBestCandidate,
  computePriority,
  listCandidates,
} from './recommend-intervention.ts';
import type { PolicyFacts } from './recommend-intervention.ts';

const facts: PolicyFacts = {
  valueAtRisk: 10_000,
  churnRisk: 0.3,
  companyAtFault: true,
  severity: 'medium',
  recurrence: 0,
  repeatIncidents: 0,
  waitingHours: 0,
  daysSinceLastApology: null,
};
const NOT_FORBIDDEN = [-1, -1, -1, -1];

describe('listCandidates', () => {
  it('computes EV = value at risk × (P(churn | none) − P(churn | action)) − cost for each action', () => {
    const candidates = listCandidates({ ...facts, severity: 'high' }, DEFAULT_SETTINGS, NOT_FORBIDDEN);
    expect(candidates.map((c) => [c.action, c.compensationTier, c.agentMinutes, c.cost])).toEqual([
      ['none', null, 0, 0],
      ['apology', null, 4, 3],
      ['callback', null, 20, 15],
      ['compensation', 'goodwill_small', 30, 47.5],
      ['compensation', 'goodwill_medium', 30, 122.5],
      ['compensation', 'goodwill_large', 30, 522.5],
    ]);
    const callback = candidates[2]!;
    expect(callback.churnRisk).toBeCloseTo(0.21, 9);
    expect(callback.expectedValue).toBeCloseTo(10_000 * 0.09 - 15, 9);
    expect(candidates[5]!.expectedValue).toBeCloseTo(10_000 * 0.15 - 522.5, 9);
    expect(candidates.every((c) => c.blockedBy.length === 0)).toBe(true);
  });

  it.each([
    ['an apology within the cooldown', { daysSinceLastApology: 10 }, 'apology', ['apology_cooldown']],
    ['an apology after the cooldown', { daysSinceLastApology: 30 }, 'apology', []],
    [
      'compensation without fault',
      { companyAtFault: false, severity: 'critical' },
      'compensation',
      ['compensation_not_at_fault'],
    ],
    ['compensation for a medium, first, fast failure', {}, 'compensation', ['compensation_not_warranted']],
    [
      'compensation neither at fault nor warranted',
      { companyAtFault: false },
      'compensation',
      ['compensation_not_at_fault', 'compensation_not_warranted'],
    ],
    ['compensation for a recurrent failure', { recurrence: 1 }, 'compensation', []],
    ['compensation after repeat incidents', { repeatIncidents: 1 }, 'compensation', []],
    ['compensation for a severe failure', { severity: 'high' }, 'compensation', []],
    ['compensation after slow handling', { waitingHours: 48 }, 'compensation', []],
  ] satisfies [string, Partial<PolicyFacts>, string, string[]][])(
    'guardrail: %s',
    (_, overrides, action, blockedBy) => {
      const candidates = listCandidates({ ...facts, ...overrides }, DEFAULT_SETTINGS, NOT_FORBIDDEN);
      for (const candidate of candidates.filter((c) => c.action === action)) {
        expect(candidate.blockedBy.filter((g) => g !== 'spend_above_value_at_risk')).toEqual(blockedBy);
      }
    },
  );

  it('bounds compensation spend by the value at risk', () => {
    const candidates = listCandidates(
      { ...facts, severity: 'high', valueAtRisk: 150 },
      DEFAULT_SETTINGS,
      NOT_FORBIDDEN,
    );
    expect(candidates.slice(3).map((c) => c.blockedBy)).toEqual([
      [],
      ['spend_above_value_at_risk'],
      ['spend_above_value_at_risk'],
    ]);
  });

  it('carries the rule that forbade each action', () => {
    const candidates = listCandidates(facts, DEFAULT_SETTINGS, [-1, 2, -1, 0]);
    expect(candidates.map((c) => c.forbiddenBy)).toEqual([-1, 2, -1, 0, 0, 0]);
  });
});

describe('assessCompensationEligibility', () => {
  it('reads the thresholds from settings', () => {
    const guardrails: Settings['guardrails'] = {
      ...DEFAULT_SETTINGS.guardrails,
      recurrenceThreshold: 2,
      severeFrom: 'critical',
      slowHandlingHours: 10,
    };
    expect(
      assessCompensationEligibility(
        { ...facts, recurrence: 1, severity: 'high', waitingHours: 9 },
        guardrails,
      ),
    ).toEqual({
      atFault: true,
      recurrent: false,
      severe: false,
      slow: false,
    });
    expect(
      assessCompensationEligibility(
        { ...facts, repeatIncidents: 2, severity: 'critical', waitingHours: 10 },
        guardrails,
      ),
    ).toEqual({ atFault: true, recurrent: true, severe: true, slow: true });
  });
});

describe('chooseBestCandidate', () => {
  const candidates = listCandidates({ ...facts, severity: 'high' }, DEFAULT_SETTINGS, NOT_FORBIDDEN);
  it.each([
    [50_000, 'compensation', 'goodwill_large'],
    [10_000, 'compensation', 'goodwill_medium'],
    [1_000, 'callback', null],
    [150, 'apology', null],
    [50, 'none', null],
  ] as const)('with %d at risk picks %s', (valueAtRisk, action, tier) => {
    const best = chooseBestCandidate(
      listCandidates({ ...facts, severity: 'high', valueAtRisk }, DEFAULT_SETTINGS, NOT_FORBIDDEN),
    );
    expect([best?.action, best?.compensationTier]).toEqual([action, tier]);
  });

  it('skips forbidden and blocked actions, and returns null when nothing is allowed', () => {
    const forbidden = listCandidates({ ...facts, severity: 'high' }, DEFAULT_SETTINGS, [-1, -1, -1, 0]);
    expect(chooseBestCandidate(forbidden)?.action).toBe('callback');
    expect(chooseBestCandidate(listCandidates(facts, DEFAULT_SETTINGS, [0, 0, 0, 0]))).toBeNull();
    expect(chooseBestCandidate(candidates)?.action).toBe('compensation');
  });

  it('prefers the weaker action on a tie', () => {
    const tie = candidates.map((c) => ({ ...c, expectedValue: 0 }));
    expect(chooseBestCandidate(tie)?.action).toBe('none');
  });
});

describe('computePriority', () => {
  const thresholds = DEFAULT_SETTINGS.priority;
  it.each([
    [10, 'none', 'medium', 'low'],
    [100, 'none', 'medium', 'normal'],
    [1_000, 'none', 'medium', 'high'],
    [5_000, 'none', 'low', 'urgent'],
    [10, 'apology', 'medium', 'normal'],
    [10, 'callback', 'medium', 'high'],
    [10, 'compensation', 'low', 'high'],
    [10, 'none', 'critical', 'high'],
    [6_000, 'callback', 'critical', 'urgent'],
  ] as const)('loss %d, %s, %s → %s', (loss, action, severity, priority) => {
    expect(computePriority(loss, action, severity, thresholds)).toBe(priority);
  });
});
