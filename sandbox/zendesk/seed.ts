import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CRM_FIELD_KEYS, CRM_FIELD_TYPES, type CrmFieldName } from '../../shared/src/zendesk/data-model.ts';
import { createRandom, salesforceId, type Random } from './random.ts';
import { isObject, webVia, type ZendeskStore } from './store.ts';
import type { JsonValue, SatisfactionScore, TicketPriority, TicketStatus, UserRecord } from './types.ts';
import { FIRST_NAMES, LAST_NAMES } from '../generated-names.ts';

/** The seeded admin agent: the identity behind the sandbox credentials. */
export const ZENDESK_SANDBOX_CREDENTIALS = {
  subdomain: 'boucle-sandbox',
  email: 'admin@boucle-sandbox.test',
  apiToken: 'sandbox-api-token-6f1c2a9e4b7d',
  oauthToken: 'sandbox-oauth-token-3e8a5c1f9d2b',
} as const;

export type ZendeskSandboxCredentials = typeof ZENDESK_SANDBOX_CREDENTIALS;

/** A second agent without admin rights (for 403 paths), with its own API token. */
export const ZENDESK_SANDBOX_AGENT = {
  email: 'agent@boucle-sandbox.test',
  apiToken: 'sandbox-agent-token-8c3d1e',
} as const;

const COMPANY_STEMS = [
  'Atelier',
  'Maison',
  'Nordwind',
  'Lumen',
  'Cobalt',
  'Verdier',
  'Helio',
  'Brightwater',
  'Cartographe',
  'Orchard',
  'Quai',
  'Tessera',
  'Alpine',
  'Sablier',
  'Kestrel',
];
const COMPANY_SUFFIXES = ['SARL', 'SA', 'Ltd', 'GmbH', 'Inc', '& Fils', 'Group'];
const SEGMENTS = ['enterprise', 'mid_market', 'smb'];
const REGIONS = ['EMEA', 'NA', 'APAC'];
const PRODUCT_LINES = ['Core', 'Analytics', 'Payments'];
const TIERS = ['platinum', 'gold', 'silver', 'bronze'];

interface TicketTemplate {
  readonly subject: string;
  readonly first: string;
  readonly followUps: readonly string[];
  readonly tags: readonly string[];
  readonly lang: 'en' | 'fr';
}

const TEMPLATES: readonly TicketTemplate[] = [
  {
    lang: 'fr',
    subject: 'Commande toujours pas livrée',
    first: "Bonjour, ma commande passée il y a dix jours n'est toujours pas arrivée. Pouvez-vous vérifier ?",
    followUps: [
      "C'est la troisième fois que je vous écris, toujours pas de réponse claire.",
      'Je commence à perdre patience.',
    ],
    tags: ['livraison', 'retard'],
  },
  {
    lang: 'en',
    subject: 'Invoice charged twice',
    first: 'Hello, we were charged twice for the October invoice. Please refund the duplicate.',
    followUps: [
      "This is the third time I'm asking about this refund.",
      'Still waiting, we had to call twice already.',
    ],
    tags: ['billing', 'refund'],
  },
  {
    lang: 'en',
    subject: 'Cannot log in after password reset',
    first: 'After resetting my password I get "invalid credentials" every time.',
    followUps: ['Tried again this morning, same error.', 'Thanks, that worked!'],
    tags: ['login'],
  },
  {
    lang: 'fr',
    subject: 'Erreur lors du paiement',
    first:
      'Le paiement échoue avec une erreur 500 depuis hier soir. Nous ne pouvons plus facturer nos clients.',
    followUps: ["J'ai dû relancer trois fois, le problème persiste.", 'Merci pour votre retour rapide.'],
    tags: ['paiement', 'incident'],
  },
  {
    lang: 'en',
    subject: 'Dashboard export broken <script>alert("x")</script>',
    first:
      'The export shows <b>bold</b> tags and <script>alert("xss")</script> instead of data. & other "quotes".',
    followUps: ['<img src=x onerror=alert(1)> appears in the CSV too.'],
    tags: ['export', 'analytics'],
  },
  {
    lang: 'en',
    subject: 'Question about contract renewal',
    first: 'Could you tell me when our annual contract renews and whether the price changes?',
    followUps: ['Great, thanks for the details.'],
    tags: ['renewal'],
  },
  {
    lang: 'fr',
    subject: 'Colis endommagé à la réception',
    first: 'Le colis est arrivé abîmé, deux articles sont cassés. Je souhaite un remplacement.',
    followUps: [
      'Toujours pas de nouvelles du remplacement, encore une relance.',
      "J'ai dû appeler deux fois le service client.",
    ],
    tags: ['livraison', 'casse'],
  },
  {
    lang: 'en',
    subject: 'API returns 429 during nightly sync',
    first: 'Our nightly sync hits rate limits since the last release. Is there a change on your side?',
    followUps: ['It happened again last night, third time this week.'],
    tags: ['api', 'incident'],
  },
];

