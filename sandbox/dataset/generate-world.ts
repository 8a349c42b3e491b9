/**
 * The generated world: one coherent set of plain records for both emulators (Salesforce accounts, contacts,
 * opportunities and orders; Zendesk organisations, users, tickets, survey answers, CSAT ratings) plus the hidden
 * truth the simulator's outcome model plays (true effort class, frailty, churn). Pure: seed in, records out.
 */
import type { Channel, EffortClass, IncidentType, Severity } from '../../shared/src/index.ts';
import { makeId } from '../salesforce/ids.ts';
import {
  type CalibrationCustomer,
  FRAILTY_SHAPE,
  type OutcomeIncident,
  type OutcomeParameters,
  calibrateOutcomeModel,
  churnProbability,
  incidentHazard,
} from './outcome-model.ts';
import { plantSignals, type PlantedSignal } from './plant-signals.ts';
import { createRng, type Rng } from './random.ts';
import {
  AGENT_REPLIES,
  AGENT_REPLIES_BY_STAGE,
  CALM_FOLLOW_UPS,
  COUNTRIES,
  EFFORT_FOLLOW_UPS,
  FIRST_NAMES,
  INCIDENT_TEXT,
  LAST_NAMES,
  NAME_STEMS,
  ROUTINE_TICKETS,
  SECTORS,
  SECTOR_PROFILES,
  SURVEY_COMMENTS,
  TARGETS,
  type Lang,
  type Sector,
} from './sectors.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Default "now" of the generated world: fixed, so the same seed gives byte-identical files. */
export const DEFAULT_NOW = '2026-11-01T00:00:00.000Z';

export interface WorldOptions {
  readonly seed?: number;
  /** Number of accounts (default 1,000; the issue asks for at least 500). */
  readonly accounts?: number;
  /** Average routine (non-incident) tickets per account over the year (default 5). */
  readonly routineTicketsPerAccount?: number;
  /** The world's present; histories end just before it (default DEFAULT_NOW). */
  readonly now?: string;
  /** Plant the known programme signals (sandbox/dataset/plant-signals.ts; default true). */
  readonly plantSignals?: boolean;
}

export type Segment = 'Enterprise' | 'Mid-Market' | 'SMB';

export interface AccountRecord {
  readonly id: string;
  readonly externalId: string;
  readonly name: string;
  readonly sector: Sector;
  readonly industry: string;
  readonly country: string;
  readonly lang: Lang;
  readonly segment: Segment;
  readonly tier: 'Platinum' | 'Gold' | 'Silver' | 'Bronze';
  readonly annualRevenue: number;
  readonly employees: number;
  readonly createdAt: number;
  readonly domain: string;
}

export interface ContactRecord {
  readonly id: string;
  readonly accountId: string;
  /** The Zendesk user id this contact is mirrored as. */
  readonly zendeskUserId: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone: string;
  readonly country: string;
  readonly lang: Lang;
  readonly createdAt: number;
}

export interface OpportunityRecord {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly stage: string;
  readonly amount: number;
  readonly closeDate: string;
  readonly createdAt: number;
}

export interface OrderRecord {
  readonly id: string;
  readonly accountId: string;
  readonly status: 'Activated' | 'Draft';
  readonly amount: number;
  readonly effectiveDate: string;
  readonly createdAt: number;
}

export interface TicketComment {
  readonly author: 'customer' | 'agent';
  readonly body: string;
  readonly public: boolean;
  readonly at: number;
}

export interface TicketRecord {
  readonly id: number;
  readonly accountId: string;
  readonly contactId: string;
  readonly subject: string;
  readonly type: 'incident' | 'question' | 'task';
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  /** Zendesk's statuses: see `finishTickets` for how each is reached. */
  readonly status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  readonly channel: Channel;
  readonly createdAt: number;
  readonly tags: readonly string[];
  /** Index into the world's agents. */
  readonly agent: number;
  readonly comments: readonly TicketComment[];
  readonly incidentId: string | null;
}

export type SurveyKind = 'nps' | 'csat' | 'ces' | 'company_effort';

