import { formatMoney as formatSharedMoney } from '../../../../shared/src/index.ts';
import { en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';

export type SidebarLocale = 'en' | 'fr';
export type { MessageKey };

const CATALOGUES: Record<SidebarLocale, Record<MessageKey, string>> = { en, fr };

/** The agent's Zendesk locale (`fr`, `fr-CA`, `en-US`…) → the sidebar's language; English otherwise. */
export function toSidebarLocale(zendeskLocale: string | null | undefined): SidebarLocale {
  return zendeskLocale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** A translator for one locale: `{{name}}` placeholders are replaced; a missing value is an error. */
export function createTranslator(locale: SidebarLocale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, values = {}) =>
    catalogue[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`i18n: "${key}" needs a value for {{${name}}}`);
      return String(value);
    });
}

/** Intl formatters cost far more to build than to use: one per locale and options, built on first use. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => T): T {
  let existing = formatters.get(key) as T | undefined;
  if (existing === undefined) {
    existing = build();
    formatters.set(key, existing);
  }
  return existing;
}
const intlLocale = (locale: SidebarLocale) => (locale === 'fr' ? 'fr-FR' : 'en-GB');

/** Money as `shared/` formats it in the explanation: one format for every card and sentence. */
export function formatMoney(locale: SidebarLocale, amount: number): string {
  return formatSharedMoney(amount, locale);
}

/** A plain decimal with the locale's separator (`2.00`, `2,00`), cheap enough for the start-up path. */
export function formatDecimal(locale: SidebarLocale, value: number, digits: number): string {
  const text = value.toFixed(digits);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

export function formatDate(locale: SidebarLocale, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(
    `date:${locale}`,
    () =>
      new Intl.DateTimeFormat(intlLocale(locale), {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }),
  ).format(date);
}

export function formatDateTime(locale: SidebarLocale, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(
    `datetime:${locale}`,
    () =>
      new Intl.DateTimeFormat(intlLocale(locale), {
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'UTC',
        timeZoneName: 'short',
      }),
  ).format(date);
}
