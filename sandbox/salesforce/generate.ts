/** Deterministic, realistic seeded data: accounts with their contacts, opportunities and orders. */
import { DAY_MS } from './clock.ts';
import {
  ACCOUNT_TYPES,
  CUSTOMER_TIERS,
  INDUSTRIES,
  OPPORTUNITY_STAGES,
  type SfRecord,
  OBJECTS,
  ORG_USERS,
} from './schema.ts';
import type { RecordStore } from './store.ts';
import { FIRST_NAMES, LAST_NAMES, NAME_STEMS } from '../generated-names.ts';

export interface DatasetOptions {
  /** Number of accounts (default 200). */
  readonly accounts?: number;
  /** Average contacts per account (default 3). */
  readonly contactsPerAccount?: number;
  /** Average opportunities per account (default 4). */
  readonly opportunitiesPerAccount?: number;
  /** Average orders per account (default 3). */
  readonly ordersPerAccount?: number;
  /** How far back CreatedDate goes, in days (default 1095). */
  readonly historyDays?: number;
}

export interface GeneratedCounts {
  readonly Account: number;
  readonly Contact: number;
  readonly Opportunity: number;
  readonly Order: number;
}

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const INDUSTRY_WORDS: Readonly<Record<string, readonly string[]>> = {
  Telecommunications: ['Telecom', 'Mobile', 'Networks', 'Fibre'],
  Retail: ['Retail', 'Stores', 'Market', 'Outfitters'],
  Banking: ['Bank', 'Savings', 'Capital', 'Credit Union'],
  Hospitality: ['Hotels', 'Resorts', 'Inns', 'Hospitality'],
  Utilities: ['Energy', 'Water', 'Power', 'Utilities'],
  Insurance: ['Insurance', 'Mutual', 'Assurance'],
  Healthcare: ['Health', 'Clinics', 'Care'],
  Transportation: ['Logistics', 'Rail', 'Airways', 'Freight'],
  Media: ['Media', 'Broadcasting', 'Studios'],
  Energy: ['Renewables', 'Oil & Gas', 'Solar'],
  Manufacturing: ['Industries', 'Manufacturing', 'Works'],
  Technology: ['Software', 'Systems', 'Cloud', 'Labs'],
};
const LEGAL = ['Group', 'Holdings', 'SA', 'GmbH', 'Ltd', 'Inc.', 'SAS', 'BV', 'plc', 'AG'];
const COUNTRIES = [
  'France',
  'Germany',
  'United Kingdom',
  'Spain',
  'Italy',
  'Netherlands',
  'United States',
  'Canada',
  'Brazil',
  'Japan',
  'Australia',
  'Belgium',
  'Switzerland',
  'Sweden',
  'Ireland',
  'Portugal',
];
const DIAL: Readonly<Record<string, string>> = {
  France: '+33',
  Germany: '+49',
  'United Kingdom': '+44',
  Spain: '+34',
  Italy: '+39',
  Netherlands: '+31',
  'United States': '+1',
  Canada: '+1',
  Brazil: '+55',
  Japan: '+81',
  Australia: '+61',
  Belgium: '+32',
  Switzerland: '+41',
  Sweden: '+46',
  Ireland: '+353',
  Portugal: '+351',
};
const OPPORTUNITY_KINDS = ['Renewal', 'Upsell', 'New Business', 'Expansion', 'Add-on Licences', 'Services'];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** A count around `mean` (0 … 2·mean), deterministic. */
function around(rand: () => number, mean: number): number {
  return Math.floor(rand() * (2 * mean + 1));
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function midnight(ms: number): number {
  return ms - (ms % DAY_MS);
}

/** Fills the store with seeded data; the same seed and options give the same records. */
export function generateDataset(
  store: RecordStore,
  seed: number,
  options: DatasetOptions = {},
): GeneratedCounts {
  const rand = seededRandom(seed);
  const now = store.clock.now();
  const history = (options.historyDays ?? 1095) * DAY_MS;
  const accountCount = options.accounts ?? 200;
  const perContact = options.contactsPerAccount ?? 3;
  const perOpportunity = options.opportunitiesPerAccount ?? 4;
  const perOrder = options.ordersPerAccount ?? 3;
  const tpl = (name: string): Readonly<SfRecord> => OBJECTS.get(name)!.template;
  const accountTpl = tpl('Account');
  const contactTpl = tpl('Contact');
  const opportunityTpl = tpl('Opportunity');
  const orderTpl = tpl('Order');
  const accounts: SfRecord[] = [];
  const contacts: SfRecord[] = [];
  const opportunities: SfRecord[] = [];
  const orders: SfRecord[] = [];
  let orderNumber = 100;
  const modified = (created: number): number => created + Math.floor(rand() * (now - 60_000 - created));

  for (let a = 0; a < accountCount; a += 1) {
    const industry = pick(rand, INDUSTRIES);
    const stem = pick(rand, NAME_STEMS);
    const name = `${stem} ${pick(rand, INDUSTRY_WORDS[industry]!)} ${pick(rand, LEGAL)}`;
    const country = pick(rand, COUNTRIES);
    const segRoll = rand();
    const segment = segRoll < 0.15 ? 'Enterprise' : segRoll < 0.5 ? 'Mid-Market' : 'SMB';
    const revenue =
      segment === 'Enterprise'
        ? 5e8 + Math.floor(rand() * 4.95e10)
        : segment === 'Mid-Market'
          ? 1e7 + Math.floor(rand() * 4.9e8)
          : 5e5 + Math.floor(rand() * 9.5e6);
    const tier =
      segment === 'Enterprise'
        ? rand() < 0.6
          ? 'Platinum'
          : 'Gold'
        : segment === 'Mid-Market'
          ? pick(rand, CUSTOMER_TIERS.slice(1, 3))
          : rand() < 0.7
            ? 'Bronze'
            : 'Silver';
    const created = now - history + Math.floor(rand() * (history - DAY_MS));
    const accountId = store.allocateId('Account');
    const domain = `${slug(stem)}${slug(INDUSTRY_WORDS[industry]![0]!)}${a}.example`;
    const account: SfRecord = { ...accountTpl };
    account.Id = accountId;
    account.Name = name;
    account.Type = rand() < 0.8 ? ACCOUNT_TYPES[rand() < 0.7 ? 0 : 1] : pick(rand, ACCOUNT_TYPES.slice(2));
    account.Industry = industry;
    account.AnnualRevenue = Math.round(revenue / 1000) * 1000;
    account.NumberOfEmployees = Math.max(5, Math.round(revenue / (150_000 + rand() * 250_000)));
    account.BillingCountry = country;
    account.Customer_Tier__c = tier;
    account.Segment__c = segment;
    account.External_Id__c = `ERP-${String(a + 1).padStart(7, '0')}`;
    account.OwnerId = ORG_USERS[1 + (a % (ORG_USERS.length - 1))]!.Id; // account managers, in turn
    account.IsDeleted = false;
    account.CreatedDate = created;
    account.LastModifiedDate = modified(created);
    account.SystemModstamp = account.LastModifiedDate;
    accounts.push(account);

    const nContacts = Math.max(1, around(rand, perContact));
    for (let c = 0; c < nContacts; c += 1) {
      const first = pick(rand, FIRST_NAMES);
      const last = pick(rand, LAST_NAMES);
      const cCreated = created + Math.floor(rand() * (now - created - 120_000));
      const contact: SfRecord = { ...contactTpl };
      contact.Id = store.allocateId('Contact');
      contact.AccountId = accountId;
      contact.FirstName = first;
      contact.LastName = last;
      contact.Email = `${slug(first)}.${slug(last)}${c}@${domain}`;
      contact.Phone = `${DIAL[country] ?? '+33'} ${100 + Math.floor(rand() * 900)} ${String(Math.floor(rand() * 1e6)).padStart(6, '0')}`;
      contact.MailingCountry = rand() < 0.9 ? country : pick(rand, COUNTRIES);
      contact.IsDeleted = false;
      contact.CreatedDate = cCreated;
      contact.LastModifiedDate = modified(cCreated);
      contact.SystemModstamp = contact.LastModifiedDate;
      contacts.push(contact);
    }

    const dealScale = segment === 'Enterprise' ? 250_000 : segment === 'Mid-Market' ? 40_000 : 6_000;
    const nOpps = around(rand, perOpportunity);
    for (let o = 0; o < nOpps; o += 1) {
      const oCreated = created + Math.floor(rand() * (now - created - 120_000));
      const roll = rand();
      const stage =
        roll < 0.45 ? 'Closed Won' : roll < 0.65 ? 'Closed Lost' : pick(rand, OPPORTUNITY_STAGES.slice(0, 5));
      const opp: SfRecord = { ...opportunityTpl };
      opp.Id = store.allocateId('Opportunity');
      opp.AccountId = accountId;
      opp.Name = `${name.split(' ')[0]!} - ${pick(rand, OPPORTUNITY_KINDS)}`;
      opp.StageName = stage;
      opp.Amount = rand() < 0.05 ? null : Math.round(dealScale * (0.2 + rand() * rand() * 4));
      opp.CloseDate = midnight(oCreated + Math.floor((rand() * 180 + 14) * DAY_MS));
      opp.IsDeleted = false;
      opp.CreatedDate = oCreated;
      opp.LastModifiedDate = modified(oCreated);
      opp.SystemModstamp = opp.LastModifiedDate;
      opportunities.push(opp);
    }

    const nOrders = around(rand, perOrder);
    for (let o = 0; o < nOrders; o += 1) {
      const oCreated = created + Math.floor(rand() * (now - created - 120_000));
      const order: SfRecord = { ...orderTpl };
      order.Id = store.allocateId('Order');
      order.AccountId = accountId;
      order.Status = rand() < 0.85 ? 'Activated' : 'Draft';
      order.TotalAmount = Math.round(dealScale * 0.3 * (0.1 + rand() * 2) * 100) / 100;
      order.EffectiveDate = midnight(oCreated + Math.floor(rand() * 30) * DAY_MS);
      orderNumber += 1;
      order.OrderNumber = String(orderNumber).padStart(8, '0');
      order.IsDeleted = false;
      order.CreatedDate = oCreated;
      order.LastModifiedDate = modified(oCreated);
      order.SystemModstamp = order.LastModifiedDate;
      orders.push(order);
    }
  }
  store.table('Order').autoNumber = Math.max(store.table('Order').autoNumber, orderNumber);
  store.loadPrepared('Account', accounts);
  store.loadPrepared('Contact', contacts);
  store.loadPrepared('Opportunity', opportunities);
  store.loadPrepared('Order', orders);
  return {
    Account: accounts.length,
    Contact: contacts.length,
    Opportunity: opportunities.length,
    Order: orders.length,
  };
}
