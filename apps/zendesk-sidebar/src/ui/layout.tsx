import { styled } from 'styled-components';
import { DEFAULT_THEME, getColor as gardenGetColor } from '@zendeskgarden/react-theming';
import type { DefaultTheme } from 'styled-components';

/** Garden's `getColor`, typed without its lodash memoize wrapper (whose types are not installed). */
export const getColor = gardenGetColor as unknown as (options: {
  theme: DefaultTheme;
  variable?: string;
  hue?: string;
  shade?: number;
}) => string;

/**
 * The sidebar always renders with Garden's default theme (app.tsx), so its own styles read it here once: static
 * styles are generated once per component by styled-components, not once per element.
 */
export const theme: DefaultTheme = DEFAULT_THEME;

export const Stack = styled.div`
  display: flex;
  flex-direction: column;
  gap: ${theme.space.sm};
  padding: ${theme.space.xs} 0;
`;

export const Section = styled.section`
  border-top: ${theme.borders.sm} ${getColor({ theme, variable: 'border.subtle' })};
  padding-top: ${theme.space.sm};
  &:first-child {
    border-top: none;
    padding-top: 0;
  }
`;

export const SectionTitle = styled.h2`
  margin: 0 0 ${theme.space.xs};
  font-size: ${theme.fontSizes.sm};
  font-weight: ${theme.fontWeights.semibold};
  text-transform: uppercase;
  letter-spacing: 0.04em;
  color: ${getColor({ theme, variable: 'foreground.subtle' })};
`;

export const FactGrid = styled.dl`
  display: grid;
  grid-template-columns: auto 1fr;
  gap: 2px ${theme.space.sm};
  margin: 0;
  font-size: ${theme.fontSizes.md};
  dt {
    color: ${getColor({ theme, variable: 'foreground.subtle' })};
  }
  dd {
    margin: 0;
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
`;

export const Muted = styled.p`
  margin: 0;
  font-size: ${theme.fontSizes.sm};
  color: ${getColor({ theme, variable: 'foreground.subtle' })};
`;

export const PlainList = styled.ul`
  list-style: none;
  margin: 0;
  padding: 0;
  display: flex;
  flex-direction: column;
  gap: ${theme.space.xs};
  font-size: ${theme.fontSizes.sm};
`;

export const Row = styled.div`
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: ${theme.space.xs};
  flex-wrap: wrap;
`;
