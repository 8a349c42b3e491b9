/**
 * The Zendesk objects Boucle reads and writes, as the API sends them (snake_case). Only the fields Boucle uses
 * are typed; Zendesk sends more, which stay reachable through the index signature.
 */

export type FieldValue = string | number | boolean | null | string[];

export interface ZendeskUser {
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
  readonly role: 'end-user' | 'agent' | 'admin';
  readonly external_id: string | null;
  readonly organization_id: number | null;
  readonly tags: readonly string[];
  readonly user_fields: Readonly<Record<string, FieldValue>>;
  readonly locale?: string;
  readonly time_zone?: string;
  readonly active?: boolean;
  readonly suspended?: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  readonly [key: string]: unknown;
}

export interface ZendeskOrganization {
  readonly id: number;
  readonly name: string;
  readonly external_id: string | null;
  readonly domain_names?: readonly string[];
  readonly tags: readonly string[];
  readonly organization_fields: Readonly<Record<string, FieldValue>>;
  readonly created_at: string;
  readonly updated_at: string;
  readonly [key: string]: unknown;
}

export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

export interface ZendeskTicket {
  readonly id: number;
  readonly subject: string;
  readonly description: string;
  readonly status: TicketStatus;
  readonly priority: TicketPriority | null;
  readonly type: 'problem' | 'incident' | 'question' | 'task' | null;
  readonly requester_id: number;
  readonly assignee_id: number | null;
  readonly organization_id: number | null;
  readonly group_id: number | null;
  readonly tags: readonly string[];
  readonly custom_fields: readonly { readonly id: number; readonly value: FieldValue }[];
  readonly satisfaction_rating: {
    readonly id?: number | null;
    readonly score: string;
    readonly comment?: string | null;
  } | null;
  readonly external_id: string | null;
  readonly due_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly [key: string]: unknown;
}

export interface ZendeskComment {
  readonly id: number;
  readonly author_id: number;
  readonly body: string;
  readonly html_body: string;
  readonly plain_body: string;
  readonly public: boolean;
  readonly created_at: string;
  readonly [key: string]: unknown;
}

export interface ZendeskAuditEvent {
  readonly id: number;
  readonly type: string;
  readonly field_name?: string;
  readonly value?: unknown;
  readonly previous_value?: unknown;
  readonly [key: string]: unknown;
}

export interface ZendeskAudit {
  readonly id: number;
  readonly ticket_id: number;
  readonly author_id: number;
  readonly created_at: string;
  readonly events: readonly ZendeskAuditEvent[];
  readonly [key: string]: unknown;
}

/** What a ticket update may carry (`PUT /api/v2/tickets/{id}`). */
export interface TicketUpdate {
  readonly status?: TicketStatus;
  readonly priority?: TicketPriority | null;
  readonly type?: 'problem' | 'incident' | 'question' | 'task' | null;
  readonly subject?: string;
  readonly assignee_id?: number | null;
  readonly group_id?: number | null;
  readonly tags?: readonly string[];
  readonly additional_tags?: readonly string[];
  readonly remove_tags?: readonly string[];
  readonly custom_fields?: readonly { readonly id: number; readonly value: FieldValue }[];
  readonly due_at?: string | null;
  readonly comment?: {
    readonly body?: string;
    readonly html_body?: string;
    readonly public?: boolean;
    readonly author_id?: number;
  };
  readonly [key: string]: unknown;
}

export type JobState = 'queued' | 'working' | 'completed' | 'failed' | 'killed';

/** One per-record result of a bulk job. */
export interface JobResult {
  readonly index?: number;
  readonly id?: number | string;
  readonly action?: string;
  readonly status?: string;
  readonly success?: boolean;
  readonly error?: string;
  readonly errors?: string;
  readonly details?: string;
  readonly external_id?: string;
  readonly email?: string;
  readonly [key: string]: unknown;
}

export interface JobStatus {
  readonly id: string;
  readonly status: JobState;
  readonly total: number | null;
  readonly progress: number | null;
  readonly message: string | null;
  readonly results: readonly JobResult[];
  readonly job_type?: string;
  readonly url?: string;
}

export interface ZendeskField {
  readonly id: number;
  readonly key: string;
  readonly type: string;
  readonly title: string;
  readonly active: boolean;
  readonly [key: string]: unknown;
}

export interface ZendeskTicketField {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly active: boolean;
  readonly [key: string]: unknown;
}

export interface ZendeskCustomObject {
  readonly key: string;
  readonly title: string;
  readonly title_pluralized: string;
  readonly [key: string]: unknown;
}

export interface CustomObjectRecord {
  readonly id: string;
  readonly name: string;
  readonly external_id: string | null;
  readonly custom_object_key: string;
  readonly custom_object_fields: Readonly<Record<string, FieldValue>>;
  readonly created_at: string;
  readonly updated_at: string;
  readonly [key: string]: unknown;
}

export type CustomObjectJobAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'delete_by_external_id'
  | 'create_or_update_by_external_id'
  | 'create_or_update_by_name';

export interface SatisfactionRating {
  readonly id: number;
  readonly ticket_id: number;
  readonly requester_id: number;
  readonly assignee_id: number | null;
  readonly score: 'offered' | 'unoffered' | 'good' | 'bad';
  readonly comment: string | null;
  readonly reason?: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly [key: string]: unknown;
}

export interface ZendeskWebhook {
  readonly id: string;
  readonly name: string;
  readonly status: 'active' | 'inactive';
  readonly endpoint: string;
  readonly [key: string]: unknown;
}

export interface ZendeskTrigger {
  readonly id: number;
  readonly title: string;
  readonly active: boolean;
  readonly conditions: { readonly all: readonly unknown[]; readonly any: readonly unknown[] };
  readonly actions: readonly { readonly field: string; readonly value: unknown }[];
  readonly [key: string]: unknown;
}

export type SearchResult =
  | (ZendeskTicket & { readonly result_type: 'ticket' })
  | (ZendeskUser & { readonly result_type: 'user' })
  | (ZendeskOrganization & { readonly result_type: 'organization' });

/** A value of an app installation's setting, as the Apps installation API stores it. */
export type AppSettingValue = string | number | boolean | null;

/** An app installation (Apps installation API); secure settings are never in `settings`. */
export interface ZendeskAppInstallation {
  readonly id: number;
  readonly app_id: number;
  readonly product: string;
  readonly enabled: boolean;
  readonly settings: Readonly<Record<string, AppSettingValue>>;
  readonly updated_at?: string;
}
