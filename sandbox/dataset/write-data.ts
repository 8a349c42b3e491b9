/**
 * Writers: one generated world → the `--data DIR` folders of both emulators, so that they hold one coherent
 * world (Zendesk organisations and users carry the Salesforce Account and Contact ids as `external_id`), plus
 * the hidden truth in a separate file that only the simulator reads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRequirements } from '../../apps/zendesk-sidebar/tools/requirements.ts';
import { CUSTOM_OBJECT_KEYS, FEEDBACK_FIELD_KEYS } from '../../shared/src/index.ts';
import type { World } from './generate-world.ts';

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sfIso = (ms: number): string => new Date(ms).toISOString();

/** Salesforce emulator files: Account.json, Contact.json, Opportunity.json, Order.json. */
export function salesforceFiles(world: World): Record<string, unknown[]> {
  return {
    Account: world.accounts.map((a) => ({
      Id: a.id,
      Name: a.name,
      Type: 'Customer - Direct',
      Industry: a.industry,
      AnnualRevenue: a.annualRevenue,
      NumberOfEmployees: a.employees,
      BillingCountry: a.country,
      Customer_Tier__c: a.tier,
      Segment__c: a.segment,
      External_Id__c: a.externalId,
      CreatedDate: sfIso(a.createdAt),
      LastModifiedDate: sfIso(a.createdAt),
      SystemModstamp: sfIso(a.createdAt),
    })),
    Contact: world.contacts.map((c) => ({
      Id: c.id,
      AccountId: c.accountId,
      FirstName: c.firstName,
      LastName: c.lastName,
      Email: c.email,
      Phone: c.phone,
      MailingCountry: c.country,
      CreatedDate: sfIso(c.createdAt),
      LastModifiedDate: sfIso(c.createdAt),
      SystemModstamp: sfIso(c.createdAt),
    })),
    Opportunity: world.opportunities.map((o) => ({
      Id: o.id,
      AccountId: o.accountId,
      Name: o.name,
      StageName: o.stage,
      Amount: o.amount,
      CloseDate: o.closeDate,
      CreatedDate: sfIso(o.createdAt),
      LastModifiedDate: sfIso(o.createdAt),
      SystemModstamp: sfIso(o.createdAt),
    })),
    Order: world.orders.map((o) => ({
      Id: o.id,
      AccountId: o.accountId,
      Status: o.status,
      TotalAmount: o.amount,
      EffectiveDate: o.effectiveDate,
      CreatedDate: sfIso(o.createdAt),
      LastModifiedDate: sfIso(o.createdAt),
      SystemModstamp: sfIso(o.createdAt),
    })),
  };
}

/** Zendesk organisation id of the n-th account (1-based). */
export const organizationIdOf = (index: number): number => 30_000 + index;

