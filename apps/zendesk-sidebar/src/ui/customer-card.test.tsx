import { render, screen } from '@testing-library/react';
import { ThemeProvider, DEFAULT_THEME } from '@zendeskgarden/react-theming';
import { beforeAll, describe, expect, it } from 'vitest';
import { toDecisionInput } from '../app/to-decision-input.ts';
import { loadMessages, type SidebarLocale } from '../i18n/i18n.ts';
import { readCrmValues, type RequesterData } from '../requester/zendesk-records.ts';
import { NOW } from '../testing/fixtures.ts';
import { CustomerCard } from './customer-card.tsx';
import { I18nProvider } from './i18n-context.tsx';

// Rendered without the boot, which loads the agent's language: load both here.
beforeAll(async () => {
  await Promise.all([loadMessages('en'), loadMessages('fr')]);
});

/** What the sync writes: the account's profile on the organisation, and the same copied onto each contact. */
const ACCOUNT = {
  boucle_value_tier: 'gold',
  boucle_lifetime_revenue: 182000,
  boucle_revenue_12m: 46000,
  boucle_orders_12m: 14,
  boucle_customer_since: '2019-03-01',
  boucle_crm_synced_at: '2026-11-22T08:00:00Z',
};

function requester(
  userFields: Record<string, unknown> | null,
  organizationFields: Record<string, unknown> | null,
  organization: { id: number; name: string } | null = { id: 88, name: 'Maison Martin SARL' },
): RequesterData {
  return {
    user: {
      id: 501,
      name: 'Camille Martin',
      email: null,
      locale: 'fr',
      organizationId: organization?.id ?? null,
    },
    organization,
    userFields,
    organizationFields,
    ...readCrmValues(userFields, organizationFields, undefined, organization !== null),
    feedback: [],
    interventions: [],
    partialErrors: [],
  };
}

function show(data: RequesterData, locale: SidebarLocale = 'en') {
  render(
    <ThemeProvider theme={DEFAULT_THEME}>
      <I18nProvider locale={locale}>
        <CustomerCard data={data} nowMs={NOW.getTime()} />
      </I18nProvider>
    </ThemeProvider>,
  );
}

const text = (id: string) => screen.getByTestId(id).textContent ?? '';

describe('CustomerCard: whose figures they are', () => {
  it("labels the organisation's figures as the account's, shared by its contacts", () => {
    show(requester(ACCOUNT, ACCOUNT));
    expect(text('customer-figures-source')).toBe('Account figures · Maison Martin SARL');
    expect(text('customer-figures-note')).toMatch(/same for every contact of this account/);
    expect(text('customer-figures')).toContain('€182,000');
    expect(text('customer-figures')).toMatch(/Orders \(12 months\)14/);
    // The sync copied the account's figures onto the user: nothing of the contact's own to show.
    expect(screen.queryByTestId('customer-contact-own')).toBeNull();
  });

  it("shows the contact's own figures beside the account's when the user record holds different ones", () => {
    const own = { ...ACCOUNT, boucle_lifetime_revenue: 12500, boucle_orders_12m: 3 };
    show(requester(own, ACCOUNT));
    expect(text('customer-figures')).toContain('€182,000');
    expect(text('customer-contact-own')).toContain('€12,500');
    expect(text('customer-contact-own')).toMatch(/Orders \(12 months\)3/);
    expect(text('customer-contact-own')).not.toContain('46,000');
  });

  it("labels the user's figures as the contact's when the sync wrote nothing on the organisation", () => {
    show(requester(ACCOUNT, { boucle_revenue_12m: null, boucle_crm_synced_at: null }));
    expect(text('customer-figures-source')).toBe("This contact's figures");
    expect(screen.queryByTestId('customer-figures-note')).toBeNull();
    expect(text('customer-figures')).toContain('€182,000');
  });

  it('shows the figures of the one source the decision used, never a field from the other', () => {
    // The account has its 12-month revenue but no lifetime revenue; the user record has one of its own.
    const account = { boucle_revenue_12m: 46000, boucle_crm_synced_at: '2026-11-22T08:00:00Z' };
    const data = requester({ boucle_lifetime_revenue: 999000, boucle_revenue_12m: 1 }, account);
    const input = toDecisionInput(
      {
        id: 4242,
        subject: '',
        priority: 'normal',
        tags: [],
        status: 'open',
        createdAt: null,
        channel: 'email',
        assigned: null,
        organization: null,
        requester: { id: 501, name: 'Camille Martin', locale: 'fr' },
        comments: [],
        fieldIds: { intervention: null, callbackDueAt: null },
      },
      data,
      NOW,
    );
    expect(input.customer).toMatchObject({ customerId: 'org-88', lifetimeRevenue: 0, revenue12m: 46000 });
    expect(data.crm).toMatchObject({ lifetimeRevenue: null, revenue12m: 46000 });
    show(data);
    expect(text('customer-figures')).not.toContain('999,000');
    expect(text('customer-contact-own')).toContain('€999,000');
  });

  it('speaks French', () => {
    show(requester(ACCOUNT, ACCOUNT), 'fr');
    expect(text('customer-figures-source')).toBe('Chiffres du compte · Maison Martin SARL');
    expect(text('customer-figures-note')).toMatch(/tous les contacts de ce compte/);
    expect(text('customer-figures')).toContain('Commandes (12 mois)');
    show(requester(ACCOUNT, null, null), 'fr');
    expect(screen.getAllByTestId('customer-figures-source')[1]?.textContent).toBe('Chiffres de ce contact');
  });
});
