import { describe, expect, it } from 'vitest';
import { formatIssuePath, joinIssuePath } from './issue-path.ts';

describe('formatIssuePath', () => {
  it('writes names with dots and list positions in brackets', () => {
    expect(formatIssuePath(['rules', 2, 'conditions', 'all', 0, 'operator'])).toBe(
      'rules[2].conditions.all[0].operator',
    );
    expect(formatIssuePath(['feedback', 0, 'score'])).toBe('feedback[0].score');
    expect(formatIssuePath([0, 'id'])).toBe('[0].id');
    expect(formatIssuePath([])).toBe('');
  });
});

describe('joinIssuePath', () => {
  it('puts a dot before a name and nothing before a bracket', () => {
    expect(joinIssuePath('answers[1]', 'score')).toBe('answers[1].score');
    expect(joinIssuePath('answers[1]', '[0].x')).toBe('answers[1][0].x');
    expect(joinIssuePath('', 'score')).toBe('score');
    expect(joinIssuePath('answers[1]', '')).toBe('answers[1]');
  });
});
