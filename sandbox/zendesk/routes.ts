import { HttpError, badRequest, forbidden, notFound, recordInvalid } from './errors.ts';
import {
  byId,
  idList,
  numericId,
  paginate,
  requireArray,
  requireObject,
  type RouteContext,
  type RouteResult,
  type Router,
} from './http.ts';
import type { Emulator } from './server.ts';
import { apiVia, isObject, normaliseTags, show } from './store.ts';
import type {
  CustomObjectDataRecord,
  JsonObject,
  OrganizationRecord,
  SatisfactionRatingRecord,
  TicketRecord,
  UserRecord,
} from './types.ts';

const ok = (body: JsonObject, status = 200): RouteResult => ({ status, body });

function errorText(error: unknown): { error: string; details: string } {
  if (error instanceof HttpError) {
    const details = error.body['details'];
    const text = isObject(details)
      ? Object.values(details)
          .flatMap((list) => (Array.isArray(list) ? list : []))
          .map((d) => (isObject(d) ? show(d['description']) : ''))
          .join('; ')
      : show(error.body['description'] ?? error.body['error']);
    return { error: show(error.body['error']), details: text };
  }
  return { error: 'InternalError', details: (error as Error).message };
}

/** Per-record result of a bulk job, in Zendesk's shape. */
function failure(index: number, action: string, error: unknown, extra: JsonObject = {}): JsonObject {
  const { error: code, details } = errorText(error);
  return { index, action, success: false, status: 'Failed', error: code, errors: details, details, ...extra };
}

function userMatches(user: UserRecord, text: string): boolean {
  const hay =
    `${user.name} ${user.email ?? ''} ${user.notes} ${user.phone ?? ''} ${user.external_id ?? ''}`.toLowerCase();
  return hay.includes(text.toLowerCase());
}

/** `key:value` terms of the Zendesk search syntax plus free text. */
function parseQuery(query: string): {
  terms: { key: string; op: string; value: string; negate: boolean }[];
  text: string[];
} {
  const terms: { key: string; op: string; value: string; negate: boolean }[] = [];
  const text: string[] = [];
  const tokens = query.match(/-?[\w.]+(?::|>=|<=|>|<)"[^"]*"|-?[\w.]+(?::|>=|<=|>|<)\S+|"[^"]*"|\S+/g) ?? [];
  for (const token of tokens) {
    const m = /^(-?)([\w.]+)(:|>=|<=|>|<)"?([^"]*)"?$/.exec(token);
    if (m !== null && m[2] !== undefined && m[3] !== undefined && m[4] !== undefined)
      terms.push({ negate: m[1] === '-', key: m[2].toLowerCase(), op: m[3], value: m[4] });
    else text.push(token.replace(/^"|"$/g, ''));
  }
  return { terms, text };
}

