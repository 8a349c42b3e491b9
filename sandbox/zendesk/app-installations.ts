import { notFound, recordInvalid } from './errors.ts';
import type { FieldErrors } from './errors.ts';
import { numericId, type Router } from './http.ts';
import { isObject } from './store.ts';
import type { JsonObject } from './types.ts';

/**
 * The Apps installation API (`/api/v2/apps/installations`), as Zendesk documents it: the installation object is
 * returned unwrapped, with `settings` (name → value) and `settings_objects` (`[{name, value}]`); the endpoints are
 * "Allowed for: Admins", so an agent gets 403 like every admin-only endpoint of the emulator. Secure settings are
 * stored but never returned (Zendesk only substitutes them in proxied requests). An update merges the settings it
 * names into the stored ones. See docs/admin.md for what is verified and what is the emulator's choice.
 */
export type SettingValue = string | number | boolean | null;

export interface AppInstallationRecord {
  id: number;
  app_id: number;
  product: 'support';
  enabled: boolean;
  settings: Record<string, SettingValue>;
  /** Names of the secure parameters (manifest `secure: true`): kept, never shown. */
  secure: Set<string>;
  created_at: string;
  updated_at: string;
}

export interface InstallAppOptions {
  readonly appId?: number;
  /** The installation's title (Zendesk's `name` setting). */
  readonly name?: string;
  readonly settings?: Readonly<Record<string, SettingValue>>;
  /** Which of `settings` are secure parameters. */
  readonly secure?: readonly string[];
}

export class AppInstallations {
  readonly records = new Map<number, AppInstallationRecord>();
  private nextId = 360_000_001;

  private readonly nowIso: () => string;

  constructor(nowIso: () => string) {
    this.nowIso = nowIso;
  }

  install(options: InstallAppOptions = {}): AppInstallationRecord {
    const now = this.nowIso();
    const name = options.name ?? 'Boucle';
    const record: AppInstallationRecord = {
      id: this.nextId++,
      app_id: options.appId ?? 1_100_001,
      product: 'support',
      enabled: true,
      settings: { name, title: name, ...options.settings },
      secure: new Set(options.secure ?? []),
      created_at: now,
      updated_at: now,
    };
    this.records.set(record.id, record);
    return record;
  }

  get(id: number): AppInstallationRecord {
    const record = this.records.get(id);
    if (record === undefined) throw notFound();
    return record;
  }

  /** PUT body `{ settings?: {…}, enabled?: boolean }`: validated whole before anything is stored. */
  update(id: number, body: unknown): AppInstallationRecord {
    const record = this.get(id);
    const errors: FieldErrors = {};
    const invalid = (field: string, description: string) => {
      (errors[field] ??= []).push({ description, error: 'InvalidValue' });
    };
    if (!isObject(body)) {
      invalid('base', 'The body must be a JSON object like {"settings": {"name": "value"}}');
      throw recordInvalid(errors);
    }
    const { settings, enabled } = body;
    if (settings !== undefined && !isObject(settings))
      invalid('settings', 'Settings must be an object of name → value');
    if (enabled !== undefined && typeof enabled !== 'boolean')
      invalid('enabled', 'Enabled must be true or false');
    const changes = isObject(settings) ? Object.entries(settings) : [];
    for (const [name, value] of changes) {
      if (!(value === null || ['string', 'number', 'boolean'].includes(typeof value)))
        invalid(`settings.${name}`, `The setting ${name} must be a text, a number, true/false or null`);
    }
    const title = isObject(settings) ? settings['name'] : undefined;
    if (title !== undefined && (typeof title !== 'string' || title.trim() === ''))
      invalid('settings.name', 'Name cannot be blank');
    if (Object.keys(errors).length > 0) throw recordInvalid(errors);
    for (const [name, value] of changes) record.settings[name] = value as SettingValue;
    if (typeof title === 'string') record.settings['title'] = title;
    if (typeof enabled === 'boolean') record.enabled = enabled;
    record.updated_at = this.nowIso();
    return record;
  }

  serialize(record: AppInstallationRecord): JsonObject {
    const visible = Object.entries(record.settings).filter(([name]) => !record.secure.has(name));
    return {
      id: record.id,
      app_id: record.app_id,
      product: record.product,
      settings: Object.fromEntries(visible),
      settings_objects: visible.map(([name, value]) => ({ name, value })),
      enabled: record.enabled,
      paid: false,
      collapsible: true,
      pending: false,
      has_unpaid_subscription: false,
      has_incomplete_subscription: false,
      plan: null,
      role_restrictions: null,
      group_restrictions: null,
      created_at: record.created_at,
      updated_at: record.updated_at,
    };
  }

  registerRoutes(router: Router): void {
    router.add(
      'GET',
      '/api/v2/apps/installations',
      () => ({
        status: 200,
        body: { installations: [...this.records.values()].map((record) => this.serialize(record)) },
      }),
      'admin',
    );
    router.add(
      'GET',
      '/api/v2/apps/installations/{id}',
      (ctx) => ({ status: 200, body: this.serialize(this.get(numericId(ctx.params['id']))) }),
      'admin',
    );
    router.add(
      'PUT',
      '/api/v2/apps/installations/{id}',
      (ctx) => ({ status: 200, body: this.serialize(this.update(numericId(ctx.params['id']), ctx.body)) }),
      'admin',
    );
  }
}