export interface SurveyAnswer {
  readonly id: string;
  readonly accountId: string;
  readonly contactId: string;
  readonly ticketId: number | null;
  readonly interactionId: string | null;
  readonly kind: SurveyKind;
  readonly scale: '0-10' | '1-5' | '1-7';
  readonly score: number;
  readonly comment: string | null;
  readonly lang: Lang;
  readonly respondedAt: number;
  readonly channel: Channel;
  readonly touchpoint: 'ticket_solved' | 'relationship';
}

export interface CsatRating {
  readonly ticketId: number;
  readonly score: 'good' | 'bad';
  readonly comment: string | null;
}

/** A critical incident as the company can observe it (ticket facts; no hidden truth). */
export interface IncidentRecord {
  readonly id: string;
  readonly ticketId: number;
  readonly accountId: string;
  readonly contactId: string;
  readonly type: IncidentType;
  readonly severity: Severity;
  readonly companyAtFault: boolean;
  /** Earlier incidents of this customer in the year. */
  readonly recurrence: number;
  readonly contacts: number;
  readonly reopens: number;
  readonly transfers: number;
  readonly channelSwitches: number;
  readonly waitingHours: number;
  readonly channel: Channel;
  readonly openedAt: number;
  readonly monetaryLoss: number | null;
  readonly publicReplies: number;
  readonly escalations: number;
  readonly ownerAssigned: boolean;
  /** The customer answered the post-incident survey (two incidents in three). */
  readonly surveyed: boolean;
}

/** Hidden from every policy: what the outcome model plays. */
export interface IncidentTruth {
  readonly effortClass: EffortClass;
  readonly ces: number;
  readonly companyEffort: number;
}

export interface CustomerTruth {
  readonly frailty: number;
  /** Left or reduced use in the year after their incidents, with no intervention (the historical record). */
  readonly churned: boolean;
}

export interface World {
  readonly seed: number;
  readonly now: number;
  readonly agents: readonly {
    readonly name: string;
    readonly email: string;
    readonly zendeskUserId: number;
  }[];
  readonly accounts: readonly AccountRecord[];
  readonly contacts: readonly ContactRecord[];
  readonly opportunities: readonly OpportunityRecord[];
  readonly orders: readonly OrderRecord[];
  readonly tickets: readonly TicketRecord[];
  readonly answers: readonly SurveyAnswer[];
  readonly csat: readonly CsatRating[];
  readonly incidents: readonly IncidentRecord[];
  /** The programme signals planted in the last months (empty with plantSignals: false). */
  readonly planted: readonly PlantedSignal[];
  readonly truth: {
    readonly incidents: ReadonlyMap<string, IncidentTruth>;
    readonly customers: ReadonlyMap<string, CustomerTruth>;
    readonly outcome: OutcomeParameters;
  };
}

const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  low: 0.2,
  medium: 0.4,
  high: 0.3,
  critical: 0.1,
};
const PRIORITY_OF: Readonly<Record<Severity, TicketRecord['priority']>> = {
  low: 'low',
  medium: 'normal',
  high: 'high',
  critical: 'urgent',
};
const AGENTS = [
  { name: 'Noah Martin', email: 'noah.martin@boucle-sandbox.test' },
  { name: 'Léa Dubois', email: 'lea.dubois@boucle-sandbox.test' },
  { name: 'James Brown', email: 'james.brown@boucle-sandbox.test' },
  { name: 'Inès Moreau', email: 'ines.moreau@boucle-sandbox.test' },
];

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Poisson-ish count with the given mean (Knuth; small means only). */
function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k += 1;
    p *= rng.next();
  }
  return k;
}

/** True CES and company effort (1–7) of an effort class. */
function effortScores(rng: Rng, cls: EffortClass): { ces: number; companyEffort: number } {
  if (cls === 'balanced') {
    const both = rng.int(2, 5);
    return { ces: both, companyEffort: both };
  }
  const high = rng.int(4, 7);
  const low = rng.int(1, high - 1);
  return cls === 'customer_harder' ? { ces: high, companyEffort: low } : { ces: low, companyEffort: high };
}

