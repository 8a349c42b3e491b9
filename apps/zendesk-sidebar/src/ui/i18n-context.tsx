import { createContext, useContext, type ReactNode } from 'react';
import { createTranslator, type SidebarLocale, type Translate } from '../i18n/i18n.ts';

interface I18n {
  readonly locale: SidebarLocale;
  readonly t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ locale, children }: { locale: SidebarLocale; children: ReactNode }) {
  return (
    <I18nContext.Provider value={{ locale, t: createTranslator(locale) }}>{children}</I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used within I18nProvider');
  return value;
}
