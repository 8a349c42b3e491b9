import type { Locale } from '../domain/vocabulary.ts';
import type { SignKind, SignMetric, SignPart, WarningSign } from './scan-signals.ts';

const KIND: Readonly<Record<SignKind, Record<Locale, string>>> = {
  csat_falling: { en: 'CSAT falling', fr: 'CSAT en baisse' },
  detractors_rising: { en: 'Detractors rising', fr: 'Détracteurs en hausse' },
  promoters_falling: { en: 'Promoters falling', fr: 'Promoteurs en baisse' },
  complaints_rising: { en: 'Complaints rising', fr: 'Plaintes en hausse' },
  complaints_up_recommendations_down: {
    en: 'Complaints up while recommendations fall',
    fr: 'Plaintes en hausse, recommandations en baisse',
  },
  emerging_keyword: { en: 'Emerging keyword', fr: 'Mot-clé émergent' },
};

const METRIC: Readonly<Record<SignMetric, Record<Locale, string>>> = {
  csat: { en: 'satisfied', fr: 'satisfaits' },
  detractor_share: { en: 'detractors', fr: 'détracteurs' },
  promoter_share: { en: 'promoters', fr: 'promoteurs' },
  complaint_rate: { en: 'tickets that are incidents', fr: 'tickets en incident' },
  keyword_share: { en: 'comments', fr: 'commentaires' },
};

const percent = (rate: number | null, locale: Locale): string =>
  rate === null ? '—' : `${(rate * 100).toFixed(1).replace('.', locale === 'fr' ? ',' : '.')} %`;

function describePart(part: SignPart, locale: Locale): string {
  const points = (part.change * 100).toFixed(1).replace('.', locale === 'fr' ? ',' : '.');
  const signed = part.change >= 0 ? `+${points}` : points;
  const from = `${percent(part.baseline.rate, locale)} (n = ${part.baseline.n})`;
  const to = `${percent(part.recent.rate, locale)} (n = ${part.recent.n})`;
  return locale === 'fr'
    ? `${METRIC[part.metric].fr} : ${from} → ${to}, ${signed} points`
    : `${METRIC[part.metric].en}: ${from} → ${to}, ${signed} points`;
}

/** One line an admin can read: what moved, where, by how much, since when, on how many answers, how sure. */
export function describeSign(sign: WarningSign, locale: Locale): string {
  const where =
    sign.kind === 'emerging_keyword'
      ? `"${sign.phrase!}" (${sign.value})`
      : sign.dimension === 'all'
        ? locale === 'fr'
          ? 'tout le programme'
          : 'whole programme'
        : `${sign.dimension} = ${sign.value}`;
  const parts = [sign, ...(sign.also === null ? [] : [sign.also])]
    .map((part) => describePart(part, locale))
    .join('; ');
  const q = sign.qValue < 0.001 ? '< 0.001' : sign.qValue.toFixed(3);
  return locale === 'fr'
    ? `${KIND[sign.kind].fr} — ${where} — ${parts} — depuis ${sign.since} — q = ${q.replace('.', ',')} — ${sign.ticketCount} ticket(s)`
    : `${KIND[sign.kind].en} — ${where} — ${parts} — since ${sign.since} — q = ${q} — ${sign.ticketCount} ticket(s)`;
}

export const SIGN_LABELS = KIND;
