import { translatorOf, type AppLocale, type TranslateWith } from '../../../common/src/i18n/locale.ts';
import { en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';

export {
  formatDate,
  formatDateTime,
  formatDecimal,
  formatMoney,
  toSidebarLocale,
  type SidebarLocale,
} from '../../../common/src/i18n/locale.ts';
export type { MessageKey };

const CATALOGUES: Record<AppLocale, Record<MessageKey, string>> = { en, fr };

export type Translate = TranslateWith<MessageKey>;

/** The sidebar's translator for one locale (its own messages, the shared placeholder rules). */
export function createTranslator(locale: AppLocale): Translate {
  return translatorOf(CATALOGUES[locale]);
}
