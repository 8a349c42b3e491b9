import { createHash } from 'node:crypto';
import { HttpError, recordInvalid, notFound, type FieldErrors } from './errors.ts';
import {
  FIELD_TYPES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  type AuditEvent,
  type AuditRecord,
  type CommentRecord,
  type CustomObjectDataRecord,
  type CustomObjectFieldRecord,
  type CustomObjectRecordDef,
  type FieldOption,
  type FieldRecord,
  type FieldType,
  type GroupRecord,
  type JobStatusRecord,
  type JsonObject,
  type JsonValue,
  type OrganizationRecord,
  type SatisfactionRatingRecord,
  type SatisfactionScore,
  type TicketFieldRecord,
  type TicketPriority,
  type TicketRecord,
  type TicketStatus,
  type TicketType,
  type TriggerAction,
  type TriggerCondition,
  type TriggerRecord,
  type UserRecord,
  type Via,
  type WebhookRecord,
} from './types.ts';

export type Clock = () => number;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Text of any value for messages (never `[object Object]`). */
export function show(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function webVia(): Via {
  return { channel: 'web', source: { from: {}, to: {}, rel: null } };
}
export function apiVia(): Via {
  return { channel: 'api', source: { from: {}, to: {}, rel: null } };
}

/** Tags as Zendesk stores them: lower case, spaces split, unique, order kept. */
export function normaliseTags(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string') continue;
    for (const part of item.split(/\s+/)) {
      const tag = part.trim().toLowerCase();
      if (tag !== '' && !out.includes(tag)) out.push(tag);
    }
  }
  return out;
}

export function htmlEscape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
    .trim();
}

/** What changed in one ticket update; the input of the trigger engine. */
export interface TicketChange {
  readonly ticket: TicketRecord;
  readonly previous: TicketRecord | null;
  readonly audit: AuditRecord;
  readonly comment: CommentRecord | null;
  readonly updateType: 'Create' | 'Change';
  readonly actor: UserRecord;
  readonly changedFields: ReadonlySet<string>;
}

export interface TicketUpdateResult {
  readonly ticket: TicketRecord;
  readonly audit: AuditRecord;
  readonly change: TicketChange;
}

