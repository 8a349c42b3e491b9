import type { LocalizedText, Priority, ValueTier } from '../domain/vocabulary.ts';

/**
 * The value tiers and ticket priorities in the reader's language: one list for the explanations, the console's
 * queues and its rule builder. A module of its own so that a screen that needs only these words does not pull in
 * the explanations' other labels.
 */
export const TIER_LABELS: Readonly<Record<ValueTier, LocalizedText>> = {
  platinum: { en: 'platinum', fr: 'platine' },
  gold: { en: 'gold', fr: 'or' },
  silver: { en: 'silver', fr: 'argent' },
  bronze: { en: 'bronze', fr: 'bronze' },
};

export const PRIORITY_LABELS: Readonly<Record<Priority, LocalizedText>> = {
  low: { en: 'low', fr: 'basse' },
  normal: { en: 'normal', fr: 'normale' },
  high: { en: 'high', fr: 'haute' },
  urgent: { en: 'urgent', fr: 'urgente' },
};
