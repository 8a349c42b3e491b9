import {
  CUSTOM_OBJECT_KEYS,
  FEEDBACK_FIELD_KEYS,
  INTERVENTION_FIELD_KEYS,
  TICKET_FIELD_TITLES,
} from '../../../shared/src/index.ts';
import type { ZendeskClient } from '../zendesk/index.ts';

/**
 * What the closed loop needs in a Zendesk account, created when missing (idempotent): the two custom objects and
 * their fields, the two ticket fields, the webhook to `boucle serve` and the triggers that call it. This is what
 * the app's requirements.json provisions on install; `boucle serve --provision` does the same for the sandbox.
 */

type FieldSpec = readonly [key: string, type: string, title: string];

const FEEDBACK_FIELDS: readonly FieldSpec[] = [
  [FEEDBACK_FIELD_KEYS.kind, 'text', 'Kind'],
  [FEEDBACK_FIELD_KEYS.score, 'decimal', 'Score'],
  [FEEDBACK_FIELD_KEYS.scale, 'text', 'Scale'],
  [FEEDBACK_FIELD_KEYS.comment, 'textarea', 'Comment'],
  [FEEDBACK_FIELD_KEYS.channel, 'text', 'Channel'],
  [FEEDBACK_FIELD_KEYS.touchpoint, 'text', 'Touchpoint'],
  [FEEDBACK_FIELD_KEYS.respondedAt, 'text', 'Responded at'],
  [FEEDBACK_FIELD_KEYS.ticketId, 'text', 'Ticket id'],
  [FEEDBACK_FIELD_KEYS.userId, 'lookup', 'User'],
  [FEEDBACK_FIELD_KEYS.source, 'text', 'Source'],
];

const INTERVENTION_FIELDS: readonly FieldSpec[] = [
  [INTERVENTION_FIELD_KEYS.ticketId, 'text', 'Ticket id'],
  [INTERVENTION_FIELD_KEYS.userId, 'lookup', 'User'],
  [INTERVENTION_FIELD_KEYS.action, 'text', 'Action'],
  [INTERVENTION_FIELD_KEYS.compensationTier, 'text', 'Compensation tier'],
  [INTERVENTION_FIELD_KEYS.priority, 'text', 'Priority'],
  [INTERVENTION_FIELD_KEYS.expectedValue, 'decimal', 'Expected value'],
  [INTERVENTION_FIELD_KEYS.cost, 'decimal', 'Cost'],
  [INTERVENTION_FIELD_KEYS.status, 'text', 'Status'],
  [INTERVENTION_FIELD_KEYS.dueAt, 'text', 'Callback due at'],
  [INTERVENTION_FIELD_KEYS.outcome, 'text', 'Outcome'],
  [INTERVENTION_FIELD_KEYS.overrideReason, 'textarea', 'Override reason'],
  [INTERVENTION_FIELD_KEYS.decidedAt, 'text', 'Decided at'],
  [INTERVENTION_FIELD_KEYS.summary, 'textarea', 'Summary'],
];

export const WEBHOOK_NAME = 'Boucle closed loop';

/** Trigger bodies: the JSON `boucle serve` reads (see to-webhook-event.ts). */
export const TICKET_EVENT_BODY =
  '{"event":"ticket.updated","ticket_id":"{{ticket.id}}","updated_at":"{{ticket.updated_at_with_timestamp}}"}';
export const RATING_EVENT_BODY =
  '{"event":"satisfaction.rated","ticket_id":"{{ticket.id}}","score":"{{satisfaction.score}}","comment":"{{satisfaction.current_comment}}"}';

export interface ProvisionResult {
  readonly webhookId: string;
  /** The webhook's signing secret: give it to `boucle serve` as BOUCLE_WEBHOOK_SECRET. */
  readonly signingSecret: string;
}

async function ensureObject(
  client: ZendeskClient,
  key: string,
  title: string,
  fields: readonly FieldSpec[],
): Promise<void> {
  const objects = await client.listCustomObjects();
  if (!objects.some((object) => object.key === key)) {
    await client.createCustomObject({
      key,
      title,
      title_pluralized: `${title}s`,
      include_in_list_view: true,
    });
  }
  const existing = new Set((await client.listCustomObjectFields(key)).map((field) => field.key));
  for (const [fieldKey, type, fieldTitle] of fields) {
    if (existing.has(fieldKey)) continue;
    await client.createCustomObjectField(key, {
      key: fieldKey,
      type,
      title: fieldTitle,
      ...(type === 'lookup' ? { relationship_target_type: 'zen:user' } : {}),
    });
  }
}

export async function provisionAutomation(
  client: ZendeskClient,
  serviceUrl: string,
): Promise<ProvisionResult> {
  await ensureObject(client, CUSTOM_OBJECT_KEYS.feedback, 'Boucle feedback', FEEDBACK_FIELDS);
  await ensureObject(client, CUSTOM_OBJECT_KEYS.intervention, 'Boucle intervention', INTERVENTION_FIELDS);
  const ticketFields = new Set((await client.listTicketFields()).map((field) => field.title));
  for (const title of [TICKET_FIELD_TITLES.intervention, TICKET_FIELD_TITLES.callbackDueAt]) {
    if (!ticketFields.has(title)) await client.createTicketField({ type: 'text', title });
  }
  const endpoint = `${serviceUrl.replace(/\/+$/, '')}/webhooks/zendesk`;
  const webhook =
    (await client.listWebhooks()).find(
      (candidate) => candidate.name === WEBHOOK_NAME && candidate.endpoint === endpoint,
    ) ??
    (await client.createWebhook({
      name: WEBHOOK_NAME,
      status: 'active',
      endpoint,
      http_method: 'POST',
      request_format: 'json',
      subscriptions: ['conditional_ticket_events'],
    }));
  const triggers = await client.listTriggers();
  const ensureTrigger = async (title: string, conditions: Record<string, unknown>, body: string) => {
    if (triggers.some((trigger) => trigger.title === title)) return;
    await client.createTrigger({
      title,
      conditions,
      actions: [{ field: 'notification_webhook', value: [webhook.id, body] }],
    });
  };
  await ensureTrigger(
    'Boucle: ticket created or updated',
    {
      all: [],
      any: [
        { field: 'update_type', operator: 'is', value: 'Create' },
        { field: 'update_type', operator: 'is', value: 'Change' },
      ],
    },
    TICKET_EVENT_BODY,
  );
  await ensureTrigger(
    'Boucle: satisfaction rated',
    { all: [{ field: 'satisfaction_score', operator: 'changed', value: null }], any: [] },
    RATING_EVENT_BODY,
  );
  return { webhookId: webhook.id, signingSecret: await client.getWebhookSigningSecret(webhook.id) };
}
