import { createHmac } from 'node:crypto';
import { normaliseTags, type TicketChange, type ZendeskStore } from './store.ts';
import type { JsonValue, TicketRecord, TriggerCondition, TriggerRecord, WebhookRecord } from './types.ts';

/** One webhook request the emulator sent (or tried to), with every attempt. */
export interface WebhookDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly triggerId: number | null;
  readonly ticketId: number | null;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly attempts: { at: string; status: number | null; error: string | null }[];
  outcome: 'pending' | 'delivered' | 'failed';
}

export interface DeliveryOptions {
  /** Waits between attempts; length = number of retries (Zendesk retries a few times). */
  readonly retryDelaysMs: readonly number[];
  readonly timeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** True once the emulator is closing: no more attempts. */
  readonly stopped: () => boolean;
}

const STATUS_TITLES: Readonly<Record<string, string>> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  hold: 'On-hold',
  solved: 'Solved',
  closed: 'Closed',
};

const RATING_TITLES: Readonly<Record<string, string>> = {
  good: "Good, I'm satisfied",
  bad: "Bad, I'm unsatisfied",
  offered: 'Offered',
  unoffered: 'Unoffered',
};

const capitalise = (text: string): string =>
  text === '' ? text : text.charAt(0).toUpperCase() + text.slice(1);

/** Signature Zendesk puts in `X-Zendesk-Webhook-Signature`: base64(HMAC-SHA256(secret, timestamp + body)). */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret)
    .update(timestamp + body)
    .digest('base64');
}

/** The context a trigger run sees. */
export interface TriggerRun {
  readonly change: TicketChange;
  /** Set when the update is a satisfaction rating. */
  readonly ratingChanged: boolean;
}

function conditionMatches(
  store: ZendeskStore,
  condition: TriggerCondition,
  run: TriggerRun,
  ticket: TicketRecord,
): boolean {
  const { change } = run;
  const { field, operator } = condition;
  const value = condition.value;
  const previous = change.previous;
  const valueText = value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

  const compareScalar = (
    current: string | null,
    before: string | null,
    changedKey: string,
    order?: readonly string[],
  ): boolean => {
    switch (operator) {
      case 'is':
        return (current ?? '') === valueText;
      case 'is_not':
        return (current ?? '') !== valueText;
      case 'less_than':
      case 'greater_than': {
        if (order === undefined || current === null) return false;
        const a = order.indexOf(current);
        const b = order.indexOf(valueText);
        return operator === 'less_than' ? a < b : a > b;
      }
      case 'changed':
        return change.changedFields.has(changedKey);
      case 'not_changed':
        return !change.changedFields.has(changedKey);
      case 'value':
        return change.changedFields.has(changedKey) && (current ?? '') === valueText;
      case 'value_previous':
        return change.changedFields.has(changedKey) && (before ?? '') === valueText;
      case 'not_value':
        return change.changedFields.has(changedKey) && (current ?? '') !== valueText;
      case 'not_value_previous':
        return change.changedFields.has(changedKey) && (before ?? '') !== valueText;
      case 'present':
        return current !== null && current !== '';
      case 'not_present':
        return current === null || current === '';
      default:
        return false;
    }
  };

  switch (field) {
    case 'update_type':
      return operator === 'is' ? change.updateType === valueText : change.updateType !== valueText;
    case 'status':
      return compareScalar(ticket.status, previous?.status ?? null, 'status', [
        'new',
        'open',
        'pending',
        'hold',
        'solved',
        'closed',
      ]);
    case 'priority':
      return compareScalar(ticket.priority, previous?.priority ?? null, 'priority', [
        'low',
        'normal',
        'high',
        'urgent',
      ]);
    case 'type':
    case 'ticket_type_id':
      return compareScalar(ticket.type, previous?.type ?? null, 'type');
    case 'group_id':
      return compareScalar(
        ticket.group_id === null ? null : String(ticket.group_id),
        previous?.group_id?.toString() ?? null,
        'group_id',
      );
    case 'assignee_id':
      return compareScalar(
        ticket.assignee_id === null ? null : String(ticket.assignee_id),
        previous?.assignee_id?.toString() ?? null,
        'assignee_id',
      );
    case 'requester_id':
      return compareScalar(
        String(ticket.requester_id),
        previous === null ? null : String(previous.requester_id),
        'requester_id',
      );
    case 'organization_id':
      return compareScalar(
        ticket.organization_id === null ? null : String(ticket.organization_id),
        previous?.organization_id?.toString() ?? null,
        'organization_id',
      );
    case 'current_tags': {
      const wanted = normaliseTags(valueText);
      if (operator === 'includes') return wanted.some((tag) => ticket.tags.includes(tag));
      if (operator === 'not_includes') return !wanted.some((tag) => ticket.tags.includes(tag));
      return false;
    }
    case 'comment_is_public': {
      if (valueText === 'not_relevant') return true;
      const comment = change.comment;
      if (valueText === 'true' || value === true) return comment !== null && comment.public;
      if (valueText === 'false' || value === false) return comment !== null && !comment.public;
      return false;
    }
    case 'comment_includes_word': {
      const text = change.comment?.plain_body.toLowerCase() ?? '';
      const words = valueText
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w !== '');
      const hit = words.some((w) => text.includes(w));
      return operator === 'includes' || operator === 'is' ? change.comment !== null && hit : !hit;
    }
    case 'satisfaction_score': {
      const score = ticket.satisfaction_rating?.score ?? 'unoffered';
      const hasComment = (ticket.satisfaction_rating?.comment ?? '') !== '';
      const matches = (wanted: string): boolean =>
        wanted === score ||
        (wanted === 'good_with_comment' && score === 'good' && hasComment) ||
        (wanted === 'bad_with_comment' && score === 'bad' && hasComment) ||
        (wanted === 'good_without_comment' && score === 'good' && !hasComment) ||
        (wanted === 'bad_without_comment' && score === 'bad' && !hasComment);
      switch (operator) {
        case 'is':
          return matches(valueText);
        case 'is_not':
          return !matches(valueText);
        case 'changed':
          return run.ratingChanged;
        case 'value':
          return run.ratingChanged && matches(valueText);
        default:
          return false;
      }
    }
    case 'role': {
      const role = change.actor.role === 'end-user' ? 'end_user' : 'agent';
      return operator === 'is' ? role === valueText : role !== valueText;
    }
    default: {
      const m = /^custom_fields_(\d+)$/.exec(field);
      if (m?.[1] !== undefined) {
        const id = Number(m[1]);
        const current = ticket.custom_fields.find((f) => f.id === id)?.value ?? null;
        const before = previous?.custom_fields.find((f) => f.id === id)?.value ?? null;
        const asText = (v: JsonValue): string | null =>
          v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
        return compareScalar(asText(current), asText(before), field);
      }
      void store;
      return false;
    }
  }
}

