import { Skeleton } from '@zendeskgarden/react-loaders';
import { lazy, Suspense, type ReactNode } from 'react';

/** The charts chunk, fetched when the first chart is about to render (not on the console's start-up path). */
const charts = () => import('./charts.tsx');
export const LineChart = lazy(() => charts().then((m) => ({ default: m.LineChart })));
export const BarChart = lazy(() => charts().then((m) => ({ default: m.BarChart })));
export const FunnelChart = lazy(() => charts().then((m) => ({ default: m.FunnelChart })));

export function ChartSlot({ children, height = 160 }: { children: ReactNode; height?: number }) {
  return <Suspense fallback={<Skeleton height={`${height}px`} />}>{children}</Suspense>;
}
