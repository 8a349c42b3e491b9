import { describe, expect, it } from 'vitest';
import { priorityChange, raisePriority } from './plan-priority.ts';

describe('priorityChange', () => {
  it.each([
    [null, 'high', false, { priority: 'high' }],
    ['normal', 'high', false, { priority: 'high' }],
    ['high', 'high', false, {}],
    ['urgent', 'high', false, {}], // an agent's urgent stays
    ['urgent', 'normal', true, { priority: 'normal' }], // Boucle lowers only its own urgent
    ['low', 'urgent', false, { priority: 'urgent' }],
  ] as const)('%s → %s (Boucle set it: %s)', (current, wanted, boucleSetIt, expected) => {
    expect(priorityChange(current, wanted, boucleSetIt)).toEqual(expected);
  });
});

describe('raisePriority', () => {
  it.each([
    [null, 'high'],
    ['low', 'high'],
    ['normal', 'high'],
    ['high', 'urgent'],
    ['urgent', null],
  ] as const)('%s → %s', (current, expected) => {
    expect(raisePriority(current)).toBe(expected);
  });
});