export function triggerMatches(
  store: ZendeskStore,
  trigger: TriggerRecord,
  run: TriggerRun,
  ticket: TicketRecord,
): boolean {
  const all = trigger.conditions.all.every((c) => conditionMatches(store, c, run, ticket));
  const any =
    trigger.conditions.any.length === 0 ||
    trigger.conditions.any.some((c) => conditionMatches(store, c, run, ticket));
  return all && any;
}

/** Renders `{{ticket.id}}`-style placeholders; values are JSON-escaped for JSON webhooks. */
export function renderPlaceholders(
  store: ZendeskStore,
  template: string,
  ticket: TicketRecord,
  base: string,
  escape: 'json' | 'none',
): string {
  const requester = store.users.get(ticket.requester_id);
  const assignee = ticket.assignee_id === null ? undefined : store.users.get(ticket.assignee_id);
  const org = ticket.organization_id === null ? undefined : store.organizations.get(ticket.organization_id);
  const group = ticket.group_id === null ? undefined : store.groups.get(ticket.group_id);
  const comments = store.comments.get(ticket.id) ?? [];
  const latest = comments[comments.length - 1];
  const latestPublic = [...comments].reverse().find((c) => c.public);
  const rating = ticket.satisfaction_rating;
  const values: Record<string, string> = {
    'ticket.id': String(ticket.id),
    'ticket.external_id': ticket.external_id ?? '',
    'ticket.title': ticket.subject,
    'ticket.description': ticket.description,
    'ticket.url': `${base.replace(/^https?:\/\//, '')}/agent/tickets/${ticket.id}`,
    'ticket.link': `${base}/agent/tickets/${ticket.id}`,
    'ticket.status': STATUS_TITLES[ticket.status] ?? ticket.status,
    'ticket.priority': ticket.priority === null ? '-' : capitalise(ticket.priority),
    'ticket.ticket_type': ticket.type === null ? '-' : capitalise(ticket.type),
    'ticket.tags': ticket.tags.join(' '),
    'ticket.via': capitalise(ticket.via.channel),
    'ticket.created_at_with_timestamp': ticket.created_at,
    'ticket.updated_at_with_timestamp': ticket.updated_at,
    'ticket.requester.id': String(ticket.requester_id),
    'ticket.requester.name': requester?.name ?? '',
    'ticket.requester.email': requester?.email ?? '',
    'ticket.requester.external_id': requester?.external_id ?? '',
    'ticket.assignee.id': assignee === undefined ? '' : String(assignee.id),
    'ticket.assignee.name': assignee?.name ?? '',
    'ticket.assignee.email': assignee?.email ?? '',
    'ticket.organization.id': org === undefined ? '' : String(org.id),
    'ticket.organization.name': org?.name ?? '',
    'ticket.organization.external_id': org?.external_id ?? '',
    'ticket.group.id': group === undefined ? '' : String(group.id),
    'ticket.group.name': group?.name ?? '',
    'ticket.latest_comment': latest?.plain_body ?? '',
    'ticket.latest_comment_html': latest?.html_body ?? '',
    'ticket.latest_public_comment': latestPublic?.plain_body ?? '',
    'satisfaction.current_rating': rating === null ? '' : (RATING_TITLES[rating.score] ?? rating.score),
    'satisfaction.current_comment': rating?.comment ?? '',
    'satisfaction.score': rating?.score ?? 'unoffered',
  };
  for (const field of ticket.custom_fields) {
    const v = field.value;
    values[`ticket.ticket_field_${field.id}`] =
      v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined)
      return whole.startsWith('{{ticket.') || whole.startsWith('{{satisfaction.') ? '' : whole;
    return escape === 'json' ? JSON.stringify(value).slice(1, -1) : value;
  });
}

