import { styled } from 'styled-components';
import { getColor as gardenGetColor } from '@zendeskgarden/react-theming';
import type { DefaultTheme } from 'styled-components';

/** Garden's `getColor`, typed without its lodash memoize wrapper (whose types are not installed). */
export const getColor = gardenGetColor as unknown as (options: {
  theme: DefaultTheme;
  variable?: string;
  hue?: string;
  shade?: number;
}) => string;

export const Stack = styled.div`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.sm};
  padding: ${(p) => p.theme.space.xs} 0;
`;

export const Section = styled.section`
  border-top: ${(p) => p.theme.borders.sm} ${(p) => getColor({ theme: p.theme, variable: 'border.subtle' })};
  padding-top: ${(p) => p.theme.space.sm};
  &:first-child {
    border-top: none;
    padding-top: 0;
  }
`;

export const SectionTitle = styled.h2`
  margin: 0 0 ${(p) => p.theme.space.xs};
  font-size: ${(p) => p.theme.fontSizes.sm};
  font-weight: ${(p) => p.theme.fontWeights.semibold};
  text-transform: uppercase;
  letter-spacing: 0.04em;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

export const FactGrid = styled.dl`
  display: grid;
  grid-template-columns: auto 1fr;
  gap: 2px ${(p) => p.theme.space.sm};
  margin: 0;
  font-size: ${(p) => p.theme.fontSizes.md};
  dt {
    color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  }
  dd {
    margin: 0;
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
`;

export const Muted = styled.p`
  margin: 0;
  font-size: ${(p) => p.theme.fontSizes.sm};
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

export const PlainList = styled.ul`
  list-style: none;
  margin: 0;
  padding: 0;
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.xs};
  font-size: ${(p) => p.theme.fontSizes.sm};
`;

export const Row = styled.div`
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: ${(p) => p.theme.space.xs};
  flex-wrap: wrap;
`;
