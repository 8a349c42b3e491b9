/**
 * requirements.json, generated from the data model in shared/src/zendesk/data-model.ts: the CRM user and
 * organisation fields, the two custom objects (v2) with their fields, Boucle's ticket fields, and the webhook +
 * trigger that send ticket events to the connector. Limits: reference/zendesk-apps.md §2.4 (checked by the
 * preflight validator).
 */
import {
  BOUCLE_TAGS,
  CRM_FIELD_KEYS,
  CRM_FIELD_TYPES,
  CUSTOM_OBJECT_KEYS,
  FEEDBACK_FIELD_KEYS,
  INTERVENTION_FIELD_KEYS,
  TICKET_FIELD_TITLES,
} from '../../../shared/src/index.ts';

const CRM_TITLES: Record<keyof typeof CRM_FIELD_KEYS, string> = {
  valueTier: 'Boucle value tier',
  lifetimeRevenue: 'Boucle lifetime revenue',
  revenue12m: 'Boucle revenue (12 months)',
  marginRate: 'Boucle margin rate',
  orders12m: 'Boucle orders (12 months)',
  lastOrderDate: 'Boucle last order date',
  openPipeline: 'Boucle open pipeline',
  customerSince: 'Boucle customer since',
  segment: 'Boucle segment',
  region: 'Boucle region',
  productLine: 'Boucle product line',
  recentTransactions: 'Boucle recent transactions (JSON)',
  crmSyncedAt: 'Boucle CRM synced at',
};

const options = (values: readonly string[]) =>
  values.map((value) => ({ name: value.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()), value }));

type Field = { key: string; title: string; type: string; object_key: string; [extra: string]: unknown };

function objectFields(
  objectKey: string,
  fields: [key: string, title: string, type: string, extra?: object][],
): Field[] {
  return fields.map(([key, title, type, extra]) => ({ key, title, type, object_key: objectKey, ...extra }));
}

const userLookup = { relationship_target_type: 'zen:user' };

export function buildRequirements() {
  const crmFields = (kind: 'user' | 'organization') =>
    Object.fromEntries(
      (Object.keys(CRM_FIELD_KEYS) as (keyof typeof CRM_FIELD_KEYS)[]).map((name) => [
        `${kind}_${CRM_FIELD_KEYS[name]}`,
        {
          key: CRM_FIELD_KEYS[name],
          title: CRM_TITLES[name],
          type: CRM_FIELD_TYPES[name],
          description: 'Synced from Salesforce by the Boucle connector. Do not edit by hand.',
        },
      ]),
    );
  const feedback = CUSTOM_OBJECT_KEYS.feedback;
  const intervention = CUSTOM_OBJECT_KEYS.intervention;
  const F = FEEDBACK_FIELD_KEYS;
  const I = INTERVENTION_FIELD_KEYS;
  return {
    user_fields: crmFields('user'),
    organization_fields: crmFields('organization'),
    custom_objects_v2: {
      objects: [
        {
          key: feedback,
          title: 'Boucle feedback',
          title_pluralized: 'Boucle feedback',
          include_in_list_view: true,
        },
        {
          key: intervention,
          title: 'Boucle intervention',
          title_pluralized: 'Boucle interventions',
          include_in_list_view: true,
        },
      ],
      object_fields: [
        ...objectFields(feedback, [
          [
            F.kind,
            'Kind',
            'dropdown',
            { custom_field_options: options(['nps', 'csat', 'ces', 'company_effort']) },
          ],
          [F.score, 'Score', 'text'],
          [F.scale, 'Scale', 'text'],
          [F.comment, 'Comment', 'textarea'],
          [F.channel, 'Channel', 'text'],
          [F.touchpoint, 'Touchpoint', 'text'],
          [F.respondedAt, 'Responded at', 'text'],
          [F.ticketId, 'Ticket id', 'text'],
          [F.userId, 'Customer', 'lookup', userLookup],
          [F.source, 'Source', 'text'],
        ]),
        ...objectFields(intervention, [
          [I.ticketId, 'Ticket id', 'text'],
          [I.userId, 'Customer', 'lookup', userLookup],
          [
            I.action,
            'Action',
            'dropdown',
            { custom_field_options: options(['none', 'apology', 'callback', 'compensation']) },
          ],
          [I.compensationTier, 'Compensation tier', 'text'],
          [
            I.priority,
            'Priority',
            'dropdown',
            { custom_field_options: options(['low', 'normal', 'high', 'urgent']) },
          ],
          [I.expectedValue, 'Expected value', 'decimal'],
          [I.cost, 'Cost', 'decimal'],
          [
            I.status,
            'Status',
            'dropdown',
            {
              custom_field_options: options(['recommended', 'applied', 'overridden', 'contacted', 'closed']),
            },
          ],
          [I.dueAt, 'Callback due (UTC)', 'text'],
          [
            I.outcome,
            'Outcome',
            'dropdown',
            { custom_field_options: options(['contacted', 'resolved', 'compensated', 'recovered', 'lost']) },
          ],
          [I.overrideReason, 'Override reason', 'textarea'],
          [I.decidedAt, 'Decided at', 'text'],
          [I.summary, 'Explanation', 'textarea'],
        ]),
      ],
    },
    ticket_fields: {
      boucle_intervention: {
        title: TICKET_FIELD_TITLES.intervention,
        type: 'tagger',
        description: 'Set by Boucle when an agent applies an intervention.',
        custom_field_options: (['none', 'apology', 'callback', 'compensation'] as const).map((action) => ({
          name: action.replace(/^./, (c) => c.toUpperCase()),
          value: BOUCLE_TAGS.action(action),
        })),
      },
      boucle_callback_due: {
        title: TICKET_FIELD_TITLES.callbackDueAt,
        type: 'regexp',
        regexp_for_validation: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z$',
        description: 'When the customer must have been called back (ISO 8601, UTC).',
      },
    },
    webhooks: {
      boucle_connector: {
        name: 'Boucle connector',
        status: 'active',
        endpoint: '{{setting.connector_url}}/webhooks/zendesk',
        http_method: 'POST',
        request_format: 'json',
        subscriptions: ['conditional_ticket_events'],
        authentication: {
          type: 'bearer_token',
          add_position: 'header',
          data: { token: '{{setting.connector_token}}' },
        },
      },
    },
    triggers: {
      boucle_ticket_events: {
        title: 'Boucle: send ticket events to the connector',
        conditions: {
          all: [],
          any: [
            { field: 'update_type', operator: 'is', value: 'Create' },
            { field: 'status', operator: 'changed', value: null },
            { field: 'satisfaction_score', operator: 'changed', value: null },
            { field: 'current_tags', operator: 'includes', value: BOUCLE_TAGS.followUp },
          ],
        },
        actions: [
          {
            field: 'notification_webhook',
            value: [
              'boucle_connector',
              JSON.stringify({
                ticket_id: '{{ticket.id}}',
                requester_id: '{{ticket.requester.id}}',
                status: '{{ticket.status}}',
                priority: '{{ticket.priority}}',
                tags: '{{ticket.tags}}',
                satisfaction: '{{satisfaction.current_rating}}',
                updated_at: '{{ticket.updated_at_with_timestamp}}',
              }),
            ],
          },
        ],
      },
    },
  };
}
