/**
 * The console's charts, drawn as SVG with visx (scales, shapes and axes; no chart engine): every mark is a DOM
 * element with a text label, so a bar can take the keyboard focus, say what it is to a screen reader, and open
 * its tickets with Enter. This module is a lazy chunk: the console's first view does not wait for it.
 */
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear, scalePoint } from '@visx/scale';
import { Bar, LinePath } from '@visx/shape';
import type { KeyboardEvent } from 'react';

const INK = '#2f3941';
const MUTED = '#68737d';
const BLUE = '#1f73b7';
const LIGHT_BLUE = '#cee2f2';
const GRID = '#e9ebed';
const RED = '#cc3340';

export interface SeriesPoint {
  readonly label: string;
  readonly value: number | null;
  readonly low?: number | null;
  readonly high?: number | null;
}

/** A time series with its 95 % interval as a band; points without a value are gaps. */
export function LineChart({
  points,
  format,
  title,
  width = 640,
  height = 220,
  domain,
}: {
  points: readonly SeriesPoint[];
  format: (value: number) => string;
  title: string;
  width?: number;
  height?: number;
  domain?: readonly [number, number];
}) {
  const margin = { top: 12, right: 16, bottom: 28, left: 48 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const values = points
    .flatMap((p) => [p.value, p.low, p.high])
    .filter((v): v is number => typeof v === 'number');
  const [min, max] = domain ?? [Math.min(...values), Math.max(...values)];
  const x = scalePoint({ domain: points.map((p) => p.label), range: [0, innerW], padding: 0.3 });
  const y = scaleLinear({ domain: [min, max], range: [innerH, 0], nice: true });
  const defined = points.filter((p) => p.value !== null);
  const band = defined.filter((p) => typeof p.low === 'number' && typeof p.high === 'number');
  const bandPath =
    band.length > 1
      ? `M${band.map((p) => `${x(p.label)},${y(p.high!)}`).join('L')}L${[...band]
          .reverse()
          .map((p) => `${x(p.label)},${y(p.low!)}`)
          .join('L')}Z`
      : '';
  return (
    <svg
      width="100%"
      style={{ maxWidth: width, display: 'block' }}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
      data-values={points.map((p) => (p.value === null ? '' : p.value.toFixed(3))).join(' ')}
    >
      <title>{title}</title>
      <Group left={margin.left} top={margin.top}>
        {y.ticks(4).map((tick) => (
          <line key={tick} x1={0} x2={innerW} y1={y(tick)} y2={y(tick)} stroke={GRID} />
        ))}
        {bandPath !== '' && <path d={bandPath} fill={LIGHT_BLUE} opacity={0.7} />}
        <LinePath
          data={defined}
          x={(p) => x(p.label) ?? 0}
          y={(p) => y(p.value!)}
          stroke={BLUE}
          strokeWidth={2}
        />
        {defined.map((p) => (
          <circle key={p.label} cx={x(p.label)} cy={y(p.value!)} r={3.5} fill={BLUE}>
            <title>{`${p.label}: ${format(p.value!)}`}</title>
          </circle>
        ))}
        <AxisLeft
          scale={y}
          numTicks={4}
          tickFormat={(v) => format(Number(v))}
          stroke={GRID}
          tickStroke={GRID}
          tickLabelProps={{ fill: MUTED, fontSize: 11, textAnchor: 'end', dx: -4, dy: 3 }}
        />
        <AxisBottom
          top={innerH}
          scale={x}
          stroke={GRID}
          tickStroke={GRID}
          tickLabelProps={{ fill: MUTED, fontSize: 11, textAnchor: 'middle' }}
        />
      </Group>
    </svg>
  );
}

export interface BarDatum {
  readonly key: string;
  readonly label: string;
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Too few answers to read much into it: drawn lighter, said in its label. */
  readonly small: boolean;
  /** The accessible name: value, sample, interval. */
  readonly description: string;
  /** Shown after the value, e.g. the sample: "n = 54". */
  readonly note?: string;
}

/** Horizontal bars with their interval as a whisker; each bar is a button that selects its cut. */
export function BarChart({
  bars,
  format,
  title,
  selected,
  onSelect,
  width = 640,
  domain,
  smallLabel,
}: {
  bars: readonly BarDatum[];
  format: (value: number) => string;
  title: string;
  selected: string | null;
  onSelect: (key: string) => void;
  width?: number;
  domain?: readonly [number, number];
  smallLabel: string;
}) {
  const rowH = 30;
  const margin = { top: 8, right: 170, bottom: 28, left: 150 };
  const innerW = width - margin.left - margin.right;
  const innerH = bars.length * rowH;
  const height = innerH + margin.top + margin.bottom;
  const values = bars.flatMap((b) => [b.value, b.high]).filter((v): v is number => typeof v === 'number');
  const x = scaleLinear({
    domain: domain ? [...domain] : [Math.min(0, ...values), Math.max(...values, 0)],
    range: [0, innerW],
    nice: true,
  });
  const y = scaleBand({ domain: bars.map((b) => b.key), range: [0, innerH], padding: 0.25 });
  const zero = x(Math.max(0, x.domain()[0]!));
  const keyDown = (event: KeyboardEvent<SVGGElement>, key: string) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(key);
    }
  };
  return (
    <svg
      width="100%"
      style={{ maxWidth: width, display: 'block' }}
      viewBox={`0 0 ${width} ${height}`}
      role="group"
      aria-label={title}
    >
      <Group left={margin.left} top={margin.top}>
        {x.ticks(5).map((tick) => (
          <line key={tick} x1={x(tick)} x2={x(tick)} y1={0} y2={innerH} stroke={GRID} />
        ))}
        {bars.map((b) => {
          const top = y(b.key) ?? 0;
          const h = y.bandwidth();
          const value = b.value ?? 0;
          const isSelected = b.key === selected;
          return (
            <g
              key={b.key}
              role="button"
              tabIndex={0}
              aria-pressed={isSelected}
              aria-label={b.description}
              data-bar={b.key}
              style={{ cursor: 'pointer', outline: 'none' }}
              onClick={() => onSelect(b.key)}
              onKeyDown={(e) => keyDown(e, b.key)}
              className="console-bar"
            >
              <rect
                x={-margin.left}
                y={top - 3}
                width={width}
                height={h + 6}
                fill={isSelected ? '#edf7ff' : 'transparent'}
              />
              <text x={-8} y={top + h / 2} dy="0.35em" textAnchor="end" fontSize={12} fill={INK}>
                {b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label}
              </text>
              <Bar
                x={Math.min(zero, x(value))}
                y={top}
                width={Math.abs(x(value) - zero)}
                height={h}
                fill={b.small ? LIGHT_BLUE : isSelected ? '#144a75' : BLUE}
                rx={2}
              />
              {b.low !== null && b.high !== null && (
                <g stroke={INK} strokeWidth={1.2}>
                  <line x1={x(b.low)} x2={x(b.high)} y1={top + h / 2} y2={top + h / 2} />
                  <line x1={x(b.low)} x2={x(b.low)} y1={top + 3} y2={top + h - 3} />
                  <line x1={x(b.high)} x2={x(b.high)} y1={top + 3} y2={top + h - 3} />
                </g>
              )}
              <text x={innerW + 8} y={top + h / 2} dy="0.35em" fontSize={12} fill={b.small ? MUTED : INK}>
                {b.value === null ? '—' : format(b.value)}
                {b.note === undefined ? '' : ` · ${b.note}`}
                {b.small ? ` · ${smallLabel}` : ''}
              </text>
            </g>
          );
        })}
        <AxisBottom
          top={innerH}
          scale={x}
          numTicks={5}
          tickFormat={(v) => format(Number(v))}
          stroke={GRID}
          tickStroke={GRID}
          tickLabelProps={{ fill: MUTED, fontSize: 11, textAnchor: 'middle' }}
        />
      </Group>
      <style>{'.console-bar:focus-visible rect:first-child { stroke: #1f73b7; stroke-width: 2px; }'}</style>
    </svg>
  );
}

