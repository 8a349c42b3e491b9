import { describe, expect, it } from 'vitest';
import { BOUCLE_TAG_PREFIX } from './index.ts';

describe('shared', () => {
  it('prefixes every tag it writes', () => {
    expect(BOUCLE_TAG_PREFIX).toBe('boucle_');
  });
});
