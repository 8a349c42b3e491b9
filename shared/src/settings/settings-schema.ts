import { z } from 'zod';
import { LOCALES } from '../domain/vocabulary.ts';
import { rulesSchema } from '../rules/rule-schema.ts';

const nonNegative = z.number().min(0).max(1e12);
const share = z.number().min(0).max(1);
const coefficient = z.number().min(-20).max(20);
const hours = z.number().positive().max(720);
const days = z.number().int().min(0).max(3650);

/** Calibration of the default churn model: see docs/decision-model.md for the arithmetic. */
export const CALIBRATION = {
  /** Seed 000: 24% of customers who had an incident reduced or stopped using the brand. */
  baselineChurn: 0.24,
  /** Seed 001: customers who feel they made more effort than the company are 4× as likely to leave. */
  customerHarderFactor: 4,
  /** DOMAIN.md §3 worked example: share of incidents where the customer made more effort. */
  customerHarderShare: 0.6,
} as const;

const referenceChurn =
  CALIBRATION.baselineChurn /
  (CALIBRATION.customerHarderShare * CALIBRATION.customerHarderFactor +
    (1 - CALIBRATION.customerHarderShare));
const logit = (p: number): number => Math.log(p / (1 - p));
/** log-odds of churn for the reference incident (8.57%) and the effort term that makes it 4× (34.3%). */
export const DEFAULT_INTERCEPT = Math.round(logit(referenceChurn) * 1e4) / 1e4;
export const DEFAULT_CUSTOMER_HARDER_POINTS =
  Math.round((logit(CALIBRATION.customerHarderFactor * referenceChurn) - logit(referenceChurn)) * 1e4) / 1e4;

const compensationTierSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{1,40}$/, {
    message: 'A tier id uses lowercase letters, digits and "_" only, e.g. "goodwill_small".',
  }),
  /** What the gesture costs the company (credit, refund, gift). */
  amount: nonNegative,
  /** Relative reduction of churn risk, callback included (0.45 = risk × 0.55). */
  reduction: share,
  /**
   * What the customer reads in the draft reply, per language: `{amount}` is replaced by the amount in the
   * customer's language ("a credit of {amount} on your next invoice"). Without it, a plain "goodwill gesture".
   */
  label: z
    .strictObject({
      en: z.string().trim().min(1).max(200),
      fr: z.string().trim().min(1).max(200),
    })
    .optional(),
});
export type CompensationTier = z.infer<typeof compensationTierSchema>;

const lexiconEntrySchema = z.strictObject({
  phrase: z.string().trim().min(2).max(80),
  /** How much one occurrence adds to the estimated customer effort, in CES points. */
  weight: z.number().min(0).max(3).default(0.5),
});
export type LexiconEntry = z.infer<typeof lexiconEntrySchema>;

function section<T extends z.ZodRawShape>(shape: T) {
  // Every field of a section has a default, so an empty object is a valid input.
  return z.strictObject(shape).prefault({} as never);
}

