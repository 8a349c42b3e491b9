import { render, screen, within } from '@testing-library/react';
import { ThemeProvider, DEFAULT_THEME } from '@zendeskgarden/react-theming';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMessages, type SidebarLocale } from '../i18n/i18n.ts';
import type { FeedbackRecord } from '../requester/zendesk-records.ts';
import { FeedbackTimeline } from './feedback-timeline.tsx';
import { I18nProvider } from './i18n-context.tsx';

// Rendered without the boot, which loads the agent's language: load both here.
beforeAll(async () => {
  await Promise.all([loadMessages('en'), loadMessages('fr')]);
});

let n = 0;
function answer(
  kind: FeedbackRecord['kind'],
  score: FeedbackRecord['score'],
  scale: string | null,
  ticketId: string | null,
  respondedAt: string,
  extra: Partial<FeedbackRecord> = {},
): FeedbackRecord {
  n += 1;
  return {
    id: `f${n}`,
    kind,
    score,
    scale,
    comment: null,
    channel: 'email',
    touchpoint: 'ticket_solved',
    respondedAt,
    ticketId,
    ...extra,
  };
}

/** Eight answers as the survey sends them: four on each of two tickets, all "email · ticket_solved". */
const EIGHT = [
  answer('nps', 9, '0-10', '3100', '2026-09-02T10:00:00Z'),
  answer('csat', 5, '1-5', '3100', '2026-09-02T10:01:00Z'),
  answer('ces', 2, '1-7', '3100', '2026-09-02T10:02:00Z'),
  answer('company_effort', 6, '1-7', '3100', '2026-09-02T10:03:00Z'),
  answer('company_effort', 3, '1-7', '4242', '2026-11-21T16:03:00Z'),
  answer('ces', 6, '1-7', '4242', '2026-11-21T16:02:00Z', { comment: 'Third time I write.' }),
  answer('csat', 2, '1-5', '4242', '2026-11-21T16:01:00Z'),
  answer('nps', 3, '0-10', '4242', '2026-11-21T16:00:00Z'),
];

function show(feedback: readonly FeedbackRecord[], locale: SidebarLocale = 'en') {
  render(
    <ThemeProvider theme={DEFAULT_THEME}>
      <I18nProvider locale={locale}>
        <FeedbackTimeline feedback={feedback} currentTicketId={4242} />
      </I18nProvider>
    </ThemeProvider>,
  );
}

const answersOf = (group: HTMLElement) =>
  within(group)
    .getAllByTestId('feedback-answer')
    .map((a) => a.textContent?.replace(/\s+/g, ' ').trim());

describe('FeedbackTimeline: readable at a glance', () => {
  it('groups the answers by interaction, newest first, with the channel and touchpoint said once', () => {
    show(EIGHT);
    const groups = screen.getAllByTestId('feedback-group');
    expect(groups).toHaveLength(2);
    expect(groups[0]?.textContent).toContain('This ticket (#4242)');
    expect(groups[1]?.textContent).toContain('Ticket #3100');
    expect(screen.getAllByText('email · ticket solved')).toHaveLength(2);
    expect(answersOf(groups[0]!)).toEqual([
      'NPS 3 — detractor',
      'CSAT 2/5 — not satisfied',
      'CES 6/7 — a great deal of effortThird time I write.',
      'Company effort 3/7 — little effort',
    ]);
    expect(answersOf(groups[1]!)).toEqual([
      'NPS 9 — promoter',
      'CSAT 5/5 — satisfied',
      'CES 2/7 — little effort',
      'Company effort 6/7 — a great deal of effort',
    ]);
  });

  it('reads each scale in its own direction and groups answers without a ticket by touchpoint and day', () => {
    show([
      answer('nps', 7, '0-10', null, '2026-10-01T10:00:00Z', { touchpoint: 'delivery' }),
      answer('csat', 'bad', 'good_bad', null, '2026-10-01T10:05:00Z', { touchpoint: 'delivery' }),
      answer('ces', 6, '1-7_agree', null, '2026-08-01T10:00:00Z', { touchpoint: 'onboarding' }),
      answer('csat', 3, '1-3', null, '2026-08-01T10:00:00Z', { touchpoint: 'onboarding', channel: 'web' }),
      answer('ces', 4, '1-7', null, '2026-07-01T10:00:00Z', { touchpoint: 'delivery' }),
    ]);
    const groups = screen.getAllByTestId('feedback-group');
    expect(groups.map((g) => within(g).getByText(/ · /).textContent)).toEqual([
      'email · delivery',
      'email · onboarding',
      'web · onboarding',
      'email · delivery',
    ]);
    expect(groups[0]?.textContent).toContain('Survey outside a ticket');
    expect(answersOf(groups[0]!)).toEqual(['NPS 7 — passive', 'CSAT bad — not satisfied']);
    // "The company made it easy" 6 of 7 agreed: little effort.
    expect(answersOf(groups[1]!)).toEqual(['CES 6/7 — little effort']);
    expect(answersOf(groups[2]!)).toEqual(['CSAT 3/3 — satisfied']);
    expect(answersOf(groups[3]!)).toEqual(['CES 4/7 — moderate effort']);
  });

  it('speaks French', () => {
    show(EIGHT, 'fr');
    const groups = screen.getAllByTestId('feedback-group');
    expect(groups[0]?.textContent).toContain('Ce ticket (n° 4242)');
    expect(answersOf(groups[0]!)).toEqual([
      'NPS 3 — détracteur',
      'CSAT 2/5 — non satisfait',
      "CES 6/7 — beaucoup d'effortThird time I write.",
      "Effort de l'entreprise 3/7 — peu d'effort",
    ]);
    expect(groups[1]?.textContent).toContain('Ticket n° 3100');
  });
});