/** The emulated account's id: the `X-Zendesk-Account-Id` header and event webhooks' `account_id`. */
export const ZENDESK_ACCOUNT_ID = 10_000_001;

/** Sends one webhook request with Zendesk's headers and signature, retrying on 5xx, 409, 429 and timeouts. */
export async function deliverWebhook(
  webhook: WebhookRecord,
  body: string,
  delivery: WebhookDelivery,
  options: DeliveryOptions,
  nowIso: () => string,
): Promise<void> {
  const method = webhook.http_method;
  const sendsBody = method !== 'GET' && method !== 'DELETE';
  for (let attempt = 0; attempt <= options.retryDelaysMs.length; attempt += 1) {
    const timestamp = nowIso();
    const signedBody = sendsBody ? body : '';
    const headers: Record<string, string> = {
      'content-type':
        webhook.request_format === 'json'
          ? 'application/json'
          : webhook.request_format === 'xml'
            ? 'application/xml'
            : 'application/x-www-form-urlencoded',
      'user-agent': 'Zendesk Webhook',
      'x-zendesk-account-id': String(ZENDESK_ACCOUNT_ID),
      'x-zendesk-webhook-id': webhook.id,
      'x-zendesk-webhook-invocation-id': delivery.id,
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': signWebhook(webhook.signing_secret.secret, timestamp, signedBody),
      ...webhook.custom_headers,
      ...authHeaders(webhook),
    };
    Object.assign(delivery.headers, headers);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(webhook.endpoint, {
        method,
        headers,
        ...(sendsBody ? { body: signedBody } : {}),
        signal: controller.signal,
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      error = controller.signal.aborted
        ? `timed out after ${options.timeoutMs} ms`
        : (caught as Error).message;
    } finally {
      clearTimeout(timer);
    }
    delivery.attempts.push({ at: timestamp, status, error });
    const retryable = status === null || status >= 500 || status === 409 || status === 429;
    if (!retryable) {
      delivery.outcome = status !== null && status < 300 ? 'delivered' : 'failed';
      return;
    }
    const wait = options.retryDelaysMs[attempt];
    if (wait === undefined) break;
    await options.sleep(wait);
    if (options.stopped()) break;
  }
  delivery.outcome = 'failed';
}

function authHeaders(webhook: WebhookRecord): Record<string, string> {
  const auth = webhook.authentication;
  if (auth === null) return {};
  const data = (
    typeof auth['data'] === 'object' && auth['data'] !== null && !Array.isArray(auth['data'])
      ? auth['data']
      : {}
  ) as Record<string, JsonValue>;
  const text = (v: JsonValue | undefined, fallback: string): string =>
    typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;
  switch (typeof auth['type'] === 'string' ? auth['type'] : '') {
    case 'bearer_token':
      return { authorization: `Bearer ${text(data['token'], '')}` };
    case 'basic_auth':
      return {
        authorization: `Basic ${Buffer.from(`${text(data['username'], '')}:${text(data['password'], '')}`).toString('base64')}`,
      };
    case 'api_key':
      return { [text(data['name'], 'x-api-key').toLowerCase()]: text(data['value'], '') };
    default:
      return {};
  }
}
