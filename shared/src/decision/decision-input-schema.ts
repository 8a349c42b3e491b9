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
  id: z.string().min(1),
  now: timestampSchema.optional(),
  incident: incidentSchema,
  customer: customerValueProfileSchema,
  feedback: z.array(feedbackResponseSchema).max(1000).default([]),
  history: customerHistorySchema.prefault({}),
  ticketSignals: ticketSignalsSchema.optional(),
});

export type PastIncident = z.infer<typeof pastIncidentSchema>;
export type PastIntervention = z.infer<typeof pastInterventionSchema>;
export type CustomerHistory = z.infer<typeof customerHistorySchema>;
export type DecisionInput = z.infer<typeof decisionInputSchema>;
/** The input as written by hand or in a JSON line: defaults may be left out. */
export type DecisionInputData = z.input<typeof decisionInputSchema>;