const STATUSES: readonly TicketStatus[] = [
  'new',
  'open',
  'open',
  'pending',
  'hold',
  'solved',
  'solved',
  'closed',
];
const PRIORITIES: readonly (TicketPriority | null)[] = ['low', 'normal', 'normal', 'high', 'urgent', null];
const AGENT_REPLIES_EN = [
  'Thanks for reaching out, we are looking into it.',
  'Sorry for the trouble — I have escalated this to our team.',
];
const AGENT_REPLIES_FR = [
  'Merci pour votre message, nous regardons cela.',
  'Désolé pour la gêne occasionnée, je transmets à l’équipe.',
];
const SATISFACTION_COMMENTS: Readonly<Record<'good' | 'bad', readonly string[]>> = {
  good: ['Quick and helpful, thank you!', 'Merci, problème réglé.'],
  bad: ['Took far too long, I had to chase three times.', 'Toujours pas résolu, très déçu.'],
};

export interface SeedOptions {
  readonly seed: number;
  readonly users?: number;
  readonly organizations?: number;
  readonly tickets?: number;
}

/** Seeds agents, groups, CRM fields, organisations, end users, tickets with comments and ratings. */
export function seedStore(store: ZendeskStore, options: SeedOptions): void {
  const random = createRandom(options.seed);
  const day = 86_400_000;
  const anchor = Math.floor(store.clock() / day) * day;
  const at = (daysAgo: number, hour = 9): string =>
    new Date(anchor - daysAgo * day + hour * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const support = store.createGroup({ name: 'Support', default: true });
  const billing = store.createGroup({ name: 'Billing' });
  const escalations = store.createGroup({ name: 'Escalations' });
  const groups = [support, billing, escalations];

  const admin = store.createUser({
    name: 'Camille Admin',
    email: ZENDESK_SANDBOX_CREDENTIALS.email,
    role: 'admin',
    verified: true,
    created_at: at(400),
  });
  admin.credentials = {
    apiToken: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    oauthToken: ZENDESK_SANDBOX_CREDENTIALS.oauthToken,
  };
  admin.default_group_id = support.id;
  const agents: UserRecord[] = [admin];
  const agentNames = ['Noah Agent', 'Léa Agent', 'James Agent'];
  agentNames.forEach((name, index) => {
    const agent = store.createUser({
      name,
      email: index === 0 ? ZENDESK_SANDBOX_AGENT.email : `agent${index + 1}@boucle-sandbox.test`,
      role: 'agent',
      verified: true,
      created_at: at(300),
    });
    if (index === 0) agent.credentials = { apiToken: ZENDESK_SANDBOX_AGENT.apiToken };
    agent.default_group_id = random.pick(groups).id;
    agents.push(agent);
  });

  for (const name of Object.keys(CRM_FIELD_KEYS) as CrmFieldName[]) {
    const title = `Boucle ${name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`;
    store.createField('user', { key: CRM_FIELD_KEYS[name], type: CRM_FIELD_TYPES[name], title });
    store.createField('organization', { key: CRM_FIELD_KEYS[name], type: CRM_FIELD_TYPES[name], title });
  }

  const orgCount = options.organizations ?? 12;
  const orgs = [];
  for (let i = 0; i < orgCount; i += 1) {
    const stem = COMPANY_STEMS[i % COMPANY_STEMS.length] ?? 'Org';
    const name = `${stem} ${random.pick(COMPANY_SUFFIXES)}${i >= COMPANY_STEMS.length ? ` ${i}` : ''}`;
    const synced = random.chance(0.7);
    const org = store.createOrganization({
      name,
      external_id: salesforceId(random, '001'),
      domain_names: [`${stem.toLowerCase()}-${i}.example`],
      tags: [random.pick(SEGMENTS)],
      created_at: at(random.int(200, 700)),
      ...(synced ? { organization_fields: crmValues(random, at, 'account') } : {}),
    });
    orgs.push(org);
  }

  const userCount = options.users ?? 40;
  const endUsers: UserRecord[] = [];
  for (let i = 0; i < userCount; i += 1) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const org = random.chance(0.85) ? random.pick(orgs) : undefined;
    const withCrm = org !== undefined && random.chance(0.75);
    const user = store.createUser({
      name: `${first} ${last}`,
      email: `${asciiSlug(first)}.${asciiSlug(last)}.${i}@${org?.domain_names[0] ?? 'mail.example'}`,
      role: 'end-user',
      verified: true,
      locale: random.chance(0.5) ? 'fr' : 'en-US',
      created_at: at(random.int(30, 500)),
      ...(org === undefined ? {} : { organization_id: org.id }),
      ...(withCrm
        ? { external_id: salesforceId(random, '003'), user_fields: crmValues(random, at, 'contact') }
        : {}),
    });
    endUsers.push(user);
  }

  const ticketCount = options.tickets ?? 60;
  for (let i = 0; i < ticketCount; i += 1) {
    const template = random.pick(TEMPLATES);
    const requester = random.pick(endUsers);
    const createdDaysAgo = random.int(1, 60);
    const assignee = random.chance(0.8) ? random.pick(agents) : undefined;
    const status = assignee === undefined ? 'new' : random.pick(STATUSES);
    const created = store.createTicket(
      {
        subject: template.subject,
        comment: { body: template.first },
        requester_id: requester.id,
        priority: random.pick(PRIORITIES),
        type: random.pick(['incident', 'question', 'problem', 'task', null] as const),
        tags: [...template.tags, template.lang === 'fr' ? 'langue_fr' : 'lang_en'],
        created_at: at(createdDaysAgo, random.int(7, 18)),
      },
      requester,
      webVia(),
    );
    const id = created.ticket.id;
    backdate(store, id, at(createdDaysAgo, 8));
    const followUps = random.int(0, template.followUps.length);
    let reply = 0;
    for (let k = 0; k < followUps; k += 1) {
      if (assignee !== undefined) {
        const replies = template.lang === 'fr' ? AGENT_REPLIES_FR : AGENT_REPLIES_EN;
        store.updateTicket(
          id,
          { comment: { body: replies[reply % replies.length] ?? '', public: true } },
          assignee,
          webVia(),
        );
        reply += 1;
      }
      store.updateTicket(id, { comment: { body: template.followUps[k] ?? '' } }, requester, webVia());
    }
    if (assignee !== undefined) {
      store.updateTicket(
        id,
        {
          assignee_id: assignee.id,
          group_id: random.pick(groups).id,
          status: status === 'closed' ? 'solved' : status === 'new' ? 'open' : status,
          ...(random.chance(0.3)
            ? { comment: { body: 'Internal: customer is upset, check the CRM value.', public: false } }
            : {}),
        },
        assignee,
        webVia(),
      );
    }
    const ticket = store.ticket(id);
    if (ticket.status === 'solved' && random.chance(0.7)) {
      const score: SatisfactionScore = random.chance(0.4) ? 'bad' : 'good';
      store.rateTicket(id, score, random.chance(0.6) ? random.pick(SATISFACTION_COMMENTS[score]) : null);
    } else if (ticket.status === 'solved' && random.chance(0.5)) store.rateTicket(id, 'offered', null);
    if (status === 'closed') ticket.status = 'closed';
    backdate(store, id, at(Math.max(0, createdDaysAgo - random.int(0, createdDaysAgo)), 17));
  }
}

