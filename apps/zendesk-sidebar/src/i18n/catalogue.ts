import { lazyCatalogues } from '../../../common/src/i18n/catalogues.ts';
import type { AppLocale, TranslateWith } from '../../../common/src/i18n/locale.ts';
import type { MessageKey } from './en.ts';

/**
 * The sidebar's messages, one chunk per language: the page loads the agent's language only, as soon as the
 * boot has read the agent's locale (apps/zendesk-sidebar/src/app/boot.ts), alongside the ticket's reads. Kept
 * apart from `i18n.ts` so the page's entry reaches neither `shared/` nor the other language.
 */
const catalogues = lazyCatalogues<MessageKey>({
  en: () => import('./en.ts').then((module) => module.en),
  fr: () => import('./fr.ts').then((module) => module.fr),
});

export type Translate = TranslateWith<MessageKey>;

/** Loads the agent's language once; the boot awaits it, so every render after the boot can translate. */
export function loadMessages(locale: AppLocale): Promise<Translate> {
  return catalogues.load(locale);
}

/** The sidebar's translator for one locale whose messages are loaded (see `loadMessages`). */
export function createTranslator(locale: AppLocale): Translate {
  return catalogues.translator(locale);
}