function npsComment(rng: Rng, lang: Lang, score: number, highEffort: boolean): string | null {
  if (!rng.chance(0.55)) return null;
  if (highEffort && score <= 6) return rng.pick(SURVEY_COMMENTS.effort[lang]);
  const mood = score >= 9 ? 'good' : score >= 7 ? 'neutral' : 'bad';
  return rng.pick(SURVEY_COMMENTS[mood][lang]);
}

/** Generates the world. Same options, same world. */
export function generateWorld(options: WorldOptions = {}): World {
  const seed = options.seed ?? 42;
  const accountCount = options.accounts ?? 1000;
  if (!Number.isInteger(accountCount) || accountCount < 1)
    throw new Error(`accounts must be a whole number ≥ 1 (got ${accountCount})`);
  const routineMean = options.routineTicketsPerAccount ?? 5;
  const now = Date.parse(options.now ?? DEFAULT_NOW);
  if (Number.isNaN(now)) throw new Error(`now must be an ISO 8601 date (got ${options.now ?? ''})`);
  const root = createRng(seed);
  const rngAccounts = root.fork('accounts');
  const rngCrm = root.fork('crm');
  const rngTickets = root.fork('tickets');
  const rngSurveys = root.fork('surveys');
  const rngTruth = root.fork('truth');
  const yearStart = now - 365 * DAY;

  const agents = AGENTS.map((agent, i) => ({ ...agent, zendeskUserId: 9_001 + i }));
  const accounts: AccountRecord[] = [];
  const contacts: ContactRecord[] = [];
  const opportunities: OpportunityRecord[] = [];
  const orders: OrderRecord[] = [];
  const tickets: TicketRecord[] = [];
  const answers: SurveyAnswer[] = [];
  const csat: CsatRating[] = [];
  const incidents: IncidentRecord[] = [];
  const incidentTruth = new Map<string, IncidentTruth>();
  const frailties = new Map<string, number>();
  const contactsOf = new Map<string, ContactRecord[]>();
  const sectorWeights = Object.fromEntries(SECTORS.map((s) => [s, SECTOR_PROFILES[s].weight])) as Record<
    Sector,
    number
  >;
  const countryWeights = Object.fromEntries(COUNTRIES.map((c) => [c.name, c.weight]));
  let contactSeq = 0;
  let ticketSeq = 0;
  let answerSeq = 0;

  // Accounts, contacts, opportunities and orders (Salesforce).
  for (let a = 0; a < accountCount; a += 1) {
    const sector = rngAccounts.weighted(sectorWeights);
    const profile = SECTOR_PROFILES[sector];
    const countryName = rngAccounts.weighted(countryWeights);
    const country = COUNTRIES.find((c) => c.name === countryName)!;
    const stem = rngAccounts.pick(NAME_STEMS);
    const name = `${stem} ${rngAccounts.pick(profile.nameWords)} ${a + 1}`;
    const segRoll = rngAccounts.next();
    const segment: Segment = segRoll < 0.08 ? 'Enterprise' : segRoll < 0.35 ? 'Mid-Market' : 'SMB';
    const medianSpend = segment === 'Enterprise' ? 140_000 : segment === 'Mid-Market' ? 30_000 : 5_000;
    const annualSpend = Math.round(medianSpend * Math.exp(0.6 * rngAccounts.normal()));
    const createdAt = now - rngAccounts.int(200, 6 * 365) * DAY;
    const id = makeId('001', a + 1);
    const tier =
      annualSpend >= 100_000
        ? 'Platinum'
        : annualSpend >= 25_000
          ? 'Gold'
          : annualSpend >= 5_000
            ? 'Silver'
            : 'Bronze';
    const domain = `${slug(stem)}${a + 1}.example`;
    const account: AccountRecord = {
      id,
      externalId: `ERP-${String(a + 1).padStart(7, '0')}`,
      name,
      sector,
      industry: profile.industry,
      country: country.name,
      lang: country.lang,
      segment,
      tier,
      annualRevenue: Math.round((annualSpend * rngAccounts.int(20, 200)) / 1000) * 1000,
      employees:
        segment === 'Enterprise'
          ? rngAccounts.int(1000, 20000)
          : segment === 'Mid-Market'
            ? rngAccounts.int(100, 999)
            : rngAccounts.int(2, 99),
      createdAt,
      domain,
    };
    accounts.push(account);
    frailties.set(id, rngTruth.frailty(FRAILTY_SHAPE));

    const nContacts = rngCrm.int(1, 5);
    const list: ContactRecord[] = [];
    for (let c = 0; c < nContacts; c += 1) {
      contactSeq += 1;
      const first = rngCrm.pick(FIRST_NAMES);
      const last = rngCrm.pick(LAST_NAMES);
      const contact: ContactRecord = {
        id: makeId('003', contactSeq),
        accountId: id,
        zendeskUserId: 20_000 + contactSeq,
        firstName: first,
        lastName: last,
        email: `${slug(first)}.${slug(last)}${c}@${domain}`,
        phone: `${country.dial} ${rngCrm.int(100, 999)} ${String(rngCrm.int(0, 999_999)).padStart(6, '0')}`,
        country: country.name,
        lang: country.lang,
        createdAt: createdAt + rngCrm.int(0, 60) * DAY,
      };
      list.push(contact);
      contacts.push(contact);
    }
    contactsOf.set(id, list);

    const ordersPerYear = rngCrm.int(2, 8);
    const since = Math.max(createdAt, now - 3 * 365 * DAY);
    const years = (now - since) / (365 * DAY);
    const nOrders = Math.max(1, Math.round(ordersPerYear * years));
    for (let o = 0; o < nOrders; o += 1) {
      const at = since + Math.floor(rngCrm.next() * (now - since - DAY));
      orders.push({
        id: makeId('801', orders.length + 1),
        accountId: id,
        status: rngCrm.chance(0.93) ? 'Activated' : 'Draft',
        amount: Math.round((annualSpend / ordersPerYear) * (0.5 + rngCrm.next()) * 100) / 100,
        effectiveDate: isoDay(at),
        createdAt: at,
      });
    }
    const nOpps = rngCrm.int(0, 5);
    for (let o = 0; o < nOpps; o += 1) {
      const at = since + Math.floor(rngCrm.next() * (now - since - DAY));
      const closeAt = at + rngCrm.int(14, 180) * DAY;
      const open = closeAt > now;
      const stage = open
        ? rngCrm.pick([
            'Prospecting',
            'Qualification',
            'Needs Analysis',
            'Proposal/Price Quote',
            'Negotiation/Review',
          ])
        : rngCrm.chance(0.6)
          ? 'Closed Won'
          : 'Closed Lost';
      opportunities.push({
        id: makeId('006', opportunities.length + 1),
        accountId: id,
        name: `${stem} - ${rngCrm.pick(['Renewal', 'Upsell', 'New Business', 'Expansion', 'Services'])}`,
        stage,
        amount: Math.round(annualSpend * (0.2 + rngCrm.next())),
        closeDate: isoDay(closeAt),
        createdAt: at,
      });
    }
  }

  const survey = (
    base: Omit<SurveyAnswer, 'id' | 'kind' | 'scale' | 'score' | 'comment'>,
    kind: SurveyKind,
    score: number,
    comment: string | null = null,
  ): void => {
    answerSeq += 1;
    answers.push({
      ...base,
      id: `svy-${seed}-${answerSeq}`,
      kind,
      scale: kind === 'nps' ? '0-10' : kind === 'csat' ? '1-5' : '1-7',
      score,
      comment,
    });
  };

  // Tickets, incidents and surveys (Zendesk).
  for (const account of accounts) {
    const profile = SECTOR_PROFILES[account.sector];
    const people = contactsOf.get(account.id)!;
    const frailty = frailties.get(account.id)!;
    const lang = account.lang;
    const items: { at: number; incident: boolean }[] = [];
    const nRoutine = poisson(rngTickets, routineMean);
    for (let i = 0; i < nRoutine; i += 1)
      items.push({ at: yearStart + rngTickets.next() * 365 * DAY, incident: false });
    if (rngTickets.chance(profile.incidentRate)) {
      let n = 1;
      while (n < 4 && rngTickets.chance(0.3)) n += 1;
      // Incidents fall in the first ten months so that their churn can be observed.
      for (let i = 0; i < n; i += 1)
        items.push({ at: yearStart + rngTickets.next() * 300 * DAY, incident: true });
    }
    items.sort((x, y) => x.at - y.at);
    let prior = 0;
    for (const item of items) {
      ticketSeq += 1;
      const ticketId = ticketSeq;
      const contact = rngTickets.pick(people);
      const openedAt = Math.floor(item.at / HOUR) * HOUR + 8 * HOUR;
      const agent = rngTickets.int(0, agents.length - 1);
      const channel: Channel = rngTickets.weighted({ email: 0.4, web: 0.25, phone: 0.2, chat: 0.15 });
      if (!item.incident) {
        const tpl = rngTickets.pick(ROUTINE_TICKETS)[lang];
        const solved = openedAt < now - 3 * DAY || rngTickets.chance(0.5);
        const comments: TicketComment[] = [
          { author: 'customer', body: tpl.body, public: true, at: openedAt },
          {
            author: 'agent',
            body: rngTickets.pick(AGENT_REPLIES[lang]), // draws as before; finishTickets writes the reply
            public: true,
            at: openedAt + rngTickets.int(1, 20) * HOUR,
          },
        ];
        tickets.push({
          id: ticketId,
          accountId: account.id,
          contactId: contact.id,
          subject: tpl.subject,
          type: rngTickets.chance(0.7) ? 'question' : 'task',
          priority: rngTickets.weighted({ low: 0.35, normal: 0.55, high: 0.1 }),
          status: solved ? 'solved' : 'open',
          channel,
          createdAt: openedAt,
          tags: [`lang_${lang}`, `sector_${account.sector}`],
          agent,
          comments,
          incidentId: null,
        });
        if (solved && rngSurveys.chance(0.5)) {
          const respondedAt = openedAt + rngSurveys.int(24, 72) * HOUR;
          if (respondedAt < now) {
            const base = {
              accountId: account.id,
              contactId: contact.id,
              ticketId,
              interactionId: `int-${ticketId}`,
              lang,
              respondedAt,
              channel,
              touchpoint: 'ticket_solved' as const,
            };
            const sat = clamp(Math.round(4.3 + 0.8 * rngSurveys.normal() - 0.3 * (frailty - 1)), 1, 5);
            survey(base, 'csat', sat);
            if (rngSurveys.chance(0.6)) {
              const nps = clamp(Math.round(8 + 1.6 * rngSurveys.normal() - 0.8 * (frailty - 1)), 0, 10);
              survey(base, 'nps', nps, npsComment(rngSurveys, lang, nps, false));
            }
            if (rngSurveys.chance(0.5)) {
              const ces = clamp(Math.round(2.2 + rngSurveys.normal()), 1, 7);
              survey(base, 'ces', ces);
              if (rngSurveys.chance(0.8))
                survey(base, 'company_effort', clamp(ces + rngSurveys.int(-1, 1), 1, 7));
            }
            if (rngSurveys.chance(0.4))
              csat.push({ ticketId, score: sat >= 4 ? 'good' : 'bad', comment: null });
          }
        }
        continue;
      }

      // A critical incident.
      const incidentId = `inc-${seed}-${ticketId}`;
      const type = rngTickets.weighted(profile.types as Record<IncidentType, number>);
      const severity = rngTickets.weighted(SEVERITY_WEIGHTS);
      const effortRoll = rngTruth.next();
      const effortClass: EffortClass =
        effortRoll < profile.customerHarder
          ? 'customer_harder'
          : effortRoll < profile.customerHarder + profile.companyHarder
            ? 'company_harder'
            : 'balanced';
      const truth = effortScores(rngTruth, effortClass);
      const harder = effortClass === 'customer_harder';
      const companyHarder = effortClass === 'company_harder';
      const contactsCount = harder ? rngTickets.int(2, 5) : rngTickets.int(1, 2);
      const reopens = harder ? rngTickets.int(0, 2) : rngTickets.chance(0.1) ? 1 : 0;
      const waitingHours = harder ? rngTickets.int(24, 120) : rngTickets.int(2, 36);
      const channelSwitches = harder ? rngTickets.int(0, 2) : 0;
      const transfers = rngTickets.int(0, harder ? 3 : 1);
      const publicReplies = companyHarder ? rngTickets.int(3, 6) : rngTickets.int(1, 3);
      const escalations = companyHarder ? rngTickets.int(1, 2) : rngTickets.chance(0.15) ? 1 : 0;
      const ownerAssigned = companyHarder ? true : rngTickets.chance(harder ? 0.3 : 0.6);
      const companyAtFault = rngTickets.chance(0.8);
      const monetaryLoss =
        type === 'billing' || type === 'delivery' ? Math.round(20 + rngTickets.next() * 300) : null;
      const text = INCIDENT_TEXT[type];
      const comments: TicketComment[] = [
        { author: 'customer', body: text.first[lang], public: true, at: openedAt },
      ];
      let t = openedAt;
      const step = (waitingHours * HOUR) / Math.max(1, contactsCount);
      for (let k = 1; k < Math.max(contactsCount, publicReplies); k += 1) {
        t += step;
        if (k <= publicReplies)
          comments.push({ author: 'agent', body: rngTickets.pick(AGENT_REPLIES[lang]), public: true, at: t });
        if (k < contactsCount)
          comments.push({
            author: 'customer',
            body: rngTickets.pick((harder ? EFFORT_FOLLOW_UPS : CALM_FOLLOW_UPS)[lang]),
            public: true,
            at: t + HOUR,
          });
      }
      const solved = openedAt + waitingHours * HOUR + 2 * DAY < now;
      tickets.push({
        id: ticketId,
        accountId: account.id,
        contactId: contact.id,
        subject: text.subject[lang],
        type: 'incident',
        priority: PRIORITY_OF[severity],
        status: solved ? 'solved' : 'open',
        channel,
        createdAt: openedAt,
        tags: [`lang_${lang}`, `sector_${account.sector}`, type, 'critical_incident'],
        agent,
        comments,
        incidentId,
      });
      const surveyed = rngSurveys.chance(2 / 3);
      incidents.push({
        id: incidentId,
        ticketId,
        accountId: account.id,
        contactId: contact.id,
        type,
        severity,
        companyAtFault,
        recurrence: prior,
        contacts: contactsCount,
        reopens,
        transfers,
        channelSwitches,
        waitingHours,
        channel,
        openedAt,
        monetaryLoss,
        publicReplies,
        escalations,
        ownerAssigned,
        surveyed,
      });
      incidentTruth.set(incidentId, { effortClass, ...truth });
      prior += 1;
      if (surveyed) {
        const respondedAt = openedAt + (waitingHours + rngSurveys.int(6, 48)) * HOUR;
        const base = {
          accountId: account.id,
          contactId: contact.id,
          ticketId,
          interactionId: `int-${ticketId}`,
          lang,
          respondedAt,
          channel,
          touchpoint: 'ticket_solved' as const,
        };
        const nps = clamp(
          Math.round(
            6.5 -
              (harder ? 2.5 : 0) -
              0.5 * (['low', 'medium', 'high', 'critical'].indexOf(severity) - 1) -
              1.2 * (frailty - 1) +
              1.5 * rngSurveys.normal(),
          ),
          0,
          10,
        );
        survey(base, 'nps', nps, npsComment(rngSurveys, lang, nps, harder));
        survey(base, 'csat', clamp(Math.round(nps / 2.5 + 0.5 * rngSurveys.normal()), 1, 5));
        survey(base, 'ces', truth.ces);
        survey(base, 'company_effort', truth.companyEffort);
        if (solved)
          csat.push({
            ticketId,
            score: nps >= 7 ? 'good' : 'bad',
            comment: npsComment(rngSurveys, lang, nps, harder),
          });
      }
    }
    // Relationship NPS survey, once in the year for about half the contacts.
    for (const contact of people) {
      if (!rngSurveys.chance(0.5)) continue;
      const nps = clamp(Math.round(7.6 + 1.8 * rngSurveys.normal() - 1.2 * (frailty - 1)), 0, 10);
      survey(
        {
          accountId: account.id,
          contactId: contact.id,
          ticketId: null,
          interactionId: null,
          lang: contact.lang,
          respondedAt: yearStart + Math.floor(rngSurveys.next() * 360 * DAY),
          channel: 'email',
          touchpoint: 'relationship',
        },
        'nps',
        nps,
        npsComment(rngSurveys, contact.lang, nps, false),
      );
    }
  }

  // Current incidents, statuses, times and replies: each from its own labelled stream, so the figures above stay.
  const current = currentIncidents(root.fork('current-incidents'), accounts, contactsOf, now, ticketSeq);
  const finished = finishTickets([...tickets, ...current], now, root);
  tickets.length = 0;
  tickets.push(...finished);

  // Calibrate the outcome model on these customers (expected values), then draw the historical churn.
  const byCustomer = new Map<string, OutcomeIncident[]>();
  for (const incident of incidents) {
    const list = byCustomer.get(incident.accountId) ?? [];
    list.push(toOutcomeIncident(incident, incidentTruth.get(incident.id)!));
    byCustomer.set(incident.accountId, list);
  }
  const calibration: CalibrationCustomer[] = [...byCustomer].map(([id, list]) => ({
    frailty: frailties.get(id)!,
    incidents: list,
  }));
  const outcome = calibrateOutcomeModel(
    calibration,
    TARGETS.churnAfterIncident,
    TARGETS.customerHarderFactor,
  );
  const customers = new Map<string, CustomerTruth>();
  for (const account of accounts) {
    const frailty = frailties.get(account.id)!;
    const list = byCustomer.get(account.id) ?? [];
    const p = churnProbability(list.map((i) => incidentHazard(outcome, i, frailty)));
    customers.set(account.id, { frailty, churned: list.length > 0 && rngTruth.next() < p });
  }

  const planted =
    options.plantSignals === false
      ? []
      : plantSignals({ now, accounts, tickets, answers }, root.fork('programme-signals'));
  return {
    seed,
    now,
    planted,
    agents,
    accounts,
    contacts,
    opportunities,
    orders,
    tickets,
    answers,
    csat,
    incidents,
    truth: { incidents: incidentTruth, customers, outcome },
  };
}

