import type {
  AuditRecord,
  CommentRecord,
  CustomObjectDataRecord,
  CustomObjectFieldRecord,
  CustomObjectRecordDef,
  FieldRecord,
  GroupRecord,
  JobStatusRecord,
  JsonObject,
  JsonValue,
  OrganizationRecord,
  SatisfactionRatingRecord,
  TicketFieldRecord,
  TicketRecord,
  TriggerRecord,
  UserRecord,
  WebhookRecord,
} from './types.ts';

/** Turns stored records into the JSON Zendesk sends (with `url`s on the emulator's base URL). */
export class Serializer {
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  user(user: UserRecord): JsonObject {
    const { credentials: _credentials, ...rest } = user;
    return {
      ...rest,
      url: `${this.base}/api/v2/users/${user.id}.json`,
      shared: false,
      shared_agent: false,
      moderator: user.role !== 'end-user',
      only_private_comments: false,
      restricted_agent: user.role === 'agent',
      ticket_restriction: user.role === 'end-user' ? 'requested' : null,
      two_factor_auth_enabled: false,
      photo: null,
      custom_role_id: null,
      report_csv: user.role === 'admin',
      shared_phone_number: null,
      user_fields: { ...user.user_fields },
      tags: [...user.tags],
    };
  }

  organization(org: OrganizationRecord): JsonObject {
    return {
      ...org,
      url: `${this.base}/api/v2/organizations/${org.id}.json`,
      domain_names: [...org.domain_names],
      tags: [...org.tags],
      organization_fields: { ...org.organization_fields },
    };
  }

  group(group: GroupRecord): JsonObject {
    return { ...group, url: `${this.base}/api/v2/groups/${group.id}.json`, is_public: true };
  }

  ticket(ticket: TicketRecord): JsonObject {
    return {
      ...ticket,
      url: `${this.base}/api/v2/tickets/${ticket.id}.json`,
      raw_subject: ticket.subject,
      recipient: null,
      forum_topic_id: null,
      problem_id: null,
      has_incidents: false,
      is_public: true,
      sharing_agreement_ids: [],
      followup_ids: [],
      allow_channelback: false,
      allow_attachments: true,
      from_messaging_channel: false,
      fields: ticket.custom_fields.map((f) => ({ ...f })),
      custom_fields: ticket.custom_fields.map((f) => ({ ...f })),
      tags: [...ticket.tags],
      custom_status_id: null,
      encoded_id: `B${ticket.id.toString(36).toUpperCase()}-XK${ticket.id % 97}`,
      via: structuredClone(ticket.via) as unknown as JsonValue,
      satisfaction_rating:
        ticket.satisfaction_rating === null ? null : structuredClone(ticket.satisfaction_rating),
    };
  }

  comment(comment: CommentRecord): JsonObject {
    const { ticket_id: _ticketId, ...rest } = comment;
    return {
      ...rest,
      type: 'Comment',
      attachments: [],
      metadata: { system: { client: 'Boucle sandbox', ip_address: '127.0.0.1' }, custom: {} },
      via: structuredClone(comment.via) as unknown as JsonValue,
    };
  }

  audit(audit: AuditRecord): JsonObject {
    return structuredClone(audit) as unknown as JsonObject;
  }

  field(field: FieldRecord, kind: 'user' | 'organization'): JsonObject {
    return {
      id: field.id,
      url: `${this.base}/api/v2/${kind}_fields/${field.id}.json`,
      key: field.key,
      type: field.type,
      title: field.title,
      raw_title: field.title,
      description: field.description,
      raw_description: field.description,
      position: field.position,
      active: field.active,
      system: false,
      regexp_for_validation: field.regexp_for_validation,
      tag: field.tag,
      created_at: field.created_at,
      updated_at: field.updated_at,
      ...(field.custom_field_options === null
        ? {}
        : {
            custom_field_options: field.custom_field_options.map((o) => ({
              ...o,
              url: `${this.base}/api/v2/${kind}_fields/${field.id}/options/${o.id}.json`,
            })),
          }),
      ...(field.relationship_target_type === null
        ? {}
        : { relationship_target_type: field.relationship_target_type, relationship_filter: {} }),
    };
  }

  ticketField(field: TicketFieldRecord): JsonObject {
    return {
      ...field,
      url: `${this.base}/api/v2/ticket_fields/${field.id}.json`,
      raw_title: field.title,
      raw_description: field.description,
      title_in_portal: field.title,
      raw_title_in_portal: field.title,
      collapsed_for_agents: false,
      regexp_for_validation: null,
      required_in_portal: false,
      agent_description: null,
      removable: true,
      sub_type_id: 0,
      custom_field_options:
        field.custom_field_options === null
          ? null
          : field.custom_field_options.map((o) => ({ ...o, default: false })),
    };
  }

  customObject(object: CustomObjectRecordDef): JsonObject {
    return {
      ...object,
      url: `${this.base}/api/v2/custom_objects/${object.key}.json`,
      raw_title: object.title,
      raw_title_pluralized: object.title_pluralized,
      raw_description: object.description,
      allows_photos: false,
      allows_attachments: false,
    };
  }

  customObjectField(field: CustomObjectFieldRecord): JsonObject {
    const base = this.field(field, 'user');
    return {
      ...base,
      url: `${this.base}/api/v2/custom_objects/${field.object_key}/fields/${field.id}.json`,
      system: field.system,
    };
  }

  customRecord(record: CustomObjectDataRecord): JsonObject {
    return {
      ...record,
      url: `${this.base}/api/v2/custom_objects/${record.custom_object_key}/records/${record.id}.json`,
      custom_object_fields: { ...record.custom_object_fields },
      photo: null,
    };
  }

  satisfactionRating(rating: SatisfactionRatingRecord): JsonObject {
    return { ...rating, url: `${this.base}/api/v2/satisfaction_ratings/${rating.id}.json` };
  }

  jobStatus(job: JobStatusRecord): JsonObject {
    return {
      id: job.id,
      url: `${this.base}/api/v2/job_statuses/${job.id}.json`,
      job_type: job.job_type,
      status: job.status,
      total: job.total,
      progress: job.progress,
      message: job.message,
      results: job.results === null ? null : structuredClone(job.results),
    };
  }

  webhook(webhook: WebhookRecord): JsonObject {
    const { signing_secret: _secret, authentication, ...rest } = webhook;
    return {
      ...rest,
      custom_headers: { ...webhook.custom_headers },
      subscriptions: [...webhook.subscriptions],
      ...(authentication === null
        ? {}
        : {
            authentication: {
              type: authentication['type'] ?? null,
              add_position: authentication['add_position'] ?? 'header',
            },
          }),
    };
  }

  trigger(trigger: TriggerRecord): JsonObject {
    return {
      ...(structuredClone(trigger) as unknown as JsonObject),
      url: `${this.base}/api/v2/triggers/${trigger.id}.json`,
      raw_title: trigger.title,
      default: false,
    };
  }
}
