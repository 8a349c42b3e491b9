/**
 * The ticket as the agent sees it in the ticket form, and the ZAF `get`/`set`/`invoke` paths on it.
 *
 * Like Zendesk, changes made through ZAF (or by the agent in the form) change the *form* only; they reach
 * the ticket when the agent clicks Submit (`updatePayload()` is the body of `PUT /api/v2/tickets/{id}.json`).
 * No DOM, no I/O: the page feeds it REST resources and turns its `Change`s into ZAF events.
 */
import type { ZdComment, ZdOrganization, ZdTicket, ZdTicketField, ZdUser } from './zendesk-types.ts';

export interface ZafPathError {
  readonly name: string;
  readonly message: string;
  readonly path: string;
}

/** A change of the form: `event` is the ZAF event name without the `zaf.` prefix, e.g. `ticket.priority.changed`. */
export interface FormChange {
  readonly event: string;
  /** The ZAF path that changed, e.g. `ticket.priority` (the `propertyName` of `*.changed`). */
  readonly path: string;
  readonly value: unknown;
}

export type PathResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ZafPathError };
export type SetResult =
  | { readonly ok: true; readonly value: unknown; readonly changes: readonly FormChange[] }
  | { readonly ok: false; readonly error: ZafPathError };

export interface TicketSnapshot {
  readonly ticket: ZdTicket;
  readonly comments: readonly ZdComment[];
  /** Every user the page knows: requester, assignee, comment authors, the agent. */
  readonly users: ReadonlyMap<number, ZdUser>;
  readonly organization: ZdOrganization | null;
  readonly ticketFields: readonly ZdTicketField[];
  readonly currentUser: ZdUser;
  readonly account: { readonly subdomain: string };
}

export type CommentType = 'publicReply' | 'internalNote';