/** The whole account, in memory. Every method validates like Zendesk and throws HttpError on bad input. */
export class ZendeskStore {
  readonly clock: Clock;
  readonly users = new Map<number, UserRecord>();
  readonly organizations = new Map<number, OrganizationRecord>();
  readonly groups = new Map<number, GroupRecord>();
  readonly tickets = new Map<number, TicketRecord>();
  readonly comments = new Map<number, CommentRecord[]>();
  readonly audits = new Map<number, AuditRecord[]>();
  readonly userFields = new Map<number, FieldRecord>();
  readonly organizationFields = new Map<number, FieldRecord>();
  readonly ticketFields = new Map<number, TicketFieldRecord>();
  readonly customObjects = new Map<string, CustomObjectRecordDef>();
  readonly customObjectFields = new Map<string, CustomObjectFieldRecord[]>();
  readonly customObjectRecords = new Map<string, Map<string, CustomObjectDataRecord>>();
  readonly satisfactionRatings = new Map<number, SatisfactionRatingRecord>();
  readonly jobStatuses = new Map<string, JobStatusRecord>();
  readonly webhooks = new Map<string, WebhookRecord>();
  readonly triggers = new Map<number, TriggerRecord>();
  private readonly counters = new Map<string, number>();
  /** Case-insensitive unique keys → record id (a stale entry is never trusted: checked on read). */
  private readonly userEmails = new Map<string, number>();
  private readonly userExternalIds = new Map<string, number>();
  private readonly orgExternalIds = new Map<string, number>();
  private readonly orgNames = new Map<string, number>();
  private recordSequence = 0;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  nowIso(): string {
    return new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  nextId(kind: string, start: number): number {
    const next = (this.counters.get(kind) ?? start) + 1;
    this.counters.set(kind, next);
    return next;
  }

  /** Make sure later ids stay above a loaded one. */
  bumpId(kind: string, id: number): void {
    if ((this.counters.get(kind) ?? 0) < id) this.counters.set(kind, id);
  }

  // ---------------------------------------------------------------- users

  user(id: number): UserRecord {
    const user = this.users.get(id);
    if (user === undefined) throw notFound();
    return user;
  }

  findUserByEmail(email: string): UserRecord | undefined {
    return lookup(this.users, this.userEmails, email, (u) => u.email);
  }

  findUserByExternalId(externalId: string): UserRecord | undefined {
    return lookup(this.users, this.userExternalIds, externalId, (u) => u.external_id);
  }

  private putUser(user: UserRecord, previous: UserRecord | undefined): void {
    this.users.set(user.id, user);
    reindex(this.userEmails, user.id, previous?.email ?? null, user.email);
    reindex(this.userExternalIds, user.id, previous?.external_id ?? null, user.external_id);
  }

  createUser(input: Record<string, unknown>): UserRecord {
    const now = this.nowIso();
    const id = num(input['id']) ?? this.nextId('user', 10_000_000);
    this.bumpId('user', id);
    const user: UserRecord = {
      id,
      name: '',
      email: null,
      role: 'end-user',
      role_type: null,
      active: true,
      verified: false,
      suspended: false,
      external_id: null,
      organization_id: null,
      default_group_id: null,
      tags: [],
      user_fields: this.emptyFieldValues(this.userFields),
      time_zone: 'Paris',
      iana_time_zone: 'Europe/Paris',
      locale: 'en-US',
      locale_id: 1,
      phone: null,
      details: '',
      notes: '',
      alias: '',
      signature: null,
      created_at: str(input['created_at']) ?? now,
      updated_at: str(input['updated_at']) ?? now,
      last_login_at: null,
    };
    this.applyUserInput(user, input, true);
    this.putUser(user, undefined);
    return user;
  }

  updateUser(id: number, input: Record<string, unknown>): UserRecord {
    const user = this.user(id);
    const draft: UserRecord = structuredClone(user);
    this.applyUserInput(draft, input, false);
    draft.updated_at = this.nowIso();
    this.putUser(draft, user);
    return draft;
  }

  /** Create or update, matching on `external_id` then `email` (Zendesk's create_or_update). */
  upsertUser(input: Record<string, unknown>): { user: UserRecord; created: boolean } {
    const id = num(input['id']);
    const externalId = str(input['external_id']);
    const email = str(input['email']);
    const existing =
      (id === undefined ? undefined : this.users.get(id)) ??
      (externalId === undefined ? undefined : this.findUserByExternalId(externalId)) ??
      (email === undefined ? undefined : this.findUserByEmail(email));
    if (existing !== undefined) return { user: this.updateUser(existing.id, input), created: false };
    return { user: this.createUser(input), created: true };
  }

  private applyUserInput(user: UserRecord, input: Record<string, unknown>, creating: boolean): void {
    const errors: FieldErrors = {};
    const add = (field: string, description: string, error = 'InvalidValue'): void => {
      (errors[field] ??= []).push({ description, error });
    };
    if ('name' in input) {
      const name = str(input['name']);
      if (name === undefined || name.trim() === '') add('name', 'Name: cannot be blank', 'BlankValue');
      else user.name = name.trim();
    } else if (creating) add('name', 'Name: cannot be blank', 'BlankValue');
    if ('email' in input && input['email'] !== null) {
      const email = str(input['email']);
      if (email === undefined || !EMAIL.test(email))
        add('email', `Email: ${show(input['email'])} is not properly formatted`);
      else {
        const other = this.findUserByEmail(email);
        if (other !== undefined && other.id !== user.id)
          add('email', `Email: ${email} is already being used by another user`, 'DuplicateValue');
        else user.email = email.toLowerCase();
      }
    }
    if ('external_id' in input) {
      const externalId = input['external_id'];
      if (externalId === null) user.external_id = null;
      else if (typeof externalId === 'string' || typeof externalId === 'number') {
        const text = String(externalId);
        const other = this.findUserByExternalId(text);
        if (other !== undefined && other.id !== user.id)
          add('external_id', `External: ${text} has already been taken`, 'DuplicateValue');
        else user.external_id = text;
      } else add('external_id', 'External: is invalid');
    }
    if ('role' in input) {
      const role = input['role'];
      if (role === 'end-user' || role === 'agent' || role === 'admin') {
        user.role = role;
        user.role_type = role === 'end-user' ? null : role === 'admin' ? null : 0;
      } else add('role', `Role: ${show(role)} is not a valid role`);
    }
    if ('organization_id' in input) {
      const orgId = input['organization_id'];
      if (orgId === null) user.organization_id = null;
      else if (typeof orgId === 'number' && this.organizations.has(orgId)) user.organization_id = orgId;
      else add('organization_id', 'Organization: is invalid');
    }
    if ('organization' in input && isObject(input['organization'])) {
      const ref = input['organization'];
      const byExternal = str(ref['external_id']);
      const byName = str(ref['name']);
      const org =
        (byExternal === undefined ? undefined : this.findOrganizationByExternalId(byExternal)) ??
        (byName === undefined ? undefined : this.findOrganizationByName(byName));
      if (org === undefined) add('organization', 'Organization: is invalid');
      else user.organization_id = org.id;
    }
    if ('tags' in input) user.tags = normaliseTags(input['tags']);
    for (const key of ['phone', 'details', 'notes', 'alias', 'time_zone', 'locale', 'signature'] as const) {
      if (!(key in input)) continue;
      const value = input[key];
      if (value === null && (key === 'phone' || key === 'signature')) user[key] = null;
      else if (typeof value === 'string') user[key] = value;
      else add(key, `${key}: is invalid`);
    }
    for (const key of ['verified', 'suspended', 'active'] as const) {
      if (key in input && typeof input[key] === 'boolean') user[key] = input[key];
    }
    if ('user_fields' in input) {
      const values = this.validateFieldValues(
        this.userFields.values(),
        input['user_fields'],
        'user_fields',
        add,
      );
      user.user_fields = { ...user.user_fields, ...values };
    }
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
  }

  // ---------------------------------------------------------------- organisations

  organization(id: number): OrganizationRecord {
    const org = this.organizations.get(id);
    if (org === undefined) throw notFound();
    return org;
  }

  findOrganizationByExternalId(externalId: string): OrganizationRecord | undefined {
    return lookup(this.organizations, this.orgExternalIds, externalId, (o) => o.external_id);
  }

  findOrganizationByName(name: string): OrganizationRecord | undefined {
    return lookup(this.organizations, this.orgNames, name, (o) => o.name);
  }

  private putOrganization(org: OrganizationRecord, previous: OrganizationRecord | undefined): void {
    this.organizations.set(org.id, org);
    reindex(this.orgExternalIds, org.id, previous?.external_id ?? null, org.external_id);
    reindex(this.orgNames, org.id, previous?.name ?? null, org.name);
  }

  createOrganization(input: Record<string, unknown>): OrganizationRecord {
    const now = this.nowIso();
    const id = num(input['id']) ?? this.nextId('organization', 20_000_000);
    this.bumpId('organization', id);
    const org: OrganizationRecord = {
      id,
      name: '',
      external_id: null,
      domain_names: [],
      details: '',
      notes: '',
      group_id: null,
      shared_tickets: false,
      shared_comments: false,
      tags: [],
      organization_fields: this.emptyFieldValues(this.organizationFields),
      created_at: str(input['created_at']) ?? now,
      updated_at: str(input['updated_at']) ?? now,
    };
    this.applyOrganizationInput(org, input, true);
    this.putOrganization(org, undefined);
    return org;
  }

  updateOrganization(id: number, input: Record<string, unknown>): OrganizationRecord {
    const previous = this.organization(id);
    const draft = structuredClone(previous);
    this.applyOrganizationInput(draft, input, false);
    draft.updated_at = this.nowIso();
    this.putOrganization(draft, previous);
    return draft;
  }

  upsertOrganization(input: Record<string, unknown>): { organization: OrganizationRecord; created: boolean } {
    const id = num(input['id']);
    const externalId = str(input['external_id']);
    const existing =
      (id === undefined ? undefined : this.organizations.get(id)) ??
      (externalId === undefined ? undefined : this.findOrganizationByExternalId(externalId));
    if (existing !== undefined)
      return { organization: this.updateOrganization(existing.id, input), created: false };
    return { organization: this.createOrganization(input), created: true };
  }

  private applyOrganizationInput(
    org: OrganizationRecord,
    input: Record<string, unknown>,
    creating: boolean,
  ): void {
    const errors: FieldErrors = {};
    const add = (field: string, description: string, error = 'InvalidValue'): void => {
      (errors[field] ??= []).push({ description, error });
    };
    if ('name' in input) {
      const name = str(input['name']);
      if (name === undefined || name.trim() === '') add('name', 'Name: cannot be blank', 'BlankValue');
      else {
        const other = this.findOrganizationByName(name.trim());
        if (other !== undefined && other.id !== org.id)
          add('name', `Name: ${name} has already been taken`, 'DuplicateValue');
        else org.name = name.trim();
      }
    } else if (creating) add('name', 'Name: cannot be blank', 'BlankValue');
    if ('external_id' in input) {
      const externalId = input['external_id'];
      if (externalId === null) org.external_id = null;
      else if (typeof externalId === 'string' || typeof externalId === 'number') {
        const text = String(externalId);
        const other = this.findOrganizationByExternalId(text);
        if (other !== undefined && other.id !== org.id)
          add('external_id', `External: ${text} has already been taken`, 'DuplicateValue');
        else org.external_id = text;
      } else add('external_id', 'External: is invalid');
    }
    if ('domain_names' in input) {
      const domains = input['domain_names'];
      if (Array.isArray(domains) && domains.every((d) => typeof d === 'string')) org.domain_names = domains;
      else add('domain_names', 'Domain names: is invalid');
    }
    if ('tags' in input) org.tags = normaliseTags(input['tags']);
    for (const key of ['details', 'notes'] as const) {
      if (key in input) {
        const value = input[key];
        if (typeof value === 'string') org[key] = value;
        else if (value !== null) add(key, `${key}: is invalid`);
      }
    }
    if ('group_id' in input) {
      const groupId = input['group_id'];
      if (groupId === null || (typeof groupId === 'number' && this.groups.has(groupId)))
        org.group_id = groupId;
      else add('group_id', 'Group: is invalid');
    }
    for (const key of ['shared_tickets', 'shared_comments'] as const) {
      if (key in input && typeof input[key] === 'boolean') org[key] = input[key];
    }
    if ('organization_fields' in input) {
      const values = this.validateFieldValues(
        this.organizationFields.values(),
        input['organization_fields'],
        'organization_fields',
        add,
      );
      org.organization_fields = { ...org.organization_fields, ...values };
    }
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
  }

  // ---------------------------------------------------------------- user / organisation / custom object fields

  emptyFieldValues(fields: ReadonlyMap<number, FieldRecord>): Record<string, JsonValue> {
    const values: Record<string, JsonValue> = {};
    for (const field of fields.values()) values[field.key] = field.type === 'checkbox' ? false : null;
    return values;
  }

  /** Coerces field values like Zendesk does; unknown keys and bad values are validation errors. */
  validateFieldValues(
    fields: Iterable<FieldRecord>,
    raw: unknown,
    path: string,
    add: (field: string, description: string, error?: string) => void,
  ): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    if (!isObject(raw)) {
      add(path, `${path}: must be an object of field key to value`);
      return out;
    }
    const byKey = new Map<string, FieldRecord>();
    for (const field of fields) byKey.set(field.key, field);
    for (const [key, value] of Object.entries(raw)) {
      const field = byKey.get(key);
      if (field === undefined) {
        add(path, `${key} is not a known field key`, 'InvalidValue');
        continue;
      }
      const coerced = coerceFieldValue(field, value);
      if (coerced.ok) out[key] = coerced.value;
      else add(key, `${field.title}: ${coerced.problem}`, 'InvalidValue');
    }
    return out;
  }

