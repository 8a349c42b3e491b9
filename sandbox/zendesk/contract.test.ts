/**
 * Contract tests: real responses of the running emulator, validated status by status against Zendesk's OpenAPI
 * documents in ../shared/contracts/zendesk-openapi/ (objects the extracts leave undefined: contract/object-schemas.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_OBJECT_KEYS } from '../../shared/src/zendesk/data-model.ts';
import { OpenApiContracts, loadOpenApi } from './contract/openapi.ts';
import { ZENDESK_SANDBOX_CREDENTIALS as C, startZendeskEmulator, type ZendeskEmulator } from './index.ts';

/** The team's read-only shared/ folder sits beside the repository; BOUCLE_SHARED_DIR points elsewhere. */
const SHARED_DIR =
  process.env.BOUCLE_SHARED_DIR ?? fileURLToPath(new URL('../../../shared/', import.meta.url));
const CONTRACTS_DIR = join(SHARED_DIR, 'contracts', 'zendesk-openapi');
const basic = `Basic ${Buffer.from(`${C.email}/token:${C.apiToken}`).toString('base64')}`;

let emu: ZendeskEmulator;
let contracts: OpenApiContracts;
/** Ids created by earlier cases, used by later ones. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(CONTRACTS_DIR)) {
    throw new Error(
      `Zendesk's OpenAPI documents were not found in ${CONTRACTS_DIR}: put the team's shared/ folder beside ` +
        'the repository, or set BOUCLE_SHARED_DIR to it.',
    );
  }
  contracts = new OpenApiContracts(await loadOpenApi(CONTRACTS_DIR));
  emu = await startZendeskEmulator({
    seed: 9,
    jobDelayMs: 1,
    counts: { users: 10, organizations: 4, tickets: 8 },
  });
  const user = [...emu.store.users.values()].find((u) => u.external_id !== null);
  const org = [...emu.store.organizations.values()][0];
  const open = [...emu.store.tickets.values()].find((t) => t.status !== 'closed');
  const rating = [...emu.store.satisfactionRatings.values()].find((r) => r.score !== 'unoffered');
  if (user === undefined || org === undefined || open === undefined || rating === undefined)
    throw new Error('seed lacks data');
  Object.assign(ids, {
    user: String(user.id),
    userExternal: user.external_id ?? '',
    org: String(org.id),
    orgExternal: org.external_id ?? '',
    ticket: String(open.id),
    rating: String(rating.id),
    key: CUSTOM_OBJECT_KEYS.feedback,
  });
});

afterAll(async () => {
  await emu?.close();
});

interface Case {
  /** Documented operation, e.g. `GET /api/v2/tickets/{ticket_id}`. */
  readonly op: string;
  /** Request path with `:name` placeholders filled from `ids`. */
  readonly url: string;
  readonly status: number;
  readonly body?: unknown;
  readonly auth?: string;
  readonly requireAll?: readonly string[] | boolean;
  /** Keeps a value of the response for later cases. */
  readonly keep?: (json: Record<string, unknown>) => void;
  readonly before?: () => void;
}

const fill = (text: string): string =>
  text.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(ids[name] ?? `missing-${name}`));
const get = (value: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );
const keepAs = (name: string, path: string) => (json: Record<string, unknown>) => {
  ids[name] = String(get(json, path));
};