export interface FunnelDatum {
  readonly label: string;
  readonly count: number;
  /** Share of the previous step, e.g. "62 %", or null for the first step. */
  readonly share: string | null;
}

/** The loop funnel: one bar per step, as long as its count, with the share kept from the step before. */
export function FunnelChart({
  steps,
  title,
  width = 640,
}: {
  steps: readonly FunnelDatum[];
  title: string;
  width?: number;
}) {
  const rowH = 28;
  const margin = { left: 150, right: 110 };
  const innerW = width - margin.left - margin.right;
  const max = Math.max(1, ...steps.map((s) => s.count));
  const x = scaleLinear({ domain: [0, max], range: [0, innerW] });
  const height = steps.length * rowH + 4;
  return (
    <svg
      width="100%"
      style={{ maxWidth: width, display: 'block' }}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
    >
      <title>{title}</title>
      {steps.map((s, i) => (
        <g key={s.label} transform={`translate(0, ${i * rowH + 2})`}>
          <text x={margin.left - 8} y={rowH / 2} dy="0.35em" textAnchor="end" fontSize={12} fill={INK}>
            {s.label}
          </text>
          <rect
            x={margin.left}
            y={4}
            width={Math.max(1, x(s.count))}
            height={rowH - 8}
            fill={i === 0 ? '#5293c7' : BLUE}
            rx={2}
          />
          <text
            x={margin.left + Math.max(1, x(s.count)) + 6}
            y={rowH / 2}
            dy="0.35em"
            fontSize={12}
            fill={INK}
          >
            {s.count}
            {s.share === null ? '' : ` · ${s.share}`}
          </text>
        </g>
      ))}
    </svg>
  );
}

export const DANGER = RED;
