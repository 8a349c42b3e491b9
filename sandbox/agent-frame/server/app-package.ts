/**
 * Reads a built Zendesk app folder (manifest.json + assets/) and splits its installation settings into the
 * ones the iframe may see (`metadata.settings`) and the secure ones, which stay in the frame's server.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export type SettingValue = string | number | boolean;

export interface ManifestParameter {
  readonly name: string;
  readonly type: string;
  readonly secure: boolean;
  readonly required: boolean;
  readonly default?: SettingValue;
  /** Where a secure value may be substituted: `header`, `body`, `url` (…); undefined = anywhere. */
  readonly scopes?: readonly string[];
}

export interface AppPackage {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  /** `location.support.ticket_sidebar.url`, e.g. `assets/iframe.html`. */
  readonly sidebarPath: string;
  readonly flexible: boolean;
  /** `location.support.nav_bar.url` when the app has a nav_bar location (a full-page app), else null. */
  readonly navBarPath: string | null;
  readonly parameters: readonly ManifestParameter[];
  readonly domainWhitelist: readonly string[];
}

export interface SplitSettings {
  readonly publicSettings: Record<string, SettingValue>;
  readonly secureSettings: Record<string, string>;
}

export async function readAppPackage(dir: string): Promise<AppPackage> {
  const manifestPath = path.join(dir, 'manifest.json');
  let raw: string;
  try {
    raw = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new Error(`No manifest.json in ${dir}: pass the folder of a built Zendesk app (e.g. its dist/).`, {
      cause: error,
    });
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${manifestPath} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isRecord(manifest)) throw new Error(`${manifestPath} must hold a JSON object.`);
  const location = manifest['location'];
  const support = isRecord(location) ? (location['support'] ?? location['zendesk']) : undefined;
  const sidebar = isRecord(support) ? support['ticket_sidebar'] : undefined;
  const url = typeof sidebar === 'string' ? sidebar : isRecord(sidebar) ? sidebar['url'] : undefined;
  if (typeof url !== 'string' || !url.startsWith('assets/')) {
    throw new Error(
      `${manifestPath}: location.support.ticket_sidebar.url must be a path under assets/ (e.g. "assets/iframe.html"), got ${JSON.stringify(url)}.`,
    );
  }
  const navBar = isRecord(support) ? support['nav_bar'] : undefined;
  const navBarUrl = typeof navBar === 'string' ? navBar : isRecord(navBar) ? navBar['url'] : undefined;
  if (navBar !== undefined && (typeof navBarUrl !== 'string' || !navBarUrl.startsWith('assets/'))) {
    throw new Error(
      `${manifestPath}: location.support.nav_bar.url must be a path under assets/ (e.g. "assets/console.html"), got ${JSON.stringify(navBarUrl)}.`,
    );
  }
  const parameters = Array.isArray(manifest['parameters'])
    ? manifest['parameters'].map((p, i) => readParameter(p, i, manifestPath))
    : [];
  const whitelist = manifest['domainWhitelist'];
  return {
    dir,
    name: typeof manifest['name'] === 'string' ? manifest['name'] : path.basename(dir),
    version: typeof manifest['version'] === 'string' ? manifest['version'] : '0.0.0',
    sidebarPath: url,
    flexible: !(isRecord(sidebar) && sidebar['flexible'] === false),
    navBarPath: typeof navBarUrl === 'string' ? navBarUrl : null,
    parameters,
    domainWhitelist: Array.isArray(whitelist)
      ? whitelist.filter((d): d is string => typeof d === 'string')
      : [],
  };
}

function readParameter(raw: unknown, index: number, manifestPath: string): ManifestParameter {
  if (!isRecord(raw) || typeof raw['name'] !== 'string') {
    throw new Error(`${manifestPath}: parameters[${index}] needs a "name" string.`);
  }
  const def = raw['default'];
  const scopes = raw['scopes'];
  return {
    name: raw['name'],
    type: typeof raw['type'] === 'string' ? raw['type'] : 'text',
    secure: raw['secure'] === true,
    required: raw['required'] === true,
    ...(typeof def === 'string' || typeof def === 'number' || typeof def === 'boolean'
      ? { default: def }
      : {}),
    ...(Array.isArray(scopes) ? { scopes: scopes.filter((s): s is string => typeof s === 'string') } : {}),
  };
}

/** Installation settings → what the iframe sees and what only the server's proxy knows. */
export function splitSettings(
  app: AppPackage,
  settings: Readonly<Record<string, SettingValue>>,
): SplitSettings {
  const known = new Map(app.parameters.map((p) => [p.name, p]));
  const unknown = Object.keys(settings).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown setting(s) ${unknown.join(', ')} for app "${app.name}": its manifest declares ${[...known.keys()].join(', ') || 'no parameters'}.`,
    );
  }
  const publicSettings: Record<string, SettingValue> = {};
  const secureSettings: Record<string, string> = {};
  const missing: string[] = [];
  for (const parameter of app.parameters) {
    const value = settings[parameter.name] ?? parameter.default;
    if (value === undefined) {
      if (parameter.required) missing.push(parameter.name);
      continue;
    }
    if (parameter.secure) secureSettings[parameter.name] = String(value);
    else publicSettings[parameter.name] = value;
  }
  if (missing.length > 0) {
    throw new Error(`App "${app.name}" needs a value for its required setting(s): ${missing.join(', ')}.`);
  }
  return { publicSettings, secureSettings };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The app's name in nav_bar URLs, as Zendesk writes it: camel case, spaces and underscores become dashes,
 * lower case (`/agent/apps/<slug>/<sub/path>`).
 */
export function appSlug(name: string): string {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/[\s_]+/g, '-')
      .replace(/[^A-Za-z0-9-]/g, '')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'app'
  );
}