  createField(kind: 'user' | 'organization', input: Record<string, unknown>): FieldRecord {
    const fields = kind === 'user' ? this.userFields : this.organizationFields;
    const field = this.buildField(kind, fields.values(), input);
    fields.set(field.id, field);
    const holders = kind === 'user' ? this.users.values() : this.organizations.values();
    for (const holder of holders) {
      const values = 'user_fields' in holder ? holder.user_fields : holder.organization_fields;
      values[field.key] = field.type === 'checkbox' ? false : null;
    }
    return field;
  }

  buildField(kind: string, existing: Iterable<FieldRecord>, input: Record<string, unknown>): FieldRecord {
    const errors: FieldErrors = {};
    const add = (field: string, description: string, error = 'InvalidValue'): void => {
      (errors[field] ??= []).push({ description, error });
    };
    const key = str(input['key']);
    const title = str(input['title']);
    const type = (str(input['type']) ?? 'text') as FieldType;
    let count = 0;
    if (key === undefined || key.trim() === '') add('key', 'Key: cannot be blank', 'BlankValue');
    else if (!/^[A-Za-z0-9_-]+$/.test(key)) add('key', 'Key: is invalid', 'InvalidValue');
    for (const field of existing) {
      count += 1;
      if (field.key === key) add('key', `Key: ${key} has already been taken`, 'DuplicateValue');
    }
    if (title === undefined || title.trim() === '') add('title', 'Title: cannot be blank', 'BlankValue');
    if (!FIELD_TYPES.includes(type)) add('type', `Type: ${type} is not a valid field type`);
    const options = this.buildOptions(input['custom_field_options'], kind, add);
    if ((type === 'dropdown' || type === 'multiselect') && (options === null || options.length === 0))
      add('custom_field_options', 'Field options: a dropdown needs at least one option', 'BlankValue');
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
    const now = this.nowIso();
    return {
      id: this.nextId(
        `${kind}_field`,
        kind === 'user' ? 30_000_000 : kind === 'organization' ? 31_000_000 : 32_000_000,
      ),
      key: key ?? '',
      type,
      title: title ?? '',
      description: str(input['description']) ?? '',
      position: num(input['position']) ?? count,
      active: input['active'] !== false,
      regexp_for_validation: str(input['regexp_for_validation']) ?? null,
      tag: str(input['tag']) ?? null,
      custom_field_options: options,
      relationship_target_type: str(input['relationship_target_type']) ?? null,
      created_at: now,
      updated_at: now,
    };
  }

  private buildOptions(
    raw: unknown,
    kind: string,
    add: (field: string, description: string, error?: string) => void,
  ): FieldOption[] | null {
    if (raw === undefined || raw === null) return null;
    if (!Array.isArray(raw)) {
      add('custom_field_options', 'Field options: must be an array');
      return null;
    }
    const options: FieldOption[] = [];
    raw.forEach((item: unknown, index) => {
      if (!isObject(item) || typeof item['name'] !== 'string' || typeof item['value'] !== 'string') {
        add('custom_field_options', `Field options: option ${index} needs a name and a value`);
        return;
      }
      options.push({
        id: this.nextId(`${kind}_field_option`, 40_000_000),
        name: item['name'],
        raw_name: item['name'],
        value: item['value'],
        position: index,
      });
    });
    return options;
  }

  updateField(kind: 'user' | 'organization', id: number, input: Record<string, unknown>): FieldRecord {
    const fields = kind === 'user' ? this.userFields : this.organizationFields;
    const field = fields.get(id);
    if (field === undefined) throw notFound();
    const updated: FieldRecord = { ...field, updated_at: this.nowIso() };
    const title = str(input['title']);
    if (title !== undefined) updated.title = title;
    const description = str(input['description']);
    if (description !== undefined) updated.description = description;
    if (typeof input['active'] === 'boolean') updated.active = input['active'];
    const position = num(input['position']);
    if (position !== undefined) updated.position = position;
    if ('key' in input && input['key'] !== field.key)
      throw recordInvalid({ key: [{ description: 'Key: cannot be changed', error: 'InvalidValue' }] });
    fields.set(id, updated);
    return updated;
  }