const CASES: readonly Case[] = [
  // users
  { op: 'GET /api/v2/users', url: '/api/v2/users.json?page[size]=3', status: 200, requireAll: ['users'] },
  { op: 'GET /api/v2/users/me', url: '/api/v2/users/me.json', status: 200 },
  { op: 'GET /api/v2/users/{user_id}', url: '/api/v2/users/:user.json', status: 200 },
  { op: 'GET /api/v2/users/{user_id}', url: '/api/v2/users/98765.json', status: 404 },
  {
    op: 'GET /api/v2/users/{user_id}',
    url: '/api/v2/users/:user.json',
    status: 401,
    auth: 'Basic bm9ib2R5OnNlY3JldA==',
  },
  { op: 'GET /api/v2/users/search', url: '/api/v2/users/search.json?external_id=:userExternal', status: 200 },
  { op: 'GET /api/v2/users/search', url: '/api/v2/users/search.json?query=role:admin', status: 200 },
  {
    op: 'GET /api/v2/users/show_many',
    url: '/api/v2/users/show_many.json?external_ids=:userExternal',
    status: 200,
  },
  {
    op: 'PUT /api/v2/users/{user_id}',
    url: '/api/v2/users/:user.json',
    status: 200,
    body: { user: { notes: 'VIP' } },
  },
  {
    op: 'PUT /api/v2/users/{user_id}',
    url: '/api/v2/users/:user.json',
    status: 422,
    body: { user: { email: 'nope' } },
  },
  {
    op: 'POST /api/v2/users/create_or_update',
    url: '/api/v2/users/create_or_update.json',
    status: 201,
    body: { user: { name: 'Nina', email: 'nina@example.test', external_id: '0035g00000NinaAAA1' } },
  },
  {
    op: 'POST /api/v2/users/create_or_update',
    url: '/api/v2/users/create_or_update.json',
    status: 200,
    body: { user: { name: 'Nina B', external_id: '0035g00000NinaAAA1' } },
  },
  {
    op: 'POST /api/v2/users/create_or_update_many',
    url: '/api/v2/users/create_or_update_many.json',
    status: 200,
    body: { users: [{ name: 'Olga', email: 'olga@example.test' }, { name: '' }] },
    keep: keepAs('job', 'job_status.id'),
  },
  {
    op: 'POST /api/v2/users/create_or_update_many',
    url: '/api/v2/users/create_or_update_many.json',
    status: 400,
    body: { users: [] },
  },
  {
    op: 'PUT /api/v2/users/update_many',
    url: '/api/v2/users/update_many.json?external_ids=:userExternal',
    status: 200,
    body: { user: { notes: 'bulk' } },
  },
  // organisations
  {
    op: 'GET /api/v2/organizations',
    url: '/api/v2/organizations.json',
    status: 200,
    requireAll: ['organizations'],
  },
  { op: 'GET /api/v2/organizations/{organization_id}', url: '/api/v2/organizations/:org.json', status: 200 },
  { op: 'GET /api/v2/organizations/{organization_id}', url: '/api/v2/organizations/1.json', status: 404 },
  {
    op: 'GET /api/v2/organizations/search',
    url: '/api/v2/organizations/search.json?external_id=:orgExternal',
    status: 200,
    requireAll: ['organizations'],
  },
  {
    op: 'GET /api/v2/organizations/show_many',
    url: '/api/v2/organizations/show_many.json?external_ids=:orgExternal',
    status: 200,
    requireAll: ['organizations'],
  },
  {
    op: 'PUT /api/v2/organizations/{organization_id}',
    url: '/api/v2/organizations/:org.json',
    status: 200,
    body: { organization: { notes: 'Key account' } },
  },
  {
    op: 'POST /api/v2/organizations/create_or_update',
    url: '/api/v2/organizations/create_or_update.json',
    status: 201,
    body: { organization: { name: 'Zephyr SA', external_id: '0015g00000ZephyAAA' } },
  },
  {
    op: 'POST /api/v2/organizations/create_many',
    url: '/api/v2/organizations/create_many.json',
    status: 200,
    body: { organizations: [{ name: 'Quartz Ltd' }] },
  },
  {
    op: 'PUT /api/v2/organizations/update_many',
    url: '/api/v2/organizations/update_many.json',
    status: 200,
    body: { organizations: [{ id: 0, notes: 'x' }] },
    before: () => undefined,
  },
  // fields
  {
    op: 'GET /api/v2/user_fields',
    url: '/api/v2/user_fields.json',
    status: 200,
    requireAll: ['user_fields'],
  },
  {
    op: 'POST /api/v2/user_fields',
    url: '/api/v2/user_fields.json',
    status: 201,
    body: { user_field: { key: 'boucle_test_flag', type: 'checkbox', title: 'Flag' } },
    keep: keepAs('userField', 'user_field.id'),
  },
  {
    op: 'POST /api/v2/user_fields',
    url: '/api/v2/user_fields.json',
    status: 422,
    body: { user_field: { key: 'boucle_test_flag', type: 'checkbox', title: 'Flag' } },
  },
  { op: 'GET /api/v2/user_fields/{user_field_id}', url: '/api/v2/user_fields/:userField.json', status: 200 },
  {
    op: 'GET /api/v2/organization_fields',
    url: '/api/v2/organization_fields.json',
    status: 200,
    requireAll: ['organization_fields'],
  },
  {
    op: 'POST /api/v2/organization_fields',
    url: '/api/v2/organization_fields.json',
    status: 201,
    body: { organization_field: { key: 'boucle_test_note', type: 'text', title: 'Note' } },
  },
  {
    op: 'GET /api/v2/ticket_fields',
    url: '/api/v2/ticket_fields.json',
    status: 200,
    requireAll: ['ticket_fields'],
  },
  {
    op: 'POST /api/v2/ticket_fields',
    url: '/api/v2/ticket_fields.json',
    status: 201,
    body: { ticket_field: { type: 'text', title: 'Boucle intervention' } },
  },
  // tickets
  { op: 'GET /api/v2/tickets', url: '/api/v2/tickets.json?per_page=3', status: 200, requireAll: ['tickets'] },
  { op: 'GET /api/v2/tickets/{ticket_id}', url: '/api/v2/tickets/:ticket.json', status: 200 },
  { op: 'GET /api/v2/tickets/{ticket_id}', url: '/api/v2/tickets/404404.json', status: 404 },
  { op: 'GET /api/v2/tickets/show_many', url: '/api/v2/tickets/show_many.json?ids=:ticket', status: 200 },
  {
    op: 'POST /api/v2/tickets',
    url: '/api/v2/tickets.json',
    status: 201,
    body: { ticket: { subject: 'Help', comment: { body: 'Broken' }, requester_id: 0 } },
    before: () => undefined,
  },
  {
    op: 'PUT /api/v2/tickets/{ticket_id}',
    url: '/api/v2/tickets/:ticket.json',
    status: 200,
    body: { ticket: { priority: 'high', comment: { body: 'Internal', public: false } } },
  },
  {
    op: 'PUT /api/v2/tickets/{ticket_id}',
    url: '/api/v2/tickets/:ticket.json',
    status: 422,
    body: { ticket: { status: 'archived' } },
  },
  {
    op: 'PUT /api/v2/tickets/update_many',
    url: '/api/v2/tickets/update_many.json?ids=:ticket',
    status: 200,
    body: { ticket: { additional_tags: ['boucle_follow_up'] } },
  },
  {
    op: 'GET /api/v2/tickets/{ticket_id}/comments',
    url: '/api/v2/tickets/:ticket/comments.json',
    status: 200,
  },
  {
    op: 'GET /api/v2/tickets/{ticket_id}/comments/count',
    url: '/api/v2/tickets/:ticket/comments/count.json',
    status: 200,
  },
  {
    op: 'GET /api/v2/tickets/{ticket_id}/audits',
    url: '/api/v2/tickets/:ticket/audits.json?per_page=100',
    status: 200,
  },
  {
    op: 'GET /api/v2/tickets/{ticket_id}/audits/count',
    url: '/api/v2/tickets/:ticket/audits/count.json',
    status: 200,
  },
  { op: 'GET /api/v2/ticket_audits', url: '/api/v2/ticket_audits.json?limit=5', status: 200 },
  { op: 'GET /api/v2/tickets/{ticket_id}/tags', url: '/api/v2/tickets/:ticket/tags.json', status: 200 },
  {
    op: 'PUT /api/v2/tickets/{ticket_id}/tags',
    url: '/api/v2/tickets/:ticket/tags.json',
    status: 200,
    body: { tags: ['boucle_apology'] },
  },
  {
    op: 'POST /api/v2/tickets/{ticket_id}/tags',
    url: '/api/v2/tickets/:ticket/tags.json',
    status: 201,
    body: { tags: ['boucle_apology', 'vip'] },
  },
  {
    op: 'DELETE /api/v2/tickets/{ticket_id}/tags',
    url: '/api/v2/tickets/:ticket/tags.json',
    status: 200,
    body: { tags: ['vip'] },
  },
  // job statuses
  { op: 'GET /api/v2/job_statuses/{job_status_id}', url: '/api/v2/job_statuses/:job.json', status: 200 },
  {
    op: 'GET /api/v2/job_statuses/show_many',
    url: '/api/v2/job_statuses/show_many.json?ids=:job',
    status: 200,
  },
  { op: 'GET /api/v2/job_statuses', url: '/api/v2/job_statuses.json', status: 200 },
  // custom objects v2
  {
    op: 'POST /api/v2/custom_objects',
    url: '/api/v2/custom_objects.json',
    status: 201,
    body: {
      custom_object: {
        key: CUSTOM_OBJECT_KEYS.feedback,
        title: 'Feedback',
        title_pluralized: 'Feedback',
        include_in_list_view: true,
      },
    },
  },
  { op: 'GET /api/v2/custom_objects', url: '/api/v2/custom_objects.json', status: 200 },
  {
    op: 'GET /api/v2/custom_objects/{custom_object_key}',
    url: '/api/v2/custom_objects/:key.json',
    status: 200,
  },
  {
    op: 'GET /api/v2/custom_objects/{custom_object_key}',
    url: '/api/v2/custom_objects/nothing_here.json',
    status: 404,
  },
  {
    op: 'POST /api/v2/custom_objects/{custom_object_key}/fields',
    url: '/api/v2/custom_objects/:key/fields.json',
    status: 201,
    body: { custom_object_field: { key: 'score', type: 'integer', title: 'Score' } },
  },
  {
    op: 'GET /api/v2/custom_objects/{custom_object_key}/fields',
    url: '/api/v2/custom_objects/:key/fields.json',
    status: 200,
  },
  {
    op: 'GET /api/v2/custom_objects/{custom_object_key}/fields/{custom_object_field_key_or_id}',
    url: '/api/v2/custom_objects/:key/fields/score.json',
    status: 200,
  },
  {
    op: 'POST /api/v2/custom_objects/{custom_object_key}/records',
    url: '/api/v2/custom_objects/:key/records.json',
    status: 201,
    body: {
      custom_object_record: { name: 'NPS 9', external_id: 'fb-1', custom_object_fields: { score: 9 } },
    },
    keep: keepAs('record', 'custom_object_record.id'),
  },
  {
    op: 'POST /api/v2/custom_objects/{custom_object_key}/records',
    url: '/api/v2/custom_objects/:key/records.json',
    status: 422,
    body: { custom_object_record: { name: 'Bad', custom_object_fields: { score: 'high' } } },
  },
  {
    op: 'GET /api/v2/custom_objects/{custom_object_key}/records',
    url: '/api/v2/custom_objects/:key/records.json?page[size]=10',
    status: 200,
  },
  {
    op: 'GET /api/v2/custom_objects/{custom_object_key}/records/{custom_object_record_id}',
    url: '/api/v2/custom_objects/:key/records/:record.json',
    status: 200,
  },
  {
    op: 'PATCH /api/v2/custom_objects/{custom_object_key}/records/{custom_object_record_id}',
    url: '/api/v2/custom_objects/:key/records/:record.json',
    status: 200,
    body: { custom_object_record: { custom_object_fields: { score: 10 } } },
  },
  {
    op: 'PATCH /api/v2/custom_objects/{custom_object_key}/records',
    url: '/api/v2/custom_objects/:key/records.json?external_id=fb-2',
    status: 200,
    body: { custom_object_record: { name: 'CSAT good' } },
  },
  {
    op: 'GET /api/v2/custom_objects/{custom_object_key}/records/search',
    url: '/api/v2/custom_objects/:key/records/search.json?query=csat',
    status: 200,
  },
  {
    op: 'POST /api/v2/custom_objects/{custom_object_key}/records/search',
    url: '/api/v2/custom_objects/:key/records/search.json',
    status: 200,
    body: { filter: { 'custom_object_fields.score': { $gt: 5 } } },
  },
  {
    op: 'GET /api/v2/custom_objects/{custom_object_key}/records/count',
    url: '/api/v2/custom_objects/:key/records/count.json',
    status: 200,
  },
  {
    op: 'POST /api/v2/custom_objects/{custom_object_key}/jobs',
    url: '/api/v2/custom_objects/:key/jobs.json',
    status: 201,
    body: {
      job: {
        action: 'create_or_update_by_external_id',
        items: [{ external_id: 'fb-3', name: 'CES', custom_object_fields: { score: 2 } }],
      },
    },
  },
  {
    op: 'GET /api/v2/custom_objects/limits/object_limit',
    url: '/api/v2/custom_objects/limits/object_limit.json',
    status: 200,
  },
  {
    op: 'GET /api/v2/custom_objects/{custom_object_key}/limits/field_limit',
    url: '/api/v2/custom_objects/:key/limits/field_limit.json',
    status: 200,
  },
  {
    op: 'DELETE /api/v2/custom_objects/{custom_object_key}/records/{custom_object_record_id}',
    url: '/api/v2/custom_objects/:key/records/:record.json',
    status: 204,
  },
  // satisfaction ratings
  {
    op: 'GET /api/v2/satisfaction_ratings',
    url: '/api/v2/satisfaction_ratings.json?page[size]=2',
    status: 200,
    requireAll: ['satisfaction_ratings'],
  },
  {
    op: 'GET /api/v2/satisfaction_ratings',
    url: '/api/v2/satisfaction_ratings.json?score=bad_with_comment&start_time=0',
    status: 200,
    requireAll: ['satisfaction_ratings'],
  },
  {
    op: 'GET /api/v2/satisfaction_ratings/{satisfaction_rating_id}',
    url: '/api/v2/satisfaction_ratings/:rating.json',
    status: 200,
  },
  {
    op: 'GET /api/v2/satisfaction_ratings/count',
    url: '/api/v2/satisfaction_ratings/count.json',
    status: 200,
  },
  // incremental exports
  {
    op: 'GET /api/v2/incremental/tickets/cursor',
    url: '/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=3',
    status: 200,
  },
  {
    op: 'GET /api/v2/incremental/users/cursor',
    url: '/api/v2/incremental/users/cursor.json?start_time=0',
    status: 200,
  },
  {
    op: 'GET /api/v2/incremental/tickets',
    url: '/api/v2/incremental/tickets.json?start_time=0',
    status: 200,
  },
  {
    op: 'GET /api/v2/incremental/organizations',
    url: '/api/v2/incremental/organizations.json?start_time=0',
    status: 200,
  },
  // search
  { op: 'GET /api/v2/search', url: '/api/v2/search.json?query=type:ticket status<solved', status: 200 },
  {
    op: 'GET /api/v2/search/count',
    url: '/api/v2/search/count.json?query=type:user role:admin',
    status: 200,
  },
  {
    op: 'GET /api/v2/search/export',
    url: '/api/v2/search/export.json?query=tags:boucle_apology&filter[type]=ticket',
    status: 200,
  },
  // triggers (webhooks are not in the OpenAPI set: see emulator.test.ts)
  {
    op: 'POST /api/v2/triggers',
    url: '/api/v2/triggers.json',
    status: 201,
    body: {
      trigger: {
        title: 'Boucle urgent',
        conditions: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }], any: [] },
        actions: [{ field: 'current_tags', value: 'boucle_follow_up' }],
      },
    },
    keep: keepAs('trigger', 'trigger.id'),
  },
  {
    op: 'POST /api/v2/triggers',
    url: '/api/v2/triggers.json',
    status: 422,
    body: { trigger: { title: 'Empty', conditions: { all: [], any: [] }, actions: [] } },
  },
  { op: 'GET /api/v2/triggers', url: '/api/v2/triggers.json', status: 200 },
  { op: 'GET /api/v2/triggers/active', url: '/api/v2/triggers/active.json', status: 200 },
  { op: 'GET /api/v2/triggers/{trigger_id}', url: '/api/v2/triggers/:trigger.json', status: 200 },
  {
    op: 'PUT /api/v2/triggers/{trigger_id}',
    url: '/api/v2/triggers/:trigger.json',
    status: 200,
    body: { trigger: { active: false } },
  },
  { op: 'DELETE /api/v2/triggers/{trigger_id}', url: '/api/v2/triggers/:trigger.json', status: 204 },
  // rate limit answer
  {
    op: 'GET /api/v2/tickets/{ticket_id}',
    url: '/api/v2/tickets/:ticket.json',
    status: 429,
    before: () => emu.injectFault({ kind: 'status', status: 429, retryAfter: 3 }),
  },
];

