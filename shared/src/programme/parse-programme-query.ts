import { z } from 'zod';
import { parseIsoMs } from '../domain/time.ts';
import { PROGRAMME_BUCKETS, type ProgrammeQuery } from './compute-programme.ts';
import { PROGRAMME_DIMENSIONS, type ProgrammeDimension, addMonths } from './programme-facts.ts';

/** What the CLI flags and the HTTP query string give: text, all optional. */
export const programmeQueryInputSchema = z.strictObject({
  from: z.string().optional(),
  to: z.string().optional(),
  by: z.string().optional(),
  bucket: z.string().optional(),
});
export type ProgrammeQueryInput = z.infer<typeof programmeQueryInputSchema>;

export interface ProgrammeQueryIssue {
  readonly path: string;
  readonly message: string;
}

export type ParseProgrammeQueryResult =
  | { readonly success: true; readonly data: ProgrammeQuery }
  | { readonly success: false; readonly issues: readonly ProgrammeQueryIssue[] };

const dateSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/**
 * Reads a period and cuts. `from`/`to` are dates (`2026-01-01`, `to` exclusive) or instants; without them the
 * period is the 12 calendar months before the month of `nowMs`. `by` is a comma list of PROGRAMME_DIMENSIONS,
 * `bucket` is week or month. Every bad value is reported, with what to write instead.
 */
export function parseProgrammeQuery(input: ProgrammeQueryInput, nowMs: number): ParseProgrammeQueryResult {
  const issues: ProgrammeQueryIssue[] = [];
  const readDate = (path: 'from' | 'to', fallback: number): number => {
    const raw = input[path];
    if (raw === undefined || raw === '') return fallback;
    if (!dateSchema.safeParse(raw).success) {
      issues.push({ path, message: `"${raw}" is not a date; write 2026-01-01 or 2026-01-01T00:00:00Z.` });
      return fallback;
    }
    return parseIsoMs(raw);
  };
  const toMs = readDate('to', addMonths(nowMs, 0));
  const fromMs = readDate('from', addMonths(toMs, -12));
  if (issues.length === 0 && fromMs >= toMs)
    issues.push({ path: 'from', message: 'from must be before to (to is exclusive).' });
  const by: ProgrammeDimension[] = [];
  for (const raw of (input.by ?? '').split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!(PROGRAMME_DIMENSIONS as readonly string[]).includes(name))
      issues.push({
        path: 'by',
        message: `"${name}" is not a cut; use ${PROGRAMME_DIMENSIONS.join(', ')}.`,
      });
    else if (!by.includes(name as ProgrammeDimension)) by.push(name as ProgrammeDimension);
  }
  const bucket = input.bucket === undefined || input.bucket === '' ? null : input.bucket;
  if (bucket !== null && !(PROGRAMME_BUCKETS as readonly string[]).includes(bucket))
    issues.push({ path: 'bucket', message: `"${bucket}" is not a bucket; use week or month.` });
  if (issues.length > 0) return { success: false, issues };
  return {
    success: true,
    data: { fromMs, toMs, by, bucket: bucket as ProgrammeQuery['bucket'] },
  };
}
