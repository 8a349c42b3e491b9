import { describe, expect, it } from 'vitest';
import { BENCH_NOW, BENCH_RULES, makeBenchInputs } from '../../bench/bench-data.ts';
import { createDecider } from '../decision/create-decider.ts';
import type { Decision } from '../decision/decision.ts';
import { ACTIONS } from '../domain/vocabulary.ts';
import { parseSettings } from '../settings/parse-settings.ts';
import type { SettingsInput } from '../settings/settings-schema.ts';
import { createPolicyPreview, mergePolicyPreviews, previewPolicy } from './preview-policy.ts';
import type { StoredIncident } from './preview-policy.ts';

function deciderWith(raw: SettingsInput) {
  const parsed = parseSettings(raw);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return createDecider(parsed.data);
}

const current = deciderWith({ rules: BENCH_RULES });
const inputs = makeBenchInputs(200, 11);
const recordedDecisions = inputs.map((input) => current.decide(input, BENCH_NOW));
const stored: StoredIncident[] = inputs.map((input, index) => {
  const decision = recordedDecisions[index]!;
  return {
    input,
    decidedAt: BENCH_NOW,
    recorded: {
      action: decision.action,
      compensationTier: decision.compensationTier,
      cost: decision.cost,
      expectedValue: decision.expectedValue,
      agentMinutes: decision.agentMinutes,
      dueAt: decision.followUp === null ? null : Date.parse(decision.followUp.dueAt),
    },
  };
});

const centsOf = (decisions: readonly Decision[], read: (d: Decision) => number) =>
  decisions.reduce((sum, decision) => sum + Math.round(read(decision) * 100), 0) / 100;

