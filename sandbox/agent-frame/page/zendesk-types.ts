/**
 * The subset of Zendesk's REST resources the agent frame reads (Tickets, Ticket Comments, Users,
 * Organizations, Ticket Fields: see contracts/zendesk-openapi). Only what the page shows or maps to ZAF.
 */

export interface ZdCustomFieldValue {
  readonly id: number;
  readonly value: unknown;
}

export interface ZdTicket {
  readonly id: number;
  readonly subject: string | null;
  readonly description?: string | null;
  readonly status: string;
  readonly priority: string | null;
  readonly type?: string | null;
  readonly tags: readonly string[];
  readonly requester_id: number;
  readonly assignee_id?: number | null;
  readonly group_id?: number | null;
  readonly organization_id?: number | null;
  readonly external_id?: string | null;
  readonly brand_id?: number | null;
  readonly custom_fields?: readonly ZdCustomFieldValue[];
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly via?: { readonly channel?: string } | null;
}

export interface ZdComment {
  readonly id: number;
  readonly author_id: number;
  readonly body?: string;
  readonly html_body?: string;
  readonly plain_body?: string;
  readonly public?: boolean;
  readonly created_at?: string;
  readonly via?: { readonly channel?: string } | null;
}

export interface ZdUser {
  readonly id: number;
  readonly name: string;
  readonly email?: string | null;
  readonly external_id?: string | null;
  readonly locale?: string | null;
  readonly role?: string | null;
  readonly organization_id?: number | null;
  readonly tags?: readonly string[];
  readonly time_zone?: string | null;
  readonly details?: string | null;
  readonly notes?: string | null;
  readonly alias?: string | null;
  readonly photo?: { readonly content_url?: string } | null;
  readonly user_fields?: Readonly<Record<string, unknown>> | null;
}

export interface ZdOrganization {
  readonly id: number;
  readonly name: string;
  readonly external_id?: string | null;
  readonly tags?: readonly string[];
  readonly details?: string | null;
  readonly notes?: string | null;
  readonly domain_names?: readonly string[];
  readonly group_id?: number | null;
  readonly shared_tickets?: boolean;
  readonly shared_comments?: boolean;
  readonly organization_fields?: Readonly<Record<string, unknown>> | null;
}

export interface ZdTicketField {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly active?: boolean;
  readonly removable?: boolean;
  readonly custom_field_options?: readonly { readonly name: string; readonly value: string }[] | null;
}
