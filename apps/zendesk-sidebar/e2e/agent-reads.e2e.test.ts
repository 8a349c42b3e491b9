/**
 * What the agent reads, in the agent frame with the real ZAF SDK (issue 12): whose CRM figures the customer card
 * shows, the feedback history grouped by interaction, and Apply's state after a reload without Submit — en and fr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { RunningAgentFrame } from '../../../sandbox/agent-frame/index.ts';
import { buildRequirements } from '../tools/requirements.ts';
import {
  launchChromium,
  startSidebarHarness,
  zendeskFetch,
  type SidebarHarness,
  openTicketPage,
} from './harness.ts';

let harness: SidebarHarness;
let browser: Browser;
let english: RunningAgentFrame;
let french: RunningAgentFrame;
let api: ReturnType<typeof zendeskFetch>;
/** A second contact of Camille Martin's organisation, whose user record holds figures of their own. */
let jules: { userId: number; ticketId: number };
/** A third contact of the organisation, with the account's figures copied onto their user record by the sync. */
let lea: { userId: number; ticketId: number };
let interventionFieldId: number;

interface LedgerSearch {
  custom_object_records: { id: string; custom_object_fields: Record<string, unknown> }[];
}

beforeAll(async () => {
  harness = await startSidebarHarness();
  api = zendeskFetch(harness.zendesk.url);
  // Boucle's ticket fields, as requirements.json provisions them.
  for (const [key, field] of Object.entries(buildRequirements().ticket_fields)) {
    const { ticket_field: created } = await api<{ ticket_field: { id: number } }>(
      'POST',
      '/api/v2/ticket_fields',
      { ticket_field: field },
    );
    if (key === 'boucle_intervention') interventionFieldId = created.id;
  }
  const { user: camille } = await api<{ user: { organization_id: number; user_fields: object } }>(
    'GET',
    `/api/v2/users/${harness.tickets.customerId}.json`,
  );
  const contact = async (name: string, userFields: object) => {
    const { user } = await api<{ user: { id: number } }>('POST', '/api/v2/users', {
      user: {
        name,
        email: `${name.toLowerCase().replace(' ', '.')}@maison-martin.test`,
        role: 'end-user',
        locale: 'fr',
        organization_id: camille.organization_id,
        user_fields: userFields,
      },
    });
    const { ticket } = await api<{ ticket: { id: number } }>('POST', '/api/v2/tickets', {
      ticket: {
        subject: 'Facture erronée',
        requester_id: user.id,
        priority: 'normal',
        tags: ['billing'],
        comment: { body: 'La facture est fausse, merci de corriger.', author_id: user.id },
      },
    });
    return { userId: user.id, ticketId: ticket.id };
  };
  jules = await contact('Jules Martin', {
    ...camille.user_fields,
    boucle_lifetime_revenue: 12500,
    boucle_revenue_12m: 3100,
    boucle_orders_12m: 3,
  });
  lea = await contact('Lea Martin', camille.user_fields);
  english = await harness.openFrame();
  french = await harness.openFrame({ locale: 'fr' });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const open = (frame: RunningAgentFrame, ticketId: number): Promise<Page> =>
  openTicketPage(browser, frame, ticketId, 1400);

const app = (page: Page): FrameLocator => page.frameLocator('iframe');
const text = async (sidebar: FrameLocator, testId: string) =>
  (await sidebar.getByTestId(testId).innerText()).replace(/\s+/g, ' ').trim();

/** The app's `client.request` calls since the page loaded, from the host's message log. */
async function appRequests(page: Page): Promise<string[]> {
  type LogEntry = { message: { key?: string; message?: { url?: string } } };
  const log = await page.evaluate<LogEntry[]>('window.__agentFrame.log()');
  return log
    .filter((entry) => /^request:\d+$/.test(entry.message.key ?? ''))
    .map((entry) => entry.message.message?.url ?? '');
}

/** Each text on one line, spaces collapsed (innerText breaks the line after an inline-flex tag). */
const flat = (texts: string[]) => texts.map((t) => t.replace(/\s+/g, ' ').trim());

const ledgerOf = (ticketId: number) =>
  api<LedgerSearch>('POST', '/api/v2/custom_objects/boucle_intervention/records/search', {
    filter: { 'custom_object_fields.ticket_id': { $eq: String(ticketId) } },
  });

describe('The customer card says whose figures they are', () => {
  it("shows the account's figures as the account's for every contact, and a contact's own apart", async () => {
    const camille = await open(english, harness.tickets.withSurvey);
    let sidebar = app(camille);
    await sidebar.getByTestId('customer-figures').waitFor();
    expect(await text(sidebar, 'customer-figures-source')).toBe('Account figures · Maison Martin SARL');
    expect(await text(sidebar, 'customer-figures-note')).toMatch(/same for every contact of this account/);
    expect(await text(sidebar, 'customer-figures')).toMatch(/Lifetime revenue €182,000/);
    expect(await text(sidebar, 'customer-figures')).toMatch(/Orders \(12 months\) 14/);
    expect(await sidebar.getByTestId('customer-contact-own').count()).toBe(0);
    await camille.close();

    // Lea's user record holds the account's figures (as the sync copies them): nothing of her own to show.
    const leaPage = await open(english, lea.ticketId);
    sidebar = app(leaPage);
    await sidebar.getByTestId('customer-figures').waitFor();
    expect(await text(sidebar, 'customer-name')).toBe('Lea Martin');
    expect(await text(sidebar, 'customer-figures-source')).toBe('Account figures · Maison Martin SARL');
    expect(await sidebar.getByTestId('customer-contact-own').count()).toBe(0);
    await leaPage.close();

    const julesPage = await open(english, jules.ticketId);
    sidebar = app(julesPage);
    await sidebar.getByTestId('customer-figures').waitFor();
    expect(await text(sidebar, 'customer-name')).toBe('Jules Martin');
    expect(await text(sidebar, 'customer-figures-source')).toBe('Account figures · Maison Martin SARL');
    expect(await text(sidebar, 'customer-figures')).toMatch(/Lifetime revenue €182,000/);
    expect(await text(sidebar, 'customer-contact-own')).toMatch(/Lifetime revenue €12,500/);
    expect(await text(sidebar, 'customer-contact-own')).toMatch(/Orders \(12 months\) 3/);
    await julesPage.close();
  });

  it('in French', async () => {
    const page = await open(french, jules.ticketId);
    const sidebar = app(page);
    await sidebar.getByTestId('customer-figures').waitFor();
    expect(await text(sidebar, 'customer-figures-source')).toBe('Chiffres du compte · Maison Martin SARL');
    expect(await text(sidebar, 'customer-figures-note')).toMatch(/tous les contacts de ce compte/);
    expect(await text(sidebar, 'customer-figures')).toMatch(/Commandes \(12 mois\) 14/);
    expect(await text(sidebar, 'customer-contact-own')).toMatch(/Chiffre d'affaires total 12\s500/);
    await page.close();
  });
});

describe('The feedback history reads at a glance', () => {
  it('groups the answers by interaction, newest first, each score with its meaning', async () => {
    const page = await open(english, harness.tickets.withSurvey);
    const sidebar = app(page);
    await sidebar.getByTestId('feedback-list').waitFor();
    const groups = sidebar.getByTestId('feedback-group');
    expect(await groups.count()).toBe(3);
    const first = groups.nth(0);
    expect(await first.innerText()).toContain(`This ticket (#${harness.tickets.withSurvey})`);
    expect(await first.getByTestId('feedback-answer').allInnerTexts().then(flat)).toEqual([
      'CES 6/7 — a great deal of effort',
      'Company effort 3/7 — little effort',
    ]);
    expect(await first.innerText()).toContain('email · support');
    expect(await groups.nth(1).getByTestId('feedback-answer').allInnerTexts().then(flat)).toEqual([
      'CSAT 2/5 — not satisfied',
    ]);
    expect(await groups.nth(1).innerText()).toContain('web · support');
    const npsAnswer = groups.nth(2).getByTestId('feedback-answer');
    expect(flat([await npsAnswer.innerText()])[0]).toMatch(/^NPS 4 — detractor “?<img src=x/);
    expect(await groups.nth(2).innerText()).toContain('email · delivery');
    await page.close();
  });

  it('in French', async () => {
    const page = await open(french, harness.tickets.withSurvey);
    const sidebar = app(page);
    await sidebar.getByTestId('feedback-list').waitFor();
    const groups = sidebar.getByTestId('feedback-group');
    expect(await groups.nth(0).innerText()).toContain(`Ce ticket (n° ${harness.tickets.withSurvey})`);
    expect(await groups.nth(0).getByTestId('feedback-answer').allInnerTexts().then(flat)).toEqual([
      "CES 6/7 — beaucoup d'effort",
      "Effort de l'entreprise 3/7 — peu d'effort",
    ]);
    expect(await groups.nth(1).getByTestId('feedback-answer').allInnerTexts().then(flat)).toEqual([
      'CSAT 2/5 — non satisfait',
    ]);
    expect(await groups.nth(2).innerText()).toContain("Enquête hors d'un ticket");
    expect(flat([await groups.nth(2).getByTestId('feedback-answer').innerText()])[0]).toMatch(
      /^NPS 4 — détracteur/,
    );
    await page.close();
  });
});

describe('Apply, then reload without Submit', () => {
  it('shows what is stored: pending until Submit, not saved after a reload, re-applied without a second record, saved after Submit', async () => {
    const ticketId = harness.tickets.withSurvey;
    const page = await open(english, ticketId);
    const sidebar = app(page);
    await sidebar.getByTestId('apply').waitFor();
    expect(await text(sidebar, 'apply-hint')).toMatch(/Zendesk saves it when you submit the ticket/);
    await sidebar.getByTestId('apply').click();
    await sidebar.getByTestId('apply-done').waitFor();
    expect(await text(sidebar, 'apply-done')).toMatch(/Not saved yet: submit the ticket to save it/);
    expect(await sidebar.getByTestId('apply').count()).toBe(0);
    expect(await sidebar.getByTestId('reapply').count()).toBe(0);
    type HostState = {
      form: { customFields: Record<string, unknown>; commentText: string; tags: string[] };
      saved: { custom_fields?: { id: number; value: unknown }[] };
    };
    let host = await page.evaluate<HostState>('window.__agentFrame.state()');
    const actionTag = String(host.form.customFields[String(interventionFieldId)]);
    expect(actionTag).toMatch(/^boucle_(none|apology|callback|compensation)$/);
    expect((await ledgerOf(ticketId)).custom_object_records).toHaveLength(1);

    // Reload without Submit: Zendesk dropped the form's edits; the ledger kept its record.
    await page.reload();
    await sidebar.getByTestId('apply-not-saved').waitFor();
    expect(await text(sidebar, 'apply-not-saved')).toMatch(
      /Recorded, but not saved on the ticket.*the ticket was not submitted afterwards/,
    );
    expect(await text(sidebar, 'loop-state')).toMatch(/not saved on the ticket until Submit/);
    expect(await sidebar.getByTestId('apply').count()).toBe(0);
    host = await page.evaluate<HostState>('window.__agentFrame.state()');
    expect(host.form.customFields[String(interventionFieldId)] ?? null).toBeNull();
    // Reading the ledger record and the saved fields cost no request beyond the three reads.
    expect((await appRequests(page)).length).toBe(3);

    await sidebar.getByTestId('reapply').click();
    await sidebar.getByTestId('apply-done').waitFor();
    expect(await text(sidebar, 'apply-done')).toMatch(/nothing is recorded twice/);
    host = await page.evaluate<HostState>('window.__agentFrame.state()');
    expect(host.form.customFields[String(interventionFieldId)]).toBe(actionTag);
    expect(host.form.tags).toContain(actionTag);
    expect((await ledgerOf(ticketId)).custom_object_records).toHaveLength(1);

    const submitted = await page.evaluate<{ ok: boolean; message?: string }>('window.__agentFrame.submit()');
    expect(submitted.ok).toBe(true);
    await sidebar.getByTestId('apply-saved').waitFor();
    expect(await text(sidebar, 'apply-saved')).toMatch(/and saved on the ticket/);
    const { ticket } = await api<{
      ticket: { custom_fields: { id: number; value: unknown }[]; tags: string[] };
    }>('GET', `/api/v2/tickets/${ticketId}.json`);
    expect(ticket.custom_fields.find((f) => f.id === interventionFieldId)?.value).toBe(actionTag);
    expect(ticket.tags).toContain(actionTag);

    // A later visit reads the same from Zendesk.
    await page.reload();
    await sidebar.getByTestId('apply-saved').waitFor();
    expect(await text(sidebar, 'loop-state')).toMatch(/^Status: applied/);
    expect(await text(sidebar, 'reapply')).toBe('Fill the ticket again');
    expect((await ledgerOf(ticketId)).custom_object_records).toHaveLength(1);
    await page.close();
  });

  it('in French', async () => {
    const page = await open(french, jules.ticketId);
    const sidebar = app(page);
    await sidebar.getByTestId('apply').waitFor();
    expect(await text(sidebar, 'apply')).toBe('Appliquer');
    expect(await text(sidebar, 'apply-hint')).toMatch(/quand vous soumettez le ticket/);
    const recommended = await text(sidebar, 'recommendation-action');
    await sidebar.getByTestId('apply').click();
    await sidebar.getByTestId('apply-done').waitFor();
    expect(await text(sidebar, 'apply-done')).toMatch(/Pas encore enregistré : soumettez le ticket/);
    // Apply raised the priority in the form: the sidebar re-reads the ticket on that event, and still shows the
    // recommendation the agent applied (it is the one waiting for Submit), not one decided on its own edits.
    await page.waitForFunction(() =>
      (window as unknown as { __agentFrame: { log(): { message: { key?: string } }[] } }).__agentFrame
        .log()
        .some((entry) => entry.message.key === 'zaf.ticket.priority.changed'),
    );
    await page.waitForTimeout(1_000);
    expect(await text(sidebar, 'recommendation-action')).toBe(recommended);
    await page.reload();
    await sidebar.getByTestId('apply-not-saved').waitFor();
    expect(await text(sidebar, 'apply-not-saved')).toMatch(/Enregistré, mais pas sur le ticket/);
    expect(await text(sidebar, 'reapply')).toBe('Remplir à nouveau le ticket');
    await sidebar.getByTestId('reapply').click();
    await sidebar.getByTestId('apply-done').waitFor();
    expect(await text(sidebar, 'apply-done')).toMatch(/rien n'est enregistré deux fois/);
    expect((await ledgerOf(jules.ticketId)).custom_object_records).toHaveLength(1);
    await page.close();
  });
});
