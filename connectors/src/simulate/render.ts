/** The simulator's outputs: a text table and a small hand-written SVG chart (no chart library). */
import type { Interval, PolicyResult, SimulationResult } from './simulate.ts';

const money = (x: number): string => {
  const abs = Math.abs(x);
  const text =
    abs >= 1e6 ? `${(abs / 1e6).toFixed(2)} M` : abs >= 1e3 ? `${(abs / 1e3).toFixed(1)} k` : abs.toFixed(0);
  return `${x < 0 ? '−' : ''}€${text}`;
};
const span = (i: Interval, f: (x: number) => string): string => `${f(i.mean)} [${f(i.low)}, ${f(i.high)}]`;

/** The comparison table, one line per policy. */
export function formatTable(sim: SimulationResult): string {
  const header = [
    'policy',
    'actions (none/apology/callback/compensation)',
    'churned [5–95%]',
    'value retained',
    'cost',
    'net value',
    'net vs nothing [5–95%]',
    'callbacks',
    'min/day vs capacity',
    'late',
  ];
  const rows = sim.results.map((r) => [
    r.label,
    `${r.actions.none}/${r.actions.apology}/${r.actions.callback}/${r.actions.compensation}`,
    span(r.churned, (x) => x.toFixed(1)),
    money(r.valueRetained.mean),
    money(r.cost),
    money(r.netValue.mean),
    span(r.netVsNothing, money),
    String(r.callbacks),
    `${r.callbackMinutesPerDay.toFixed(1)} / ${sim.capacityMinutesPerDay}`,
    String(r.lateCallbacks),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `${sim.incidents} incidents of ${sim.customers} customers, ${money(sim.valueAtStake)} of 24-month margin at stake; ${sim.runs} outcome draws; callback capacity ${sim.capacityMinutesPerDay} agent-minutes/day.`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ].join('\n');
}

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Panel {
  readonly title: string;
  readonly value: (r: PolicyResult) => number;
  readonly range?: (r: PolicyResult) => Interval;
  readonly format: (x: number) => string;
  readonly color: string;
}

/** Three bar panels (net value vs nothing, intervention cost, customers lost), one bar per policy. */
export function renderChart(sim: SimulationResult): string {
  const panels: Panel[] = [
    {
      title: 'Net value vs doing nothing',
      value: (r) => r.netVsNothing.mean,
      range: (r) => r.netVsNothing,
      format: money,
      color: '#1f73b7',
    },
    { title: 'Intervention cost', value: (r) => r.cost, format: money, color: '#ed961c' },
    {
      title: 'Customers lost',
      value: (r) => r.churned.mean,
      range: (r) => r.churned,
      format: (x) => x.toFixed(0),
      color: '#cc3340',
    },
  ];
  const labelWidth = 190;
  const panelWidth = 250;
  const gap = 30;
  const barHeight = 22;
  const rowGap = 12;
  const top = 74;
  const results = sim.results;
  const height = top + results.length * (barHeight + rowGap) + 46;
  const width = labelWidth + panels.length * (panelWidth + gap) + 10;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="13" role="img" aria-labelledby="title">`,
    `<title id="title">Boucle policy simulator: net value, cost and customers lost per policy</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="17" font-weight="600" fill="#2f3941">Which follow-up policy pays? ${sim.incidents} generated incidents, ${sim.customers} customers</text>`,
    `<text x="16" y="46" fill="#68737d">Mean over ${sim.runs} outcome draws; whiskers: 5–95%. Outcome model separate from Boucle's (docs/simulator.md).</text>`,
  ];
  results.forEach((r, i) => {
    const y = top + i * (barHeight + rowGap);
    parts.push(
      `<text x="${labelWidth - 10}" y="${y + barHeight / 2 + 4}" text-anchor="end" fill="#2f3941"${r.policy === 'boucle' ? ' font-weight="700"' : ''}>${esc(r.label)}</text>`,
    );
  });
  panels.forEach((panel, p) => {
    const x0 = labelWidth + p * (panelWidth + gap);
    const values = results.map(panel.value);
    const highs = results.map((r) => (panel.range ? panel.range(r).high : panel.value(r)));
    const lows = results.map((r) => (panel.range ? panel.range(r).low : panel.value(r)));
    const max = Math.max(1e-9, ...highs, ...values);
    const min = Math.min(0, ...lows, ...values);
    const scale = (panelWidth - 60) / (max - min);
    const zero = x0 + (0 - min) * scale;
    parts.push(`<text x="${x0}" y="${top - 12}" font-weight="600" fill="#2f3941">${esc(panel.title)}</text>`);
    parts.push(
      `<line x1="${zero}" y1="${top - 4}" x2="${zero}" y2="${top + results.length * (barHeight + rowGap) - rowGap + 4}" stroke="#c2c8cc"/>`,
    );
    results.forEach((r, i) => {
      const y = top + i * (barHeight + rowGap);
      const v = panel.value(r);
      const bx = Math.min(zero, zero + v * scale);
      const bw = Math.max(1, Math.abs(v * scale));
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${y}" width="${bw.toFixed(1)}" height="${barHeight}" fill="${panel.color}" fill-opacity="${r.policy === 'boucle' ? 1 : 0.55}"/>`,
      );
      if (panel.range) {
        const rg = panel.range(r);
        const lx = zero + rg.low * scale;
        const hx = zero + rg.high * scale;
        const my = y + barHeight / 2;
        parts.push(
          `<line x1="${lx.toFixed(1)}" y1="${my}" x2="${hx.toFixed(1)}" y2="${my}" stroke="#2f3941" stroke-width="1.2"/>`,
          `<line x1="${lx.toFixed(1)}" y1="${my - 5}" x2="${lx.toFixed(1)}" y2="${my + 5}" stroke="#2f3941" stroke-width="1.2"/>`,
          `<line x1="${hx.toFixed(1)}" y1="${my - 5}" x2="${hx.toFixed(1)}" y2="${my + 5}" stroke="#2f3941" stroke-width="1.2"/>`,
        );
      }
      const end = panel.range ? Math.max(zero + panel.range(r).high * scale, bx + bw) : bx + bw;
      parts.push(
        `<text x="${(end + 5).toFixed(1)}" y="${y + barHeight / 2 + 4}" font-size="12" fill="#2f3941">${esc(panel.format(v))}</text>`,
      );
    });
  });
  parts.push(
    `<text x="16" y="${height - 14}" font-size="12" fill="#68737d">Capacity ${sim.capacityMinutesPerDay} agent-minutes/day; value = 24-month margin of each incident customer. Reproduce: npm run simulate</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