export const TICKET_STATUSES = ['open', 'pending', 'hold', 'solved'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_TYPES = ['question', 'incident', 'problem', 'task'] as const;

const CUSTOM_FIELD_PATH = /^ticket\.customField:custom_field_(\d+)$/;
const NO_SUCH_API = 'No such API';

/** The ticket form: the saved ticket plus the agent's (and the apps') unsaved edits. */
export class TicketForm {
  #snapshot: TicketSnapshot;
  status: string;
  priority: string | null;
  type: string | null;
  subject: string;
  tags: string[];
  readonly customFields = new Map<number, unknown>();
  commentText = '';
  commentType: CommentType = 'publicReply';

  constructor(snapshot: TicketSnapshot) {
    this.#snapshot = snapshot;
    const t = snapshot.ticket;
    this.status = t.status;
    this.priority = t.priority;
    this.type = t.type ?? null;
    this.subject = t.subject ?? '';
    this.tags = [...t.tags];
    for (const field of t.custom_fields ?? []) this.customFields.set(field.id, field.value ?? null);
  }

  get snapshot(): TicketSnapshot {
    return this.#snapshot;
  }

  /** After a save: the new saved state; unsaved edits are dropped (they were just saved). */
  reset(snapshot: TicketSnapshot): void {
    const fresh = new TicketForm(snapshot);
    this.#snapshot = snapshot;
    this.status = fresh.status;
    this.priority = fresh.priority;
    this.type = fresh.type;
    this.subject = fresh.subject;
    this.tags = fresh.tags;
    this.customFields.clear();
    for (const [id, value] of fresh.customFields) this.customFields.set(id, value);
    this.commentText = '';
  }

  /** The custom fields shown in the form: active ticket fields of the account, or the ticket's own ids. */
  customFieldDefinitions(): ZdTicketField[] {
    const known = this.#snapshot.ticketFields.filter((f) => f.removable !== false && f.active !== false);
    const ids = new Set(known.map((f) => f.id));
    const extra = [...this.customFields.keys()]
      .filter((id) => !ids.has(id))
      .map((id): ZdTicketField => ({ id, type: 'text', title: `Field ${id}` }));
    return [...known, ...extra];
  }

  user(id: number | null | undefined): ZdUser | null {
    return id === null || id === undefined ? null : (this.#snapshot.users.get(id) ?? null);
  }

  // ---------------------------------------------------------------- ZAF get

  get(path: string): PathResult {
    const fieldMatch = CUSTOM_FIELD_PATH.exec(path);
    if (fieldMatch) {
      const id = Number(fieldMatch[1]);
      if (!this.#hasCustomField(id)) return fail(path, NO_SUCH_API);
      return { ok: true, value: this.customFields.get(id) ?? null };
    }
    const segments = path.split('.');
    let current: unknown = this.#root();
    for (let i = 0; i < segments.length; i += 1) {
      const segment = segments[i] ?? '';
      if (current === null) return { ok: true, value: null };
      if (typeof current !== 'object' || Array.isArray(current)) return fail(path, NO_SUCH_API);
      const record = current as Record<string, unknown>;
      if (segment.startsWith('customField:')) {
        const fields = record['__customFields'];
        const key = segment.slice('customField:'.length);
        if (typeof fields !== 'object' || fields === null || i !== segments.length - 1)
          return fail(path, NO_SUCH_API);
        return { ok: true, value: (fields as Record<string, unknown>)[key] ?? null };
      }
      if (segment.startsWith('__') || !Object.hasOwn(record, segment)) return fail(path, NO_SUCH_API);
      current = record[segment];
    }
    return { ok: true, value: stripInternal(current) };
  }

  #root(): Record<string, unknown> {
    const s = this.#snapshot;
    const t = s.ticket;
    const comment = { text: this.commentText, type: this.commentType };
    return {
      ticket: {
        id: t.id,
        externalId: t.external_id ?? null,
        subject: this.subject,
        description: t.description ?? null,
        status: this.status,
        priority: this.priority,
        type: this.type,
        tags: [...this.tags],
        requester: zafUser(this.user(t.requester_id)),
        assignee: {
          user: zafUser(this.user(t.assignee_id)),
          group: t.group_id === null || t.group_id === undefined ? null : { id: t.group_id },
        },
        organization: zafOrganization(s.organization),
        brand: t.brand_id === null || t.brand_id === undefined ? null : { id: t.brand_id },
        via: { channel: t.via?.channel ?? null },
        createdAt: t.created_at ?? null,
        updatedAt: t.updated_at ?? null,
        isNew: false,
        comments: s.comments.map((c) => ({
          id: c.id,
          value: c.html_body ?? c.body ?? '',
          author: zafUser(this.user(c.author_id)),
          isPublic: c.public ?? true,
          channel: c.via?.channel ?? null,
          via: { channel: c.via?.channel ?? null },
          createdAt: c.created_at ?? null,
          imageAttachments: [],
          nonImageAttachments: [],
        })),
        comment,
      },
      comment,
      ticketFields: this.#zafTicketFields(),
      currentUser: zafUser(s.currentUser),
      currentAccount: { subdomain: s.account.subdomain, planName: 'enterprise' },
    };
  }

  /** `ticketFields`: the form's fields as ZAF describes them (`name` is `custom_field_<id>` for custom ones). */
  #zafTicketFields(): Record<string, unknown>[] {
    const system = [
      ['subject', 'Subject', 'subject'],
      ['requester', 'Requester', 'requester'],
      ['assignee', 'Assignee', 'assignee'],
      ['tags', 'Tags', 'tags'],
      ['type', 'Type', 'tickettype'],
      ['priority', 'Priority', 'priority'],
      ['status', 'Status', 'status'],
    ].map(([name, label, type]) => ({ name, label, type, isRequired: name === 'subject', isVisible: true }));
    const custom = this.customFieldDefinitions().map((f) => ({
      name: `custom_field_${f.id}`,
      label: f.title,
      type: f.type,
      isRequired: false,
      isVisible: true,
      optionValues: (f.custom_field_options ?? []).map((o) => ({ name: o.name, value: o.value })),
    }));
    return [...system, ...custom];
  }

  #hasCustomField(id: number): boolean {
    return this.customFields.has(id) || this.customFieldDefinitions().some((f) => f.id === id);
  }

  // ---------------------------------------------------------------- ZAF set

  set(path: string, value: unknown): SetResult {
    const fieldMatch = CUSTOM_FIELD_PATH.exec(path);
    if (fieldMatch) return this.#setCustomField(path, Number(fieldMatch[1]), value);
    switch (path) {
      case 'ticket.status':
        if (typeof value !== 'string' || !(TICKET_STATUSES as readonly string[]).includes(value)) {
          return fail(path, `Invalid value ${show(value)}: use one of ${TICKET_STATUSES.join(', ')}`);
        }
        this.status = value;
        return this.#changed('ticket.status', value);
      case 'ticket.priority':
        if (
          value !== null &&
          value !== '' &&
          (typeof value !== 'string' || !(TICKET_PRIORITIES as readonly string[]).includes(value))
        ) {
          return fail(
            path,
            `Invalid value ${show(value)}: use one of ${TICKET_PRIORITIES.join(', ')}, or null to clear`,
          );
        }
        this.priority = value === '' ? null : value;
        return this.#changed('ticket.priority', this.priority);
      case 'ticket.type':
        if (
          value !== null &&
          value !== '' &&
          (typeof value !== 'string' || !(TICKET_TYPES as readonly string[]).includes(value))
        ) {
          return fail(
            path,
            `Invalid value ${show(value)}: use one of ${TICKET_TYPES.join(', ')}, or null to clear`,
          );
        }
        this.type = value === '' ? null : value;
        return this.#changed('ticket.type', this.type);
      case 'ticket.subject':
        if (typeof value !== 'string' || value.trim() === '') {
          return fail(path, `Invalid value ${show(value)}: the subject is a non-empty string`);
        }
        this.subject = value;
        return this.#changed('ticket.subject', value);
      case 'ticket.tags': {
        if (!Array.isArray(value))
          return fail(path, `Invalid value ${show(value)}: ticket.tags takes an array of tags`);
        const tags = normaliseTags(path, value as unknown[]);
        if ('error' in tags) return tags;
        this.tags = tags.tags;
        return this.#changed('ticket.tags', [...this.tags]);
      }
      case 'comment.text':
      case 'ticket.comment.text':
        if (typeof value !== 'string')
          return fail(path, `Invalid value ${show(value)}: the comment text is a string`);
        this.commentText = value;
        return this.#changed('comment.text', value);
      case 'comment.type':
      case 'ticket.comment.type':
        if (value !== 'publicReply' && value !== 'internalNote') {
          return fail(path, `Invalid value ${show(value)}: use publicReply or internalNote`);
        }
        this.commentType = value;
        return this.#changed('comment.type', value);
      default:
        return this.get(path).ok ? fail(path, 'This property cannot be set') : fail(path, NO_SUCH_API);
    }
  }

  #setCustomField(path: string, id: number, value: unknown): SetResult {
    if (!this.#hasCustomField(id)) return fail(path, NO_SUCH_API);
    const definition = this.customFieldDefinitions().find((f) => f.id === id);
    const checked = checkCustomFieldValue(definition, value);
    if (!checked.ok) return fail(path, checked.message);
    this.customFields.set(id, checked.value);
    return {
      ok: true,
      value: checked.value,
      changes: [{ event: `ticket.custom_field_${id}.changed`, path, value: checked.value }],
    };
  }

  #changed(path: string, value: unknown): SetResult {
    return { ok: true, value, changes: [{ event: `${path}.changed`, path, value }] };
  }

  // ---------------------------------------------------------------- ZAF invoke (ticket actions)

  addTags(args: readonly unknown[]): SetResult {
    const tags = normaliseTags('ticket.tags.add', args.flat());
    if ('error' in tags) return tags;
    const next = [...this.tags];
    for (const tag of tags.tags) if (!next.includes(tag)) next.push(tag);
    return this.#replaceTags(next);
  }

  removeTags(args: readonly unknown[]): SetResult {
    const tags = normaliseTags('ticket.tags.remove', args.flat());
    if ('error' in tags) return tags;
    return this.#replaceTags(this.tags.filter((t) => !tags.tags.includes(t)));
  }

  #replaceTags(next: string[]): SetResult {
    const same = next.length === this.tags.length && next.every((t, i) => t === this.tags[i]);
    this.tags = next;
    return {
      ok: true,
      value: null,
      changes: same ? [] : [{ event: 'ticket.tags.changed', path: 'ticket.tags', value: [...next] }],
    };
  }

  appendComment(path: string, args: readonly unknown[]): SetResult {
    const text = args[0];
    if (typeof text !== 'string') return fail(path, `Invalid value ${show(text)}: ${path} takes a string`);
    this.commentText = this.commentText === '' ? text : `${this.commentText}${text}`;
    return {
      ok: true,
      value: null,
      changes: [{ event: 'comment.text.changed', path: 'comment.text', value: this.commentText }],
    };
  }

  // ---------------------------------------------------------------- Submit

  /** The `PUT /api/v2/tickets/{id}.json` body with what changed, or null when nothing did. */
  updatePayload(): { ticket: Record<string, unknown> } | null {
    const t = this.#snapshot.ticket;
    const update: Record<string, unknown> = {};
    if (this.status !== t.status) update['status'] = this.status;
    if (this.priority !== t.priority) update['priority'] = this.priority;
    if (this.type !== (t.type ?? null)) update['type'] = this.type;
    if (this.subject !== (t.subject ?? '')) update['subject'] = this.subject;
    if (!sameList(this.tags, t.tags)) update['tags'] = [...this.tags];
    const saved = new Map((t.custom_fields ?? []).map((f) => [f.id, f.value ?? null]));
    const fields = [...this.customFields]
      .filter(([id, value]) => JSON.stringify(saved.get(id) ?? null) !== JSON.stringify(value))
      .map(([id, value]) => ({ id, value }));
    if (fields.length > 0) update['custom_fields'] = fields;
    if (this.commentText.trim() !== '') {
      update['comment'] = { body: this.commentText, public: this.commentType === 'publicReply' };
    }
    return Object.keys(update).length === 0 ? null : { ticket: update };
  }

  /** Changes between this form and a freshly loaded ticket, as ZAF events (after a save or a reload). */
  changesTo(next: TicketSnapshot): FormChange[] {
    const after = new TicketForm(next);
    const changes: FormChange[] = [];
    const scalar = (path: string, a: unknown, b: unknown): void => {
      if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ event: `${path}.changed`, path, value: b });
    };
    scalar('ticket.status', this.status, after.status);
    scalar('ticket.priority', this.priority, after.priority);
    scalar('ticket.type', this.type, after.type);
    scalar('ticket.subject', this.subject, after.subject);
    scalar('ticket.tags', this.tags, after.tags);
    for (const [id, value] of after.customFields) {
      const before = this.customFields.get(id) ?? null;
      if (JSON.stringify(before) !== JSON.stringify(value)) {
        changes.push({
          event: `ticket.custom_field_${id}.changed`,
          path: `ticket.customField:custom_field_${id}`,
          value,
        });
      }
    }
    if (next.comments.length !== this.#snapshot.comments.length) {
      const comments = after.get('ticket.comments');
      changes.push({
        event: 'ticket.comments.changed',
        path: 'ticket.comments',
        value: comments.ok ? comments.value : [],
      });
    }
    const requesterBefore = this.#snapshot.ticket.requester_id;
    if (requesterBefore !== next.ticket.requester_id) {
      changes.push({
        event: 'ticket.requester.id.changed',
        path: 'ticket.requester.id',
        value: next.ticket.requester_id,
      });
    }
    return changes;
  }
}