function compareTime(recordIso: string, op: string, value: string, now: number): boolean {
  const rel = /^(\d+)(minutes|hours|days)$/.exec(value);
  const target =
    rel !== null
      ? now - Number(rel[1]) * { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[rel[2] as 'minutes']
      : Date.parse(value);
  const t = Date.parse(recordIso);
  if (Number.isNaN(target))
    throw badRequest(`Cannot read the date "${value}" in the search query`, 'QueryError');
  switch (op) {
    case '>':
      return t > target;
    case '>=':
      return t >= target;
    case '<':
      return t < target;
    case '<=':
      return t <= target;
    default:
      return new Date(t).toISOString().slice(0, 10) === new Date(target).toISOString().slice(0, 10);
  }
}

export function registerRoutes(router: Router, emu: Emulator): void {
  const store = emu.store;
  const ser = (): Emulator['ser'] => emu.ser;

  // ------------------------------------------------------------------ users
  router.add('GET', '/api/v2/users', (ctx) => {
    const roles = [...ctx.query.getAll('role'), ...ctx.query.getAll('role[]')];
    const users = byId(store.users.values()).filter((u) => roles.length === 0 || roles.includes(u.role));
    return ok(paginate(ctx, users, 'users', (u) => ser().user(u), { cursor: true, offset: true }));
  });
  router.add('GET', '/api/v2/users/me', (ctx) => ok({ user: ser().user(ctx.user) }));
  router.add('GET', '/api/v2/users/count', () =>
    ok({ count: { value: store.users.size, refreshed_at: store.nowIso() } }),
  );
  router.add('GET', '/api/v2/users/show_many', (ctx) => {
    const ids = idList(ctx.query.get('ids'));
    const externalIds = idList(ctx.query.get('external_ids'));
    if (ids.length === 0 && externalIds.length === 0)
      throw badRequest('Pass ids or external_ids (comma-separated, at most 100)');
    const users =
      ids.length > 0
        ? ids.map((id) => store.users.get(Number(id))).filter((u): u is UserRecord => u !== undefined)
        : externalIds
            .map((id) => store.findUserByExternalId(id))
            .filter((u): u is UserRecord => u !== undefined);
    return ok({
      users: users.map((u) => ser().user(u)),
      next_page: null,
      previous_page: null,
      count: users.length,
    });
  });
  router.add('GET', '/api/v2/users/search', (ctx) => {
    const externalId = ctx.query.get('external_id');
    const query = ctx.query.get('query');
    let users: UserRecord[];
    if (externalId !== null) {
      const user = store.findUserByExternalId(externalId);
      users = user === undefined ? [] : [user];
    } else if (query !== null && query.trim() !== '') {
      const { terms, text } = parseQuery(query);
      users = byId(store.users.values()).filter((u) => {
        for (const term of terms) {
          const value = term.value.toLowerCase();
          const field =
            term.key === 'email'
              ? (u.email ?? '')
              : term.key === 'external_id'
                ? (u.external_id ?? '')
                : term.key === 'role'
                  ? u.role
                  : term.key === 'name'
                    ? u.name.toLowerCase()
                    : term.key === 'organization_id'
                      ? String(u.organization_id ?? '')
                      : null;
          const hit =
            field === null
              ? userMatches(u, value)
              : term.key === 'name'
                ? field.includes(value)
                : field.toLowerCase() === value;
          if (hit === term.negate) return false;
        }
        return text.every((t) => userMatches(u, t));
      });
    } else throw badRequest('Pass query or external_id');
    return ok(paginate(ctx, users, 'users', (u) => ser().user(u), { cursor: false, offset: true }));
  });
  router.add('GET', '/api/v2/users/{user_id}', (ctx) => {
    const user = store.user(numericId(ctx.params['user_id']));
    // Sideloads as Zendesk documents them for users (`include=organizations,…`); the others are not emulated
    // and, as on Zendesk, an unknown name is ignored.
    const include = new Set((ctx.query.get('include') ?? '').split(',').map((name) => name.trim()));
    if (!include.has('organizations')) return ok({ user: ser().user(user) });
    const orgId = user.organization_id;
    const organizations =
      typeof orgId === 'number' && store.organizations.has(orgId)
        ? [ser().organization(store.organization(orgId))]
        : [];
    return ok({ user: ser().user(user), organizations });
  });
  router.add('POST', '/api/v2/users', (ctx) =>
    ok({ user: ser().user(store.createUser(requireObject(ctx.body, 'user'))) }, 201),
  );
  router.add('PUT', '/api/v2/users/{user_id}', (ctx) =>
    ok({
      user: ser().user(store.updateUser(numericId(ctx.params['user_id']), requireObject(ctx.body, 'user'))),
    }),
  );
  router.add('POST', '/api/v2/users/create_or_update', (ctx) => {
    const { user, created } = store.upsertUser(requireObject(ctx.body, 'user'));
    return ok({ user: ser().user(user) }, created ? 201 : 200);
  });
  const bulkUsers = (ctx: RouteContext, mode: 'create' | 'upsert'): RouteResult => {
    if (mode === 'upsert' && !emu.bulkUserImport)
      throw forbidden(
        'Bulk user import is not enabled on this account. Ask Zendesk support to enable data imports.',
      );
    const items = requireArray(ctx.body, 'users', 100);
    const job = emu.queueJob(
      mode === 'create' ? 'Bulk Create Users' : 'Bulk Create Or Update Users',
      items.length,
      () =>
        items.map((item, index) => {
          const ident = {
            ...(typeof item['external_id'] === 'string' ? { external_id: item['external_id'] } : {}),
            ...(typeof item['email'] === 'string' ? { email: item['email'] } : {}),
          };
          try {
            if (mode === 'create') {
              const user = store.createUser(item);
              return { index, id: user.id, action: 'create', status: 'Created', success: true, ...ident };
            }
            const { user, created } = store.upsertUser(item);
            return {
              index,
              id: user.id,
              action: created ? 'create' : 'update',
              status: created ? 'Created' : 'Updated',
              success: true,
              ...ident,
            };
          } catch (error) {
            return failure(index, mode === 'create' ? 'create' : 'create_or_update', error, ident);
          }
        }),
    );
    return ok({ job_status: ser().jobStatus(job) });
  };
  router.add('POST', '/api/v2/users/create_many', (ctx) => bulkUsers(ctx, 'create'), 'admin');
  router.add('POST', '/api/v2/users/create_or_update_many', (ctx) => bulkUsers(ctx, 'upsert'), 'admin');
  router.add('PUT', '/api/v2/users/update_many', (ctx) => {
    const ids = idList(ctx.query.get('ids'));
    const externalIds = idList(ctx.query.get('external_ids'));
    let work: { ref: Record<string, unknown>; input: Record<string, unknown> }[];
    if (ids.length > 0 || externalIds.length > 0) {
      const shared = requireObject(ctx.body, 'user');
      work =
        ids.length > 0
          ? ids.map((id) => ({ ref: { id: Number(id) }, input: shared }))
          : externalIds.map((e) => ({ ref: { external_id: e }, input: shared }));
    } else work = requireArray(ctx.body, 'users', 100).map((item) => ({ ref: item, input: item }));
    const job = emu.queueJob('Bulk Update Users', work.length, () =>
      work.map(({ ref, input }, index) => {
        try {
          const target =
            typeof ref['id'] === 'number'
              ? store.users.get(ref['id'])
              : typeof ref['external_id'] === 'string'
                ? store.findUserByExternalId(ref['external_id'])
                : undefined;
          if (target === undefined) throw notFound();
          const { id: _id, ...rest } = input;
          const user = store.updateUser(target.id, rest);
          return { index, id: user.id, action: 'update', status: 'Updated', success: true };
        } catch (error) {
          return failure(index, 'update', error);
        }
      }),
    );
    return ok({ job_status: ser().jobStatus(job) });
  });

  // ------------------------------------------------------------------ organisations
  router.add('GET', '/api/v2/organizations', (ctx) =>
    ok(
      paginate(ctx, byId(store.organizations.values()), 'organizations', (o) => ser().organization(o), {
        cursor: true,
        offset: true,
      }),
    ),
  );
  router.add('GET', '/api/v2/organizations/count', () =>
    ok({ count: { value: store.organizations.size, refreshed_at: store.nowIso() } }),
  );
  router.add('GET', '/api/v2/organizations/show_many', (ctx) => {
    const ids = idList(ctx.query.get('ids'));
    const externalIds = idList(ctx.query.get('external_ids'));
    if (ids.length === 0 && externalIds.length === 0)
      throw badRequest('Pass ids or external_ids (comma-separated, at most 100)');
    const orgs =
      ids.length > 0
        ? ids
            .map((id) => store.organizations.get(Number(id)))
            .filter((o): o is OrganizationRecord => o !== undefined)
        : externalIds
            .map((id) => store.findOrganizationByExternalId(id))
            .filter((o): o is OrganizationRecord => o !== undefined);
    return ok({
      organizations: orgs.map((o) => ser().organization(o)),
      next_page: null,
      previous_page: null,
      count: orgs.length,
    });
  });
  router.add('GET', '/api/v2/organizations/search', (ctx) => {
    const externalId = ctx.query.get('external_id');
    const name = ctx.query.get('name');
    if ((externalId === null) === (name === null))
      throw badRequest('Search by external_id or by name, not both');
    const org =
      externalId !== null
        ? store.findOrganizationByExternalId(externalId)
        : store.findOrganizationByName(name ?? '');
    const list = org === undefined ? [] : [org];
    return ok(
      paginate(ctx, list, 'organizations', (o) => ser().organization(o), { cursor: false, offset: true }),
    );
  });
  router.add('GET', '/api/v2/organizations/{organization_id}', (ctx) =>
    ok({ organization: ser().organization(store.organization(numericId(ctx.params['organization_id']))) }),
  );
  router.add('POST', '/api/v2/organizations', (ctx) =>
    ok(
      { organization: ser().organization(store.createOrganization(requireObject(ctx.body, 'organization'))) },
      201,
    ),
  );
  router.add('PUT', '/api/v2/organizations/{organization_id}', (ctx) =>
    ok({
      organization: ser().organization(
        store.updateOrganization(
          numericId(ctx.params['organization_id']),
          requireObject(ctx.body, 'organization'),
        ),
      ),
    }),
  );
  router.add('POST', '/api/v2/organizations/create_or_update', (ctx) => {
    const { organization, created } = store.upsertOrganization(requireObject(ctx.body, 'organization'));
    return ok({ organization: ser().organization(organization) }, created ? 201 : 200);
  });
  router.add('POST', '/api/v2/organizations/create_many', (ctx) => {
    const items = requireArray(ctx.body, 'organizations', 100);
    const job = emu.queueJob('Bulk Create Organizations', items.length, () =>
      items.map((item, index) => {
        try {
          const org = store.createOrganization(item);
          return {
            index,
            id: org.id,
            action: 'create',
            status: 'Created',
            success: true,
            ...(org.external_id === null ? {} : { external_id: org.external_id }),
          };
        } catch (error) {
          return failure(
            index,
            'create',
            error,
            typeof item['external_id'] === 'string' ? { external_id: item['external_id'] } : {},
          );
        }
      }),
    );
    return ok({ job_status: ser().jobStatus(job) });
  });
  router.add('PUT', '/api/v2/organizations/update_many', (ctx) => {
    const ids = idList(ctx.query.get('ids'));
    const externalIds = idList(ctx.query.get('external_ids'));
    let work: { ref: Record<string, unknown>; input: Record<string, unknown> }[];
    if (ids.length > 0 || externalIds.length > 0) {
      const shared = requireObject(ctx.body, 'organization');
      work =
        ids.length > 0
          ? ids.map((id) => ({ ref: { id: Number(id) }, input: shared }))
          : externalIds.map((e) => ({ ref: { external_id: e }, input: shared }));
    } else work = requireArray(ctx.body, 'organizations', 100).map((item) => ({ ref: item, input: item }));
    const job = emu.queueJob('Bulk Update Organizations', work.length, () =>
      work.map(({ ref, input }, index) => {
        const extra = typeof ref['external_id'] === 'string' ? { external_id: ref['external_id'] } : {};
        try {
          const target =
            typeof ref['id'] === 'number'
              ? store.organizations.get(ref['id'])
              : typeof ref['external_id'] === 'string'
                ? store.findOrganizationByExternalId(ref['external_id'])
                : undefined;
          if (target === undefined) throw notFound();
          const { id: _id, ...rest } = input;
          const org = store.updateOrganization(target.id, rest);
          return { index, id: org.id, action: 'update', status: 'Updated', success: true, ...extra };
        } catch (error) {
          return failure(index, 'update', error, extra);
        }
      }),
    );
    return ok({ job_status: ser().jobStatus(job) });
  });

  // ------------------------------------------------------------------ user / organisation / ticket fields
  for (const kind of ['user', 'organization'] as const) {
    const map = kind === 'user' ? store.userFields : store.organizationFields;
    const collection = `${kind}_fields`;
    const single = `${kind}_field`;
    router.add('GET', `/api/v2/${collection}`, (ctx) =>
      ok(
        paginate(ctx, byId(map.values()), collection, (f) => ser().field(f, kind), {
          cursor: true,
          offset: true,
        }),
      ),
    );
    router.add(
      'POST',
      `/api/v2/${collection}`,
      (ctx) =>
        ok({ [single]: ser().field(store.createField(kind, requireObject(ctx.body, single)), kind) }, 201),
      'admin',
    );
    router.add('GET', `/api/v2/${collection}/{field_id}`, (ctx) => {
      const raw = ctx.params['field_id'] ?? '';
      const field = /^\d+$/.test(raw) ? map.get(Number(raw)) : [...map.values()].find((f) => f.key === raw);
      if (field === undefined) throw notFound();
      return ok({ [single]: ser().field(field, kind) });
    });
    router.add(
      'PUT',
      `/api/v2/${collection}/{field_id}`,
      (ctx) =>
        ok({
          [single]: ser().field(
            store.updateField(kind, numericId(ctx.params['field_id']), requireObject(ctx.body, single)),
            kind,
          ),
        }),
      'admin',
    );
    router.add(
      'DELETE',
      `/api/v2/${collection}/{field_id}`,
      (ctx) => {
        if (!map.delete(numericId(ctx.params['field_id']))) throw notFound();
        return { status: 204 };
      },
      'admin',
    );
  }
  router.add('GET', '/api/v2/ticket_fields', (ctx) =>
    ok(
      paginate(ctx, byId(store.ticketFields.values()), 'ticket_fields', (f) => ser().ticketField(f), {
        cursor: true,
        offset: true,
      }),
    ),
  );
  router.add(
    'POST',
    '/api/v2/ticket_fields',
    (ctx) =>
      ok(
        { ticket_field: ser().ticketField(store.createTicketField(requireObject(ctx.body, 'ticket_field'))) },
        201,
      ),
    'admin',
  );
  router.add('GET', '/api/v2/ticket_fields/{ticket_field_id}', (ctx) => {
    const field = store.ticketFields.get(numericId(ctx.params['ticket_field_id']));
    if (field === undefined) throw notFound();
    return ok({ ticket_field: ser().ticketField(field) });
  });
  router.add('GET', '/api/v2/groups', (ctx) =>
    ok(
      paginate(ctx, byId(store.groups.values()), 'groups', (g) => ser().group(g), {
        cursor: true,
        offset: true,
      }),
    ),
  );

  // ------------------------------------------------------------------ tickets
  router.add('GET', '/api/v2/tickets', (ctx) =>
    ok(
      paginate(ctx, byId(store.tickets.values()), 'tickets', (t) => ser().ticket(t), {
        cursor: true,
        offset: true,
      }),
    ),
  );
  router.add('GET', '/api/v2/tickets/count', () =>
    ok({ count: { value: store.tickets.size, refreshed_at: store.nowIso() } }),
  );
  router.add('GET', '/api/v2/tickets/show_many', (ctx) => {
    const ids = idList(ctx.query.get('ids'));
    if (ids.length === 0) throw badRequest('Pass ids (comma-separated, at most 100)');
    const tickets = ids
      .map((id) => store.tickets.get(Number(id)))
      .filter((t): t is TicketRecord => t !== undefined);
    return ok({
      tickets: tickets.map((t) => ser().ticket(t)),
      next_page: null,
      previous_page: null,
      count: tickets.length,
    });
  });
  router.add('GET', '/api/v2/tickets/{ticket_id}', (ctx) =>
    ok({ ticket: ser().ticket(store.ticket(numericId(ctx.params['ticket_id']))) }),
  );
  router.add('POST', '/api/v2/tickets', (ctx) => {
    const result = store.createTicket(requireObject(ctx.body, 'ticket'), ctx.user, apiVia());
    emu.afterTicketChange(result.change);
    const ticket = store.ticket(result.ticket.id);
    return {
      status: 201,
      body: { ticket: ser().ticket(ticket), audit: ser().audit(result.audit) },
      headers: { location: `${ctx.base}/api/v2/tickets/${ticket.id}.json` },
    };
  });
  router.add('PUT', '/api/v2/tickets/{ticket_id}', (ctx) => {
    const id = numericId(ctx.params['ticket_id']);
    const result = store.updateTicket(id, requireObject(ctx.body, 'ticket'), ctx.user, apiVia());
    emu.afterTicketChange(result.change);
    return ok({ ticket: ser().ticket(store.ticket(id)), audit: ser().audit(result.audit) });
  });
  router.add('PUT', '/api/v2/tickets/update_many', (ctx) => {
    const ids = idList(ctx.query.get('ids'));
    let work: { id: number; input: Record<string, unknown> }[];
    if (ids.length > 0) {
      const shared = requireObject(ctx.body, 'ticket');
      work = ids.map((id) => ({ id: Number(id), input: shared }));
    } else
      work = requireArray(ctx.body, 'tickets', 100).map((item) => {
        if (typeof item['id'] !== 'number') throw badRequest('Each ticket of "tickets" needs its numeric id');
        const { id, ...input } = item as { id: number };
        return { id, input };
      });
    const actor = ctx.user;
    const job = emu.queueJob('Bulk Update Tickets', work.length, () =>
      work.map(({ id, input }, index) => {
        try {
          const result = store.updateTicket(id, input, actor, apiVia());
          emu.afterTicketChange(result.change);
          return { index, id, action: 'update', status: 'Updated', success: true };
        } catch (error) {
          return { ...failure(index, 'update', error), id };
        }
      }),
    );
    return ok({ job_status: ser().jobStatus(job) });
  });
  router.add('GET', '/api/v2/tickets/{ticket_id}/comments', (ctx) => {
    const comments = [...store.ticketComments(numericId(ctx.params['ticket_id']))];
    if (ctx.query.get('sort_order') === 'desc' || ctx.query.get('sort') === '-created_at') comments.reverse();
    const positioned = comments.map((comment, position) => ({ id: position, comment }));
    return ok(
      paginate(ctx, positioned, 'comments', ({ comment }) => ser().comment(comment), {
        cursor: true,
        offset: true,
      }),
    );
  });
  router.add('GET', '/api/v2/tickets/{ticket_id}/comments/count', (ctx) =>
    ok({
      count: {
        value: store.ticketComments(numericId(ctx.params['ticket_id'])).length,
        refreshed_at: store.nowIso(),
      },
    }),
  );
  router.add('GET', '/api/v2/tickets/{ticket_id}/audits', (ctx) =>
    ok(
      paginate(ctx, store.ticketAudits(numericId(ctx.params['ticket_id'])), 'audits', (a) => ser().audit(a), {
        cursor: true,
        offset: true,
      }),
    ),
  );
  router.add('GET', '/api/v2/tickets/{ticket_id}/audits/count', (ctx) =>
    ok({
      count: {
        value: store.ticketAudits(numericId(ctx.params['ticket_id'])).length,
        refreshed_at: store.nowIso(),
      },
    }),
  );
  router.add('GET', '/api/v2/tickets/{ticket_id}/audits/{ticket_audit_id}', (ctx) => {
    const auditId = numericId(ctx.params['ticket_audit_id']);
    const audit = store.ticketAudits(numericId(ctx.params['ticket_id'])).find((a) => a.id === auditId);
    if (audit === undefined) throw notFound();
    return ok({ audit: ser().audit(audit) });
  });
  router.add(
    'GET',
    '/api/v2/ticket_audits',
    (ctx) => {
      const all = byId([...store.audits.values()].flat()).reverse();
      const limit = Number(ctx.query.get('limit') ?? '1000');
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw badRequest('limit must be a whole number from 1 to 1000', 'InvalidPaginationParameter');
      const cursor = ctx.query.get('cursor');
      const start = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0)
        throw badRequest('The cursor is invalid', 'InvalidPaginationParameter');
      const page = all.slice(start, start + limit);
      // Both cursors are always present (the document types them as strings): past the end, `after` reads an
      // empty page; on the first page, `before` reads the first page again.
      const next = Buffer.from(String(Math.min(all.length, start + limit))).toString('base64url');
      const prev = Buffer.from(String(Math.max(0, start - limit))).toString('base64url');
      const body: JsonObject = {
        audits: page.map((a) => ser().audit(a)),
        after_cursor: next,
        after_url: `${ctx.base}/api/v2/ticket_audits.json?cursor=${next}&limit=${limit}`,
        before_cursor: prev,
        before_url: `${ctx.base}/api/v2/ticket_audits.json?cursor=${prev}&limit=${limit}`,
      };
      return ok(body);
    },
    'admin',
  );

  // tags: GET lists, POST sets, PUT adds, DELETE removes
  const tagsRoute =
    (mode: 'get' | 'set' | 'add' | 'remove') =>
    (ctx: RouteContext): RouteResult => {
      const id = numericId(ctx.params['ticket_id']);
      const ticket = store.ticket(id);
      if (mode === 'get') return ok({ tags: [...ticket.tags] });
      if (!isObject(ctx.body) || !('tags' in ctx.body)) throw badRequest('The body must be {"tags": [...]}');
      const tags = normaliseTags(ctx.body['tags']);
      const input =
        mode === 'set' ? { tags } : mode === 'add' ? { additional_tags: tags } : { remove_tags: tags };
      const result = store.updateTicket(id, input, ctx.user, apiVia());
      emu.afterTicketChange(result.change);
      return ok({ tags: [...store.ticket(id).tags] }, mode === 'set' ? 201 : 200);
    };
  router.add('GET', '/api/v2/tickets/{ticket_id}/tags', tagsRoute('get'));
  router.add('POST', '/api/v2/tickets/{ticket_id}/tags', tagsRoute('set'));
  router.add('PUT', '/api/v2/tickets/{ticket_id}/tags', tagsRoute('add'));
  router.add('DELETE', '/api/v2/tickets/{ticket_id}/tags', tagsRoute('remove'));
  router.add('POST', '/api/v2/tickets/{ticket_id}/satisfaction_rating', (ctx) => {
    store.ticket(numericId(ctx.params['ticket_id']));
    throw forbidden('Only the verified requester of the ticket can rate it');
  });

  // ------------------------------------------------------------------ satisfaction ratings
  const ratingFilter = (ctx: RouteContext): SatisfactionRatingRecord[] => {
    const score = ctx.query.get('score');
    const start = ctx.query.get('start_time');
    const end = ctx.query.get('end_time');
    const valid = [
      'offered',
      'unoffered',
      'received',
      'received_with_comment',
      'received_without_comment',
      'good',
      'good_with_comment',
      'good_without_comment',
      'bad',
      'bad_with_comment',
      'bad_without_comment',
    ];
    if (score !== null && !valid.includes(score))
      throw badRequest(`score must be one of ${valid.join(', ')}`);
    for (const [name, value] of [
      ['start_time', start],
      ['end_time', end],
    ] as const)
      if (value !== null && !/^\d+$/.test(value))
        throw badRequest(`${name} must be a Unix epoch time in seconds`);
    return byId(store.satisfactionRatings.values()).filter((r) => {
      const t = Date.parse(r.updated_at) / 1000;
      if (start !== null && t < Number(start)) return false;
      if (end !== null && t > Number(end)) return false;
      if (score === null) return r.score !== 'unoffered';
      const received = r.score === 'good' || r.score === 'bad';
      const hasComment = (r.comment ?? '') !== '';
      const [base, suffix] = score.split(/_(?=with)/) as [string, string | undefined];
      const baseOk = base === 'received' ? received : r.score === base;
      return baseOk && (suffix === undefined || (suffix === 'with_comment') === hasComment);
    });
  };
  router.add(
    'GET',
    '/api/v2/satisfaction_ratings',
    (ctx) =>
      ok(
        paginate(ctx, ratingFilter(ctx), 'satisfaction_ratings', (r) => ser().satisfactionRating(r), {
          cursor: true,
          offset: true,
        }),
      ),
    'admin',
  );
  router.add(
    'GET',
    '/api/v2/satisfaction_ratings/count',
    (ctx) => ok({ count: { value: ratingFilter(ctx).length, refreshed_at: store.nowIso() } }),
    'admin',
  );
  router.add(
    'GET',
    '/api/v2/satisfaction_ratings/{satisfaction_rating_id}',
    (ctx) => {
      const rating = store.satisfactionRatings.get(numericId(ctx.params['satisfaction_rating_id']));
      if (rating === undefined) throw notFound();
      // The OpenAPI document describes `satisfaction_rating` as an array here.
      return ok({ satisfaction_rating: [ser().satisfactionRating(rating)] });
    },
    'admin',
  );

  // ------------------------------------------------------------------ job statuses
  router.add('GET', '/api/v2/job_statuses', (ctx) => {
    const jobs = [...store.jobStatuses.values()].reverse().map((j, i) => ({ ...j, order: i }));
    return ok(
      paginate(
        ctx,
        jobs.map((j) => ({ ...j, id: j.order, jobId: j.id })),
        'job_statuses',
        (j) => ser().jobStatus({ ...j, id: j.jobId }),
        { cursor: true, offset: false },
      ),
    );
  });
  router.add('GET', '/api/v2/job_statuses/show_many', (ctx) => {
    const ids = idList(ctx.query.get('ids'));
    if (ids.length === 0) throw badRequest('Pass ids (comma-separated job status ids)');
    return ok({
      job_statuses: ids
        .map((id) => store.jobStatuses.get(id))
        .filter((j) => j !== undefined)
        .map((j) => ser().jobStatus(j)),
    });
  });
  router.add('GET', '/api/v2/job_statuses/{job_status_id}', (ctx) =>
    ok({ job_status: ser().jobStatus(store.job(ctx.params['job_status_id'] ?? '')) }),
  );

  // ------------------------------------------------------------------ custom objects v2
  router.add('GET', '/api/v2/custom_objects', () =>
    ok({ custom_objects: [...store.customObjects.values()].map((o) => ser().customObject(o)) }),
  );
  router.add(
    'POST',
    '/api/v2/custom_objects',
    (ctx) =>
      ok(
        {
          custom_object: ser().customObject(
            store.createCustomObject(requireObject(ctx.body, 'custom_object'), ctx.user),
          ),
        },
        201,
      ),
    'admin',
  );
  router.add('GET', '/api/v2/custom_objects/limits/object_limit', () =>
    ok({ count: store.customObjects.size, limit: 50 }),
  );
  router.add('GET', '/api/v2/custom_objects/limits/record_limit', () =>
    ok({ count: [...store.customObjectRecords.values()].reduce((n, m) => n + m.size, 0), limit: 50_000_000 }),
  );
  router.add('GET', '/api/v2/custom_objects/{custom_object_key}', (ctx) =>
    ok({ custom_object: ser().customObject(store.customObject(ctx.params['custom_object_key'] ?? '')) }),
  );
  router.add('GET', '/api/v2/custom_objects/{custom_object_key}/fields', (ctx) => {
    const key = ctx.params['custom_object_key'] ?? '';
    store.customObject(key);
    const includeStandard = ctx.query.get('include_standard_fields') === 'true';
    const fields = (store.customObjectFields.get(key) ?? []).filter((f) => includeStandard || !f.system);
    return ok({ custom_object_fields: fields.map((f) => ser().customObjectField(f)) });
  });
  router.add(
    'POST',
    '/api/v2/custom_objects/{custom_object_key}/fields',
    (ctx) =>
      ok(
        {
          custom_object_field: ser().customObjectField(
            store.createCustomObjectField(
              ctx.params['custom_object_key'] ?? '',
              requireObject(ctx.body, 'custom_object_field'),
            ),
          ),
        },
        201,
      ),
    'admin',
  );
  router.add('GET', '/api/v2/custom_objects/{custom_object_key}/fields/{field}', (ctx) => {
    const key = ctx.params['custom_object_key'] ?? '';
    store.customObject(key);
    const raw = ctx.params['field'] ?? '';
    const field = (store.customObjectFields.get(key) ?? []).find(
      (f) => String(f.id) === raw || f.key === raw,
    );
    if (field === undefined) throw notFound();
    return ok({ custom_object_field: ser().customObjectField(field) });
  });
  router.add('GET', '/api/v2/custom_objects/{custom_object_key}/limits/field_limit', (ctx) => {
    const key = ctx.params['custom_object_key'] ?? '';
    store.customObject(key);
    return ok({
      count: (store.customObjectFields.get(key) ?? []).filter((f) => !f.system).length,
      limit: 100,
    });
  });
  const recordSort = (ctx: RouteContext, records: CustomObjectDataRecord[]): CustomObjectDataRecord[] => {
    const sort = ctx.query.get('sort');
    if (sort === null || sort === 'id') return records;
    if (sort === '-id') return [...records].reverse();
    if (sort === 'updated_at' || sort === '-updated_at') {
      const sorted = [...records].sort(
        (a, b) => a.updated_at.localeCompare(b.updated_at) || a.id.localeCompare(b.id),
      );
      return sort === '-updated_at' ? sorted.reverse() : sorted;
    }
    throw badRequest('sort must be id, -id, updated_at or -updated_at');
  };
  /** Cursor pagination over a custom order: cursors carry the position. */
  const pageOrdered = (ctx: RouteContext, records: CustomObjectDataRecord[]): JsonObject => {
    const indexed = records.map((r, i) => ({ ...r, id: i, recordId: r.id }));
    const body = paginate(
      ctx,
      indexed,
      'custom_object_records',
      ({ recordId, ...r }) => ser().customRecord({ ...r, id: recordId }),
      { cursor: true, offset: false },
    );
    return { ...body, count: (body['custom_object_records'] as unknown[]).length };
  };
  router.add('GET', '/api/v2/custom_objects/{custom_object_key}/records', (ctx) => {
    const key = ctx.params['custom_object_key'] ?? '';
    let records = byId(store.customRecords(key).values());
    const ids = idList(ctx.query.get('filter[ids]'));
    const externalIds = idList(ctx.query.get('filter[external_ids]'));
    if (ids.length > 0) records = records.filter((r) => ids.includes(r.id));
    if (externalIds.length > 0)
      records = records.filter((r) => r.external_id !== null && externalIds.includes(r.external_id));
    return ok(pageOrdered(ctx, recordSort(ctx, records)));
  });
  router.add('POST', '/api/v2/custom_objects/{custom_object_key}/records', (ctx) =>
    ok(
      {
        custom_object_record: ser().customRecord(
          store.createCustomRecord(
            ctx.params['custom_object_key'] ?? '',
            requireObject(ctx.body, 'custom_object_record'),
            ctx.user,
          ),
        ),
      },
      201,
    ),
  );
  router.add('PATCH', '/api/v2/custom_objects/{custom_object_key}/records', (ctx) => {
    const key = ctx.params['custom_object_key'] ?? '';
    const externalId = ctx.query.get('external_id');
    if (externalId === null || externalId === '')
      throw badRequest('Pass external_id in the query to create or update a record by external id');
    const input = { ...requireObject(ctx.body, 'custom_object_record'), external_id: externalId };
    const existing = store.findCustomRecordByExternalId(key, externalId);
    const record =
      existing === undefined
        ? store.createCustomRecord(key, input, ctx.user)
        : store.updateCustomRecord(key, existing.id, input, ctx.user);
    return ok({ custom_object_record: ser().customRecord(record) });
  });
  router.add('DELETE', '/api/v2/custom_objects/{custom_object_key}/records', (ctx) => {
    const key = ctx.params['custom_object_key'] ?? '';
    const externalId = ctx.query.get('external_id');
    const record = externalId === null ? undefined : store.findCustomRecordByExternalId(key, externalId);
    if (record === undefined) throw notFound();
    store.deleteCustomRecord(key, record.id);
    return { status: 204 };
  });
  router.add('GET', '/api/v2/custom_objects/{custom_object_key}/records/count', (ctx) =>
    ok({
      count: {
        value: store.customRecords(ctx.params['custom_object_key'] ?? '').size,
        refreshed_at: store.nowIso(),
      },
    }),
  );
  const searchRecords = (ctx: RouteContext): JsonObject => {
    const key = ctx.params['custom_object_key'] ?? '';
    let records = byId(store.customRecords(key).values());
    const query = ctx.query.get('query');
    if (query !== null && query.trim() !== '') {
      const needle = query.toLowerCase();
      records = records.filter((r) =>
        `${r.name} ${r.external_id ?? ''} ${JSON.stringify(r.custom_object_fields)}`
          .toLowerCase()
          .includes(needle),
      );
    }
    if (isObject(ctx.body) && isObject(ctx.body['filter']))
      records = records.filter((r) => recordFilter(r, ctx.body as { filter: Record<string, unknown> }));
    return pageOrdered(ctx, recordSort(ctx, records));
  };
  router.add('GET', '/api/v2/custom_objects/{custom_object_key}/records/search', (ctx) =>
    ok(searchRecords(ctx)),
  );
  router.add('POST', '/api/v2/custom_objects/{custom_object_key}/records/search', (ctx) =>
    ok(searchRecords(ctx)),
  );
  router.add('GET', '/api/v2/custom_objects/{custom_object_key}/records/{record_id}', (ctx) =>
    ok({
      custom_object_record: ser().customRecord(
        store.customRecord(ctx.params['custom_object_key'] ?? '', ctx.params['record_id'] ?? ''),
      ),
    }),
  );
  router.add('PATCH', '/api/v2/custom_objects/{custom_object_key}/records/{record_id}', (ctx) =>
    ok({
      custom_object_record: ser().customRecord(
        store.updateCustomRecord(
          ctx.params['custom_object_key'] ?? '',
          ctx.params['record_id'] ?? '',
          requireObject(ctx.body, 'custom_object_record'),
          ctx.user,
        ),
      ),
    }),
  );
  router.add('DELETE', '/api/v2/custom_objects/{custom_object_key}/records/{record_id}', (ctx) => {
    store.deleteCustomRecord(ctx.params['custom_object_key'] ?? '', ctx.params['record_id'] ?? '');
    return { status: 204 };
  });
  router.add('POST', '/api/v2/custom_objects/{custom_object_key}/jobs', (ctx) => {
    const key = ctx.params['custom_object_key'] ?? '';
    store.customObject(key);
    const job = requireObject(ctx.body, 'job');
    const action = job['action'];
    const actions = [
      'create',
      'delete',
      'delete_by_external_id',
      'create_or_update_by_external_id',
      'create_or_update_by_name',
      'update',
    ];
    if (typeof action !== 'string' || !actions.includes(action))
      throw recordInvalid({
        action: [{ description: `Action: must be one of ${actions.join(', ')}`, error: 'InvalidValue' }],
      });
    const items = job['items'];
    if (!Array.isArray(items) || items.length === 0) throw badRequest('job.items must be a non-empty array');
    if (items.length > 100)
      throw badRequest(`Too many items: at most 100 per job, got ${items.length}`, 'TooManyValues');
    const actor = ctx.user;
    const queued = emu.queueJob(`custom_object_record_${action}`, items.length, () =>
      items.map((item: unknown, index): JsonObject => {
        try {
          switch (action) {
            case 'create': {
              const record = store.createCustomRecord(key, asRecord(item), actor);
              return {
                index,
                id: record.id,
                external_id: record.external_id,
                action: 'create',
                status: 'Created',
                success: true,
              };
            }
            case 'update': {
              const input = asRecord(item);
              const id = typeof input['id'] === 'string' ? input['id'] : '';
              const { id: _id, ...rest } = input;
              const record = store.updateCustomRecord(key, id, rest, actor);
              return {
                index,
                id: record.id,
                external_id: record.external_id,
                action: 'update',
                status: 'Updated',
                success: true,
              };
            }
            case 'create_or_update_by_external_id': {
              const input = asRecord(item);
              const externalId = typeof input['external_id'] === 'string' ? input['external_id'] : undefined;
              if (externalId === undefined)
                throw recordInvalid({
                  external_id: [{ description: 'External id: cannot be blank', error: 'BlankValue' }],
                });
              const existing = store.findCustomRecordByExternalId(key, externalId);
              const record =
                existing === undefined
                  ? store.createCustomRecord(key, input, actor)
                  : store.updateCustomRecord(key, existing.id, input, actor);
              return {
                index,
                id: record.id,
                external_id: record.external_id,
                action: existing === undefined ? 'create' : 'update',
                status: existing === undefined ? 'Created' : 'Updated',
                success: true,
              };
            }
            case 'create_or_update_by_name': {
              const input = asRecord(item);
              const existing = [...store.customRecords(key).values()].find((r) => r.name === input['name']);
              const record =
                existing === undefined
                  ? store.createCustomRecord(key, input, actor)
                  : store.updateCustomRecord(key, existing.id, input, actor);
              return {
                index,
                id: record.id,
                external_id: record.external_id,
                action: existing === undefined ? 'create' : 'update',
                status: existing === undefined ? 'Created' : 'Updated',
                success: true,
              };
            }
            case 'delete': {
              if (typeof item !== 'string') throw badRequest('delete items are record ids');
              store.deleteCustomRecord(key, item);
              return { index, id: item, action: 'delete', status: 'Deleted', success: true };
            }
            default: {
              if (typeof item !== 'string') throw badRequest('delete_by_external_id items are external ids');
              const record = store.findCustomRecordByExternalId(key, item);
              if (record === undefined) throw notFound();
              store.deleteCustomRecord(key, record.id);
              return {
                index,
                id: record.id,
                external_id: item,
                action: 'delete',
                status: 'Deleted',
                success: true,
              };
            }
          }
        } catch (error) {
          return failure(index, action, error);
        }
      }),
    );
    return ok({ job_status: ser().jobStatus(queued) }, 201);
  });

  // ------------------------------------------------------------------ incremental exports
  router.add(
    'GET',
    '/api/v2/incremental/tickets/cursor',
    (ctx) => incrementalCursor(ctx, emu, 'tickets'),
    'admin',
  );
  router.add(
    'GET',
    '/api/v2/incremental/users/cursor',
    (ctx) => incrementalCursor(ctx, emu, 'users'),
    'admin',
  );
  router.add(
    'GET',
    '/api/v2/incremental/organizations',
    (ctx) => incrementalTime(ctx, emu, 'organizations'),
    'admin',
  );
  router.add('GET', '/api/v2/incremental/tickets', (ctx) => incrementalTime(ctx, emu, 'tickets'), 'admin');
  router.add('GET', '/api/v2/incremental/users', (ctx) => incrementalTime(ctx, emu, 'users'), 'admin');

  // ------------------------------------------------------------------ search
  const search = (ctx: RouteContext): JsonObject[] => {
    const query = ctx.query.get('query');
    if (query === null || query.trim() === '') throw badRequest('Pass a query', 'QueryError');
    const { terms, text } = parseQuery(query);
    const typeTerm = terms.find((t) => t.key === 'type');
    const type = typeTerm?.value ?? ctx.query.get('filter[type]') ?? null;
    const other = terms.filter((t) => t.key !== 'type');
    const now = store.clock();
    const results: JsonObject[] = [];
    const textOk = (hay: string): boolean => text.every((t) => hay.toLowerCase().includes(t.toLowerCase()));
    if (type === null || type === 'ticket') {
      for (const ticket of byId(store.tickets.values())) {
        const requester = store.users.get(ticket.requester_id);
        const hit = other.every((term) => {
          const v = term.value.toLowerCase();
          let match: boolean;
          switch (term.key) {
            case 'status':
              match =
                term.op === ':'
                  ? ticket.status === v
                  : compareOrder(
                      ['new', 'open', 'pending', 'hold', 'solved', 'closed'],
                      ticket.status,
                      term.op,
                      v,
                    );
              break;
            case 'priority':
              match = ticket.priority === v;
              break;
            case 'tags':
            case 'tag':
              match = ticket.tags.includes(v);
              break;
            case 'requester':
              match = requester !== undefined && (requester.email === v || String(requester.id) === v);
              break;
            case 'requester_id':
              match = String(ticket.requester_id) === v;
              break;
            case 'organization':
            case 'organization_id':
              match = String(ticket.organization_id) === v;
              break;
            case 'assignee':
              match = ticket.assignee_id !== null && String(ticket.assignee_id) === v;
              break;
            case 'group':
              match =
                ticket.group_id !== null &&
                (String(ticket.group_id) === v ||
                  store.groups.get(ticket.group_id)?.name.toLowerCase() === v);
              break;
            case 'ticket_type':
              match = ticket.type === v;
              break;
            case 'external_id':
              match = ticket.external_id === term.value;
              break;
            case 'created':
              match = compareTime(ticket.created_at, term.op, term.value, now);
              break;
            case 'updated':
              match = compareTime(ticket.updated_at, term.op, term.value, now);
              break;
            case 'subject':
              match = ticket.subject.toLowerCase().includes(v);
              break;
            default:
              throw badRequest(`Unsupported search term "${term.key}" in the sandbox`, 'QueryError');
          }
          return match !== term.negate;
        });
        if (hit && textOk(`${ticket.subject} ${ticket.description}`))
          results.push({ ...ser().ticket(ticket), result_type: 'ticket' });
      }
    }
    if (type === null || type === 'user') {
      for (const user of byId(store.users.values())) {
        const hit = other.every((term) => {
          const v = term.value.toLowerCase();
          const match =
            term.key === 'email'
              ? user.email === v
              : term.key === 'external_id'
                ? user.external_id === term.value
                : term.key === 'role'
                  ? user.role.replace('-', '') === v.replace('-', '')
                  : term.key === 'organization_id'
                    ? String(user.organization_id) === v
                    : term.key === 'tags'
                      ? user.tags.includes(v)
                      : false;
          return match !== term.negate;
        });
        if (hit && textOk(`${user.name} ${user.email ?? ''}`))
          results.push({ ...ser().user(user), result_type: 'user' });
      }
    }
    if (type === null || type === 'organization') {
      for (const org of byId(store.organizations.values())) {
        const hit = other.every((term) => {
          const v = term.value.toLowerCase();
          const match =
            term.key === 'external_id'
              ? org.external_id === term.value
              : term.key === 'name'
                ? org.name.toLowerCase() === v
                : term.key === 'tags'
                  ? org.tags.includes(v)
                  : false;
          return match !== term.negate;
        });
        if (hit && textOk(org.name))
          results.push({ ...ser().organization(org), result_type: 'organization' });
      }
    }
    return results;
  };
  router.add('GET', '/api/v2/search', (ctx) => {
    const results = search(ctx).map((r, i) => ({ ...r, order: i }));
    const perPage = Number(ctx.query.get('per_page') ?? '100');
    const page = Number(ctx.query.get('page') ?? '1');
    if (page * perPage > 1000 && Number.isInteger(page))
      throw new HttpError(422, {
        error: 'InvalidValue',
        description: 'Offset pagination is limited to 1000 results; use the export search endpoint',
      });
    const body = paginate(
      ctx,
      results.map((r) => ({ ...r, id: r.order, body: r })),
      'results',
      (r) => {
        const { order: _o, ...rest } = r.body;
        return rest;
      },
      { cursor: false, offset: true },
    );
    return ok({ ...body, facets: null });
  });
  router.add('GET', '/api/v2/search/count', (ctx) => ok({ count: search(ctx).length }));
  router.add('GET', '/api/v2/search/export', (ctx) => {
    if (ctx.query.get('filter[type]') === null)
      throw badRequest('filter[type] is required (ticket, user, organization or group)');
    const results = search(ctx).map((r, i) => ({ id: i, body: r }));
    return ok({
      ...paginate(ctx, results, 'results', (r) => r.body, { cursor: true, offset: false, maxSize: 1000 }),
      facets: null,
    });
  });

  // ------------------------------------------------------------------ webhooks and triggers (requirements.json)
  router.add(
    'GET',
    '/api/v2/webhooks',
    (ctx) => {
      const list = [...store.webhooks.values()].map((w, i) => ({ ...w, order: i }));
      const body = paginate(
        ctx,
        list.map((w) => ({ id: w.order, w })),
        'webhooks',
        ({ w }) => ser().webhook(w),
        { cursor: true, offset: false },
      );
      return ok(body);
    },
    'admin',
  );
  router.add(
    'POST',
    '/api/v2/webhooks',
    (ctx) => {
      const webhook = store.createWebhook(requireObject(ctx.body, 'webhook'), ctx.user);
      return {
        status: 201,
        body: { webhook: ser().webhook(webhook) },
        headers: { location: `${ctx.base}/api/v2/webhooks/${webhook.id}` },
      };
    },
    'admin',
  );
  router.add(
    'GET',
    '/api/v2/webhooks/{webhook_id}',
    (ctx) => ok({ webhook: ser().webhook(store.webhook(ctx.params['webhook_id'] ?? '')) }),
    'admin',
  );
  router.add(
    'GET',
    '/api/v2/webhooks/{webhook_id}/signing_secret',
    (ctx) => ok({ signing_secret: { ...store.webhook(ctx.params['webhook_id'] ?? '').signing_secret } }),
    'admin',
  );
  router.add(
    'PATCH',
    '/api/v2/webhooks/{webhook_id}',
    (ctx) => {
      const webhook = store.webhook(ctx.params['webhook_id'] ?? '');
      const input = requireObject(ctx.body, 'webhook');
      if (input['status'] === 'active' || input['status'] === 'inactive') webhook.status = input['status'];
      if (typeof input['endpoint'] === 'string') webhook.endpoint = input['endpoint'];
      if (typeof input['name'] === 'string') webhook.name = input['name'];
      webhook.updated_at = store.nowIso();
      return { status: 204 };
    },
    'admin',
  );
  router.add(
    'DELETE',
    '/api/v2/webhooks/{webhook_id}',
    (ctx) => {
      store.webhook(ctx.params['webhook_id'] ?? '');
      store.webhooks.delete(ctx.params['webhook_id'] ?? '');
      return { status: 204 };
    },
    'admin',
  );
  router.add(
    'GET',
    '/api/v2/triggers',
    (ctx) => {
      const active = ctx.query.get('active');
      const list = byId(store.triggers.values()).filter(
        (t) => active === null || String(t.active) === active,
      );
      return ok(paginate(ctx, list, 'triggers', (t) => ser().trigger(t), { cursor: true, offset: true }));
    },
    'admin',
  );
  router.add(
    'GET',
    '/api/v2/triggers/active',
    (ctx) =>
      ok(
        paginate(
          ctx,
          byId(store.triggers.values()).filter((t) => t.active),
          'triggers',
          (t) => ser().trigger(t),
          { cursor: true, offset: true },
        ),
      ),
    'admin',
  );
  router.add(
    'POST',
    '/api/v2/triggers',
    (ctx) => ok({ trigger: ser().trigger(store.createTrigger(requireObject(ctx.body, 'trigger'))) }, 201),
    'admin',
  );
  router.add(
    'GET',
    '/api/v2/triggers/{trigger_id}',
    (ctx) => ok({ trigger: ser().trigger(store.trigger(numericId(ctx.params['trigger_id']))) }),
    'admin',
  );
  router.add(
    'PUT',
    '/api/v2/triggers/{trigger_id}',
    (ctx) => {
      const trigger = store.trigger(numericId(ctx.params['trigger_id']));
      const input = requireObject(ctx.body, 'trigger');
      const merged = store.createTrigger({ ...trigger, ...input });
      store.triggers.delete(merged.id);
      const updated = { ...merged, id: trigger.id, created_at: trigger.created_at };
      store.triggers.set(trigger.id, updated);
      return ok({ trigger: ser().trigger(updated) });
    },
    'admin',
  );
  router.add(
    'DELETE',
    '/api/v2/triggers/{trigger_id}',
    (ctx) => {
      const id = numericId(ctx.params['trigger_id']);
      store.trigger(id);
      store.triggers.delete(id);
      return { status: 204 };
    },
    'admin',
  );
}