/** Every setting, by section (the shape without its cross-field checks, which {@link refineSettings} adds). */
export const settingsShape = {
  locale: z.enum(LOCALES).default('en'),
  /** Base URL of the Boucle connector service, e.g. https://boucle.example.com. Empty: not configured. */
  connectorUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
  /** Zendesk ticket field ids Boucle writes (custom_field_<id>), filled in at install time. */
  zendeskFields: section({
    interventionFieldId: z.string().regex(/^\d*$/, { message: 'A field id is digits only.' }).default(''),
    callbackDueFieldId: z.string().regex(/^\d*$/, { message: 'A field id is digits only.' }).default(''),
  }),
  valueTiers: section({
    /** 12-month revenue (plus weighted pipeline) from which a customer is in the tier. */
    platinum: nonNegative.default(100_000),
    gold: nonNegative.default(25_000),
    silver: nonNegative.default(5_000),
  }),
  valueAtRisk: section({
    horizonMonths: z.number().int().min(1).max(120).default(24),
    defaultMarginRate: share.default(0.3),
    pipelineWeight: share.default(0.25),
  }),
  costs: section({
    agentCostPerMinute: nonNegative.default(0.75),
    apologyMinutes: z.number().min(0).max(600).default(4),
    callbackMinutes: z.number().min(0).max(600).default(20),
    /** Extra agent time to arrange a compensation, on top of the callback that delivers it. */
    compensationMinutes: z.number().min(0).max(600).default(10),
  }),
  /** Relative reduction of churn risk by each action (0.3 = risk × 0.7). */
  effects: section({
    apology: share.default(0.1),
    callback: share.default(0.3),
  }),
  compensationTiers: z
    .array(compensationTierSchema)
    .max(10)
    .default([
      {
        id: 'goodwill_small',
        amount: 25,
        reduction: 0.38,
        label: {
          en: 'a credit of {amount} on your next invoice',
          fr: 'un avoir de {amount} sur votre prochaine facture',
        },
      },
      {
        id: 'goodwill_medium',
        amount: 100,
        reduction: 0.44,
        label: { en: 'a refund of {amount}', fr: 'un remboursement de {amount}' },
      },
      {
        id: 'goodwill_large',
        amount: 500,
        reduction: 0.5,
        label: {
          en: 'a credit of {amount} on your account',
          fr: 'un avoir de {amount} sur votre compte',
        },
      },
    ]),
  guardrails: section({
    /** No second apology to the same customer within this many days. */
    apologyCooldownDays: days.default(30),
    /** Compensation needs a company fault and one of: recurrence, severity, slow handling. */
    recurrenceThreshold: z.number().int().min(1).max(100).default(1),
    severeFrom: z.enum(['medium', 'high', 'critical']).default('high'),
    slowHandlingHours: hours.default(48),
    /** Compensation spend may not exceed this share of the value at risk. */
    maxSpendShareOfValueAtRisk: share.default(0.5),
  }),
  /** Hours to call back, by value tier (seed 003: 24 h / 48 h). */
  callbackWindowHours: section({
    platinum: hours.default(24),
    gold: hours.default(24),
    silver: hours.default(48),
    bronze: hours.default(48),
  }),
  /** Expected loss (value at risk × churn risk) from which the ticket gets each priority. */
  priority: section({
    urgentFrom: nonNegative.default(5_000),
    highFrom: nonNegative.default(1_000),
    normalFrom: nonNegative.default(100),
  }),
  capacity: section({
    /** Agent minutes per day for callbacks and compensations. */
    agentMinutesPerDay: z.number().min(0).max(1e6).default(480),
  }),
  history: section({
    /** Incidents of the same customer within this many days count as repeats. */
    repeatWindowDays: days.min(1).default(90),
  }),
  effort: section({
    /** |CES − company effort| at or below this is "balanced". */
    balancedTolerance: z.number().min(0).max(6).default(0.5),
    customer: section({
      perExtraContact: z.number().min(0).max(6).default(0.75),
      perReopen: z.number().min(0).max(6).default(1),
      perChannelSwitch: z.number().min(0).max(6).default(0.75),
      perTransfer: z.number().min(0).max(6).default(0.5),
      perWaitingDay: z.number().min(0).max(6).default(0.5),
      maxFromWaiting: z.number().min(0).max(6).default(2),
      maxFromPhrases: z.number().min(0).max(6).default(2),
    }),
    company: section({
      perPublicReply: z.number().min(0).max(6).default(0.25),
      maxFromPublicReplies: z.number().min(0).max(6).default(1.5),
      perProactiveCallback: z.number().min(0).max(6).default(1.5),
      perEscalation: z.number().min(0).max(6).default(0.75),
      ownerAssigned: z.number().min(0).max(6).default(0.75),
      perGesture: z.number().min(0).max(6).default(1),
    }),
    /** Phrases added to the built-in English and French lexicon of customer effort. */
    lexicon: z.array(lexiconEntrySchema).max(500).default([]),
  }),
  /** Log-odds points of the churn model; the defaults are calibrated on DOMAIN.md §3. */
  risk: section({
    intercept: coefficient.default(DEFAULT_INTERCEPT),
    effortClass: section({
      customer_harder: coefficient.default(DEFAULT_CUSTOMER_HARDER_POINTS),
      balanced: coefficient.default(0),
      company_harder: coefficient.default(0),
    }),
    severity: section({
      low: coefficient.default(-0.5),
      medium: coefficient.default(0),
      high: coefficient.default(0.4),
      critical: coefficient.default(0.8),
    }),
    incidentType: section({
      billing: coefficient.default(0.2),
      delivery: coefficient.default(0),
      product_defect: coefficient.default(0.2),
      service_outage: coefficient.default(0.3),
      service_quality: coefficient.default(0),
      staff_behaviour: coefficient.default(0.4),
      other: coefficient.default(0),
    }),
    perRepeatIncident: coefficient.default(0.3),
    maxRepeatIncidents: z.number().int().min(0).max(100).default(3),
    tenure: section({
      underOneYear: coefficient.default(0.3),
      oneToThreeYears: coefficient.default(0),
      overThreeYears: coefficient.default(-0.3),
    }),
    npsCategory: section({
      detractor: coefficient.default(0.5),
      passive: coefficient.default(0),
      promoter: coefficient.default(-0.5),
    }),
    /** Added when the latest NPS is at least `npsFallingBy` below the one before. */
    npsFalling: coefficient.default(0.3),
    npsFallingBy: z.number().int().min(1).max(10).default(3),
  }),
  /**
   * Test and learn: the share of eligible incidents (0–50 %) whose recommendation is withheld, drawn by customer
   * from the experiment id (change the id to draw a new holdout). 0 = no holdout. See docs/programme.md.
   */
  experiment: section({
    holdoutPercent: z.number().min(0).max(50).default(0),
    id: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/, {
        message: 'An experiment id uses lowercase letters, digits, "_" and "-" only, e.g. "holdout-2026".',
      })
      .default('holdout-1'),
  }),
  rules: rulesSchema.default([]),
};

