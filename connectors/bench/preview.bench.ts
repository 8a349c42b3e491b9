/**
 * Part of `npm run bench` (after the decision bench): the preview of a draft policy over stored incidents.
 *
 * Fills an intervention ledger (a SQLite file in a temporary folder) with 300k incidents over the last 12
 * months, each recorded with its decision input and the decision of the current policy (the bench's 24 rules),
 * then previews a draft policy (another callback cost, a rule that forbids compensations under 2,000 € at risk)
 * over the latest 30k, 100k and 300k of them, each in a fresh child process: median wall time of the preview
 * (read, decide, compare, aggregate), peak RSS and heap after the preview. Prints figures; asserts nothing.
 * `-- --incidents 300000 --runs 5` change the size and the runs per count. The preview runs in the connector: the
 * admin console (issue 15) asks the connector for it over HTTP, so there is no browser path to measure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_NOW, BENCH_RULES, makeBenchInputs } from '../../shared/bench/bench-data.ts';
import { createDecider, parseSettings } from '../../shared/src/index.ts';
import type { Settings, SettingsInput } from '../../shared/src/index.ts';
import { AUTOMATION_SCHEMA } from '../src/loop/automation-schema.ts';
import { InterventionLedger, decisionFields } from '../src/loop/intervention-ledger.ts';
import { createPreviewPool, previewDraftPolicy } from '../src/loop/preview-policy.ts';
import { openStore } from '../src/store/index.ts';
import { sqliteSql } from '../src/store/sql.ts';

const DAY = 86_400_000;
const DISTINCT_INPUTS = 4_000;

function settings(raw: SettingsInput): Settings {
  const parsed = parseSettings(raw);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}

const CURRENT: SettingsInput = { rules: BENCH_RULES };
const DRAFT: SettingsInput = {
  costs: { callbackMinutes: 25 },
  rules: [
    ...BENCH_RULES,
    {
      name: 'draft-no-small-compensation',
      priority: 20,
      conditions: { all: [{ fact: 'value.atRisk', operator: 'lessThan', value: 2_000 }] },
      event: { params: { forbid: ['compensation'] } },
    },
  ],
};

interface ChildFigures {
  readonly incidents: number;
  readonly milliseconds: number[];
  /** CPU seconds of each timed preview, every thread of the process (the workers') together. */
  readonly cpuSeconds: number[];
  readonly oneThreadMs: number;
  readonly maxRssMb: number;
  readonly heapUsedMb: number;
  readonly rssBeforeMb: number;
  readonly changed: number;
  readonly costChange: number;
  readonly callbackChange: number;
  readonly previewable: number;
}

/**
 * In the child: preview the draft over the window `runs` times with the connector's parallel preview (one
 * worker thread per core), then once in this thread alone; print the figures as JSON.
 */