  createTicketField(input: Record<string, unknown>): TicketFieldRecord {
    const errors: FieldErrors = {};
    const title = str(input['title']);
    const type = str(input['type']) ?? 'text';
    if (title === undefined || title.trim() === '')
      errors['title'] = [{ description: 'Title: cannot be blank', error: 'BlankValue' }];
    const allowed = [
      'text',
      'textarea',
      'checkbox',
      'date',
      'integer',
      'decimal',
      'regexp',
      'tagger',
      'multiselect',
      'lookup',
      'partialcreditcard',
    ];
    if (!allowed.includes(type))
      errors['type'] = [{ description: `Type: ${type} is not a valid field type`, error: 'InvalidValue' }];
    const add = (field: string, description: string, error = 'InvalidValue'): void => {
      (errors[field] ??= []).push({ description, error });
    };
    const options = this.buildOptions(input['custom_field_options'], 'ticket', add);
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
    const now = this.nowIso();
    const field: TicketFieldRecord = {
      id: this.nextId('ticket_field', 50_000_000),
      type,
      title: title ?? '',
      description: str(input['description']) ?? '',
      position: num(input['position']) ?? this.ticketFields.size,
      active: input['active'] !== false,
      required: input['required'] === true,
      visible_in_portal: input['visible_in_portal'] === true,
      editable_in_portal: input['editable_in_portal'] === true,
      tag: str(input['tag']) ?? null,
      custom_field_options: options,
      created_at: now,
      updated_at: now,
    };
    this.ticketFields.set(field.id, field);
    return field;
  }

  // ---------------------------------------------------------------- groups

  createGroup(input: { id?: number; name: string; description?: string; default?: boolean }): GroupRecord {
    const now = this.nowIso();
    const id = input.id ?? this.nextId('group', 60_000_000);
    this.bumpId('group', id);
    const group: GroupRecord = {
      id,
      name: input.name,
      description: input.description ?? '',
      default: input.default ?? false,
      deleted: false,
      created_at: now,
      updated_at: now,
    };
    this.groups.set(id, group);
    return group;
  }

  // ---------------------------------------------------------------- tickets

  ticket(id: number): TicketRecord {
    const ticket = this.tickets.get(id);
    if (ticket === undefined) throw notFound();
    return ticket;
  }

  ticketComments(id: number): CommentRecord[] {
    this.ticket(id);
    return this.comments.get(id) ?? [];
  }

  ticketAudits(id: number): AuditRecord[] {
    this.ticket(id);
    return this.audits.get(id) ?? [];
  }

  /** Creates a ticket with its first comment (the description) and its Create audit. */
  createTicket(input: Record<string, unknown>, actor: UserRecord, via: Via = apiVia()): TicketUpdateResult {
    const errors: FieldErrors = {};
    const comment = isObject(input['comment']) ? input['comment'] : undefined;
    const body = comment === undefined ? undefined : (str(comment['html_body']) ?? str(comment['body']));
    if (body === undefined || body.trim() === '')
      errors['description'] = [{ description: 'Description: cannot be blank', error: 'BlankValue' }];
    let requesterId = num(input['requester_id']) ?? actor.id;
    if (isObject(input['requester'])) {
      const requester = input['requester'];
      const email = str(requester['email']);
      const existing = email === undefined ? undefined : this.findUserByEmail(email);
      requesterId = (existing ?? this.createUser({ name: requester['name'] ?? email, email })).id;
    }
    if (!this.users.has(requesterId))
      errors['requester_id'] = [{ description: 'Requester: is invalid', error: 'InvalidValue' }];
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
    const requester = this.user(requesterId);
    const now = this.nowIso();
    const id = num(input['id']) ?? this.nextId('ticket', 1000);
    this.bumpId('ticket', id);
    const ticket: TicketRecord = {
      id,
      external_id: null,
      type: null,
      subject: '',
      description: '',
      priority: null,
      status: 'new',
      requester_id: requester.id,
      submitter_id: actor.id,
      assignee_id: null,
      organization_id: requester.organization_id,
      group_id: null,
      collaborator_ids: [],
      follower_ids: [],
      email_cc_ids: [],
      tags: [],
      custom_fields: [...this.ticketFields.values()].map((f) => ({ id: f.id, value: null })),
      due_at: null,
      via,
      created_at: str(input['created_at']) ?? now,
      updated_at: str(input['updated_at']) ?? now,
      generated_timestamp: Math.floor(this.clock() / 1000),
      satisfaction_rating: null,
      brand_id: 360_000_001,
      ticket_form_id: null,
    };
    this.tickets.set(id, ticket);
    this.comments.set(id, []);
    this.audits.set(id, []);
    try {
      const result = this.applyTicketUpdate(
        id,
        { ...input, status: input['status'] ?? 'new' },
        actor,
        via,
        null,
      );
      const created = this.ticket(id);
      created.description = result.change.comment?.plain_body ?? '';
      return { ...result, change: { ...result.change, updateType: 'Create', previous: null } };
    } catch (error) {
      this.tickets.delete(id);
      this.comments.delete(id);
      this.audits.delete(id);
      throw error;
    }
  }

  /** An update as `PUT /api/v2/tickets/{id}` does it: validation, Change/Comment audit events, no partial writes. */
  updateTicket(
    id: number,
    input: Record<string, unknown>,
    actor: UserRecord,
    via: Via = apiVia(),
  ): TicketUpdateResult {
    const previous = this.ticket(id);
    if (previous.status === 'closed')
      throw recordInvalid({
        status: [{ description: 'Status: closed prevents ticket update', error: 'InvalidValue' }],
      });
    return this.applyTicketUpdate(id, input, actor, via, structuredClone(previous));
  }

