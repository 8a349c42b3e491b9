// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import { CRM_FIELD_KEYS, HOLDOUT_TAG, holdoutDraw } from '../../../../shared/src/index.ts';
import type { RequesterData } from '../requester/zendesk-records.ts';
import { loadMessages } from '../i18n/i18n.ts';
import { createSidebarDecider } from './decide.ts';
import type { TicketFacts } from './sidebar-model.ts';

// Built without the boot, which loads the agent's language.
beforeAll(async () => {
  await loadMessages('en');
});

const NOW = new Date('2026-11-22T10:00:00Z');

const ticket: TicketFacts = {
  id: 42,
  subject: 'Toujours en panne',
  priority: 'normal',
  tags: [],
  status: 'open',
  createdAt: '2026-11-20T10:00:00Z',
  channel: 'email',
  assigned: true,
  organization: null,
  requester: { id: 7, name: 'Marie', locale: 'fr' },
  comments: [
    {
      text: "Troisième fois que j'appelle, toujours pas de solution.",
      fromRequester: true,
      public: true,
      at: '2026-11-20T10:00:00Z',
    },
  ],
  fieldIds: { intervention: null, callbackDueAt: null },
};

const dataFor = (organizationId: number): RequesterData =>
  ({
    user: { id: 7, name: 'Marie', email: 'marie@example.test', locale: 'fr' },
    organization: { id: organizationId, name: 'Maison Dupont' },
    userFields: {},
    organizationFields: {
      [CRM_FIELD_KEYS.valueTier]: 'platinum',
      [CRM_FIELD_KEYS.revenue12m]: 240_000,
      [CRM_FIELD_KEYS.marginRate]: 0.4,
      [CRM_FIELD_KEYS.crmSyncedAt]: '2026-11-20T08:00:00Z',
    },
    crm: null,
    crmSource: 'organization',
    contactCrm: null,
    feedback: [
      {
        id: 'f1',
        kind: 'nps',
        score: 1,
        scale: '0-10',
        comment: null,
        channel: null,
        touchpoint: null,
        respondedAt: '2026-11-21T10:00:00Z',
        ticketId: '42',
      },
    ],
    interventions: [],
    partialErrors: [],
  }) as unknown as RequesterData;

describe('the sidebar applies the holdout as the connector does', () => {
  it('shows no recommendation for a held-out customer, and the same one as without a holdout otherwise', () => {
    const settings = { experiment_holdout_percent: 50, experiment_id: 'loop-test-b' };
    // "org-20000003" draws ≈ 0.418 (holdout at 50 %), "org-20000004" ≈ 0.921 (policy): see holdoutDraw.
    expect(holdoutDraw('loop-test-b', 'org-20000003')).toBeLessThan(0.5);
    expect(holdoutDraw('loop-test-b', 'org-20000004')).toBeGreaterThan(0.5);
    const withHoldout = createSidebarDecider(settings, 'en').decide!;
    const without = createSidebarDecider({}, 'en').decide!;
    const decide = (decider: typeof without, organizationId: number) => {
      const outcome = decider({ ticket, data: dataFor(organizationId), now: NOW, locale: 'en' });
      if (!outcome.ok) throw new Error(outcome.reason);
      return outcome.recommendation;
    };
    const usual = decide(without, 20000003);
    expect(usual.action).not.toBe('none');
    const held = decide(withHoldout, 20000003);
    expect(held.action).toBe('none');
    expect(held.tags).toContain(HOLDOUT_TAG);
    expect(held.headline).toContain('Holdout (test and learn)');
    expect(held.facts[0]).toContain('Boucle would have recommended');
    expect(decide(withHoldout, 20000004)).toEqual(decide(without, 20000004));
  });
});
