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

export function formatMoney(locale: SidebarLocale, amount: number, currency = 'EUR'): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
  }).format(amount);
}

export function formatDate(locale: SidebarLocale, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

export function formatDateTime(locale: SidebarLocale, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(date);
}