describe('Zendesk emulator against the OpenAPI documents', () => {
  it('covers operations that the documents define', () => {
    const missing = [...new Set(CASES.map((c) => c.op))].filter(
      (op) => contracts.documents(op) === undefined,
    );
    expect(missing).toEqual([]);
  });

  it('rejects responses that break the contract (the validator is not vacuous)', async () => {
    const good = (await (
      await fetch(`${emu.url}/api/v2/tickets/${ids['ticket']}.json`, { headers: { authorization: basic } })
    ).json()) as {
      ticket: Record<string, unknown>;
    };
    const contract = contracts.response('GET /api/v2/tickets/{ticket_id}', 200);
    expect(contract.validate(good)).toBe(true);
    expect(contract.validate({ ticket: { ...good.ticket, status: 'archived' } })).toBe(false);
    expect(contract.validate({ ticket: { ...good.ticket, requester_id: '12' } })).toBe(false);
    expect(contract.validate({})).toBe(false);
    const jobs = contracts.response('GET /api/v2/job_statuses/{job_status_id}', 200);
    expect(
      jobs.validate({
        job_status: {
          id: 'x',
          url: 'http://h',
          job_type: 't',
          status: 'done',
          total: 1,
          progress: 1,
          message: null,
          results: [],
        },
      }),
    ).toBe(false);
  });

  for (const c of CASES) {
    it(`${c.op} → ${c.status} (${c.url})`, async () => {
      // Cases that need ids of records made by earlier cases.
      if (c.op === 'PUT /api/v2/organizations/update_many')
        (c.body as { organizations: { id: number }[] }).organizations[0] = {
          ...((c.body as { organizations: Record<string, unknown>[] }).organizations[0] ?? {}),
          id: Number(ids['org']),
        };
      if (c.op === 'POST /api/v2/tickets')
        (c.body as { ticket: Record<string, unknown> }).ticket['requester_id'] = Number(ids['user']);
      c.before?.();
      await emu.settle();
      const response = await fetch(`${emu.url}${fill(c.url)}`, {
        method: c.op.split(' ')[0] ?? 'GET',
        headers: { authorization: c.auth ?? basic, 'content-type': 'application/json' },
        ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
      });
      const text = await response.text();
      expect(response.status, text).toBe(c.status);
      if (c.status === 204) {
        expect(text).toBe('');
        return;
      }
      const json = JSON.parse(text) as Record<string, unknown>;
      const contract = contracts.response(
        c.op,
        c.status,
        c.requireAll === undefined ? {} : { requireAll: c.requireAll },
      );
      expect(contract.unresolved, 'schemas neither the document nor OBJECT_SCHEMAS define').toEqual([]);
      const valid = contract.validate(json);
      expect(valid ? [] : contract.validate.errors, `${contract.document}: ${text.slice(0, 400)}`).toEqual(
        [],
      );
      if (c.status < 300) {
        expect(
          contract.documentedStatus,
          `${c.status} is not documented for ${c.op} (documented: ${contract.statuses.join(', ')})`,
        ).toBe(true);
        expect(response.headers.get('x-rate-limit')).toBe('700');
      }
      if (c.status === 429) expect(response.headers.get('retry-after')).toBe('3');
      c.keep?.(json);
    });
  }
});