function asRecord(item: unknown): Record<string, unknown> {
  if (!isObject(item)) throw badRequest('Each item must be an object');
  return item;
}

function compareOrder(order: readonly string[], current: string, op: string, value: string): boolean {
  const a = order.indexOf(current);
  const b = order.indexOf(value);
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return a === b;
  }
}

/** `{"filter": {"custom_object_fields.kind": {"$eq": "nps"}}}`-style filters (a small subset: $eq, $noteq, $in, $gt, $lt, $and, $or). */
function recordFilter(record: CustomObjectDataRecord, body: { filter: Record<string, unknown> }): boolean {
  const evaluate = (filter: Record<string, unknown>): boolean =>
    Object.entries(filter).every(([key, condition]) => {
      if (key === '$and' && Array.isArray(condition))
        return condition.every((c) => isObject(c) && evaluate(c));
      if (key === '$or' && Array.isArray(condition)) return condition.some((c) => isObject(c) && evaluate(c));
      const value =
        key === 'name'
          ? record.name
          : key === 'external_id'
            ? record.external_id
            : key.startsWith('custom_object_fields.')
              ? record.custom_object_fields[key.slice('custom_object_fields.'.length)]
              : undefined;
      if (!isObject(condition)) return value === condition;
      return Object.entries(condition).every(([op, expected]) => {
        switch (op) {
          case '$eq':
            return show(value) === show(expected);
          case '$noteq':
            return show(value) !== show(expected);
          case '$in':
            return Array.isArray(expected) && expected.map(show).includes(show(value));
          case '$gt':
            return Number(value) > Number(expected) || show(value) > show(expected);
          case '$lt':
            return Number(value) < Number(expected) || show(value) < show(expected);
          case '$exists':
            return (value !== null && value !== undefined) === Boolean(expected);
          default:
            throw badRequest(`Unsupported filter operator ${op}`);
        }
      });
    });
  return evaluate(body.filter);
}

