import { HttpError } from './errors.ts';
import { isObject, type ZendeskStore } from './store.ts';
import type { UserRecord } from './types.ts';

/** What installing an app's `requirements.json` created: requirement identifier → Zendesk id, per kind. */
export interface InstalledRequirements {
  readonly user_fields: Record<string, number>;
  readonly organization_fields: Record<string, number>;
  readonly ticket_fields: Record<string, number>;
  readonly custom_objects: Record<string, string>;
  readonly webhooks: Record<string, string>;
  readonly triggers: Record<string, number>;
}

const SUPPORTED = new Set([
  'user_fields',
  'organization_fields',
  'ticket_fields',
  'custom_objects_v2',
  'webhooks',
  'triggers',
]);

/** Replaces `{{setting.name}}` with the app's settings (an unknown setting is an error, as at install time). */
function withSettings(value: unknown, settings: Readonly<Record<string, string>>, where: string): unknown {
  if (typeof value === 'string')
    return value.replace(/\{\{\s*setting\.(\w+)\s*\}\}/g, (_, name: string) => {
      const setting = settings[name];
      if (setting === undefined)
        throw new Error(`${where} uses {{setting.${name}}}, which the installation settings lack`);
      return setting;
    });
  if (Array.isArray(value)) return value.map((item) => withSettings(item, settings, where));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSettings(v, settings, where)]));
  return value;
}

function entries(requirements: Record<string, unknown>, kind: string): [string, Record<string, unknown>][] {
  const section = requirements[kind];
  if (section === undefined) return [];
  if (!isObject(section)) throw new Error(`requirements.${kind} must be an object of identifier → payload`);
  return Object.entries(section).map(([id, payload]) => {
    if (!isObject(payload)) throw new Error(`requirements.${kind}.${id} must be an object`);
    return [id, payload];
  });
}

function explain(error: unknown, where: string): Error {
  const detail = error instanceof HttpError ? JSON.stringify(error.body) : (error as Error).message;
  return new Error(`${where}: ${detail}`, { cause: error });
}

/**
 * Installs an app's `requirements.json` the way Zendesk does at app installation: fields, custom objects (v2) and
 * their fields, webhooks, then triggers whose `notification_webhook` actions name a webhook by its requirement
 * identifier (replaced by the created webhook's id). `{{setting.x}}` placeholders take the installation settings.
 * Fields whose key already exists are reused (the seeded CRM fields, or a second installation).
 */
export function installRequirements(
  store: ZendeskStore,
  requirements: unknown,
  settings: Readonly<Record<string, string>>,
  actor: UserRecord,
): InstalledRequirements {
  if (!isObject(requirements)) throw new Error('requirements.json must hold a JSON object');
  for (const key of Object.keys(requirements))
    if (!SUPPORTED.has(key))
      throw new Error(
        `requirements.${key} is not supported by the sandbox (supported: ${[...SUPPORTED].join(', ')})`,
      );
  const installed: InstalledRequirements = {
    user_fields: {},
    organization_fields: {},
    ticket_fields: {},
    custom_objects: {},
    webhooks: {},
    triggers: {},
  };

  for (const kind of ['user', 'organization'] as const) {
    const fields = kind === 'user' ? store.userFields : store.organizationFields;
    for (const [id, payload] of entries(requirements, `${kind}_fields`)) {
      const where = `requirements.${kind}_fields.${id}`;
      const existing = [...fields.values()].find((f) => f.key === payload['key']);
      try {
        installed[`${kind}_fields`][id] =
          existing?.id ??
          store.createField(kind, withSettings(payload, settings, where) as Record<string, unknown>).id;
      } catch (error) {
        throw explain(error, where);
      }
    }
  }
  for (const [id, payload] of entries(requirements, 'ticket_fields')) {
    const where = `requirements.ticket_fields.${id}`;
    const existing = [...store.ticketFields.values()].find((f) => f.title === payload['title']);
    try {
      installed.ticket_fields[id] =
        existing?.id ??
        store.createTicketField(withSettings(payload, settings, where) as Record<string, unknown>).id;
    } catch (error) {
      throw explain(error, where);
    }
  }
  const co = requirements['custom_objects_v2'];
  if (co !== undefined) {
    if (!isObject(co))
      throw new Error('requirements.custom_objects_v2 must be {"objects": [...], "object_fields": [...]}');
    const objects = Array.isArray(co['objects']) ? co['objects'] : [];
    const fields = Array.isArray(co['object_fields']) ? co['object_fields'] : [];
    objects.forEach((object: unknown, index) => {
      const where = `requirements.custom_objects_v2.objects[${index}]`;
      if (!isObject(object)) throw new Error(`${where} must be an object`);
      const key = String(object['key']);
      try {
        if (!store.customObjects.has(key)) store.createCustomObject(object, actor);
        installed.custom_objects[key] = key;
      } catch (error) {
        throw explain(error, where);
      }
    });
    fields.forEach((field: unknown, index) => {
      const where = `requirements.custom_objects_v2.object_fields[${index}]`;
      if (!isObject(field)) throw new Error(`${where} must be an object`);
      const { object_key: objectKey, ...rest } = field;
      if (typeof objectKey !== 'string' || installed.custom_objects[objectKey] === undefined)
        throw new Error(
          `${where} names object_key ${JSON.stringify(objectKey)}, which no declared object has`,
        );
      if ((store.customObjectFields.get(objectKey) ?? []).some((f) => f.key === rest['key'])) return;
      try {
        store.createCustomObjectField(objectKey, rest);
      } catch (error) {
        throw explain(error, where);
      }
    });
  }
  for (const [id, payload] of entries(requirements, 'webhooks')) {
    const where = `requirements.webhooks.${id}`;
    try {
      installed.webhooks[id] = store.createWebhook(
        withSettings(payload, settings, where) as Record<string, unknown>,
        actor,
      ).id;
    } catch (error) {
      throw explain(error, where);
    }
  }
  for (const [id, payload] of entries(requirements, 'triggers')) {
    const where = `requirements.triggers.${id}`;
    const resolved = withSettings(payload, settings, where) as Record<string, unknown>;
    const actions = Array.isArray(resolved['actions']) ? resolved['actions'] : [];
    const mapped = actions.map((action: unknown) => {
      if (!isObject(action) || action['field'] !== 'notification_webhook' || !Array.isArray(action['value']))
        return action;
      const [ref, ...rest] = action['value'] as unknown[];
      const webhookId = typeof ref === 'string' ? (installed.webhooks[ref] ?? ref) : ref;
      return { ...action, value: [webhookId, ...rest] };
    });
    try {
      installed.triggers[id] = store.createTrigger({ ...resolved, actions: mapped }).id;
    } catch (error) {
      throw explain(error, where);
    }
  }
  return installed;
}
