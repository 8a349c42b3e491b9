import type { ZendeskSettings } from '../config/zendesk.ts';
import { ZendeskApiError, ZendeskClient, type JobStatus } from '../zendesk/index.ts';
import type { ZendeskItemResult, ZendeskKind, ZendeskSink } from './outbox.ts';

/**
 * The sync's Zendesk side, on Boucle's Zendesk client: users through `users/create_or_update_many` (matched by
 * external_id), organisations through `organizations/create_many` (new) and `organizations/update_many` (known
 * Zendesk id) — Zendesk has no create_or_update_many for organisations. A batch that mixes both sends two jobs;
 * the job id the outbox stores then names both, with the positions of the created ones, so results map back.
 */
export interface JobPolling {
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
}

export function createZendeskSink(
  settings: ZendeskSettings,
  onEvent?: (event: string, data: Record<string, unknown>) => void,
): ZendeskSink {
  const client = new ZendeskClient({
    baseUrl: settings.url,
    auth: { kind: 'apiToken', email: settings.email, token: settings.apiToken },
    requestsPerMinute: settings.requestsPerMinute,
    ...(onEvent === undefined ? {} : { onEvent: (event) => onEvent(`zendesk.${event.type}`, { ...event }) }),
  });
  return sinkOver(client, { pollIntervalMs: 200, maxPollIntervalMs: 2000 });
}

export function sinkOver(client: ZendeskClient, polling: JobPolling = {}): ZendeskSink {
  const wait = async (jobId: string): Promise<JobStatus | undefined> => {
    try {
      return await client.waitForJob(jobId, polling);
    } catch (error) {
      if (error instanceof ZendeskApiError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  };
  return {
    get calls() {
      return client.calls;
    },
    get budget() {
      return client.budget;
    },
    async submit(kind: ZendeskKind, records: readonly Record<string, unknown>[]): Promise<string> {
      if (kind === 'user') return `u:${(await client.createOrUpdateManyUsers(records)).id}`;
      const creates: number[] = [];
      const toCreate: Record<string, unknown>[] = [];
      const toUpdate: Record<string, unknown>[] = [];
      records.forEach((record, index) => {
        if (typeof record.id === 'number') toUpdate.push(record);
        else {
          creates.push(index);
          toCreate.push(record);
        }
      });
      const created = toCreate.length === 0 ? '' : (await client.createManyOrganizations(toCreate)).id;
      const updated = toUpdate.length === 0 ? '' : (await client.updateManyOrganizations(toUpdate)).id;
      return `o:${created}:${updated}:${creates.join('.')}`;
    },
    async applied(kind, records) {
      const out = new Map<number, number>();
      const externalIds = records.map((r) => String(r.external_id));
      const list: readonly Record<string, unknown>[] =
        kind === 'user'
          ? await client.showManyUsers({ externalIds })
          : await client.showManyOrganizations({ externalIds });
      const found = new Map(list.map((record) => [String(record.external_id), record]));
      records.forEach((payload, index) => {
        const current = found.get(String(payload.external_id));
        if (current !== undefined && holds(kind, current, payload) && typeof current.id === 'number')
          out.set(index, current.id);
      });
      return out;
    },
    async results(jobId: string, count: number): Promise<readonly ZendeskItemResult[] | undefined> {
      if (jobId.startsWith('u:')) {
        const outcome = await wait(jobId.slice(2));
        return outcome === undefined
          ? undefined
          : mapResults(
              outcome,
              Array.from({ length: count }, (_, i) => i),
            );
      }
      const [, created = '', updated = '', list = ''] = jobId.split(':');
      const createIndexes = list === '' ? [] : list.split('.').map(Number);
      const createSet = new Set(createIndexes);
      const updateIndexes = Array.from({ length: count }, (_, i) => i).filter((i) => !createSet.has(i));
      const out: ZendeskItemResult[] = [];
      for (const [job, indexes] of [
        [created, createIndexes],
        [updated, updateIndexes],
      ] as const) {
        if (job === '' || indexes.length === 0) continue;
        const outcome = await wait(job);
        if (outcome === undefined) return undefined;
        out.push(...mapResults(outcome, indexes));
      }
      return out;
    },
  };
}

/** Whether the Zendesk record already carries every value of the payload. */
function holds(
  kind: ZendeskKind,
  current: Record<string, unknown>,
  payload: Record<string, unknown>,
): boolean {
  const fieldsKey = kind === 'user' ? 'user_fields' : 'organization_fields';
  for (const [key, value] of Object.entries(payload)) {
    if (key === 'id') continue;
    if (key === fieldsKey) {
      const fields = (current[fieldsKey] ?? {}) as Record<string, unknown>;
      for (const [field, wanted] of Object.entries(value as Record<string, unknown>))
        if (!same(fields[field], wanted)) return false;
      continue;
    }
    if (!same(current[key], value)) return false;
  }
  return true;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'string' && typeof b === 'string') {
    // Zendesk answers date fields as YYYY-MM-DDT00:00:00+00:00 for a YYYY-MM-DD sent.
    if (/^\d{4}-\d{2}-\d{2}$/.test(b) && a.startsWith(`${b}T00:00:00`)) return true;
    return a.toLowerCase() === b.toLowerCase();
  }
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string'))
    return Number(a) === Number(b);
  return false;
}

/** Job results → per-record results at the batch positions `positions` (results carry their own `index`). */
function mapResults(outcome: JobStatus, positions: readonly number[]): ZendeskItemResult[] {
  if (outcome.status !== 'completed')
    return positions.map((index) => ({
      index,
      success: false,
      error: `job ${outcome.status}: ${outcome.message ?? ''}`,
    }));
  const byIndex = new Map<number, JobStatus['results'][number]>();
  outcome.results.forEach((result, i) => byIndex.set(result.index ?? i, result));
  return positions.map((position, i) => {
    const result = byIndex.get(i);
    if (result === undefined)
      return { index: position, success: false, error: 'missing from the job results' };
    const failed = result.success === false || result.status === 'Failed' || result.error !== undefined;
    return failed
      ? {
          index: position,
          success: false,
          error: [result.error, result.errors, result.details].filter(Boolean).join(': ') || 'failed',
        }
      : { index: position, success: true, id: typeof result.id === 'number' ? result.id : Number(result.id) };
  });
}
