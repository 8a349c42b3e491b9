/**
 * What both locations of the app (sidebar, console) share about language: the agent's locale, the translator
 * over a location's own catalogues, and the number and date formats. Each location keeps its own messages.
 */
export type AppLocale = 'en' | 'fr';
/** The sidebar's name for it (kept: the sidebar's modules say SidebarLocale). */
export type SidebarLocale = AppLocale;

/** The agent's Zendesk locale (`fr`, `fr-CA`, `en-US`…) → the app's language; English otherwise. */
export function toAppLocale(zendeskLocale: string | null | undefined): AppLocale {
  return zendeskLocale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
export const toSidebarLocale = toAppLocale;

export type TranslateWith<K extends string> = (key: K, values?: Record<string, string | number>) => string;

/** A translator over one catalogue: `{{name}}` placeholders are replaced; a missing value is an error. */
export function translatorOf<K extends string>(catalogue: Readonly<Record<K, string>>): TranslateWith<K> {
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
const intlLocale = (locale: AppLocale) => (locale === 'fr' ? 'fr-FR' : 'en-GB');

// Money is `shared/`'s `formatMoney` (explain/render-explanation.ts), one format for every card and sentence:
// each location imports it its own way (the console from its module, so zod stays out of its entry).

/** A plain decimal with the locale's separator (`2.00`, `2,00`), cheap enough for the start-up path. */
export function formatDecimal(locale: AppLocale, value: number, digits: number): string {
  const text = value.toFixed(digits);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

export function formatDate(locale: AppLocale, iso: string): string {
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

export function formatDateTime(locale: AppLocale, iso: string): string {
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