type RefinedSections = Pick<
  z.output<z.ZodObject<typeof settingsShape>>,
  'valueTiers' | 'priority' | 'effects' | 'compensationTiers' | 'rules'
>;

/**
 * The checks that span several sections (tiers go down, tier ids exist…): shared by the settings and the policy
 * document, which hold the same sections.
 */
export function refineSettings(settings: RefinedSections, ctx: z.RefinementCtx): void {
  const bilingual = (path: (string | number)[], en: string, fr: string) =>
    ctx.addIssue({ code: 'custom', path, message: en, params: { fr } });
  const tiers = settings.valueTiers;
  if (!(tiers.platinum >= tiers.gold && tiers.gold >= tiers.silver)) {
    bilingual(
      ['valueTiers'],
      'Tier thresholds must go down: platinum ≥ gold ≥ silver.',
      'Les seuils des niveaux doivent décroître : platinum ≥ gold ≥ silver.',
    );
  }
  const priority = settings.priority;
  if (!(priority.urgentFrom >= priority.highFrom && priority.highFrom >= priority.normalFrom)) {
    bilingual(
      ['priority'],
      'Priority thresholds must go down: urgentFrom ≥ highFrom ≥ normalFrom.',
      'Les seuils de priorité doivent décroître : urgentFrom ≥ highFrom ≥ normalFrom.',
    );
  }
  if (settings.effects.apology > settings.effects.callback) {
    bilingual(
      ['effects', 'apology'],
      'An apology cannot reduce churn more than a callback (which includes one): lower effects.apology.',
      'Des excuses ne peuvent pas réduire le risque plus qu’un rappel (qui les inclut) : baissez effects.apology.',
    );
  }
  const ids = new Set<string>();
  let previous = { amount: 0, reduction: settings.effects.callback };
  settings.compensationTiers.forEach((tier, index) => {
    if (ids.has(tier.id)) {
      bilingual(
        ['compensationTiers', index, 'id'],
        `Two compensation tiers are named "${tier.id}".`,
        `Deux paliers de compensation s'appellent « ${tier.id} ».`,
      );
    }
    ids.add(tier.id);
    if (tier.amount < previous.amount || tier.reduction < previous.reduction) {
      bilingual(
        ['compensationTiers', index],
        'List compensation tiers from the smallest to the largest amount; each must reduce churn at least as much as the one before it and as a callback.',
        'Listez les paliers de compensation du plus petit au plus grand montant ; chacun doit réduire le risque au moins autant que le précédent et qu’un rappel.',
      );
    }
    previous = tier;
  });
  settings.rules.forEach((rule, index) => {
    const tier = rule.event.params.compensationTier;
    if (tier !== undefined && !ids.has(tier)) {
      bilingual(
        ['rules', index, 'event', 'params', 'compensationTier'],
        `No compensation tier is named "${tier}": use one of ${[...ids].join(', ') || '(none defined)'}.`,
        `Aucun palier de compensation ne s'appelle « ${tier} » : utilisez l'un de ${[...ids].join(', ') || '(aucun défini)'}.`,
      );
    }
  });
}

export const settingsSchema = z.strictObject(settingsShape).superRefine(refineSettings);

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
