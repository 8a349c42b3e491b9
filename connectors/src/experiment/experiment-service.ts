import {
  addMonths,
  computeExperiment,
  parseProgrammeQuery,
  type ExperimentReport,
  type ExperimentSettings,
} from '../../../shared/src/index.ts';
import type { ServiceIssue, ServiceResult } from '../programme/programme-service.ts';
import type { ProgrammeStore } from '../programme/programme-store.ts';
import type { Sql } from '../store/sql.ts';
import { readExperimentEntries } from './experiment-store.ts';

export interface ExperimentInput {
  readonly from?: string;
  readonly to?: string;
  readonly by?: string;
  readonly retentionDays?: string;
  readonly repeatDays?: string;
}

const whole = (
  path: string,
  raw: string | undefined,
  fallback: number,
  max: number,
  issues: ServiceIssue[],
): number => {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1 && value <= max) return value;
  issues.push({ path, message: `takes a whole number from 1 to ${max} (got "${raw}").` });
  return fallback;
};

/**
 * `boucle report experiment` and `GET /api/v1/experiment`: the decisions of the configured experiment made in
 * [from, to) (default: the 12 months before the start of next month), policy against holdout, by cut.
 * Issue paths use the CLI's spelling (`retention-days`); the API turns them into `retention_days`.
 */
export async function queryExperiment(
  programme: ProgrammeStore,
  sql: Sql,
  experiment: ExperimentSettings,
  input: ExperimentInput,
  clock: () => number = Date.now,
): Promise<ServiceResult<ExperimentReport>> {
  const issues: ServiceIssue[] = [];
  const retentionDays = whole('retention-days', input.retentionDays, 90, 3650, issues);
  const repeatDays = whole('repeat-days', input.repeatDays, 30, 365, issues);
  const asOfMs = clock();
  const query = parseProgrammeQuery(
    {
      ...(input.from === undefined ? {} : { from: input.from }),
      ...(input.to === undefined ? {} : { to: input.to }),
      ...(input.by === undefined ? {} : { by: input.by }),
    },
    addMonths(asOfMs, 1),
  );
  if (!query.success) issues.push(...query.issues);
  if (issues.length > 0 || !query.success) return { ok: false, issues };
  const entries = await readExperimentEntries(sql, await programme.loadCutResolver(), experiment.id);
  return {
    ok: true,
    value: computeExperiment(entries, {
      asOfMs,
      fromMs: query.data.fromMs,
      toMs: query.data.toMs,
      retentionDays,
      repeatDays,
      by: query.data.by,
      experiment,
    }),
  };
}