  private applyTicketUpdate(
    id: number,
    input: Record<string, unknown>,
    actor: UserRecord,
    via: Via,
    previous: TicketRecord | null,
  ): TicketUpdateResult {
    const current = this.ticket(id);
    const draft: TicketRecord = structuredClone(current);
    const errors: FieldErrors = {};
    const add = (field: string, description: string, error = 'InvalidValue'): void => {
      (errors[field] ??= []).push({ description, error });
    };
    if ('status' in input) {
      const status = input['status'];
      if (typeof status === 'string' && TICKET_STATUSES.includes(status as TicketStatus))
        draft.status = status as TicketStatus;
      else add('status', `Status: ${show(status)} is not a valid status`);
    }
    if ('priority' in input) {
      const priority = input['priority'];
      if (
        priority === null ||
        (typeof priority === 'string' && TICKET_PRIORITIES.includes(priority as TicketPriority))
      )
        draft.priority = priority as TicketPriority | null;
      else add('priority', `Priority: ${show(priority)} is not a valid priority`);
    }
    if ('type' in input) {
      const type = input['type'];
      if (type === null || (typeof type === 'string' && TICKET_TYPES.includes(type as TicketType)))
        draft.type = type as TicketType | null;
      else add('type', `Type: ${show(type)} is not a valid type`);
    }
    if ('subject' in input) {
      const subject = input['subject'];
      if (typeof subject === 'string') draft.subject = subject;
      else add('subject', 'Subject: is invalid');
    }
    if ('external_id' in input) {
      const externalId = input['external_id'];
      draft.external_id = externalId === null ? null : show(externalId);
    }
    if ('due_at' in input) {
      const dueAt = input['due_at'];
      if (dueAt === null) draft.due_at = null;
      else if (typeof dueAt === 'string' && !Number.isNaN(Date.parse(dueAt)))
        draft.due_at = new Date(dueAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
      else add('due_at', 'Due at: is not a valid date');
    }
    if ('assignee_id' in input) {
      const assigneeId = input['assignee_id'];
      if (assigneeId === null) draft.assignee_id = null;
      else {
        const assignee = typeof assigneeId === 'number' ? this.users.get(assigneeId) : undefined;
        if (assignee === undefined || assignee.role === 'end-user')
          add('assignee_id', 'Assignee: is not an agent');
        else draft.assignee_id = assignee.id;
      }
    }
    if ('group_id' in input) {
      const groupId = input['group_id'];
      if (groupId === null) draft.group_id = null;
      else if (typeof groupId === 'number' && this.groups.has(groupId)) draft.group_id = groupId;
      else add('group_id', 'Group: is invalid');
    }
    if ('requester_id' in input) {
      const requesterId = input['requester_id'];
      if (typeof requesterId === 'number' && this.users.has(requesterId)) {
        draft.requester_id = requesterId;
        draft.organization_id = this.user(requesterId).organization_id;
      } else add('requester_id', 'Requester: is invalid');
    }
    if ('tags' in input) draft.tags = normaliseTags(input['tags']);
    if ('additional_tags' in input)
      draft.tags = normaliseTags([...draft.tags, ...normaliseTags(input['additional_tags'])]);
    if ('remove_tags' in input) {
      const remove = new Set(normaliseTags(input['remove_tags']));
      draft.tags = draft.tags.filter((tag) => !remove.has(tag));
    }
    if ('custom_fields' in input) {
      const values = input['custom_fields'];
      if (!Array.isArray(values)) add('custom_fields', 'Custom fields: must be an array of {id, value}');
      else
        for (const item of values) {
          if (!isObject(item) || typeof item['id'] !== 'number') {
            add('custom_fields', 'Custom fields: each entry needs a numeric id');
            continue;
          }
          const fieldId = item['id'];
          const value = (item['value'] ?? null) as JsonValue;
          const slot = draft.custom_fields.find((f) => f.id === fieldId);
          if (slot === undefined) draft.custom_fields.push({ id: fieldId, value });
          else slot.value = value;
        }
    }
    if (input['safe_update'] === true) {
      const stamp = str(input['updated_stamp']);
      if (stamp !== undefined && Date.parse(stamp) !== Date.parse(current.updated_at))
        throw new HttpError(409, {
          error: 'UpdateConflict',
          description:
            'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.',
        });
    }
    let commentInput: Record<string, unknown> | undefined;
    if ('comment' in input) {
      const raw = input['comment'];
      if (!isObject(raw)) add('comment', 'Comment: must be an object with a body');
      else {
        const body = str(raw['html_body']) ?? str(raw['body']);
        if (body === undefined || body.trim() === '')
          add('comment', 'Comment: body cannot be blank', 'BlankValue');
        else commentInput = raw;
      }
    }
    let author = actor;
    if (commentInput !== undefined && typeof commentInput['author_id'] === 'number') {
      const candidate = this.users.get(commentInput['author_id']);
      if (candidate === undefined) add('comment', 'Comment: author is invalid');
      else author = candidate;
    }
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);

    const now = this.nowIso();
    const auditId = this.nextId('audit', 900_000_000);
    const events: AuditEvent[] = [];
    const changed = new Set<string>();
    const fieldsToCompare = [
      'status',
      'priority',
      'type',
      'subject',
      'assignee_id',
      'group_id',
      'requester_id',
      'due_at',
      'external_id',
    ] as const;
    for (const field of fieldsToCompare) {
      const before = previous === null ? null : previous[field];
      const after = draft[field];
      if (previous === null ? after !== null && after !== '' : before !== after) {
        changed.add(field);
        events.push({
          id: this.nextId('event', 800_000_000),
          type: previous === null ? 'Create' : 'Change',
          field_name: field,
          value: after === null ? null : String(after),
          ...(previous === null ? {} : { previous_value: before === null ? null : String(before) }),
        });
      }
    }
    const beforeTags = previous?.tags ?? [];
    if (beforeTags.join(' ') !== draft.tags.join(' ')) {
      changed.add('tags');
      events.push({
        id: this.nextId('event', 800_000_000),
        type: previous === null ? 'Create' : 'Change',
        field_name: 'tags',
        value: draft.tags,
        ...(previous === null ? {} : { previous_value: beforeTags }),
      });
    }
    for (const field of draft.custom_fields) {
      const before = previous?.custom_fields.find((f) => f.id === field.id)?.value ?? null;
      if (JSON.stringify(before) !== JSON.stringify(field.value)) {
        changed.add(`custom_fields_${field.id}`);
        events.push({
          id: this.nextId('event', 800_000_000),
          type: previous === null ? 'Create' : 'Change',
          field_name: String(field.id),
          value: field.value,
          ...(previous === null ? {} : { previous_value: before }),
        });
      }
    }
    let comment: CommentRecord | null = null;
    if (commentInput !== undefined) {
      const html = str(commentInput['html_body']);
      const plain = html === undefined ? (str(commentInput['body']) ?? '') : stripHtml(html);
      const isPublic = commentInput['public'] !== false;
      comment = {
        id: this.nextId('event', 800_000_000),
        ticket_id: id,
        audit_id: auditId,
        author_id: author.id,
        body: plain,
        html_body:
          html ?? `<div class="zd-comment" dir="auto">${htmlEscape(plain).replaceAll('\n', '<br>')}</div>`,
        plain_body: plain,
        public: isPublic,
        via,
        created_at: now,
      };
      changed.add('comment');
      events.push({
        id: comment.id,
        type: 'Comment',
        author_id: comment.author_id,
        body: comment.body,
        html_body: comment.html_body,
        plain_body: comment.plain_body,
        public: comment.public,
        attachments: [],
        audit_id: auditId,
      });
      (this.comments.get(id) ?? []).push(comment);
    }
    draft.updated_at = now;
    draft.generated_timestamp = Math.floor(this.clock() / 1000);
    const audit: AuditRecord = {
      id: auditId,
      ticket_id: id,
      author_id: author.id,
      created_at: now,
      via,
      metadata: {
        system: { client: 'Boucle sandbox', ip_address: '127.0.0.1', location: 'Localhost' },
        custom: {},
      },
      events,
    };
    (this.audits.get(id) ?? []).push(audit);
    this.tickets.set(id, draft);
    const change: TicketChange = {
      ticket: draft,
      previous,
      audit,
      comment,
      updateType: previous === null ? 'Create' : 'Change',
      actor: author,
      changedFields: changed,
    };
    return { ticket: draft, audit, change };
  }

