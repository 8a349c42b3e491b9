import { describe, expect, it } from 'vitest';
import type { Decision } from '../decision/decision.ts';
import { planCallbacks } from './plan-callbacks.ts';

function decision(
  id: string,
  action: Decision['action'],
  expectedValue: number,
  agentMinutes: number,
  decidedBy: Decision['decidedBy'] = 'model',
): Decision {
  return { id, action, expectedValue, agentMinutes, decidedBy } as Decision;
}

describe('planCallbacks', () => {
  it('ranks callbacks by expected value per agent-minute, forced ones first, and fills the capacity', () => {
    const plan = planCallbacks(
      [
        decision('a', 'callback', 400, 20),
        decision('b', 'compensation', 900, 30),
        decision('c', 'apology', 50, 4),
        decision('d', 'callback', 100, 20, 'rule'),
        decision('e', 'callback', 600, 20),
        decision('f', 'callback', 200, 10),
        decision('g', 'callback', 5, 0),
        decision('h', 'callback', 400, 20),
      ],
      65,
    );
    expect(
      plan.queue.map((entry) => [entry.decision.id, entry.rank, entry.valuePerMinute, entry.scheduled]),
    ).toEqual([
      ['d', 1, 5, true],
      ['g', 2, Number.POSITIVE_INFINITY, true],
      ['b', 3, 30, true],
      ['e', 4, 30, false],
      ['a', 5, 20, false],
      ['f', 6, 20, true],
      ['h', 7, 20, false],
    ]);
    expect(plan).toMatchObject({
      capacityMinutes: 65,
      usedMinutes: 60,
      scheduledValue: 1205,
      deferredValue: 1400,
    });
  });

  it('is empty without callbacks', () => {
    expect(planCallbacks([decision('c', 'apology', 50, 4)], 100)).toEqual({
      queue: [],
      capacityMinutes: 100,
      usedMinutes: 0,
      scheduledValue: 0,
      deferredValue: 0,
    });
  });
});