export type CustomFieldCheck =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Validates a custom field value the way Zendesk's ticket form does for each field type. */
export function checkCustomFieldValue(field: ZdTicketField | undefined, value: unknown): CustomFieldCheck {
  if (value === null || value === undefined) return { ok: true, value: null };
  const type = field?.type ?? 'text';
  const options = (field?.custom_field_options ?? []).map((o) => o.value);
  const bad = (expected: string): CustomFieldCheck => ({
    ok: false,
    message: `Invalid value ${show(value)}: ${expected}`,
  });
  switch (type) {
    case 'text':
    case 'textarea':
    case 'regexp':
    case 'partialcreditcard':
      return typeof value === 'string' ? { ok: true, value } : bad('this text field takes a string');
    case 'checkbox':
      return typeof value === 'boolean' ? { ok: true, value } : bad('this checkbox takes true or false');
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isSafeInteger(n)
        ? { ok: true, value: n }
        : bad('this field takes a whole number');
    }
    case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n)
        ? { ok: true, value: n }
        : bad('this field takes a number');
    }
    case 'date': {
      const ok =
        typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
      return ok && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
        ? { ok: true, value }
        : bad('this date field takes YYYY-MM-DD');
    }
    case 'tagger':
      return typeof value === 'string' && options.includes(value)
        ? { ok: true, value }
        : bad(`this drop-down takes one of ${options.join(', ') || '(no options)'}`);
    case 'multiselect':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && options.includes(v))
        ? { ok: true, value: [...(value as string[])] }
        : bad(`this multi-select takes an array of ${options.join(', ') || '(no options)'}`);
    default:
      return { ok: true, value };
  }
}

