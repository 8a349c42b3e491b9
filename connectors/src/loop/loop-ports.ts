/**
 * What the closed loop needs from Zendesk, in Zendesk's own shapes (snake_case, as the API returns them).
 * `create-loop-zendesk.ts` implements it with our Zendesk API client; nothing else in loop/ speaks HTTP.
 */

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

export interface LoopTicket {
  readonly id: number;
  readonly external_id: string | null;
  readonly subject: string;
  readonly status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  readonly priority: TicketPriority | null;
  readonly requester_id: number;
  readonly assignee_id: number | null;
  readonly organization_id: number | null;
  readonly group_id: number | null;
  readonly tags: readonly string[];
  readonly custom_fields: readonly { readonly id: number; readonly value: unknown }[];
  readonly via?: { readonly channel: string };
  readonly created_at: string;
  readonly updated_at: string;
  readonly satisfaction_rating?: {
    readonly id?: number | null;
    readonly score: string;
    readonly comment?: string | null;
  } | null;
}

export interface LoopUser {
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
  readonly organization_id: number | null;
  readonly locale?: string;
  readonly user_fields: Readonly<Record<string, unknown>>;
}

export interface LoopOrganization {
  readonly id: number;
  readonly name: string;
  readonly organization_fields: Readonly<Record<string, unknown>>;
}

export interface LoopComment {
  readonly id: number;
  readonly author_id: number;
  readonly body: string;
  readonly public: boolean;
  readonly created_at: string;
}

export interface CustomObjectRecord {
  readonly id: string;
  readonly name: string;
  readonly external_id: string | null;
  readonly custom_object_fields: Readonly<Record<string, unknown>>;
  readonly created_at?: string;
}

/** One ticket update: tags are added and removed (never replaced), a comment is an internal note. */
export interface TicketChanges {
  readonly addTags?: readonly string[];
  readonly removeTags?: readonly string[];
  readonly priority?: TicketPriority;
  readonly customFields?: readonly { readonly id: number; readonly value: string | null }[];
  readonly internalNote?: string;
}

export interface NewFollowUpTicket {
  readonly externalId: string;
  readonly requesterId: number;
  readonly subject: string;
  readonly internalNote: string;
  readonly tags: readonly string[];
  readonly priority: TicketPriority;
  readonly groupId?: number;
}

export interface SatisfactionRating {
  readonly id: number;
  readonly ticket_id: number;
  readonly requester_id: number;
  readonly score: string;
  readonly comment: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface LoopZendesk {
  getTicket(id: number): Promise<LoopTicket | null>;
  getUser(id: number): Promise<LoopUser | null>;
  findUserByEmail(email: string): Promise<LoopUser | null>;
  /** Finds the end user by email or creates them (Zendesk's create_or_update). */
  ensureEndUser(email: string): Promise<LoopUser>;
  getOrganization(id: number): Promise<LoopOrganization | null>;
  listComments(ticketId: number): Promise<readonly LoopComment[]>;
  /** Open (new, open, pending, hold) tickets the user requested. */
  listOpenTickets(requesterId: number): Promise<readonly LoopTicket[]>;
  findTicketByExternalId(externalId: string): Promise<LoopTicket | null>;
  updateTicket(id: number, changes: TicketChanges): Promise<LoopTicket>;
  createFollowUpTicket(ticket: NewFollowUpTicket): Promise<LoopTicket>;
  /** Create or update a custom object record by external id (idempotent). */
  upsertRecord(
    objectKey: string,
    externalId: string,
    name: string,
    fields: Readonly<Record<string, unknown>>,
  ): Promise<CustomObjectRecord>;
  /** Records whose field `field` equals `value` (e.g. feedback of one user). */
  findRecords(objectKey: string, field: string, value: string): Promise<readonly CustomObjectRecord[]>;
  /** Ticket field ids by title (the fields requirements.json provisions). */
  ticketFieldIdsByTitle(): Promise<ReadonlyMap<string, number>>;
  /** Satisfaction ratings received since `startTime` (epoch seconds), oldest first. */
  listSatisfactionRatings(startTime: number): Promise<readonly SatisfactionRating[]>;
}
