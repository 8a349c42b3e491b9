import type { IGardenTheme } from '@zendeskgarden/react-theming';

declare module 'styled-components' {
  // Garden's theme is the styled-components theme of the whole app.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefaultTheme extends IGardenTheme {}
}