describe('previewPolicy', { timeout: 30_000 }, () => {
  it('changes nothing when the draft is the recorded policy', () => {
    const preview = previewPolicy(deciderWith({ rules: BENCH_RULES }), stored);
    expect(preview).toMatchObject({ incidents: 200, previewable: 200, notPreviewable: 0, changed: 0 });
    expect(preview.dueChanged).toBe(0);
    expect(preview.dueChanges).toEqual([]);
    expect(preview.cost.change).toBe(0);
    expect(preview.expectedValue.change).toBe(0);
    expect(preview.callbacks.change).toBe(0);
    expect(preview.agentMinutes.change).toBe(0);
    expect(preview.cost.recorded).toBeCloseTo(
      centsOf(recordedDecisions, (d) => d.cost),
      6,
    );
    for (const action of ACTIONS) {
      const count = recordedDecisions.filter((d) => d.action === action).length;
      expect(preview.actions[action]).toEqual({ recorded: count, draft: count, change: 0 });
      expect(preview.transitions[action][action]).toBe(count);
    }
  });

  it('decides again with the draft at the recorded time and sums the € effect and the callback load', () => {
    const draftSettings: SettingsInput = {
      rules: [
        ...BENCH_RULES,
        {
          name: 'no-money',
          priority: 99,
          conditions: { all: [{ fact: 'value.atRisk', operator: 'greaterThanInclusive', value: 0 }] },
          event: { params: { forbid: ['compensation'] } },
        },
      ],
    };
    const draft = deciderWith(draftSettings);
    // A decider of its own, so the preview is checked against decisions it did not make.
    const check = deciderWith(draftSettings);
    const drafted = inputs.map((input) => check.decide(input, BENCH_NOW));
    const preview = previewPolicy(draft, stored);
    const compensations = recordedDecisions.filter((d) => d.action === 'compensation').length;
    expect(compensations).toBeGreaterThan(10);
    expect(preview.actions.compensation).toEqual({
      recorded: compensations,
      draft: 0,
      change: -compensations,
    });
    expect(preview.changed).toBe(
      drafted.filter(
        (d, i) =>
          d.action !== recordedDecisions[i]!.action ||
          d.compensationTier !== recordedDecisions[i]!.compensationTier,
      ).length,
    );
    expect(preview.changed).toBeGreaterThanOrEqual(compensations);
    expect(preview.cost.draft).toBeCloseTo(
      centsOf(drafted, (d) => d.cost),
      6,
    );
    expect(preview.cost.change).toBeLessThan(0);
    expect(preview.expectedValue.draft).toBeCloseTo(
      centsOf(drafted, (d) => d.expectedValue),
      6,
    );
    const callbacks = (ds: readonly Decision[]) =>
      ds.filter((d) => d.action === 'callback' || d.action === 'compensation').length;
    expect(preview.callbacks).toEqual({
      recorded: callbacks(recordedDecisions),
      draft: callbacks(drafted),
      change: callbacks(drafted) - callbacks(recordedDecisions),
    });
    expect(preview.agentMinutes.draft).toBe(drafted.reduce((sum, d) => sum + d.agentMinutes, 0));
    const fromCompensation = ACTIONS.reduce((sum, to) => sum + preview.transitions.compensation[to], 0);
    expect(fromCompensation).toBe(compensations);
    expect(preview.transitions.compensation.compensation).toBe(0);
  });

  it('counts the decisions whose follow-up window alone changes, by tier and window (silver 48 h → 6 h)', () => {
    const draftSettings: SettingsInput = { rules: BENCH_RULES, callbackWindowHours: { silver: 6 } };
    const preview = previewPolicy(deciderWith(draftSettings), stored);
    const check = deciderWith(draftSettings);
    const drafted = inputs.map((input) => check.decide(input, BENCH_NOW));
    // Same intervention, a follow-up due at another time: the silver customers' recoveries the rules left at the
    // tier's window (a rule's own window stays).
    const expected = drafted.filter((d, i) => {
      const r = recordedDecisions[i]!;
      return (
        d.action === r.action &&
        d.compensationTier === r.compensationTier &&
        d.followUp !== null &&
        d.followUp.dueAt !== r.followUp!.dueAt
      );
    });
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.every((d) => d.tier === 'silver')).toBe(true);
    expect(preview.changed).toBe(0);
    expect(preview.dueChanged).toBe(expected.length);
    expect(preview.dueChanges).toEqual([{ tier: 'silver', before: 48, after: 6, count: expected.length }]);
    // The other figures are the window's business only through the due time: unchanged.
    expect(preview.cost.change).toBe(0);
    expect(preview.callbacks.change).toBe(0);
    // A recorded decision without its due time is not counted; one due at the draft's time is not either.
    const withoutDue = stored.map((incident) => ({
      ...incident,
      recorded: { ...incident.recorded, dueAt: null },
    }));
    expect(previewPolicy(deciderWith(draftSettings), withoutDue).dueChanged).toBe(0);
    const redrafted = stored.map((incident, i) => ({
      ...incident,
      recorded: {
        ...incident.recorded,
        dueAt: drafted[i]!.followUp === null ? null : Date.parse(drafted[i]!.followUp.dueAt),
      },
    }));
    expect(previewPolicy(deciderWith(draftSettings), redrafted).dueChanged).toBe(0);
    // Batches merged give the same groups.
    const first = createPolicyPreview(deciderWith(draftSettings));
    const second = createPolicyPreview(deciderWith(draftSettings));
    stored.forEach((incident, index) => (index % 2 === 0 ? first : second).add(incident));
    expect(mergePolicyPreviews(first.result(), second.result())).toEqual(preview);
  });

  it('counts incidents without their input, or with an action it does not know, as not previewable', () => {
    const recorded = {
      action: 'callback',
      compensationTier: null,
      cost: 15,
      expectedValue: 10,
      agentMinutes: null,
    };
    const preview = previewPolicy(current, [
      { input: null, decidedAt: BENCH_NOW, recorded },
      { input: inputs[0]!, decidedAt: BENCH_NOW, recorded: { ...recorded, action: 'escalate' } },
      { input: inputs[0]!, decidedAt: Date.parse(BENCH_NOW), recorded },
    ]);
    expect(preview).toMatchObject({ incidents: 3, previewable: 1, notPreviewable: 2 });
    expect(preview.agentMinutes.recorded).toBe(0);
    expect(preview.cost.recorded).toBe(15);
  });

  it('gives the same preview in batches, merged, as in one pass', () => {
    const draft = deciderWith({});
    const whole = previewPolicy(draft, stored);
    const first = createPolicyPreview(draft);
    const second = createPolicyPreview(draft);
    stored.forEach((incident, index) => (index % 3 === 0 ? first : second).add(incident));
    expect(mergePolicyPreviews(first.result(), second.result())).toEqual(whole);
    expect(whole.changed).toBeGreaterThan(0);
  });
});