function normaliseTags(
  path: string,
  raw: readonly unknown[],
): { tags: string[] } | { ok: false; error: ZafPathError } {
  const tags: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string' || item.trim() === '' || /\s/.test(item.trim())) {
      return fail(path, `Invalid tag ${show(item)}: a tag is a non-empty string without spaces`);
    }
    const tag = item.trim().toLowerCase();
    if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags };
}

function fail(path: string, message: string): { ok: false; error: ZafPathError } {
  return {
    ok: false,
    error: { name: message === NO_SUCH_API ? 'APIUnavailable' : 'InvalidValue', message, path },
  };
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function zafUser(user: ZdUser | null): Record<string, unknown> | null {
  if (user === null) return null;
  return {
    id: user.id,
    name: user.name,
    email: user.email ?? null,
    externalId: user.external_id ?? null,
    locale: user.locale ?? 'en-US',
    role: user.role ?? 'end-user',
    alias: user.alias ?? null,
    details: user.details ?? null,
    notes: user.notes ?? null,
    timeZone: user.time_zone ?? null,
    avatarUrl: user.photo?.content_url ?? null,
    tags: [...(user.tags ?? [])],
    organizations:
      user.organization_id === null || user.organization_id === undefined
        ? []
        : [{ id: user.organization_id }],
    __customFields: { ...(user.user_fields ?? {}) },
  };
}

function zafOrganization(org: ZdOrganization | null): Record<string, unknown> | null {
  if (org === null) return null;
  return {
    id: org.id,
    name: org.name,
    externalId: org.external_id ?? null,
    details: org.details ?? null,
    notes: org.notes ?? null,
    domains: (org.domain_names ?? []).join(' '),
    tags: [...(org.tags ?? [])],
    group: org.group_id === null || org.group_id === undefined ? null : { id: org.group_id },
    sharedTickets: org.shared_tickets ?? false,
    sharedComments: org.shared_comments ?? false,
    __customFields: { ...(org.organization_fields ?? {}) },
  };
}

/** Drops the internal `__customFields` keys (they are reached with `customField:<key>` paths). */
function stripInternal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripInternal);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('__')) out[k] = stripInternal(v);
  return out;
}