type Exportable = 'tickets' | 'users' | 'organizations';

function exportItems(emu: Emulator, resource: Exportable): { stamp: number; id: number; json: JsonObject }[] {
  const { store, ser } = emu;
  const list =
    resource === 'tickets'
      ? [...store.tickets.values()].map((t) => ({
          stamp: t.generated_timestamp,
          id: t.id,
          json: ser.ticket(t),
        }))
      : resource === 'users'
        ? [...store.users.values()].map((u) => ({
            stamp: Math.floor(Date.parse(u.updated_at) / 1000),
            id: u.id,
            json: ser.user(u),
          }))
        : [...store.organizations.values()].map((o) => ({
            stamp: Math.floor(Date.parse(o.updated_at) / 1000),
            id: o.id,
            json: ser.organization(o),
          }));
  return list.sort((a, b) => a.stamp - b.stamp || a.id - b.id);
}

function startTime(ctx: RouteContext, emu: Emulator): number {
  const raw = ctx.query.get('start_time');
  if (raw === null || !/^\d+$/.test(raw))
    throw badRequest('start_time is required: a Unix epoch time in seconds', 'InvalidValue');
  const value = Number(raw);
  if (value > Math.floor(emu.store.clock() / 1000) - 60)
    throw new HttpError(422, {
      error: 'InvalidValue',
      description: 'start_time must be more than one minute in the past',
    });
  return value;
}

