import { z } from 'zod';
import { ACTIONS, INCIDENT_TYPES, SEVERITIES } from '../domain/vocabulary.ts';
import { timestampSchema } from '../domain/time.ts';
import { customerValueProfileSchema } from '../customer/value-profile-schema.ts';
import { feedbackResponseSchema } from '../feedback/feedback-schema.ts';
import { incidentSchema, ticketSignalsSchema } from '../incident/incident-schema.ts';

export const pastIncidentSchema = z.strictObject({
  at: timestampSchema,
  type: z.enum(INCIDENT_TYPES).optional(),
  severity: z.enum(SEVERITIES).optional(),
});

export const pastInterventionSchema = z.strictObject({
  action: z.enum(ACTIONS),
  at: timestampSchema,
});

export const customerHistorySchema = z.strictObject({
  pastIncidents: z.array(pastIncidentSchema).max(1000).default([]),
  pastInterventions: z.array(pastInterventionSchema).max(1000).default([]),
});

/**
 * Everything Boucle needs to decide on one incident: one JSON line of `boucle decide`, one call of
 * `decide()`. `now` makes the decision reproducible; without it the caller passes the time.
 */
export const decisionInputSchema = z.strictObject({
  id: z.string().min(1).describe('Your identifier for this line; echoed in the decision.'),
  now: timestampSchema
    .optional()
    .describe('Decision time (ISO 8601). Without it: --now, else the incident’s openedAt. Never the clock.'),
  incident: incidentSchema.describe('The critical incident to decide on.'),
  customer: customerValueProfileSchema.describe('The customer’s value profile from the CRM.'),
  feedback: z
    .array(feedbackResponseSchema)
    .max(1000)
    .default([])
    .describe(
      'Survey answers of this customer (NPS, CSAT, CES, company effort); ticketId links them to the incident.',
    ),
  history: customerHistorySchema
    .prefault({})
    .describe('Earlier incidents and interventions of this customer.'),
  ticketSignals: ticketSignalsSchema
    .optional()
    .describe('What the company did on the ticket, for the estimate of the company’s effort.'),
});

export type PastIncident = z.infer<typeof pastIncidentSchema>;
export type PastIntervention = z.infer<typeof pastInterventionSchema>;
export type CustomerHistory = z.infer<typeof customerHistorySchema>;
export type DecisionInput = z.infer<typeof decisionInputSchema>;
/** The input as written by hand or in a JSON line: defaults may be left out. */
export type DecisionInputData = z.input<typeof decisionInputSchema>;
