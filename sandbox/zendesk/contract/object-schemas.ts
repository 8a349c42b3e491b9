/**
 * JSON Schemas of the Zendesk objects that the OpenAPI extracts in ../shared/contracts/zendesk-openapi/ reference
 * but do not define (their `$ref`s to `UserObject`, `TicketObject`, `JobStatusObject`… dangle). Written from
 * Zendesk's documented JSON formats, and kept to the properties Boucle relies on: required, typed, enums closed.
 * Extra properties are allowed, as Zendesk adds fields over time.
 */

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const time: Schema = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
};
const url: Schema = { type: 'string', pattern: '^https?://' };
const strings: Schema = { type: 'array', items: str };
const ints: Schema = { type: 'array', items: int };

function object(properties: Record<string, Schema>, optional: readonly string[] = []): Schema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
  };
}

const via = object({ channel: str, source: { type: 'object' } }, ['source']);

const field = (extra: Record<string, Schema> = {}): Schema =>
  object({
    id: int,
    url,
    key: str,
    type: {
      enum: [
        'text',
        'textarea',
        'checkbox',
        'date',
        'integer',
        'decimal',
        'regexp',
        'dropdown',
        'lookup',
        'multiselect',
        'tagger',
      ],
    },
    title: str,
    raw_title: str,
    description: nullable(str),
    position: int,
    active: bool,
    system: bool,
    created_at: time,
    updated_at: time,
    ...extra,
  });

const audit: Schema = object({
  id: int,
  ticket_id: int,
  author_id: int,
  created_at: time,
  metadata: { type: 'object' },
  via,
  events: { type: 'array', items: object({ id: int, type: str }) },
});

export const OBJECT_SCHEMAS: Readonly<Record<string, Schema>> = {
  AuditObject: audit,
  TicketAuditObject: audit,
  UserObject: object({
    id: int,
    url,
    name: str,
    email: nullable(str),
    role: { enum: ['end-user', 'agent', 'admin'] },
    active: bool,
    verified: bool,
    suspended: bool,
    external_id: nullable(str),
    organization_id: nullable(int),
    tags: strings,
    user_fields: { type: 'object' },
    time_zone: str,
    locale: str,
    created_at: time,
    updated_at: time,
  }),
  OrganizationObject: object({
    id: int,
    url,
    name: str,
    external_id: nullable(str),
    domain_names: strings,
    details: nullable(str),
    notes: nullable(str),
    group_id: nullable(int),
    shared_tickets: bool,
    shared_comments: bool,
    tags: strings,
    organization_fields: { type: 'object' },
    created_at: time,
    updated_at: time,
  }),
  TicketObject: object({
    id: int,
    url,
    external_id: nullable(str),
    subject: str,
    raw_subject: str,
    description: str,
    status: { enum: ['new', 'open', 'pending', 'hold', 'solved', 'closed'] },
    priority: { enum: ['low', 'normal', 'high', 'urgent', null] },
    type: { enum: ['problem', 'incident', 'question', 'task', null] },
    requester_id: int,
    submitter_id: int,
    assignee_id: nullable(int),
    organization_id: nullable(int),
    group_id: nullable(int),
    collaborator_ids: ints,
    follower_ids: ints,
    tags: strings,
    custom_fields: { type: 'array', items: object({ id: int, value: {} }) },
    satisfaction_rating: nullable(object({ score: str }, [])),
    due_at: nullable(time),
    is_public: bool,
    via,
    created_at: time,
    updated_at: time,
  }),
  TicketCommentObject: object({
    id: int,
    type: { enum: ['Comment', 'VoiceComment'] },
    author_id: int,
    body: str,
    html_body: str,
    plain_body: str,
    public: bool,
    attachments: { type: 'array' },
    audit_id: int,
    via,
    created_at: time,
  }),
  JobStatusObject: object({
    id: str,
    url,
    job_type: str,
    status: { enum: ['queued', 'working', 'failed', 'completed', 'killed'] },
    total: nullable(int),
    progress: nullable(int),
    message: nullable(str),
    results: nullable({
      type: 'array',
      items: {
        type: 'object',
        properties: { index: int, success: bool, status: str, action: str },
        required: ['index'],
      },
    }),
  }),
  UserFieldObject: field(),
  OrganizationFieldObject: field(),
  TicketFieldObject: object({
    id: int,
    url,
    type: str,
    title: str,
    raw_title: str,
    description: str,
    position: int,
    active: bool,
    required: bool,
    created_at: time,
    updated_at: time,
  }),
  CustomObject: object({
    key: str,
    url,
    title: str,
    raw_title: str,
    title_pluralized: str,
    raw_title_pluralized: str,
    description: str,
    include_in_list_view: bool,
    created_by_user_id: int,
    updated_by_user_id: int,
    created_at: time,
    updated_at: time,
  }),
  CustomObjectField: field(),
  CustomObjectRecord: object({
    id: str,
    url,
    name: str,
    external_id: nullable(str),
    custom_object_key: str,
    custom_object_fields: { type: 'object' },
    created_by_user_id: int,
    updated_by_user_id: int,
    created_at: time,
    updated_at: time,
  }),
  SatisfactionRatingObject: object({
    id: int,
    url,
    score: { enum: ['offered', 'unoffered', 'good', 'bad'] },
    ticket_id: int,
    requester_id: int,
    assignee_id: nullable(int),
    group_id: nullable(int),
    comment: nullable(str),
    reason: nullable(str),
    created_at: time,
    updated_at: time,
  }),
  TriggerObject: object({
    id: int,
    url,
    title: str,
    raw_title: str,
    active: bool,
    position: int,
    conditions: object({ all: { type: 'array' }, any: { type: 'array' } }),
    actions: { type: 'array', items: object({ field: str, value: {} }) },
    description: nullable(str),
    created_at: time,
    updated_at: time,
  }),
  SearchResultObject: object({
    id: int,
    result_type: { enum: ['ticket', 'user', 'organization', 'group'] },
    url,
  }),
  CustomObjectRecordsJobsResponse: object({ job_status: { $ref: '#/$defs/JobStatusObject' } }),
};

/** Zendesk's error bodies (`{"error": …, "description": …, "details": {…}}`, or `{"error": "Couldn't authenticate you"}`). */
export const ERROR_SCHEMA: Schema = {
  type: 'object',
  properties: {
    error: str,
    description: str,
    details: {
      type: 'object',
      additionalProperties: { type: 'array', items: object({ description: str, error: str }) },
    },
  },
  required: ['error'],
};
