import { formatMoney as formatSharedMoney } from '../../../../shared/src/index.ts';
import type { AppLocale } from '../../../common/src/i18n/locale.ts';
import type { MessageKey } from './en.ts';

export {
  formatDate,
  formatDateTime,
  formatDecimal,
  toSidebarLocale,
  type SidebarLocale,
} from '../../../common/src/i18n/locale.ts';
export type { MessageKey };
export { createTranslator, loadMessages, type Translate } from './catalogue.ts';

/** Money as `shared/` formats it in the explanation: one format for every card and sentence. */
export function formatMoney(locale: AppLocale, amount: number): string {
  return formatSharedMoney(amount, locale);
}