async function child(path: string, from: number, runs: number): Promise<void> {
  const draft = settings(DRAFT);
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const milliseconds: number[] = [];
  const cpuSeconds: number[] = [];
  const pool = createPreviewPool(path);
  // A first preview warms the threads up, as the admin's first draft does.
  let preview = await pool.preview(draft, { from });
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    preview = await pool.preview(draft, { from });
    milliseconds.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuSeconds.push((used.user + used.system) / 1e6);
  }
  await pool.close();
  const store = openStore(path, [AUTOMATION_SCHEMA]);
  const start = performance.now();
  const alone = previewDraftPolicy(store.db, draft, { from });
  const oneThreadMs = performance.now() - start;
  if (JSON.stringify(alone) !== JSON.stringify(preview)) throw new Error('one thread and workers disagree');
  const figures: ChildFigures = {
    incidents: preview.incidents,
    milliseconds,
    cpuSeconds,
    oneThreadMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
    rssBeforeMb,
    changed: preview.changed,
    costChange: preview.cost.change,
    callbackChange: preview.callbacks.change,
    previewable: preview.previewable,
  };
  store.close();
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** The ledger: `count` incidents, one every (365 days / count) back from BENCH_NOW, decided by CURRENT. */
async function fill(path: string, count: number): Promise<void> {
  const store = openStore(path, [AUTOMATION_SCHEMA]);
  const sql = sqliteSql(store);
  const ledger = new InterventionLedger(sql);
  const decider = createDecider(settings(CURRENT));
  const inputs = makeBenchInputs(DISTINCT_INPUTS, 18);
  const nowMs = Date.parse(BENCH_NOW);
  const step = (365 * DAY) / count;
  await sql.transaction(async () => {
    for (let index = 0; index < count; index += 1) {
      const decidedAt = new Date(Math.round(nowMs - index * step));
      const base = inputs[index % DISTINCT_INPUTS]!;
      const input = { ...base, id: `preview-${index}` };
      const decision = decider.decide(input, decidedAt.getTime());
      await ledger.record({
        decisionKey: `bench-${index}`,
        ticketId: index,
        userId: index % 7_000,
        ...decisionFields(decision),
        summary: '',
        decidedAt,
        dueAt: decision.callbackDueAt === null ? null : new Date(decision.callbackDueAt),
        input,
      });
    }
  });
  store.close();
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const { values: args } = parseArgs({
  options: {
    child: { type: 'string' },
    from: { type: 'string' },
    runs: { type: 'string', default: '5' },
    incidents: { type: 'string', default: '300000' },
    /** Keeps the filled ledger at this path (and reuses it when it exists), for profiling. */
    keep: { type: 'string' },
  },
});

if (args.child !== undefined) {
  await child(args.child, Number(args.from), Number(args.runs));
} else {
  const total = Number(args.incidents);
  const runs = Number(args.runs);
  const cores = availableParallelism();
  const loadAtStart = loadavg()[0]!;
  const rows: { incidents: number; seconds: number; maxRssMb: number }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'boucle-preview-bench-'));
  try {
    const path = args.keep ?? join(dir, 'boucle.db');
    let start = performance.now();
    if (args.keep === undefined || !existsSync(path)) await fill(path, total);
    const fillSeconds = (performance.now() - start) / 1000;
    const nowMs = Date.parse(BENCH_NOW);
    const step = (365 * DAY) / total;
    console.log(
      `\nPolicy preview bench — ${total} stored incidents over 12 months (${DISTINCT_INPUTS} distinct inputs), ledger filled in ${fillSeconds.toFixed(1)} s`,
    );
    console.log(
      `draft: callback 25 min, compensations forbidden under 2,000 € at risk; per count, in a fresh process: a first preview, then ${runs} with ${Math.min(4, availableParallelism())} warm worker threads (median, min), then one in a single thread; CPU s: the median preview's CPU time, all threads (other processes do not inflate it: on ${Math.min(4, availableParallelism())} free cores the preview takes about CPU s / ${Math.min(4, availableParallelism())})`,
    );
    console.log(
      `${'incidents'.padEnd(11)}${'median s'.padStart(10)}${'min s'.padStart(8)}${'1 thread s'.padStart(12)}${'CPU s'.padStart(8)}${'per s'.padStart(10)}${'RSS before MB'.padStart(15)}${'peak RSS MB'.padStart(13)}${'heap MB'.padStart(9)}${'changed'.padStart(9)}${'€ cost Δ'.padStart(14)}${'callbacks Δ'.padStart(13)}`,
    );
    const counts = [Math.round(total / 10), Math.round(total / 3), total];
    for (const count of counts) {
      // The latest `count` incidents: decided within the window from the count-th newest one.
      const from = Math.round(nowMs - (count - 1) * step);
      start = performance.now();
      const result = spawnSync(
        process.execPath,
        [import.meta.filename, '--child', path, '--from', String(from), '--runs', String(runs)],
        { encoding: 'utf8' },
      );
      if (result.status !== 0) throw new Error(`preview child failed: ${result.stderr}`);
      const figures = JSON.parse(result.stdout) as ChildFigures;
      const seconds = median(figures.milliseconds) / 1000;
      rows.push({ incidents: figures.incidents, seconds, maxRssMb: figures.maxRssMb });
      console.log(
        `${String(figures.incidents).padEnd(11)}${seconds.toFixed(2).padStart(10)}${(Math.min(...figures.milliseconds) / 1000).toFixed(2).padStart(8)}${(figures.oneThreadMs / 1000).toFixed(2).padStart(12)}${median(figures.cpuSeconds).toFixed(2).padStart(8)}${Math.round(
          figures.incidents / seconds,
        )
          .toString()
          .padStart(
            10,
          )}${figures.rssBeforeMb.toFixed(0).padStart(15)}${figures.maxRssMb.toFixed(0).padStart(13)}${figures.heapUsedMb.toFixed(0).padStart(9)}${String(figures.changed).padStart(9)}${figures.costChange.toFixed(2).padStart(14)}${String(figures.callbackChange).padStart(13)}`,
      );
    }
    const [first, last] = [rows[0]!, rows[rows.length - 1]!];
    const rssGrowth = last.maxRssMb / first.maxRssMb;
    console.log(
      `targets (issue 18): ${last.incidents} incidents ≤ 2 s median: ${last.seconds <= 2 ? 'met' : 'NOT met'} (${last.seconds.toFixed(2)} s); memory flat from ${first.incidents} to ${last.incidents}: ${rssGrowth <= 1.5 ? 'met' : 'NOT met'} (peak RSS ${first.maxRssMb.toFixed(0)} → ${last.maxRssMb.toFixed(0)} MB, ×${rssGrowth.toFixed(2)} for ×${(last.incidents / first.incidents).toFixed(0)} incidents)`,
    );
    console.log(
      'browser path: none — the preview runs in the connector; the admin console (issue 15) asks the connector for it over HTTP',
    );
    const loadAtEnd = loadavg()[0]!;
    const busiest = Math.max(loadAtStart, loadAtEnd);
    console.log(
      busiest > cores - 0.5
        ? `UNFIT TO JUDGE: the 1-minute load average was ${loadAtStart.toFixed(1)} at the start and ${loadAtEnd.toFixed(1)} at the end on ${cores} cores — the worker threads shared the cores with other processes, so the times overstate the preview. Run again on a quieter machine (load below ${(cores - 0.5).toFixed(1)}).`
        : `fit to judge: 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end, on ${cores} cores`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
