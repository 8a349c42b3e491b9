/** Records as the Zendesk API returns them (snake_case, Zendesk's own field names). */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type UserRole = 'end-user' | 'agent' | 'admin';
export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketType = 'problem' | 'incident' | 'question' | 'task';

export const TICKET_STATUSES: readonly TicketStatus[] = [
  'new',
  'open',
  'pending',
  'hold',
  'solved',
  'closed',
];
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const TICKET_TYPES: readonly TicketType[] = ['problem', 'incident', 'question', 'task'];

export interface Via {
  channel: string;
  source: { from: JsonObject; to: JsonObject; rel: string | null };
}

export interface UserRecord {
  id: number;
  name: string;
  email: string | null;
  role: UserRole;
  role_type: number | null;
  active: boolean;
  verified: boolean;
  suspended: boolean;
  external_id: string | null;
  organization_id: number | null;
  default_group_id: number | null;
  tags: string[];
  user_fields: Record<string, JsonValue>;
  time_zone: string;
  iana_time_zone: string;
  locale: string;
  locale_id: number;
  phone: string | null;
  details: string;
  notes: string;
  alias: string;
  signature: string | null;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  /** Emulator-only: the API token and OAuth token that authenticate as this user (never serialised). */
  credentials?: { apiToken?: string; oauthToken?: string };
}

export interface OrganizationRecord {
  id: number;
  name: string;
  external_id: string | null;
  domain_names: string[];
  details: string;
  notes: string;
  group_id: number | null;
  shared_tickets: boolean;
  shared_comments: boolean;
  tags: string[];
  organization_fields: Record<string, JsonValue>;
  created_at: string;
  updated_at: string;
}

export interface GroupRecord {
  id: number;
  name: string;
  description: string;
  default: boolean;
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

export interface CustomFieldValue {
  id: number;
  value: JsonValue;
}

export interface TicketRecord {
  id: number;
  external_id: string | null;
  type: TicketType | null;
  subject: string;
  description: string;
  priority: TicketPriority | null;
  status: TicketStatus;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  organization_id: number | null;
  group_id: number | null;
  collaborator_ids: number[];
  follower_ids: number[];
  email_cc_ids: number[];
  tags: string[];
  custom_fields: CustomFieldValue[];
  due_at: string | null;
  via: Via;
  created_at: string;
  updated_at: string;
  generated_timestamp: number;
  satisfaction_rating: {
    id: number | null;
    score: string;
    comment: string | null;
    reason?: string | null;
  } | null;
  brand_id: number;
  ticket_form_id: number | null;
}

export interface CommentRecord {
  id: number;
  ticket_id: number;
  audit_id: number;
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  via: Via;
  created_at: string;
}

export interface AuditEvent {
  id: number;
  type: string;
  field_name?: string;
  value?: JsonValue;
  previous_value?: JsonValue;
  [key: string]: JsonValue | undefined;
}

export interface AuditRecord {
  id: number;
  ticket_id: number;
  author_id: number;
  created_at: string;
  via: Via;
  metadata: JsonObject;
  events: AuditEvent[];
}

export type FieldType =
  | 'text'
  | 'textarea'
  | 'checkbox'
  | 'date'
  | 'integer'
  | 'decimal'
  | 'regexp'
  | 'dropdown'
  | 'lookup'
  | 'multiselect'
  | 'tagger';

export const FIELD_TYPES: readonly FieldType[] = [
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
];

export interface FieldOption {
  id: number;
  name: string;
  raw_name: string;
  value: string;
  position: number;
}

export interface FieldRecord {
  id: number;
  key: string;
  type: FieldType;
  title: string;
  description: string;
  position: number;
  active: boolean;
  regexp_for_validation: string | null;
  tag: string | null;
  custom_field_options: FieldOption[] | null;
  relationship_target_type: string | null;
  created_at: string;
  updated_at: string;
}

export interface TicketFieldRecord {
  id: number;
  type: string;
  title: string;
  description: string;
  position: number;
  active: boolean;
  required: boolean;
  visible_in_portal: boolean;
  editable_in_portal: boolean;
  tag: string | null;
  custom_field_options: FieldOption[] | null;
  created_at: string;
  updated_at: string;
}

export interface CustomObjectRecordDef {
  key: string;
  title: string;
  title_pluralized: string;
  description: string;
  include_in_list_view: boolean;
  created_by_user_id: number;
  updated_by_user_id: number;
  created_at: string;
  updated_at: string;
}

export interface CustomObjectFieldRecord extends FieldRecord {
  object_key: string;
  system: boolean;
}

export interface CustomObjectDataRecord {
  id: string;
  custom_object_key: string;
  name: string;
  external_id: string | null;
  custom_object_fields: Record<string, JsonValue>;
  created_by_user_id: number;
  updated_by_user_id: number;
  created_at: string;
  updated_at: string;
}

export type SatisfactionScore = 'offered' | 'unoffered' | 'good' | 'bad';

export interface SatisfactionRatingRecord {
  id: number;
  ticket_id: number;
  requester_id: number;
  assignee_id: number | null;
  group_id: number | null;
  score: SatisfactionScore;
  comment: string | null;
  reason: string | null;
  reason_id: number | null;
  created_at: string;
  updated_at: string;
}

export type JobState = 'queued' | 'working' | 'completed' | 'failed';

export interface JobStatusRecord {
  id: string;
  job_type: string;
  status: JobState;
  total: number;
  progress: number;
  message: string | null;
  results: JsonObject[] | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookRecord {
  id: string;
  name: string;
  description: string;
  status: 'active' | 'inactive';
  endpoint: string;
  http_method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  request_format: 'json' | 'xml' | 'form_encoded';
  subscriptions: string[];
  authentication: JsonObject | null;
  custom_headers: Record<string, string>;
  signing_secret: { algorithm: 'SHA256'; secret: string };
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface TriggerCondition {
  field: string;
  operator: string;
  value: JsonValue;
}

export interface TriggerAction {
  field: string;
  value: JsonValue;
}

export interface TriggerRecord {
  id: number;
  title: string;
  description: string | null;
  active: boolean;
  position: number;
  conditions: { all: TriggerCondition[]; any: TriggerCondition[] };
  actions: TriggerAction[];
  category_id: string | null;
  created_at: string;
  updated_at: string;
}
