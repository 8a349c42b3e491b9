import { z } from 'zod';
import { VALUE_TIERS } from '../domain/vocabulary.ts';
import { dateOrTimestampSchema } from '../domain/time.ts';

const money = z.number().min(0).max(1e12);

/**
 * The customer's value as the CRM knows it (Salesforce Account or Contact aggregates, mirrored on the Zendesk
 * organisation or user). Money is in the account currency; only ratios of it matter to the decision.
 */
export const customerValueProfileSchema = z.strictObject({
  customerId: z.string().min(1),
  /** When absent, Boucle computes it from 12-month revenue and the tier thresholds in settings. */
  tier: z
    .enum(VALUE_TIERS)
    .optional()
    .describe('Computed from revenue12m and the tier thresholds when absent.'),
  lifetimeRevenue: money.default(0),
  revenue12m: money.default(0),
  /** Gross margin rate, 0…1. When absent, `valueAtRisk.defaultMarginRate` from settings applies. */
  marginRate: z.number().min(0).max(1).optional().describe('Gross margin rate 0…1; default from settings.'),
  orders12m: z.number().int().min(0).default(0),
  lastOrderAt: dateOrTimestampSchema.optional(),
  openPipeline: money.default(0),
  customerSince: dateOrTimestampSchema.optional(),
  segment: z.string().max(200).optional(),
  region: z.string().max(200).optional(),
  productLine: z.string().max(200).optional(),
});

export type CustomerValueProfile = z.infer<typeof customerValueProfileSchema>;
export type CustomerValueProfileInput = z.input<typeof customerValueProfileSchema>;
