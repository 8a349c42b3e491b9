import { formatMoney as formatSharedMoney } from '../../../../shared/src/index.ts';
import { translatorOf, type AppLocale, type TranslateWith } from '../../../common/src/i18n/locale.ts';
import { en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';

export {
  formatDate,
  formatDateTime,
  formatDecimal,
  toSidebarLocale,
  type SidebarLocale,
} from '../../../common/src/i18n/locale.ts';
export type { MessageKey };

const CATALOGUES: Record<AppLocale, Record<MessageKey, string>> = { en, fr };

export type Translate = TranslateWith<MessageKey>;

/** Money as `shared/` formats it in the explanation: one format for every card and sentence. */
export function formatMoney(locale: AppLocale, amount: number): string {
  return formatSharedMoney(amount, locale);
}

/** The sidebar's translator for one locale (its own messages, the shared placeholder rules). */
export function createTranslator(locale: AppLocale): Translate {
  return translatorOf(CATALOGUES[locale]);
}