  /** Appends events (e.g. trigger notifications) to an existing audit. */
  appendAuditEvent(audit: AuditRecord, event: Omit<AuditEvent, 'id'>): void {
    audit.events.push({ ...event, id: this.nextId('event', 800_000_000) } as AuditEvent);
  }

  // ---------------------------------------------------------------- satisfaction ratings

  rateTicket(
    ticketId: number,
    score: SatisfactionScore,
    comment: string | null,
    reason: string | null = null,
  ): SatisfactionRatingRecord {
    const ticket = this.ticket(ticketId);
    const now = this.nowIso();
    const existing = [...this.satisfactionRatings.values()].find((r) => r.ticket_id === ticketId);
    const rating: SatisfactionRatingRecord = existing
      ? { ...existing, score, comment, reason, updated_at: now }
      : {
          id: this.nextId('satisfaction_rating', 70_000_000),
          ticket_id: ticketId,
          requester_id: ticket.requester_id,
          assignee_id: ticket.assignee_id,
          group_id: ticket.group_id,
          score,
          comment,
          reason,
          reason_id: null,
          created_at: now,
          updated_at: now,
        };
    this.satisfactionRatings.set(rating.id, rating);
    ticket.satisfaction_rating = { id: rating.id, score, comment, reason };
    ticket.updated_at = now;
    ticket.generated_timestamp = Math.floor(this.clock() / 1000);
    return rating;
  }

  // ---------------------------------------------------------------- custom objects

  customObject(key: string): CustomObjectRecordDef {
    const object = this.customObjects.get(key);
    if (object === undefined) throw notFound();
    return object;
  }

  createCustomObject(input: Record<string, unknown>, actor: UserRecord): CustomObjectRecordDef {
    const errors: FieldErrors = {};
    const key = str(input['key']);
    const title = str(input['title']);
    const plural = str(input['title_pluralized']);
    if (key === undefined || !/^[a-z][a-z0-9_]*$/.test(key))
      errors['key'] = [{ description: 'Key: is invalid', error: 'InvalidValue' }];
    else if (this.customObjects.has(key))
      errors['key'] = [{ description: `Key: ${key} has already been taken`, error: 'DuplicateValue' }];
    if (title === undefined || title.trim() === '')
      errors['title'] = [{ description: 'Title: cannot be blank', error: 'BlankValue' }];
    if (plural === undefined || plural.trim() === '')
      errors['title_pluralized'] = [
        { description: 'Title pluralized: cannot be blank', error: 'BlankValue' },
      ];
    if (this.customObjects.size >= 50)
      errors['base'] = [{ description: 'Object limit of 50 reached', error: 'LimitExceeded' }];
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
    const now = this.nowIso();
    const object: CustomObjectRecordDef = {
      key: key ?? '',
      title: title ?? '',
      title_pluralized: plural ?? '',
      description: str(input['description']) ?? '',
      include_in_list_view: input['include_in_list_view'] === true,
      created_by_user_id: actor.id,
      updated_by_user_id: actor.id,
      created_at: now,
      updated_at: now,
    };
    this.customObjects.set(object.key, object);
    this.customObjectFields.set(object.key, this.standardObjectFields(object.key));
    this.customObjectRecords.set(object.key, new Map());
    return object;
  }

  private standardObjectFields(objectKey: string): CustomObjectFieldRecord[] {
    const now = this.nowIso();
    const base = (
      key: string,
      title: string,
      type: FieldType,
      position: number,
    ): CustomObjectFieldRecord => ({
      id: this.nextId('custom_object_field', 33_000_000),
      key: `standard::${key}`,
      type,
      title,
      description: '',
      position,
      active: true,
      regexp_for_validation: null,
      tag: null,
      custom_field_options: null,
      relationship_target_type: null,
      created_at: now,
      updated_at: now,
      object_key: objectKey,
      system: true,
    });
    return [base('name', 'Name', 'text', 0), base('external_id', 'External id', 'text', 1)];
  }

  createCustomObjectField(objectKey: string, input: Record<string, unknown>): CustomObjectFieldRecord {
    this.customObject(objectKey);
    const fields = this.customObjectFields.get(objectKey) ?? [];
    const userFields = fields.filter((f) => !f.system);
    if (userFields.length >= 100)
      throw recordInvalid({ base: [{ description: 'Field limit of 100 reached', error: 'LimitExceeded' }] });
    const field = this.buildField('custom_object', userFields, input);
    const record: CustomObjectFieldRecord = { ...field, object_key: objectKey, system: false };
    fields.push(record);
    this.customObjectFields.set(objectKey, fields);
    return record;
  }

  customRecords(objectKey: string): Map<string, CustomObjectDataRecord> {
    this.customObject(objectKey);
    const records = this.customObjectRecords.get(objectKey);
    if (records === undefined) throw notFound();
    return records;
  }

  customRecord(objectKey: string, id: string): CustomObjectDataRecord {
    const record = this.customRecords(objectKey).get(id);
    if (record === undefined) throw notFound();
    return record;
  }

  findCustomRecordByExternalId(objectKey: string, externalId: string): CustomObjectDataRecord | undefined {
    for (const record of this.customRecords(objectKey).values())
      if (record.external_id === externalId) return record;
    return undefined;
  }

  private recordId(): string {
    this.recordSequence += 1;
    return `01J${String(this.recordSequence).padStart(23, '0')}`;
  }

  createCustomRecord(
    objectKey: string,
    input: Record<string, unknown>,
    actor: UserRecord,
  ): CustomObjectDataRecord {
    const records = this.customRecords(objectKey);
    const now = this.nowIso();
    const record: CustomObjectDataRecord = {
      id: this.recordId(),
      custom_object_key: objectKey,
      name: '',
      external_id: null,
      custom_object_fields: {},
      created_by_user_id: actor.id,
      updated_by_user_id: actor.id,
      created_at: now,
      updated_at: now,
    };
    for (const field of this.customObjectFields.get(objectKey) ?? [])
      if (!field.system) record.custom_object_fields[field.key] = null;
    this.applyCustomRecordInput(objectKey, record, input, true);
    records.set(record.id, record);
    return record;
  }

