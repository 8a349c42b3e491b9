/**
 * What the agent reads (issue 12): the ticket's status, each intervention's own follow-up, a draft that can be sent
 * as is, and the reasons in the glance line — in English and in French, in the agent frame with the real ZAF SDK.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningAgentFrame } from '../../../sandbox/agent-frame/index.ts';
import {
  launchChromium,
  startSidebarHarness,
  VALID_SETTINGS,
  policySetting,
  zendeskFetch,
  type SidebarHarness,
  openTicketPage,
} from './harness.ts';

let harness: SidebarHarness;
let browser: Browser;
const tickets = { solved: 0, solvedThenBadAnswer: 0 };

/** A rule that makes the model's choice a compensation, whatever the figures. */
const COMPENSATION_SETTINGS = {
  ...VALID_SETTINGS,
  policy: policySetting({
    rules: [
      {
        name: 'Gold customers get a gesture',
        priority: 1,
        conditions: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'gold' }] },
        event: { params: { force: 'compensation', compensationTier: 'goodwill_small' } },
      },
    ],
  }),
};

beforeAll(async () => {
  harness = await startSidebarHarness();
  browser = await launchChromium();
  const api = zendeskFetch(harness.zendesk.url);
  const solvedTicket = async (subject: string) =>
    (
      await api<{ ticket: { id: number } }>('POST', '/api/v2/tickets', {
        ticket: {
          subject,
          requester_id: harness.tickets.customerId,
          priority: 'high',
          status: 'solved',
          tags: ['delivery'],
          comment: {
            body: "C'est la troisième fois que j'écris, toujours pas de colis.",
            author_id: harness.tickets.customerId,
          },
        },
      })
    ).ticket.id;
  tickets.solved = await solvedTicket('Colis livré en retard');
  tickets.solvedThenBadAnswer = await solvedTicket('Colis abîmé');
  await api('POST', '/api/v2/custom_objects/boucle_feedback/records', {
    custom_object_record: {
      name: 'NPS after the solved ticket',
      custom_object_fields: {
        user: String(harness.tickets.customerId),
        kind: 'nps',
        score: '3',
        scale: '0-10',
        ticket_id: String(tickets.solvedThenBadAnswer),
        channel: 'email',
        touchpoint: 'ticket_solved',
        responded_at: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      },
    },
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

async function openTicket(frame: RunningAgentFrame, ticketId: number): Promise<Page> {
  const page = await openTicketPage(browser, frame, ticketId, 1400);
  await page.frameLocator('iframe').getByTestId('recommendation').waitFor();
  return page;
}

const app = (page: Page) => page.frameLocator('iframe');
const text = (page: Page, testId: string) => app(page).getByTestId(testId).innerText();

describe('a solved ticket in the agent frame', () => {
  it('recommends no urgent callback on a solved ticket without a bad answer since, and says what applies (en, fr)', async () => {
    const english = await openTicket(await harness.openFrame(), tickets.solved);
    expect(await text(english, 'recommendation-action')).toBe('No action');
    expect(await app(english).getByTestId('recommendation-deadline').count()).toBe(0);
    expect(await text(english, 'recommendation-headline')).toMatch(
      /^Ticket solved with no bad answer since, /,
    );
    expect(await text(english, 'ticket-stage')).toContain('Boucle starts no new intervention here');
    expect(await app(english).getByTestId('draft-reply').count()).toBe(0);
    await english.close();

    const french = await openTicket(await harness.openFrame({ locale: 'fr' }), tickets.solved);
    expect(await text(french, 'recommendation-action')).toBe('Aucune action');
    expect(await text(french, 'recommendation-headline')).toMatch(
      /^Ticket résolu sans mauvaise réponse depuis, /,
    );
    expect(await text(french, 'ticket-stage')).toContain('Boucle ne lance pas de nouvelle intervention ici');
    await french.close();
  });

  it('keeps the recovery due after a bad answer about the solved ticket, on the follow-up (en, fr)', async () => {
    const english = await openTicket(await harness.openFrame(), tickets.solvedThenBadAnswer);
    expect(await text(english, 'recommendation-action')).not.toBe('No action');
    expect(await text(english, 'recommendation-headline')).toMatch(/^NPS 3 after the ticket was solved, /);
    expect(await text(english, 'ticket-stage')).toContain(
      'the recovery is still due, on the follow-up ticket',
    );
    await app(english).getByTestId('recommendation-deadline').waitFor();
    await english.close();

    const french = await openTicket(await harness.openFrame({ locale: 'fr' }), tickets.solvedThenBadAnswer);
    expect(await text(french, 'recommendation-headline')).toMatch(/^NPS 3 après la résolution du ticket, /);
    expect(await text(french, 'ticket-stage')).toContain('reste due, sur le ticket de suivi');
    await french.close();
  });
});

describe('a compensation in the agent frame', () => {
  it('shows its own follow-up and a draft without placeholders, in the customer’s language, and Apply sends that draft', async () => {
    const page = await openTicket(
      await harness.openFrame({ settings: COMPENSATION_SETTINGS }),
      harness.tickets.withSurvey,
    );
    expect(await text(page, 'recommendation-action')).toBe(
      'Compensate — a credit of €25 on your next invoice',
    );
    expect(await text(page, 'recommendation-deadline-label')).toBe('Grant the compensation before');
    const draft = await text(page, 'draft-reply');
    // Camille Martin's language is French: the amount is written the French way.
    expect(draft).toContain('un avoir de 25\u00a0€ sur votre prochaine facture');
    expect(draft).toMatch(/confirmation écrite/);
    expect(draft).not.toMatch(/\[|\]|goodwill_|appel/);
    expect(await app(page).getByTestId('draft-to-fill').count()).toBe(0);

    await app(page).getByTestId('apply').click();
    await app(page).getByTestId('apply-done').waitFor();
    type FormState = { form: { commentText: string } };
    const state = await page.evaluate<FormState>('window.__agentFrame.state()');
    expect(state.form.commentText).toBe(draft);
    const due = await text(page, 'loop-due');
    expect(due).toMatch(/^Compensation to grant within \d+ h$/);
    expect(due).not.toMatch(/Callback/);
    await page.close();
  });

  it('says the same in French for a French-speaking agent', async () => {
    const page = await openTicket(
      await harness.openFrame({ locale: 'fr', settings: COMPENSATION_SETTINGS }),
      harness.tickets.withSurvey,
    );
    expect(await text(page, 'recommendation-action')).toBe(
      'Dédommager — un avoir de 25\u00a0€ sur votre prochaine facture',
    );
    expect(await text(page, 'recommendation-deadline-label')).toBe('Accorder la compensation avant');
    await page.close();
  });

  it('highlights what the agent must still write (an apology says what went wrong)', async () => {
    const page = await openTicket(
      await harness.openFrame({
        settings: {
          ...VALID_SETTINGS,
          policy: policySetting({
            rules: [
              {
                name: 'Apologise',
                priority: 1,
                conditions: { all: [{ fact: 'incident.contacts', operator: 'greaterThan', value: 0 }] },
                event: { params: { force: 'apology' } },
              },
            ],
          }),
        },
      }),
      harness.tickets.withoutSurvey,
    );
    expect(await text(page, 'recommendation-deadline-label')).toBe('Reply before');
    const marks = await app(page).getByTestId('draft-to-fill').allInnerTexts();
    expect(marks).toEqual(['[Say in one sentence what went wrong and what we did about it.]']);
    expect(
      await app(page)
        .getByTestId('draft-to-fill')
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).not.toBe('rgba(0, 0, 0, 0)');
    expect(await text(page, 'draft-hint')).toBe('Write the highlighted part before sending.');
    // Its clock is a reply's, in the loop status too.
    await app(page).getByTestId('apply').click();
    await app(page).getByTestId('apply-done').waitFor();
    expect(await text(page, 'loop-due')).toMatch(/^Reply due in \d+ h$/);
    await page.close();
  });
});

describe('the glance line', () => {
  it('gives the reasons, not the choice again, with money in one format (en, fr)', async () => {
    const english = await openTicket(await harness.openFrame(), harness.tickets.withSurvey);
    const headline = await text(english, 'recommendation-headline');
    expect(headline).toMatch(/^High-value customer \(gold\), /);
    expect(headline).not.toMatch(/expected value|priority|goodwill_/);
    expect(headline.split(', ').length).toBeGreaterThanOrEqual(2);
    expect(headline.split(', ').length).toBeLessThanOrEqual(3);
    // The figures are in the details, formatted as on the card.
    const ev = await text(english, 'recommendation-ev');
    await app(english).getByRole('button', { name: 'Details' }).click();
    expect(await text(english, 'recommendation-details')).toContain(ev);
    await english.close();

    const french = await openTicket(await harness.openFrame({ locale: 'fr' }), harness.tickets.withSurvey);
    const titre = await text(french, 'recommendation-headline');
    expect(titre).toMatch(/^Client à forte valeur \(or\), /);
    expect(titre).not.toMatch(/valeur attendue|priorité/);
    const valeur = await text(french, 'recommendation-ev');
    expect(valeur).toMatch(/^[\d\u202f]+\u00a0€$/);
    await app(french).getByRole('button', { name: 'Détails' }).click();
    expect(await text(french, 'recommendation-details')).toContain(valeur);
    await french.close();
  });
});
