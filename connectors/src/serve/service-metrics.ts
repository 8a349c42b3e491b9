/** Prometheus text exposition of the automation service's counters, gauges and latency histograms. */

const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Histogram {
  readonly counts = LATENCY_BUCKETS_SECONDS.map(() => 0);
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    this.sum += seconds;
    this.count += 1;
    LATENCY_BUCKETS_SECONDS.forEach((bound, index) => {
      if (seconds <= bound) this.counts[index]! += 1;
    });
  }
}

export const COUNTERS = {
  events_accepted_total: 'Events committed to the queue (webhooks, survey answers, imports, CSAT pulls).',
  events_duplicate_total: 'Events recognised as already queued (redeliveries), not queued again.',
  events_rejected_total: 'Requests refused (bad signature, stale, replayed, malformed, unauthorised).',
  events_ignored_total:
    'Signed event webhooks about something other than tickets, acknowledged and not queued.',
  events_processed_total: 'Events processed successfully.',
  events_retried_total: 'Processing attempts that failed and were scheduled again.',
  events_dead_lettered_total: 'Events moved to the dead-letter list.',
} as const;

export type CounterName = keyof typeof COUNTERS;

export class ServiceMetrics {
  readonly #counters = new Map<string, number>();
  readonly #accept = new Histogram();
  readonly #decision = new Histogram();

  increment(name: CounterName, labels: Readonly<Record<string, string>> = {}, by = 1): void {
    const key = `${name}${formatLabels(labels)}`;
    this.#counters.set(key, (this.#counters.get(key) ?? 0) + by);
  }

  value(name: CounterName, labels: Readonly<Record<string, string>> = {}): number {
    return this.#counters.get(`${name}${formatLabels(labels)}`) ?? 0;
  }

  observeAcceptLatency(seconds: number): void {
    this.#accept.observe(seconds);
  }

  observeDecisionLatency(seconds: number): void {
    this.#decision.observe(seconds);
  }

  /** The exposition text; `gauges` are read at scrape time (queue depth, dead letters). */
  render(gauges: Readonly<Record<string, { help: string; value: number }>>): string {
    const lines: string[] = [];
    for (const [name, help] of Object.entries(COUNTERS)) {
      lines.push(`# HELP boucle_${name} ${help}`, `# TYPE boucle_${name} counter`);
      const series = [...this.#counters.entries()].filter(
        ([key]) => key === name || key.startsWith(`${name}{`),
      );
      if (series.length === 0) lines.push(`boucle_${name} 0`);
      for (const [key, value] of series) lines.push(`boucle_${key} ${value}`);
    }
    for (const [name, gauge] of Object.entries(gauges)) {
      lines.push(
        `# HELP boucle_${name} ${gauge.help}`,
        `# TYPE boucle_${name} gauge`,
        `boucle_${name} ${gauge.value}`,
      );
    }
    renderHistogram(
      lines,
      'accept_latency_seconds',
      'Time from request received to event committed and answered.',
      this.#accept,
    );
    renderHistogram(
      lines,
      'decision_latency_seconds',
      'Time to gather facts, decide and act on one incident.',
      this.#decision,
    );
    return `${lines.join('\n')}\n`;
  }
}

function renderHistogram(lines: string[], name: string, help: string, histogram: Histogram): void {
  lines.push(`# HELP boucle_${name} ${help}`, `# TYPE boucle_${name} histogram`);
  LATENCY_BUCKETS_SECONDS.forEach((bound, index) => {
    lines.push(`boucle_${name}_bucket{le="${bound}"} ${histogram.counts[index]}`);
  });
  lines.push(`boucle_${name}_bucket{le="+Inf"} ${histogram.count}`);
  lines.push(`boucle_${name}_sum ${histogram.sum}`, `boucle_${name}_count ${histogram.count}`);
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`).join(',')}}`;
}