function incrementalCursor(ctx: RouteContext, emu: Emulator, resource: 'tickets' | 'users'): RouteResult {
  const perPage = Number(ctx.query.get('per_page') ?? '1000');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000)
    throw badRequest('per_page must be a whole number from 1 to 1000');
  const items = exportItems(emu, resource);
  const cursor = ctx.query.get('cursor');
  let after: { stamp: number; id: number };
  if (cursor !== null) {
    const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|').map(Number);
    const [stamp, id] = parts;
    if (stamp === undefined || id === undefined || !Number.isFinite(stamp) || !Number.isFinite(id))
      throw badRequest(
        'The cursor is invalid: pass after_cursor back unchanged',
        'InvalidPaginationParameter',
      );
    after = { stamp, id };
  } else after = { stamp: startTime(ctx, emu), id: -1 };
  const remaining = items.filter(
    (i) => i.stamp > after.stamp || (i.stamp === after.stamp && i.id > after.id),
  );
  const page = remaining.slice(0, perPage);
  const last = page[page.length - 1];
  const next = last === undefined ? after : { stamp: last.stamp, id: last.id };
  const afterCursor = Buffer.from(`${next.stamp}|${next.id}`).toString('base64url');
  const first = page[0];
  const beforeCursor =
    first === undefined ? null : Buffer.from(`${first.stamp}|${first.id - 1}`).toString('base64url');
  const base = `${ctx.base}/api/v2/incremental/${resource}/cursor.json`;
  return {
    status: 200,
    body: {
      [resource]: page.map((p) => p.json),
      after_cursor: afterCursor,
      after_url: `${base}?cursor=${afterCursor}&per_page=${perPage}`,
      before_cursor: beforeCursor,
      before_url: beforeCursor === null ? null : `${base}?cursor=${beforeCursor}&per_page=${perPage}`,
      end_of_stream: remaining.length <= perPage,
    },
  };
}

function incrementalTime(ctx: RouteContext, emu: Emulator, resource: Exportable): RouteResult {
  const start = startTime(ctx, emu);
  const perPage = Number(ctx.query.get('per_page') ?? '1000');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000)
    throw badRequest('per_page must be a whole number from 1 to 1000');
  const remaining = exportItems(emu, resource).filter((i) => i.stamp >= start);
  const page = remaining.slice(0, perPage);
  const last = page[page.length - 1];
  const endTime = last === undefined ? start : last.stamp;
  const endOfStream = remaining.length <= perPage;
  return {
    status: 200,
    body: {
      [resource]: page.map((p) => p.json),
      count: page.length,
      end_of_stream: endOfStream,
      end_time: endTime,
      next_page: `${ctx.base}/api/v2/incremental/${resource}.json?start_time=${endOfStream ? endTime : endTime}&per_page=${perPage}`,
    },
  };
}

export type { TicketRecord };
