import { DEFAULT_THEME, ThemeProvider } from '@zendeskgarden/react-theming';
import type { ReactNode } from 'react';

/** Zendesk Garden's default theme: the one look both locations of the app render in. */
export const gardenTheme = DEFAULT_THEME;

export function GardenTheme({ children }: { children: ReactNode }) {
  return <ThemeProvider theme={gardenTheme}>{children}</ThemeProvider>;
}
