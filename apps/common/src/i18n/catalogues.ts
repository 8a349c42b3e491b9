import { translatorOf, type AppLocale, type TranslateWith } from './locale.ts';

/**
 * A location's message catalogues, one module per language, loaded on demand: the page downloads the agent's
 * language only (a dynamic `import()` each, so the bundler makes each catalogue its own small chunk), once the
 * agent's locale is known. `load` resolves when that language's messages are in; `translator` then works
 * synchronously, for render code that cannot wait.
 */
export interface LazyCatalogues<K extends string> {
  /** Loads a language's messages once (later calls share the first load); rejects with a clear error. */
  load(locale: AppLocale): Promise<TranslateWith<K>>;
  /** The translator of a language already loaded; an error naming the missing `load` otherwise. */
  translator(locale: AppLocale): TranslateWith<K>;
}

export type CatalogueLoaders<K extends string> = Readonly<
  Record<AppLocale, () => Promise<Readonly<Record<K, string>>>>
>;

export function lazyCatalogues<K extends string>(loaders: CatalogueLoaders<K>): LazyCatalogues<K> {
  const loading = new Map<AppLocale, Promise<TranslateWith<K>>>();
  const loaded = new Map<AppLocale, TranslateWith<K>>();
  return {
    load(locale) {
      let pending = loading.get(locale);
      if (pending === undefined) {
        pending = loaders[locale]().then(
          (catalogue) => {
            const t = translatorOf(catalogue);
            loaded.set(locale, t);
            return t;
          },
          (error: unknown) => {
            // A later call may try again (a dropped connection should not stick for the page's lifetime).
            loading.delete(locale);
            const detail = error instanceof Error ? error.message : String(error);
            throw new Error(`The ${locale} messages could not be loaded (${detail}): reload the app.`);
          },
        );
        loading.set(locale, pending);
      }
      return pending;
    },
    translator(locale) {
      const t = loaded.get(locale);
      if (t === undefined)
        throw new Error(`i18n: the ${locale} messages are not loaded yet (await load first)`);
      return t;
    },
  };
}
