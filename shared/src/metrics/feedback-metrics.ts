import type { EffortClass, NpsCategory } from '../domain/vocabulary.ts';
import { parseIsoMs } from '../domain/time.ts';
import type { CesResponse, CsatResponse, FeedbackResponse } from '../feedback/feedback-schema.ts';

/** promoter 9–10, passive 7–8, detractor 0–6. */
export function categorizeNps(score: number): NpsCategory {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

export interface NpsSummary {
  readonly responses: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  /** %promoters − %detractors, −100…100; null without answers. */
  readonly score: number | null;
}

export function computeNps(scores: readonly number[]): NpsSummary {
  let promoters = 0;
  let detractors = 0;
  for (const score of scores) {
    const category = categorizeNps(score);
    if (category === 'promoter') promoters += 1;
    else if (category === 'detractor') detractors += 1;
  }
  const responses = scores.length;
  return {
    responses,
    promoters,
    passives: responses - promoters - detractors,
    detractors,
    score: responses === 0 ? null : ((promoters - detractors) * 100) / responses,
  };
}

/**
 * Whether one CSAT answer counts as satisfied: the top two of 5 (Zendesk: 1–3 bad, 4–5 good), the top of 3,
 * the top of 2, and "good".
 */
export function isCsatSatisfied(response: Pick<CsatResponse, 'scale' | 'score'>): boolean {
  switch (response.scale) {
    case '1-5':
      return (response.score as number) >= 4;
    case '1-3':
      return response.score === 3;
    case '1-2':
      return response.score === 2;
    case 'good_bad':
      return response.score === 'good';
  }
}

export interface CsatSummary {
  readonly responses: number;
  readonly satisfied: number;
  /** satisfied / responses × 100; null without answers. */
  readonly percent: number | null;
}

export function computeCsat(responses: readonly Pick<CsatResponse, 'scale' | 'score'>[]): CsatSummary {
  let satisfied = 0;
  for (const response of responses) if (isCsatSatisfied(response)) satisfied += 1;
  return {
    responses: responses.length,
    satisfied,
    percent: responses.length === 0 ? null : (satisfied * 100) / responses.length,
  };
}

/** The effort the customer reports, 1 (very little) … 7 (a great deal), whatever the question's direction. */
export function toCustomerEffort(response: Pick<CesResponse, 'scale' | 'score'>): number {
  return response.scale === '1-7_agree' ? 8 - response.score : response.score;
}

export interface MeanSummary {
  readonly responses: number;
  /** null without answers. */
  readonly mean: number | null;
}

function mean(values: readonly number[]): MeanSummary {
  let sum = 0;
  for (const value of values) sum += value;
  return { responses: values.length, mean: values.length === 0 ? null : sum / values.length };
}

/** Mean CES on the "how much effort" direction (1 = very little, 7 = a great deal). */
export function computeCes(responses: readonly Pick<CesResponse, 'scale' | 'score'>[]): MeanSummary {
  return mean(responses.map(toCustomerEffort));
}

export interface EffortRatio {
  /** CES / company effort, 1/7 … 7. */
  readonly ratio: number;
  /** CES − company effort, −6 … 6. */
  readonly difference: number;
  readonly class: EffortClass;
}

/**
 * Boucle's Customer : Company Effort Ratio (Ipsos does not publish its exact definition): the customer's effort
 * over the company's, both on 1–7 "how much effort". Balanced when they differ by at most `tolerance`.
 */
export function computeEffortRatio(
  customerEffort: number,
  companyEffort: number,
  tolerance = 0,
): EffortRatio {
  const difference = customerEffort - companyEffort;
  const effortClass: EffortClass =
    Math.abs(difference) <= tolerance ? 'balanced' : difference > 0 ? 'customer_harder' : 'company_harder';
  return { ratio: customerEffort / companyEffort, difference, class: effortClass };
}

export interface FeedbackWindow {
  /** Inclusive start, ms since the epoch. */
  readonly fromMs: number;
  /** Exclusive end, ms since the epoch. */
  readonly toMs: number;
}

export interface EffortRatioSummary {
  /** Interactions with both a CES and a company-effort answer. */
  readonly pairs: number;
  readonly meanRatio: number | null;
  readonly classes: Readonly<Record<EffortClass, number>>;
}

export interface FeedbackAggregate {
  readonly nps: NpsSummary;
  readonly csat: CsatSummary;
  readonly ces: MeanSummary;
  readonly companyEffort: MeanSummary;
  readonly effortRatio: EffortRatioSummary;
}

/**
 * NPS, CSAT %, CES, company effort and C:CER over the answers given within a window. A C:CER pair is a CES and
 * a company-effort answer with the same `interactionId` (or, without one, the same `ticketId`).
 */
export function aggregateFeedback(
  responses: readonly FeedbackResponse[],
  window: FeedbackWindow,
  tolerance = 0,
): FeedbackAggregate {
  const nps: number[] = [];
  const csat: CsatResponse[] = [];
  const ces: CesResponse[] = [];
  const company: number[] = [];
  const cesByInteraction = new Map<string, number>();
  const companyByInteraction = new Map<string, number>();
  for (const response of responses) {
    const at = parseIsoMs(response.respondedAt);
    if (at < window.fromMs || at >= window.toMs) continue;
    const interaction = response.interactionId ?? response.ticketId;
    switch (response.kind) {
      case 'nps':
        nps.push(response.score);
        break;
      case 'csat':
        csat.push(response);
        break;
      case 'ces':
        ces.push(response);
        if (interaction !== undefined) cesByInteraction.set(interaction, toCustomerEffort(response));
        break;
      case 'company_effort':
        company.push(response.score);
        if (interaction !== undefined) companyByInteraction.set(interaction, response.score);
        break;
    }
  }
  const classes: Record<EffortClass, number> = { customer_harder: 0, balanced: 0, company_harder: 0 };
  let ratioSum = 0;
  let pairs = 0;
  for (const [interaction, customerEffort] of cesByInteraction) {
    const companyEffort = companyByInteraction.get(interaction);
    if (companyEffort === undefined) continue;
    const ratio = computeEffortRatio(customerEffort, companyEffort, tolerance);
    classes[ratio.class] += 1;
    ratioSum += ratio.ratio;
    pairs += 1;
  }
  return {
    nps: computeNps(nps),
    csat: computeCsat(csat),
    ces: computeCes(ces),
    companyEffort: mean(company),
    effortRatio: { pairs, meanRatio: pairs === 0 ? null : ratioSum / pairs, classes },
  };
}