  updateCustomRecord(
    objectKey: string,
    id: string,
    input: Record<string, unknown>,
    actor: UserRecord,
  ): CustomObjectDataRecord {
    const draft = structuredClone(this.customRecord(objectKey, id));
    this.applyCustomRecordInput(objectKey, draft, input, false);
    draft.updated_at = this.nowIso();
    draft.updated_by_user_id = actor.id;
    this.customRecords(objectKey).set(id, draft);
    return draft;
  }

  deleteCustomRecord(objectKey: string, id: string): void {
    const records = this.customRecords(objectKey);
    if (!records.delete(id)) throw notFound();
  }

  private applyCustomRecordInput(
    objectKey: string,
    record: CustomObjectDataRecord,
    input: Record<string, unknown>,
    creating: boolean,
  ): void {
    const errors: FieldErrors = {};
    const add = (field: string, description: string, error = 'InvalidValue'): void => {
      (errors[field] ??= []).push({ description, error });
    };
    if ('name' in input) {
      const name = str(input['name']);
      if (name === undefined || name.trim() === '') add('name', 'Name: cannot be blank', 'BlankValue');
      else record.name = name;
    } else if (creating) add('name', 'Name: cannot be blank', 'BlankValue');
    if ('external_id' in input) {
      const externalId = input['external_id'];
      if (externalId === null) record.external_id = null;
      else if (typeof externalId === 'string') {
        const other = this.findCustomRecordByExternalId(objectKey, externalId);
        if (other !== undefined && other.id !== record.id)
          add('external_id', `External id: ${externalId} has already been taken`, 'DuplicateValue');
        else record.external_id = externalId;
      } else add('external_id', 'External id: is invalid');
    }
    if ('custom_object_fields' in input) {
      const fields = (this.customObjectFields.get(objectKey) ?? []).filter((f) => !f.system);
      const values = this.validateFieldValues(
        fields,
        input['custom_object_fields'],
        'custom_object_fields',
        add,
      );
      record.custom_object_fields = { ...record.custom_object_fields, ...values };
    }
    if (JSON.stringify(record).length > 32 * 1024) add('base', 'Record: exceeds 32 KB', 'RecordTooLarge');
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
  }

  // ---------------------------------------------------------------- webhooks and triggers

  webhook(id: string): WebhookRecord {
    const webhook = this.webhooks.get(id);
    if (webhook === undefined) throw notFound();
    return webhook;
  }