/** Zendesk's default automation closes a ticket four days after it was solved. */
const CLOSE_AFTER_SOLVED_MS = 4 * DAY;

/**
 * Incidents still in progress at "now" (opened in the last three days): a few per hundred accounts, with the
 * incident's type and severity weights. They are not part of the churn calibration or the ground truth — their
 * outcome lies ahead — but they give the sandbox live incident tickets to open.
 */
function currentIncidents(
  rng: Rng,
  accounts: readonly AccountRecord[],
  contactsOf: ReadonlyMap<string, readonly ContactRecord[]>,
  now: number,
  lastTicketId: number,
): TicketRecord[] {
  const out: TicketRecord[] = [];
  let id = lastTicketId;
  for (const account of accounts) {
    const profile = SECTOR_PROFILES[account.sector];
    // About 2% of accounts at the default size; at least about three in a small world.
    if (!rng.chance(Math.max(profile.incidentRate * 0.06, 3 / accounts.length))) continue;
    id += 1;
    const lang = account.lang;
    const type = rng.weighted(profile.types as Record<IncidentType, number>);
    const severity = rng.weighted(SEVERITY_WEIGHTS);
    const harder = rng.chance(0.5);
    const openedAt = now - rng.int(3, 72) * HOUR - rng.int(0, 59) * 60_000;
    const text = INCIDENT_TEXT[type];
    const comments: TicketComment[] = [
      { author: 'customer', body: text.first[lang], public: true, at: openedAt },
    ];
    const exchanges = rng.int(0, 3);
    let t = openedAt;
    for (let k = 0; k < exchanges; k += 1) {
      t += rng.int(1, 10) * HOUR;
      if (t >= now) break;
      comments.push({ author: 'agent', body: '', public: true, at: t });
      if (rng.chance(0.6)) {
        t += rng.int(1, 8) * HOUR;
        if (t >= now) break;
        const followUps = (harder ? EFFORT_FOLLOW_UPS : CALM_FOLLOW_UPS)[lang];
        comments.push({ author: 'customer', body: rng.pick(followUps), public: true, at: t });
      }
    }
    const last = comments.at(-1)!;
    const status: TicketRecord['status'] =
      comments.length === 1
        ? 'new'
        : last.author === 'customer'
          ? 'open'
          : rng.chance(0.2)
            ? 'hold' // waiting on a carrier or a partner
            : 'pending';
    out.push({
      id,
      accountId: account.id,
      contactId: rng.pick(contactsOf.get(account.id)!).id,
      subject: text.subject[lang],
      type: 'incident',
      priority: PRIORITY_OF[severity],
      status,
      channel: rng.weighted({ email: 0.4, web: 0.25, phone: 0.2, chat: 0.15 }),
      createdAt: openedAt,
      tags: [`lang_${lang}`, `sector_${account.sector}`, type, 'critical_incident'],
      agent: rng.int(0, AGENTS.length - 1),
      comments,
      incidentId: null,
    });
  }
  return out;
}

