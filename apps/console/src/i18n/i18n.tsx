import { createContext, useContext, type ReactNode } from 'react';
// shared/'s money format from its module, not shared/'s index (which would bring zod into the console's entry).
import { formatMoney as formatSharedMoney } from '../../../../shared/src/explain/render-explanation.ts';
import {
  formatDate,
  formatDecimal,
  translatorOf,
  type AppLocale,
  type TranslateWith,
} from '../../../common/src/i18n/locale.ts';
import { en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';

export type { MessageKey };
export type Translate = TranslateWith<MessageKey>;

const CATALOGUES: Record<AppLocale, Record<MessageKey, string>> = { en, fr };

export interface ConsoleI18n {
  readonly locale: AppLocale;
  readonly t: Translate;
  /** A share 0…1 as a whole percentage: 73 %. */
  readonly percent: (rate: number | null) => string;
  readonly decimal: (value: number | null, digits: number) => string;
  readonly money: (amount: number) => string;
  readonly date: (iso: string) => string;
  /** `2026-08` → Aug 2026 / août 2026. */
  readonly month: (yyyyMm: string) => string;
}

export function consoleI18n(locale: AppLocale): ConsoleI18n {
  const monthFormat = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return {
    locale,
    t: translatorOf(CATALOGUES[locale]),
    percent: (rate) => (rate === null ? '—' : `${Math.round(rate * 100)}${locale === 'fr' ? ' %' : '%'}`),
    decimal: (value, digits) => (value === null ? '—' : formatDecimal(locale, value, digits)),
    money: (amount) => formatSharedMoney(amount, locale),
    date: (iso) => formatDate(locale, iso),
    month: (yyyyMm) => monthFormat.format(new Date(`${yyyyMm}-01T00:00:00Z`)),
  };
}

const Context = createContext<ConsoleI18n | null>(null);

export function I18nProvider({ value, children }: { value: ConsoleI18n; children: ReactNode }) {
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): ConsoleI18n {
  const value = useContext(Context);
  if (value === null) throw new Error('useI18n must be used within I18nProvider');
  return value;
}