/** Zendesk emulator files (see sandbox/zendesk/seed.ts `loadStore`). */
export function zendeskFiles(world: World): Record<string, unknown> {
  const requirements = buildRequirements();
  const orgIds = new Map(world.accounts.map((a, i) => [a.id, organizationIdOf(i + 1)]));
  const userIds = new Map(world.contacts.map((c) => [c.id, c.zendeskUserId]));
  const F = FEEDBACK_FIELD_KEYS;
  return {
    groups: [{ id: 7_001, name: 'Support' }],
    user_fields: Object.values(requirements.user_fields),
    organization_fields: Object.values(requirements.organization_fields),
    custom_objects: requirements.custom_objects_v2,
    organizations: world.accounts.map((a) => ({
      id: orgIds.get(a.id),
      name: a.name,
      external_id: a.id,
      domain_names: [a.domain],
      tags: [`sector_${a.sector}`],
      created_at: iso(a.createdAt),
    })),
    users: [
      ...world.agents.map((agent) => ({
        id: agent.zendeskUserId,
        name: agent.name,
        email: agent.email,
        role: 'agent',
        verified: true,
      })),
      ...world.contacts.map((c) => ({
        id: c.zendeskUserId,
        name: `${c.firstName} ${c.lastName}`,
        email: c.email,
        role: 'end-user',
        verified: true,
        external_id: c.id,
        organization_id: orgIds.get(c.accountId),
        locale: c.lang === 'fr' ? 'fr' : 'en-US',
        phone: c.phone,
        created_at: iso(c.createdAt),
      })),
    ],
    tickets: world.tickets.map((t) => {
      const requester = userIds.get(t.contactId)!;
      const agent = world.agents[t.agent]!.zendeskUserId;
      const [first, ...rest] = t.comments;
      return {
        id: t.id,
        subject: t.subject,
        type: t.type,
        priority: t.priority,
        status: t.status,
        requester_id: requester,
        assignee_id: agent,
        tags: t.tags,
        created_at: iso(t.createdAt),
        updated_at: iso(t.comments.at(-1)?.at ?? t.createdAt),
        comment: { body: first!.body, public: true, author_id: requester, created_at: iso(first!.at) },
        // As Zendesk's ticket import takes them: each comment with its own time.
        comments: rest.map((c) => ({
          body: c.body,
          public: c.public,
          author_id: c.author === 'agent' ? agent : requester,
          created_at: iso(c.at),
        })),
      };
    }),
    satisfaction_ratings: world.csat.map((r) => ({
      ticket_id: r.ticketId,
      score: r.score,
      comment: r.comment,
    })),
    custom_object_records: world.answers.map((a) => ({
      custom_object_key: CUSTOM_OBJECT_KEYS.feedback,
      name: `${a.kind} ${a.score}`,
      external_id: a.id,
      custom_object_fields: {
        [F.kind]: a.kind,
        [F.score]: String(a.score),
        [F.scale]: a.scale,
        [F.comment]: a.comment,
        [F.channel]: a.channel,
        [F.touchpoint]: a.touchpoint,
        [F.respondedAt]: iso(a.respondedAt),
        [F.ticketId]: a.ticketId === null ? null : String(a.ticketId),
        [F.userId]: String(userIds.get(a.contactId)),
        [F.source]: 'survey_api',
      },
    })),
  };
}

/** What only the simulator may read: true effort class per incident, frailty and churn per customer. */
export function groundTruthFile(world: World): unknown {
  return {
    note: 'Hidden ground truth of the generated world: never loaded into the emulators, never shown to a policy.',
    seed: world.seed,
    outcome: world.truth.outcome,
    incidents: Object.fromEntries(world.truth.incidents),
    customers: Object.fromEntries(
      [...world.truth.customers].filter(([id]) => world.incidents.some((i) => i.accountId === id)),
    ),
  };
}

export interface WrittenDataset {
  readonly salesforceDir: string;
  readonly zendeskDir: string;
  readonly groundTruthFile: string;
}

/** Writes `<dir>/salesforce/*.json`, `<dir>/zendesk/*.json` and `<dir>/ground-truth.json`. */
export function writeDataset(world: World, dir: string): WrittenDataset {
  const salesforceDir = join(dir, 'salesforce');
  const zendeskDir = join(dir, 'zendesk');
  mkdirSync(salesforceDir, { recursive: true });
  mkdirSync(zendeskDir, { recursive: true });
  for (const [name, rows] of Object.entries(salesforceFiles(world)))
    writeFileSync(join(salesforceDir, `${name}.json`), `${JSON.stringify(rows)}\n`);
  for (const [name, rows] of Object.entries(zendeskFiles(world)))
    writeFileSync(join(zendeskDir, `${name}.json`), `${JSON.stringify(rows)}\n`);
  const truth = join(dir, 'ground-truth.json');
  writeFileSync(truth, `${JSON.stringify(groundTruthFile(world))}\n`);
  return { salesforceDir, zendeskDir, groundTruthFile: truth };
}
