import type { ZendeskApi } from '../zaf/zendesk-api.ts';
import { FEEDBACK_FIELD_KEYS, INTERVENTION_FIELD_KEYS } from '../../../../shared/src/zendesk/data-model.ts';
import {
  FEEDBACK_OBJECT,
  INTERVENTION_OBJECT,
  readCrmValues,
  readFeedbackRecord,
  readInterventionRecord,
  type CrmFieldKeys,
  type CustomObjectRecord,
  type FeedbackRecord,
  type InterventionRecord,
  type RequesterData,
} from './zendesk-records.ts';

interface UserResponse {
  user?: {
    id: number;
    name?: string;
    email?: string | null;
    locale?: string | null;
    organization_id?: number | null;
    user_fields?: Record<string, unknown>;
  };
  organizations?: { id: number; name?: string; organization_fields?: Record<string, unknown> }[];
}

interface RecordsResponse {
  custom_object_records?: CustomObjectRecord[];
}

/** The three reads of a ticket opening, as URLs and bodies (exported for the request-budget tests). */
export function requesterRequests(userId: number) {
  const byUser = (userKey: string) => ({
    filter: { [`custom_object_fields.${userKey}`]: { $eq: String(userId) } },
  });
  return {
    user: `/api/v2/users/${userId}.json?include=organizations`,
    feedback: {
      url: `/api/v2/custom_objects/${FEEDBACK_OBJECT}/records/search?sort=-updated_at&page[size]=100`,
      body: byUser(FEEDBACK_FIELD_KEYS.userId),
    },
    interventions: {
      url: `/api/v2/custom_objects/${INTERVENTION_OBJECT}/records/search?sort=-updated_at&page[size]=100`,
      body: byUser(INTERVENTION_FIELD_KEYS.userId),
    },
  };
}

/**
 * Reads everything about a requester in exactly three parallel requests: the user with their organisations
 * sideloaded, their feedback records, and their intervention records. A failing user read fails the whole load;
 * a failing custom-object read leaves that section empty and is reported in `partialErrors`.
 */
export async function loadRequesterData(
  api: ZendeskApi,
  userId: number,
  keys?: CrmFieldKeys,
): Promise<RequesterData> {
  const requests = requesterRequests(userId);
  const [userResult, feedbackResult, interventionResult] = await Promise.allSettled([
    api.getJson<UserResponse>(requests.user),
    api.sendJson<RecordsResponse>('POST', requests.feedback.url, requests.feedback.body),
    api.sendJson<RecordsResponse>('POST', requests.interventions.url, requests.interventions.body),
  ]);
  if (userResult.status === 'rejected') throw userResult.reason;
  const user = userResult.value.user;
  if (!user) throw new Error(`${requests.user} returned no user`);
  const organization =
    userResult.value.organizations?.find((o) => o.id === user.organization_id) ??
    userResult.value.organizations?.[0] ??
    null;
  const partialErrors: string[] = [];
  const records = <T>(
    result: PromiseSettledResult<RecordsResponse>,
    read: (r: CustomObjectRecord) => T | null,
  ): T[] => {
    if (result.status === 'rejected') {
      partialErrors.push(result.reason instanceof Error ? result.reason.message : String(result.reason));
      return [];
    }
    return (result.value.custom_object_records ?? []).map(read).filter((r): r is T => r !== null);
  };
  const feedback: FeedbackRecord[] = records(feedbackResult, readFeedbackRecord).sort((a, b) =>
    newestFirst(a.respondedAt, b.respondedAt),
  );
  const interventions: InterventionRecord[] = records(interventionResult, readInterventionRecord).sort(
    (a, b) => newestFirst(a.decidedAt, b.decidedAt),
  );
  return {
    user: {
      id: user.id,
      name: user.name ?? '',
      email: user.email ?? null,
      locale: user.locale ?? null,
      organizationId: user.organization_id ?? null,
    },
    organization: organization ? { id: organization.id, name: organization.name ?? '' } : null,
    userFields: user.user_fields ?? null,
    organizationFields: organization?.organization_fields ?? null,
    ...readCrmValues(user.user_fields, organization?.organization_fields, keys, organization !== null),
    feedback,
    interventions,
    partialErrors,
  };
}

/**
 * Orders two instants newest first, by time (offsets differ between sources), undated last. Not `localeCompare`:
 * its first call builds an ICU collator, tens of milliseconds on the sidebar's start-up path.
 */
export function newestFirst(a: string | null, b: string | null): number {
  const time = (iso: string | null) => {
    const ms = iso === null ? Number.NaN : Date.parse(iso);
    return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
  };
  const [ta, tb] = [time(a), time(b)];
  return ta === tb ? 0 : ta < tb ? 1 : -1;
}

/** One load per requester while the app lives: switching back to a ticket of the same customer costs nothing. */
export function createRequesterCache(load: (userId: number) => Promise<RequesterData>) {
  const entries = new Map<number, Promise<RequesterData>>();
  return {
    get(userId: number): Promise<RequesterData> {
      let entry = entries.get(userId);
      if (!entry) {
        entry = load(userId);
        entries.set(userId, entry);
        // A failed load is not cached: the next open retries.
        entry.catch(() => entries.delete(userId));
      }
      return entry;
    },
    /** Replaces the cached data (e.g. after Apply recorded an intervention) without a request. */
    update(userId: number, change: (data: RequesterData) => RequesterData): void {
      const entry = entries.get(userId);
      if (entry) entries.set(userId, entry.then(change));
    },
    invalidate(userId: number): void {
      entries.delete(userId);
    },
  };
}