/** Gives a loaded ticket's comments (and their audits) the times of the import, where they are valid. */
function importCommentTimes(
  store: ZendeskStore,
  ticketId: number,
  times: readonly unknown[],
  updatedAt: unknown,
): void {
  const comments = store.comments.get(ticketId) ?? [];
  const audits = store.audits.get(ticketId) ?? [];
  const iso = (text: string) => new Date(Date.parse(text)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  comments.forEach((comment, index) => {
    const at = times[index];
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return;
    comment.created_at = iso(at);
    const audit = audits.find((a) => a.id === comment.audit_id);
    if (audit !== undefined) audit.created_at = comment.created_at;
  });
  const ticket = store.ticket(ticketId);
  if (typeof updatedAt === 'string' && !Number.isNaN(Date.parse(updatedAt))) {
    ticket.updated_at = iso(updatedAt);
    ticket.generated_timestamp = Math.floor(Date.parse(updatedAt) / 1000);
  }
}

/** Spreads a seeded ticket's history over its lifetime instead of "now". */
function backdate(store: ZendeskStore, ticketId: number, updatedAt: string): void {
  const ticket = store.ticket(ticketId);
  const created = Date.parse(ticket.created_at);
  const updated = Math.max(created, Date.parse(updatedAt));
  const audits = store.audits.get(ticketId) ?? [];
  const step = audits.length > 1 ? (updated - created) / (audits.length - 1) : 0;
  const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  audits.forEach((audit, index) => {
    audit.created_at = iso(created + step * index);
  });
  for (const comment of store.comments.get(ticketId) ?? []) {
    const audit = audits.find((a) => a.id === comment.audit_id);
    if (audit !== undefined) comment.created_at = audit.created_at;
  }
  ticket.updated_at = iso(updated);
  ticket.generated_timestamp = Math.floor(updated / 1000);
  const rating = [...store.satisfactionRatings.values()].find((r) => r.ticket_id === ticketId);
  if (rating !== undefined) {
    rating.created_at = iso(updated);
    rating.updated_at = iso(updated);
  }
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function crmValues(
  random: Random,
  at: (daysAgo: number) => string,
  kind: 'account' | 'contact',
): Record<string, JsonValue> {
  const revenue12m = random.int(2, 400) * 250;
  const lifetime = revenue12m * random.int(1, 6);
  const transactions = Array.from({ length: random.int(1, 4) }, (_, index) => ({
    kind: random.chance(0.7) ? 'order' : 'opportunity',
    amount: random.int(1, 80) * 100,
    date: at(index * 30 + random.int(1, 20)).slice(0, 10),
  }));
  return {
    [CRM_FIELD_KEYS.valueTier]: random.pick(TIERS),
    [CRM_FIELD_KEYS.lifetimeRevenue]: lifetime,
    [CRM_FIELD_KEYS.revenue12m]: revenue12m,
    [CRM_FIELD_KEYS.marginRate]: random.int(10, 60) / 100,
    [CRM_FIELD_KEYS.orders12m]: random.int(0, 40),
    [CRM_FIELD_KEYS.lastOrderDate]: at(random.int(1, 120)).slice(0, 10),
    [CRM_FIELD_KEYS.openPipeline]: kind === 'account' ? random.int(0, 50) * 1000 : 0,
    [CRM_FIELD_KEYS.customerSince]: at(random.int(200, 2000)).slice(0, 10),
    [CRM_FIELD_KEYS.segment]: random.pick(SEGMENTS),
    [CRM_FIELD_KEYS.region]: random.pick(REGIONS),
    [CRM_FIELD_KEYS.productLine]: random.pick(PRODUCT_LINES),
    [CRM_FIELD_KEYS.recentTransactions]: JSON.stringify(transactions),
    [CRM_FIELD_KEYS.crmSyncedAt]: at(1),
  };
}

const _DATA_FILES = [
  'groups',
  'user_fields',
  'organization_fields',
  'ticket_fields',
  'organizations',
  'users',
  'tickets',
  'satisfaction_ratings',
  'custom_object_records',
] as const;

/**
 * Loads `<name>.json` files (each an array of Zendesk-shaped objects, or `{ "<name>": [...] }`) from a folder.
 * Missing files mean empty collections; the sandbox admin and the sandbox agent (`ZENDESK_SANDBOX_AGENT`, no
 * admin rights) are always added if absent, each with its API token.
 */
export async function loadStore(store: ZendeskStore, dir: string): Promise<void> {
  const present = new Set(await readdir(dir));
  const read = async (name: (typeof _DATA_FILES)[number]): Promise<Record<string, unknown>[]> => {
    if (!present.has(`${name}.json`)) return [];
    const path = join(dir, `${name}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const list = isObject(parsed) ? parsed[name] : parsed;
    if (!Array.isArray(list) || !list.every(isObject))
      throw new Error(`${path} must hold an array of objects (or {"${name}": [...]}).`);
    return list;
  };
  const wrap = <T>(path: string, index: number, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      const detail =
        'body' in (error as object)
          ? JSON.stringify((error as { body: unknown }).body)
          : (error as Error).message;
      throw new Error(`${join(dir, path)} item ${index}: ${detail}`, { cause: error });
    }
  };
  (await read('groups')).forEach((g, i) =>
    wrap('groups.json', i, () =>
      store.createGroup({
        name: String(g['name']),
        ...(typeof g['id'] === 'number' ? { id: g['id'] } : {}),
      }),
    ),
  );
  (await read('user_fields')).forEach((f, i) =>
    wrap('user_fields.json', i, () => store.createField('user', f)),
  );
  (await read('organization_fields')).forEach((f, i) =>
    wrap('organization_fields.json', i, () => store.createField('organization', f)),
  );
  (await read('ticket_fields')).forEach((f, i) =>
    wrap('ticket_fields.json', i, () => store.createTicketField(f)),
  );
  (await read('organizations')).forEach((o, i) =>
    wrap('organizations.json', i, () => store.createOrganization(o)),
  );
  (await read('users')).forEach((u, i) => wrap('users.json', i, () => store.createUser(u)));
  let admin = store.findUserByEmail(ZENDESK_SANDBOX_CREDENTIALS.email);
  admin ??= store.createUser({
    name: 'Camille Admin',
    email: ZENDESK_SANDBOX_CREDENTIALS.email,
    role: 'admin',
    verified: true,
  });
  admin.role = 'admin';
  admin.credentials = {
    apiToken: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
    oauthToken: ZENDESK_SANDBOX_CREDENTIALS.oauthToken,
  };
  const adminUser = admin;
  // The sandbox's non-admin agent (the agent frame's `?role=agent` session), with its own API token.
  let agent = store.findUserByEmail(ZENDESK_SANDBOX_AGENT.email);
  agent ??= store.createUser({
    name: 'Sam Agent',
    email: ZENDESK_SANDBOX_AGENT.email,
    role: 'agent',
    verified: true,
  });
  agent.role = 'agent';
  agent.credentials = { apiToken: ZENDESK_SANDBOX_AGENT.apiToken };
  (await read('tickets')).forEach((t, i) =>
    wrap('tickets.json', i, () => {
      const { comments, ...ticket } = t;
      // As Zendesk's ticket import: a comment's `created_at` is kept (else it is the load time).
      const firstComment = ticket['comment'];
      const times: unknown[] = [];
      if (isObject(firstComment)) {
        const { created_at: at, ...rest } = firstComment;
        times.push(at);
        ticket['comment'] = rest;
      }
      // A closed ticket takes no comment: it is loaded solved, then closed once its history is in.
      const closed = ticket['status'] === 'closed';
      if (closed) ticket['status'] = 'solved';
      const created = store.createTicket(ticket, adminUser);
      if (Array.isArray(comments))
        for (const comment of comments)
          if (isObject(comment)) {
            const author =
              typeof comment['author_id'] === 'number' ? store.user(comment['author_id']) : adminUser;
            const { created_at: at, ...rest } = comment;
            times.push(at);
            store.updateTicket(created.ticket.id, { comment: rest }, author);
          }
      importCommentTimes(store, created.ticket.id, times, ticket['updated_at']);
      if (closed) store.ticket(created.ticket.id).status = 'closed';
    }),
  );
  if (present.has('custom_objects.json')) {
    const path = join(dir, 'custom_objects.json');
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const objects = isObject(parsed) ? parsed['objects'] : undefined;
    const fields = isObject(parsed) ? parsed['object_fields'] : undefined;
    if (
      !Array.isArray(objects) ||
      !objects.every(isObject) ||
      !Array.isArray(fields) ||
      !fields.every(isObject)
    )
      throw new Error(
        `${path} must hold {"objects": [...], "object_fields": [...]} (requirements.json's custom_objects_v2).`,
      );
    objects.forEach((o, i) => wrap('custom_objects.json', i, () => store.createCustomObject(o, adminUser)));
    fields.forEach((f, i) =>
      wrap('custom_objects.json', i, () => {
        const { object_key: objectKey, ...field } = f;
        store.createCustomObjectField(String(objectKey), field);
      }),
    );
  }
  (await read('custom_object_records')).forEach((r, i) =>
    wrap('custom_object_records.json', i, () => {
      const { custom_object_key: objectKey, ...record } = r;
      store.createCustomRecord(String(objectKey), record, adminUser);
    }),
  );
  (await read('satisfaction_ratings')).forEach((r, i) =>
    wrap('satisfaction_ratings.json', i, () => {
      const score = r['score'];
      if (score !== 'good' && score !== 'bad' && score !== 'offered' && score !== 'unoffered')
        throw new Error('score must be good, bad, offered or unoffered');
      store.rateTicket(Number(r['ticket_id']), score, typeof r['comment'] === 'string' ? r['comment'] : null);
    }),
  );
}
