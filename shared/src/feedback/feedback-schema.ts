import { z } from 'zod';
import { CHANNELS } from '../domain/vocabulary.ts';
import { timestampSchema } from '../domain/time.ts';

/** Fields every survey answer carries, whatever its kind. */
const feedbackBase = {
  id: z.string().min(1),
  respondedAt: timestampSchema,
  /** The ticket the answer is about, when known: measured effort is matched on it. */
  ticketId: z.string().min(1).optional(),
  /** One interaction (a survey sent once) groups a CES and a company-effort answer into one C:CER. */
  interactionId: z.string().min(1).optional(),
  comment: z.string().max(10_000).optional(),
  channel: z.enum(CHANNELS).optional(),
  touchpoint: z.string().max(200).optional(),
};

export const NPS_SCALES = ['0-10'] as const;
export const CSAT_SCALES = ['1-5', '1-3', '1-2', 'good_bad'] as const;
export type CsatScale = (typeof CSAT_SCALES)[number];
/** `1-7` = "how much effort…" (7 = a great deal); `1-7_agree` = CES 2.0 "the company made it easy" (7 = agree). */
export const EFFORT_SCALES = ['1-7', '1-7_agree'] as const;
export type EffortScale = (typeof EFFORT_SCALES)[number];

const effortScore = z.number().int().min(1).max(7);

export const npsResponseSchema = z.strictObject({
  ...feedbackBase,
  kind: z.literal('nps'),
  scale: z.enum(NPS_SCALES).default('0-10'),
  score: z.number().int().min(0).max(10),
});

const CSAT_MAX = { '1-5': 5, '1-3': 3, '1-2': 2 } as const;

export const csatResponseSchema = z
  .strictObject({
    ...feedbackBase,
    kind: z.literal('csat'),
    scale: z.enum(CSAT_SCALES),
    score: z.union([z.number().int(), z.enum(['good', 'bad'])]),
  })
  .superRefine((value, ctx) => {
    if (value.scale === 'good_bad') {
      if (typeof value.score !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: ['score'],
          message: 'On the good_bad scale the score is "good" or "bad".',
        });
      }
      return;
    }
    const max = CSAT_MAX[value.scale];
    if (typeof value.score !== 'number' || value.score < 1 || value.score > max) {
      ctx.addIssue({
        code: 'custom',
        path: ['score'],
        message: `On the ${value.scale} scale the score is a whole number from 1 to ${max}.`,
      });
    }
  });

export const cesResponseSchema = z.strictObject({
  ...feedbackBase,
  kind: z.literal('ces'),
  scale: z.enum(EFFORT_SCALES).default('1-7'),
  score: effortScore,
});

/** "How much effort did the company put in to handle your issue?" — same direction and scale as CES. */
export const companyEffortResponseSchema = z.strictObject({
  ...feedbackBase,
  kind: z.literal('company_effort'),
  scale: z.literal('1-7').default('1-7'),
  score: effortScore,
});

export const feedbackResponseSchema = z.discriminatedUnion('kind', [
  npsResponseSchema,
  csatResponseSchema,
  cesResponseSchema,
  companyEffortResponseSchema,
]);

export type NpsResponse = z.infer<typeof npsResponseSchema>;
export type CsatResponse = z.infer<typeof csatResponseSchema>;
export type CesResponse = z.infer<typeof cesResponseSchema>;
export type CompanyEffortResponse = z.infer<typeof companyEffortResponseSchema>;
export type FeedbackResponse = z.infer<typeof feedbackResponseSchema>;
export type FeedbackKind = FeedbackResponse['kind'];