/**
 * The last touches, each from its own labelled stream: every comment gets its own minute (in order), agents'
 * replies follow the conversation (acknowledgement, progress, resolution; never the same sentence twice in a
 * ticket), and statuses are Zendesk's: a solved ticket closes four days after it was solved; a routine ticket
 * not yet solved is new (no reply yet), open, pending (waiting for the customer) or on hold.
 */
function finishTickets(tickets: readonly TicketRecord[], now: number, root: Rng): TicketRecord[] {
  const rngMinutes = root.fork('comment-minutes');
  const rngReplies = root.fork('agent-replies');
  const rngStatus = root.fork('ticket-status');
  return tickets.map((ticket) => {
    const lang: Lang = ticket.tags.includes('lang_fr') ? 'fr' : 'en';
    let status = ticket.status;
    // Replies that would fall after "now" have not happened yet (the opening message always has).
    let comments = ticket.comments.filter((comment, index) => index === 0 || comment.at <= now);
    if (status === 'open' && ticket.type !== 'incident') {
      status = rngStatus.weighted({ new: 0.2, open: 0.3, pending: 0.4, hold: 0.1 });
      if (status === 'new') comments = comments.filter((comment) => comment.author === 'customer');
      // Pending waits for the customer: the agent wrote last.
      if (status === 'pending' && comments.at(-1)?.author !== 'agent') status = 'open';
    }
    const used = new Set<string>();
    const agentCount = comments.filter((comment) => comment.author === 'agent').length;
    let agentIndex = 0;
    let previous = Number.NEGATIVE_INFINITY;
    const solved = status === 'solved';
    comments = comments.map((comment, index) => {
      const minute = index === 0 ? 0 : rngMinutes.int(1, 50) * 60_000;
      const at = index === 0 ? comment.at : Math.min(now, Math.max(comment.at + minute, previous + 60_000));
      previous = at;
      if (comment.author !== 'agent') return { ...comment, at };
      agentIndex += 1;
      const stage =
        agentIndex === agentCount && solved ? 'resolution' : agentIndex === 1 ? 'first' : 'progress';
      const all = AGENT_REPLIES_BY_STAGE[lang][stage];
      const fresh = all.filter((body) => !used.has(body));
      const body = rngReplies.pick(fresh.length > 0 ? fresh : all);
      used.add(body);
      return { ...comment, body, at };
    });
    if (status === 'solved' && now - (comments.at(-1)?.at ?? ticket.createdAt) > CLOSE_AFTER_SOLVED_MS)
      status = 'closed';
    return { ...ticket, status, comments };
  });
}

export function toOutcomeIncident(incident: IncidentRecord, truth: IncidentTruth): OutcomeIncident {
  return {
    type: incident.type,
    severity: incident.severity,
    companyAtFault: incident.companyAtFault,
    priorIncidents: incident.recurrence,
    waitingHours: incident.waitingHours,
    trueEffortClass: truth.effortClass,
  };
}
