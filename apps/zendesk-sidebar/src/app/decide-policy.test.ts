// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, policyFromSettings, serializePolicy } from '../../../../shared/src/index.ts';
import { loadMessages } from '../i18n/i18n.ts';
import { createSidebarDecider } from './decide.ts';

const policy = policyFromSettings(DEFAULT_SETTINGS, {
  version: 2,
  savedAt: '2026-12-02T18:00:00Z',
  savedBy: { id: 1, name: 'Ada Admin' },
  reason: 'Raise the callback cost',
}).data!;

// Built without the boot, which loads the agent's language.
beforeAll(async () => {
  await loadMessages('en');
});

describe('the sidebar reads the saved policy with its other settings', () => {
  it('decides with the policy when one is saved, whatever the old flat fields hold', () => {
    const text = serializePolicy({ ...policy, costs: { ...policy.costs, callbackMinutes: 'x' as never } });
    // An invalid stored policy is set aside: the flat settings (here a bad one) decide, and say what is wrong.
    const fallback = createSidebarDecider({ costs_callback_minutes: 'twenty', policy: text }, 'en');
    expect(fallback.decide).toBeNull();
    expect(fallback.problems.map((problem) => problem.path)).toEqual(['costs_callback_minutes']);
    // A valid policy wins over the same bad flat field: the sidebar decides.
    const saved = createSidebarDecider(
      { costs_callback_minutes: 'twenty', policy: serializePolicy(policy) },
      'en',
    );
    expect(saved.problems).toEqual([]);
    expect(saved.decide).not.toBeNull();
  });
});