  createWebhook(input: Record<string, unknown>, actor: UserRecord): WebhookRecord {
    const errors: FieldErrors = {};
    const add = (field: string, description: string, error = 'InvalidValue'): void => {
      (errors[field] ??= []).push({ description, error });
    };
    const name = str(input['name']);
    const endpoint = str(input['endpoint']);
    const method = str(input['http_method']);
    const format = str(input['request_format']);
    const status = str(input['status']);
    if (name === undefined || name.trim() === '') add('name', 'Name: cannot be blank', 'BlankValue');
    if (endpoint === undefined || !/^https?:\/\//.test(endpoint))
      add('endpoint', 'Endpoint: must be an http(s) URL');
    if (method === undefined || !['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
      add('http_method', 'Http method: is invalid');
    if (format === undefined || !['json', 'xml', 'form_encoded'].includes(format))
      add('request_format', 'Request format: is invalid');
    if (status === undefined || !['active', 'inactive'].includes(status))
      add('status', 'Status: must be active or inactive');
    const subscriptions = Array.isArray(input['subscriptions'])
      ? input['subscriptions'].filter((s): s is string => typeof s === 'string')
      : [];
    if (subscriptions.length === 0) add('subscriptions', 'Subscriptions: cannot be blank', 'BlankValue');
    // Two connection methods, never both: triggers/automations, or event subscriptions (POST + JSON only).
    const events = subscriptions.filter((s) => s.startsWith('zen:event-type:'));
    if (events.length > 0 && subscriptions.includes('conditional_ticket_events'))
      add('subscriptions', 'Subscriptions: conditional_ticket_events cannot be combined with event types');
    if (events.length > 0 && (method !== 'POST' || format !== 'json'))
      add(
        'subscriptions',
        'Subscriptions: event subscriptions require http_method POST and request_format json',
      );
    const signing = isObject(input['signing_secret']) ? str(input['signing_secret']['secret']) : undefined;
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
    const now = this.nowIso();
    const headers: Record<string, string> = {};
    if (isObject(input['custom_headers']))
      for (const [k, v] of Object.entries(input['custom_headers'])) if (typeof v === 'string') headers[k] = v;
    const webhook: WebhookRecord = {
      id: `01H${randomHex(this, 23).toUpperCase()}`,
      name: name ?? '',
      description: str(input['description']) ?? '',
      status: status as 'active' | 'inactive',
      endpoint: endpoint ?? '',
      http_method: method as WebhookRecord['http_method'],
      request_format: format as WebhookRecord['request_format'],
      subscriptions,
      authentication: isObject(input['authentication']) ? (input['authentication'] as JsonObject) : null,
      custom_headers: headers,
      signing_secret: { algorithm: 'SHA256', secret: signing ?? randomHex(this, 48) },
      created_at: now,
      created_by: String(actor.id),
      updated_at: now,
      updated_by: String(actor.id),
    };
    this.webhooks.set(webhook.id, webhook);
    return webhook;
  }

  trigger(id: number): TriggerRecord {
    const trigger = this.triggers.get(id);
    if (trigger === undefined) throw notFound();
    return trigger;
  }

  createTrigger(input: Record<string, unknown>): TriggerRecord {
    const errors: FieldErrors = {};
    const title = str(input['title']);
    if (title === undefined || title.trim() === '')
      errors['title'] = [{ description: 'Title: cannot be blank', error: 'BlankValue' }];
    const conditions = parseConditions(input['conditions'], errors);
    const actions = parseActions(input['actions'], errors);
    for (const action of actions) {
      if (action.field !== 'notification_webhook') continue;
      const value = action.value;
      const webhookId = Array.isArray(value) ? value[0] : undefined;
      if (typeof webhookId !== 'string' || !this.webhooks.has(webhookId))
        (errors['actions'] ??= []).push({
          description: `Actions: webhook ${show(webhookId)} does not exist`,
          error: 'InvalidValue',
        });
    }
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
    const now = this.nowIso();
    const trigger: TriggerRecord = {
      id: this.nextId('trigger', 80_000_000),
      title: title ?? '',
      description: str(input['description']) ?? null,
      active: input['active'] !== false,
      position: num(input['position']) ?? this.triggers.size + 1,
      conditions,
      actions,
      category_id: str(input['category_id']) ?? null,
      created_at: now,
      updated_at: now,
    };
    this.triggers.set(trigger.id, trigger);
    return trigger;
  }

  // ---------------------------------------------------------------- job statuses

  createJob(jobType: string, total: number): JobStatusRecord {
    const now = this.nowIso();
    const job: JobStatusRecord = {
      id: randomHex(this, 32),
      job_type: jobType,
      status: 'queued',
      total,
      progress: 0,
      message: null,
      results: null,
      created_at: now,
      updated_at: now,
    };
    this.jobStatuses.set(job.id, job);
    return job;
  }

  job(id: string): JobStatusRecord {
    const job = this.jobStatuses.get(id);
    if (job === undefined) throw notFound();
    return job;
  }
}

function reindex(index: Map<string, number>, id: number, before: string | null, after: string | null): void {
  if (before !== null && index.get(before.toLowerCase()) === id) index.delete(before.toLowerCase());
  if (after !== null) index.set(after.toLowerCase(), id);
}

/** Indexed lookup. Unique keys change through the store's methods only (they keep the index right). */
function lookup<T extends { id: number }>(
  records: ReadonlyMap<number, T>,
  index: Map<string, number>,
  key: string,
  read: (record: T) => string | null,
): T | undefined {
  const wanted = key.toLowerCase();
  const id = index.get(wanted);
  const hit = id === undefined ? undefined : records.get(id);
  if (hit !== undefined && read(hit)?.toLowerCase() === wanted) return hit;
  return undefined;
}

/** Hex ids derived from a counter, so that the same run gives the same ids. */
export function randomHex(store: ZendeskStore, length: number): string {
  const n = store.nextId('hex', 0);
  let out = '';
  for (let i = 0; out.length < length; i += 1) out += createHash('sha256').update(`${n}:${i}`).digest('hex');
  return out.slice(0, length);
}

const CONDITION_OPERATORS = new Set([
  'is',
  'is_not',
  'less_than',
  'greater_than',
  'changed',
  'value',
  'value_previous',
  'not_changed',
  'not_value',
  'not_value_previous',
  'includes',
  'not_includes',
  'present',
  'not_present',
]);

function parseConditions(
  raw: unknown,
  errors: FieldErrors,
): { all: TriggerCondition[]; any: TriggerCondition[] } {
  const out = { all: [] as TriggerCondition[], any: [] as TriggerCondition[] };
  if (!isObject(raw)) {
    errors['conditions'] = [
      { description: 'Conditions: must be an object with all and any arrays', error: 'InvalidValue' },
    ];
    return out;
  }
  for (const group of ['all', 'any'] as const) {
    const list = raw[group] ?? [];
    if (!Array.isArray(list)) {
      (errors['conditions'] ??= []).push({
        description: `Conditions: ${group} must be an array`,
        error: 'InvalidValue',
      });
      continue;
    }
    for (const item of list) {
      if (!isObject(item) || typeof item['field'] !== 'string' || typeof item['operator'] !== 'string') {
        (errors['conditions'] ??= []).push({
          description: 'Conditions: each needs field, operator and value',
          error: 'InvalidValue',
        });
        continue;
      }
      if (!CONDITION_OPERATORS.has(item['operator'])) {
        (errors['conditions'] ??= []).push({
          description: `Conditions: unknown operator ${item['operator']}`,
          error: 'InvalidValue',
        });
        continue;
      }
      out[group].push({
        field: item['field'],
        operator: item['operator'],
        value: (item['value'] ?? null) as JsonValue,
      });
    }
  }
  if (out.all.length === 0 && out.any.length === 0 && errors['conditions'] === undefined)
    errors['conditions'] = [
      { description: 'Conditions: a trigger needs at least one condition', error: 'BlankValue' },
    ];
  return out;
}

function parseActions(raw: unknown, errors: FieldErrors): TriggerAction[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    errors['actions'] = [
      { description: 'Actions: a trigger needs at least one action', error: 'BlankValue' },
    ];
    return [];
  }
  const out: TriggerAction[] = [];
  for (const item of raw) {
    if (!isObject(item) || typeof item['field'] !== 'string') {
      (errors['actions'] ??= []).push({
        description: 'Actions: each needs field and value',
        error: 'InvalidValue',
      });
      continue;
    }
    out.push({ field: item['field'], value: (item['value'] ?? null) as JsonValue });
  }
  return out;
}

type Coerced = { ok: true; value: JsonValue } | { ok: false; problem: string };

/** Field value coercion as Zendesk does it (strings of numbers accepted for numeric fields). */
export function coerceFieldValue(field: FieldRecord, value: unknown): Coerced {
  if (value === null || value === '') return { ok: true, value: null };
  switch (field.type) {
    case 'text':
    case 'textarea':
      return typeof value === 'string' || typeof value === 'number'
        ? { ok: true, value: String(value) }
        : { ok: false, problem: 'must be text' };
    case 'regexp': {
      if (typeof value !== 'string') return { ok: false, problem: 'must be text' };
      const pattern = field.regexp_for_validation;
      if (pattern !== null && !new RegExp(pattern).test(value)) return { ok: false, problem: 'is invalid' };
      return { ok: true, value };
    }
    case 'integer': {
      const n = typeof value === 'string' ? Number(value) : value;
      return typeof n === 'number' && Number.isInteger(n)
        ? { ok: true, value: n }
        : { ok: false, problem: 'is not an integer' };
    }
    case 'decimal': {
      const n = typeof value === 'string' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, problem: 'is not a number' };
    }
    case 'checkbox':
      return typeof value === 'boolean'
        ? { ok: true, value }
        : { ok: false, problem: 'must be true or false' };
    case 'date': {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value)))
        return { ok: false, problem: 'is not a date (YYYY-MM-DD)' };
      return { ok: true, value: `${value.slice(0, 10)}T00:00:00+00:00` };
    }
    case 'dropdown':
    case 'tagger': {
      const options = field.custom_field_options ?? [];
      return typeof value === 'string' && options.some((o) => o.value === value)
        ? { ok: true, value }
        : { ok: false, problem: `${show(value)} is not one of the options` };
    }
    case 'multiselect': {
      const options = field.custom_field_options ?? [];
      return Array.isArray(value) &&
        value.every((v) => typeof v === 'string' && options.some((o) => o.value === v))
        ? { ok: true, value: value as string[] }
        : { ok: false, problem: 'contains a value that is not one of the options' };
    }
    case 'lookup':
      return typeof value === 'string' || typeof value === 'number'
        ? { ok: true, value: String(value) }
        : { ok: false, problem: 'must be an id' };
  }
}
