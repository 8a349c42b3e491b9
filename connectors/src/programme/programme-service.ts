import {
  addMonths,
  PROGRAMME_DIMENSIONS,
  computeLoopFunnel,
  computeProgrammeFromCounts,
  parseProgrammeQuery,
  scanSignalCounts,
  signalWindow,
  type FunnelRow,
  type ProgrammeQueryInput,
  type ProgrammeReport,
  type SignalScan,
} from '../../../shared/src/index.ts';
import type { ProgrammeStore } from './programme-store.ts';

export interface ServiceIssue {
  readonly path: string;
  readonly message: string;
}

export type ServiceResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ServiceIssue[] };

export interface SignalsInput {
  readonly asOf?: string;
  readonly recentMonths?: string;
  readonly baselineMonths?: string;
  readonly minSample?: string;
  readonly by?: string;
}

const CACHE_SIZE = 32;
const caches = new WeakMap<ProgrammeStore, Map<string, { version: string; value: unknown }>>();

/**
 * The last results per store, by query, valid while the data version stays the same (any commit, by this
 * connection or another process — a pull, a sync — changes it): a dashboard that asks the same question again
 * is answered without reading the data again. On a miss the facts are brought up to date first, so a rebuild
 * does not itself invalidate the result it serves.
 */
async function cached<T>(store: ProgrammeStore, key: string, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(store);
  if (cache === undefined) {
    cache = new Map();
    caches.set(store, cache);
  }
  let version = await store.dataVersion();
  const hit = cache.get(key);
  if (hit !== undefined && hit.version === version) return hit.value as T;
  if (await store.ensureFacts()) version = await store.dataVersion();
  const value = await compute();
  cache.delete(key);
  cache.set(key, { version, value });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return value;
}

/**
 * "Now" for reports: the month after the latest answer (a dataset or an export need not end today), or the
 * clock without answers.
 */
async function dataNow(store: ProgrammeStore, clock: () => number): Promise<number> {
  const latest = await store.latestAnswerAt();
  return latest === null ? clock() : addMonths(latest, 1);
}

/** `boucle report programme` and `GET /api/v1/programme`: one reading of the query, one computation. */
export async function queryProgramme(
  store: ProgrammeStore,
  input: ProgrammeQueryInput,
  clock: () => number = Date.now,
): Promise<ServiceResult<ProgrammeReport>> {
  const query = parseProgrammeQuery(input, await dataNow(store, clock));
  if (!query.success) return { ok: false, issues: query.issues };
  const { data } = query;
  return {
    ok: true,
    value: await cached(store, `programme:${JSON.stringify(data)}`, async () =>
      computeProgrammeFromCounts(await store.programmeCounts(data), data),
    ),
  };
}

const whole = (
  path: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  issues: ServiceIssue[],
): number => {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  issues.push({ path, message: `takes a whole number from ${min} to ${max} (got "${raw}").` });
  return fallback;
};

/** `boucle report signals` and `GET /api/v1/signals`. */
export async function querySignals(
  store: ProgrammeStore,
  input: SignalsInput,
  clock: () => number = Date.now,
): Promise<ServiceResult<SignalScan>> {
  const issues: ServiceIssue[] = [];
  let asOfMs = await dataNow(store, clock);
  if (input.asOf !== undefined && input.asOf !== '') {
    const parsed = Date.parse(input.asOf);
    if (!/^\d{4}-\d{2}(-\d{2})?/.test(input.asOf) || Number.isNaN(parsed))
      issues.push({ path: 'as-of', message: `takes a date such as 2026-11-01 (got "${input.asOf}").` });
    else asOfMs = parsed;
  }
  const recentMonths = whole('recent-months', input.recentMonths, 3, 1, 24, issues);
  const baselineMonths = whole('baseline-months', input.baselineMonths, 6, 1, 36, issues);
  const minSample = whole('min-sample', input.minSample, 30, 1, 1_000_000, issues);
  const cuts = parseProgrammeQuery(input.by === undefined ? {} : { by: input.by }, asOfMs);
  if (!cuts.success) issues.push(...cuts.issues);
  if (issues.length > 0 || !cuts.success) return { ok: false, issues };
  const options = {
    asOfMs,
    recentMonths,
    baselineMonths,
    minSample,
    ...(cuts.data.by.length === 0 ? {} : { dimensions: cuts.data.by }),
  };
  return {
    ok: true,
    value: await cached(store, `signals:${JSON.stringify(options)}`, async () => {
      const window = signalWindow(options);
      const counts = await store.signalCounts(window, options.dimensions ?? PROGRAMME_DIMENSIONS);
      // The scan asks for its evidence synchronously: scan, read what it asked, scan again until it asks nothing new.
      const evidence = await store.signalEvidence(window);
      for (;;) {
        const scan = scanSignalCounts(counts, evidence.evidence, options);
        if (!(await evidence.load())) return scan;
      }
    }),
  };
}

/** `boucle report funnel`: the loop funnel of every recorded decision, by cut. */
export async function queryFunnel(
  store: ProgrammeStore,
  input: { readonly by?: string; readonly retentionDays?: string },
  clock: () => number = Date.now,
): Promise<ServiceResult<{ asOfMs: number; retentionDays: number; rows: FunnelRow[] }>> {
  const issues: ServiceIssue[] = [];
  const retentionDays = whole('retention-days', input.retentionDays, 90, 1, 3650, issues);
  const asOfMs = clock();
  const cuts = parseProgrammeQuery(input.by === undefined ? {} : { by: input.by }, asOfMs);
  if (!cuts.success) issues.push(...cuts.issues);
  if (issues.length > 0 || !cuts.success) return { ok: false, issues };
  return {
    ok: true,
    value: {
      asOfMs,
      retentionDays,
      rows: computeLoopFunnel(await store.readFunnel(), { asOfMs, retentionDays, by: cuts.data.by }),
    },
  };
}
