import { z } from 'zod';
import { CHANNELS, INCIDENT_TYPES, SEVERITIES, TICKET_STATUSES } from '../domain/vocabulary.ts';
import { timestampSchema } from '../domain/time.ts';

const count = z.number().int().min(0).max(10_000);

/** A critical incident: a bad score, a complaint, or a ticket Boucle was asked to decide on. */
export const incidentSchema = z.strictObject({
  ticketId: z.string().min(1),
  type: z.enum(INCIDENT_TYPES),
  severity: z.enum(SEVERITIES),
  /** True when the failure is the company's (not the customer's, not a third party's). */
  companyAtFault: z.boolean().describe('The failure is the company’s (needed for any compensation).'),
  /** How many times the same problem happened to this customer before this incident. */
  recurrence: count.default(0).describe('Earlier occurrences of the same problem for this customer.'),
  /** Contacts by the customer about this issue (this one included). */
  contacts: count.min(1).default(1).describe('Contacts by the customer about this issue, this one included.'),
  reopens: count.default(0),
  /** Transfers between groups or agents. */
  transfers: count.default(0),
  /** Times the customer had to switch channel (e.g. email, then phone). */
  channelSwitches: count.default(0),
  /** Hours the customer spent waiting for a reply, summed over the ticket. */
  waitingHours: z.number().min(0).max(100_000).default(0).describe('Hours the customer waited for replies.'),
  channel: z.enum(CHANNELS),
  openedAt: timestampSchema,
  /** The customer's own words: ticket comments and survey comments. */
  comments: z
    .array(z.string().max(20_000))
    .max(500)
    .default([])
    .describe('The customer’s own words; scanned for effort phrases (en/fr).'),
  /**
   * The ticket's Zendesk status. Absent: a live ticket. On a solved or closed ticket Boucle starts no new
   * intervention unless the customer answered a survey about it badly (docs/decision-model.md §6).
   */
  ticketStatus: z
    .enum(TICKET_STATUSES)
    .optional()
    .describe(
      'The ticket’s Zendesk status (new, open, pending, hold, solved, closed); absent: a live ticket.',
    ),
  /** The customer's monetary loss, when known (a wrong bill, a lost parcel). */
  monetaryLoss: z.number().min(0).max(1e12).optional(),
});

export type Incident = z.infer<typeof incidentSchema>;
export type IncidentInput = z.input<typeof incidentSchema>;

/** What the company did on the ticket: the estimate of the company's effort reads these. */
export const ticketSignalsSchema = z.strictObject({
  publicReplies: count.default(0),
  proactiveCallbacks: count.default(0),
  escalations: count.default(0),
  /** An agent owned the ticket from start to end. */
  ownerAssigned: z.boolean().default(false),
  /** Goodwill gestures already made (credit, replacement). */
  gestures: count.default(0),
});

export type TicketSignals = z.infer<typeof ticketSignalsSchema>;
