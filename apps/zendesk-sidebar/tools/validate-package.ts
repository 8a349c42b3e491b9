/**
 * Offline preflight of a Zendesk app package: the error rules of Zendesk's server-side validator
 * (`zendesk_apps_support`, see /work/shared/reference/zendesk-apps.md §2 and §6) with its messages, plus a few
 * warnings. `npm run build:app` fails on any error. Pure: it takes the package's files, not a folder.
 */
import { findDuplicateKeys } from './find-duplicate-keys.ts';
import { readPngSize } from './png-encoder.ts';

export interface PackageFile {
  /** Path relative to the package root, forward slashes. */
  readonly path: string;
  readonly data: Uint8Array;
  readonly symlink?: boolean;
}

export interface ValidationReport {
  readonly errors: string[];
  readonly warnings: string[];
}

const LOCALE = /^[a-z]{2,3}(-\w{2,3})?$/;
const FRAMEWORK_VERSIONS = ['2.0'];
const PARAMETER_TYPES = ['text', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth'];
const SCOPES = [
  'header',
  'body',
  'url',
  'jwt_secret_key',
  'jwt_claim',
  'basic_auth_username',
  'basic_auth_password',
];
const PRODUCTS: Record<string, string> = {
  support: 'support',
  zendesk: 'support',
  chat: 'chat',
  zopim: 'chat',
  standalone_chat: 'standalone_chat',
  lotus_box: 'standalone_chat',
  sell: 'sell',
};
const LOCATIONS: Record<string, string[]> = {
  support: [
    'top_bar',
    'nav_bar',
    'ticket_sidebar',
    'new_ticket_sidebar',
    'user_sidebar',
    'organization_sidebar',
    'background',
    'modal',
    'ticket_editor',
    'system_top_bar',
  ],
  chat: ['chat_sidebar', 'background'],
  standalone_chat: ['chat_sidebar', 'background'],
  sell: [
    'top_bar',
    'note_editor',
    'email_editor',
    'lead_card',
    'contact_card',
    'deal_card',
    'person_card',
    'background',
  ],
};
const EXPERIMENTS = ['hashParams', 'newCssCompiler'];
const REQUIREMENT_TYPES = [
  'automations',
  'channel_integrations',
  'custom_objects',
  'macros',
  'targets',
  'views',
  'ticket_fields',
  'triggers',
  'user_fields',
  'organization_fields',
  'webhooks',
  'custom_objects_v2',
];
const MAX_REQUIREMENTS = 5000;
const MAX_CUSTOM_OBJECTS_REQUIREMENTS = 50;
const CO2 = {
  objects: 50,
  fieldsPerObject: 20,
  triggersPerObject: 10,
  conditionsPerTrigger: 50,
  actionsPerTrigger: 25,
  dropdownFields: 5,
  multiselectFields: 5,
  options: 10,
  payloadBytes: 1024 * 1024,
};
/** Zendesk's MIME block list, by extension; contents are sniffed too (see `sniffBlockedType`). */
const BLOCKED_EXTENSIONS = [
  'rar',
  'zip',
  'gz',
  'gzip',
  'pdf',
  'doc',
  'docx',
  'avi',
  'bin',
  'bz',
  'bz2',
  'csh',
  'sh',
  'jar',
  'mp3',
  'mpeg',
  'odt',
  'pptx',
  'ppt',
  'xls',
  'xlsx',
  '7z',
];
const SECRET_KEYWORDS = [
  'secretToken',
  'secret_token',
  'auth_key',
  'authKey',
  'auth_pass',
  'authPass',
  'auth_user',
  'AuthUser',
  'api_key',
];

const decoder = new TextDecoder();

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Extension rules beyond Zendesk's: what our own build must never ship. */
const BOUCLE_FORBIDDEN = [
  { test: (p: string) => p.endsWith('.map'), why: 'source maps do not belong in the package' },
  {
    test: (p: string) => p.split('/').pop() === 'zcli.apps.config.json',
    why: 'zcli.apps.config.json holds development setting values',
  },
  { test: (p: string) => /(^|\/)\.env/.test(p), why: 'environment files hold secrets' },
];

export function validatePackage(files: readonly PackageFile[]): ValidationReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const visible = files.filter((f) => !f.path.startsWith('tmp/'));
  const byPath = new Map(visible.map((f) => [f.path, f]));

  const manifestFile = byPath.get('manifest.json');
  if (!manifestFile) {
    const nested = visible.find((f) => f.path.endsWith('/manifest.json'));
    errors.push(
      nested
        ? `Could not find manifest.json in the root of the zip file, but ${nested.path} was found. Try re-creating the archive from this directory.`
        : 'Could not find manifest.json',
    );
    return { errors, warnings };
  }
  const manifestText = decoder.decode(manifestFile.data);
  const parsed = parseJson(manifestText);
  if (!parsed.ok) {
    errors.push(`manifest is not proper JSON. ${parsed.message}`);
    return { errors, warnings };
  }
  const duplicates = findDuplicateKeys(manifestText);
  if (duplicates.length > 0) {
    errors.push(`Duplicate keys are specified in the manifest.json file. ${duplicates.join(', ')}`);
  }
  if (!isObject(parsed.value)) {
    errors.push('manifest is not proper JSON. The manifest must be a JSON object.');
    return { errors, warnings };
  }
  const manifest = parsed.value;
  const requirementsOnly = manifest.requirementsOnly === true;
  const marketingOnly = manifest.marketingOnly === true;

  // Required keys and types.
  const required = ['author', 'defaultLocale'];
  if (!requirementsOnly && !marketingOnly) required.push('location', 'frameworkVersion');
  const missing = required.filter((key) => manifest[key] === undefined);
  if (missing.length === 1) errors.push(`Missing required field in manifest: ${missing.join(', ')}`);
  if (missing.length > 1) errors.push(`Missing required fields in manifest: ${missing.join(', ')}`);

  for (const key of ['requirementsOnly', 'marketingOnly', 'singleInstall', 'signedUrls', 'private']) {
    if (manifest[key] !== undefined && typeof manifest[key] !== 'boolean') {
      errors.push(`${key} must be a boolean value, got "${show(manifest[key])}".`);
    }
  }
  for (const key of [
    'version',
    'name',
    'defaultLocale',
    'frameworkVersion',
    'remoteInstallationURL',
    'gaID',
  ]) {
    if (manifest[key] !== undefined && typeof manifest[key] !== 'string') {
      errors.push(`${key} must be a string, got "${show(manifest[key])}".`);
    }
  }
  if (manifest.termsConditionsURL !== undefined && !isHttpUrl(manifest.termsConditionsURL)) {
    errors.push(`termsConditionsURL must be a valid URL, got "${show(manifest.termsConditionsURL)}".`);
  }
  if (manifest.author !== undefined) {
    if (!isObject(manifest.author)) {
      errors.push(
        `The manifest field author needs to be key-value pairs with string keys, but it was ${show(manifest.author)}`,
      );
    } else {
      for (const key of ['name', 'email', 'url']) {
        const value = manifest.author[key];
        if (value !== undefined && typeof value !== 'string') {
          errors.push(`author ${key} must be a string, got "${show(value)}".`);
        }
      }
      if (manifest.author.url !== undefined && !isHttpUrl(manifest.author.url)) {
        errors.push(`author url must be a valid URL, got "${show(manifest.author.url)}".`);
      }
    }
  }
  if (manifest.domainWhitelist !== undefined) {
    if (!Array.isArray(manifest.domainWhitelist)) {
      errors.push(
        `The manifest field domainWhitelist needs to be an array, but it was ${show(manifest.domainWhitelist)}`,
      );
    } else if (manifest.domainWhitelist.some((d) => typeof d !== 'string')) {
      errors.push('The manifest field domainWhitelist need to be an array containing strings');
    }
  }
  if (manifest.noTemplate !== undefined) {
    errors.push(
      'noTemplate is deprecated and cannot be used with framework version 2 or above. Set the autoLoad or autoHide property for each specific location instead.',
    );
  }
  if (manifest.experiments !== undefined) {
    if (!isObject(manifest.experiments)) {
      errors.push(
        `The manifest field experiments needs to be key-value pairs with string keys, but it was ${show(manifest.experiments)}`,
      );
    } else {
      for (const [name, enabled] of Object.entries(manifest.experiments)) {
        if (enabled && !EXPERIMENTS.includes(name)) {
          errors.push(`Manifest specifies unknown or unavailable experiment: ${name}`);
        }
      }
    }
  }

  // Locale.
  const defaultLocale = manifest.defaultLocale;
  if (typeof defaultLocale === 'string') {
    if (!LOCALE.test(defaultLocale)) errors.push(`${defaultLocale} is not a valid default locale.`);
    else if (!byPath.has(`translations/${defaultLocale}.json`)) {
      errors.push(
        `Missing translation file for locale '${defaultLocale}'. Learn more: https://developer.zendesk.com/apps/docs/developer-guide/deploying#app-internationalization`,
      );
    }
  }

  // Framework version.
  if (!requirementsOnly && !marketingOnly && typeof manifest.frameworkVersion === 'string') {
    if (!FRAMEWORK_VERSIONS.includes(manifest.frameworkVersion)) {
      errors.push(
        `${manifest.frameworkVersion} is not a valid framework version. Available versions are: ${FRAMEWORK_VERSIONS.join(', ')}.`,
      );
    }
  }
  if (requirementsOnly || marketingOnly) {
    if (manifest.location !== undefined)
      errors.push("Locations can't be defined when you specify requirements only");
    if (manifest.frameworkVersion !== undefined) {
      errors.push("Framework versions can't be set when you specify requirements only");
    }
    if (visible.some((f) => /\.(js|css|hdbs|html)$/.test(f.path))) {
      errors.push(
        'Javascripts, stylesheets, and templates are not required for marketingOnly or requirementsOnly apps',
      );
    }
  }
  if (marketingOnly) {
    if (manifest.parameters !== undefined) errors.push("Parameters can't be defined for marketing-only apps");
    if (manifest.private !== false) errors.push('Marketing-only apps must not be private');
  }

  // Locations.
  const products = validateLocations(manifest.location, byPath, errors);

  // Parameters.
  validateParameters(manifest.parameters, errors, warnings);

  // Symlinks and file types.
  if (visible.some((f) => f.symlink)) errors.push('Symlinks are not allowed in the zip file');
  const blocked = visible.filter((f) => isBlocked(f)).map((f) => f.path);
  if (blocked.length === 1) errors.push(`Unsupported MIME type detected in ${blocked.join(', ')}.`);
  if (blocked.length > 1) errors.push(`Unsupported MIME types detected in ${blocked.join(', ')}.`);
  for (const file of visible) {
    for (const rule of BOUCLE_FORBIDDEN) {
      if (rule.test(file.path)) errors.push(`${file.path} must not be in the package: ${rule.why}.`);
    }
  }

  // Translations.
  validateTranslations(visible, manifest, products, errors);

  // Requirements.
  const requirementsFile = byPath.get('requirements.json');
  if (requirementsOnly && !requirementsFile) errors.push('Could not find requirements.json');
  if (requirementsFile) {
    if (marketingOnly) errors.push('App requirements are not supported for marketing-only or Chat-only apps');
    validateRequirements(decoder.decode(requirementsFile.data), errors);
  }

  // Banner and SVGs.
  const banner = byPath.get('assets/banner.png');
  if (banner) {
    const size = readPngSize(banner.data);
    if (!size) errors.push('Banner image must be a PNG file.');
    else if (!(size.width === 830 && size.height === 200) && !(size.width === 1660 && size.height === 400)) {
      errors.push('Invalid banner image dimensions. Must be 830x200px.');
    }
  }
  for (const svg of visible.filter((f) => f.path.startsWith('assets/') && f.path.endsWith('.svg'))) {
    const text = decoder.decode(svg.data);
    if (/<script|\son\w+\s*=|javascript:/i.test(text)) {
      errors.push(`${svg.path} contains invalid markup and could not be automatically regenerated.`);
    }
  }

  // Documented file requirements.
  for (const path of ['assets/logo.png', 'assets/logo-small.png']) {
    if (!marketingOnly && !requirementsOnly && !byPath.has(path)) errors.push(`Could not find ${path}`);
  }
  // Locations shown as an icon need it: assets/icon_<location>.svg, or its three PNG states.
  for (const name of iconLocations(manifest['location'])) {
    const svg = `assets/icon_${name}.svg`;
    const pngs = ['inactive', 'active', 'hover'].map((state) => `assets/icon_${name}_${state}.png`);
    if (!byPath.has(svg) && !pngs.every((png) => byPath.has(png))) {
      errors.push(
        `Could not find ${svg} (or ${pngs.join(', ')}): the ${name} location shows the app as an icon.`,
      );
    }
  }

  // Warnings: insecure requests and possible secrets.
  for (const file of visible.filter((f) => /\.(js|html)$/.test(f.path))) {
    const text = decoder.decode(file.data);
    const insecure = new Set(
      (text.match(/http:\/\/[^\s"'`)<>]+/g) ?? []).filter(
        (u) => !u.startsWith('http://www.w3.org/') && !/^http:\/\/(localhost|127\.0\.0\.1)/.test(u),
      ),
    );
    for (const uri of insecure) {
      warnings.push(
        `Possible insecure HTTP request to ${uri} in ${file.path}. Consider using the HTTPS protocol instead.`,
      );
    }
  }
  const secretFiles = visible
    .filter((f) => /\.(html|js|json|xml)$/.test(f.path))
    .filter((f) => {
      const text = decoder.decode(f.data);
      return SECRET_KEYWORDS.some((k) => text.includes(k)) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
    })
    .map((f) => f.path);
  if (secretFiles.length > 0) {
    warnings.push(
      `Possible secrets found in ${secretFiles.join(', ')}. Consider reviewing the contents of ${secretFiles.length === 1 ? 'this file' : 'these files'} before submitting your app.`,
    );
  }
  return { errors, warnings };
}

const ICON_LOCATIONS = ['top_bar', 'nav_bar', 'system_top_bar', 'ticket_editor'];

function iconLocations(location: unknown): string[] {
  if (!isObject(location)) return [];
  const names = new Set<string>();
  for (const locations of Object.values(location)) {
    if (!isObject(locations)) continue;
    for (const name of Object.keys(locations)) if (ICON_LOCATIONS.includes(name)) names.add(name);
  }
  return [...names].sort();
}

function validateLocations(
  location: unknown,
  byPath: Map<string, PackageFile>,
  errors: string[],
): Set<string> {
  const products = new Set<string>();
  if (location === undefined) return products;
  if (!isObject(location)) {
    errors.push(
      `The manifest field location needs to be key-value pairs with string keys, but it was ${show(location)}`,
    );
    return products;
  }
  for (const [host, locations] of Object.entries(location)) {
    const product = PRODUCTS[host];
    if (!product) {
      errors.push(`${host} is an invalid host for apps.`);
      continue;
    }
    products.add(product);
    if (!isObject(locations)) {
      errors.push(
        `The manifest field location.${host} needs to be key-value pairs with string keys, but it was ${show(locations)}`,
      );
      continue;
    }
    const invalid = Object.keys(locations).filter((name) => !(LOCATIONS[product] ?? []).includes(name));
    if (invalid.length === 1) errors.push(`${invalid.join(', ')} is an invalid location in ${host}.`);
    if (invalid.length > 1) errors.push(`${invalid.join(', ')} are invalid locations in ${host}.`);
    for (const [name, options] of Object.entries(locations)) {
      if (invalid.includes(name)) continue;
      const opts = typeof options === 'string' ? { url: options } : options;
      if (!isObject(opts)) {
        errors.push(`${name} location does not specify a URI.`);
        continue;
      }
      if (opts.flexible !== undefined && typeof opts.flexible !== 'boolean') {
        errors.push(`${show(opts.flexible)} is an invalid type for the flexible location parameter.`);
      }
      for (const key of ['autoLoad', 'autoHide', 'signed']) {
        if (opts[key] !== undefined && typeof opts[key] !== 'boolean') {
          errors.push(`${key} must be a boolean value, got "${show(opts[key])}".`);
        }
      }
      const url = opts.url;
      if (url === undefined || url === '') {
        if (opts.autoLoad !== false) errors.push(`${name} location does not specify a URI.`);
        continue;
      }
      if (typeof url !== 'string' || !isValidLocationUri(url, byPath)) {
        errors.push(
          `${show(url)} is either an invalid location URI, refers to a missing asset, or does not use HTTPS.`,
        );
      }
    }
  }
  return products;
}

function isValidLocationUri(url: string, byPath: Map<string, PackageFile>): boolean {
  if (url.includes('{{setting.')) return true;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'https:' || parsed.hostname === 'localhost';
    } catch {
      return false;
    }
  }
  const path = url.split(/[?#]/)[0] ?? '';
  return path.startsWith('assets/') && byPath.has(path);
}

function validateParameters(parameters: unknown, errors: string[], warnings: string[]): void {
  if (parameters === undefined) return;
  if (!Array.isArray(parameters)) {
    errors.push('App parameters must be an array.');
    return;
  }
  const names = parameters.map((p) => (isObject(p) ? p.name : undefined));
  const duplicateNames = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (duplicateNames.length > 0) {
    errors.push(`Duplicate app parameters defined: ${duplicateNames.map(show).join(', ')}`);
  }
  if (names.includes('name')) errors.push("Can't call a parameter 'name'");
  const invalidTypes: string[] = [];
  const hiddenRequired: string[] = [];
  let oauthCount = 0;
  for (const parameter of parameters) {
    if (!isObject(parameter)) {
      errors.push(`App parameters must be objects, got "${show(parameter)}".`);
      continue;
    }
    const name = show(parameter.name);
    if (typeof parameter.name !== 'string' || parameter.name === '') {
      errors.push(`parameter name must be a string, got "${name}".`);
    }
    const type = parameter.type ?? 'text';
    if (typeof type !== 'string' || !PARAMETER_TYPES.includes(type)) invalidTypes.push(show(type));
    for (const key of ['required', 'secure']) {
      if (parameter[key] !== undefined && typeof parameter[key] !== 'boolean') {
        errors.push(`${name}.${key} must be a boolean value, got "${show(parameter[key])}".`);
      }
    }
    if (type === 'hidden' && parameter.required === true) hiddenRequired.push(name);
    if (type === 'oauth') {
      oauthCount += 1;
      if (parameter.secure === true) errors.push('oauth parameter cannot be set to be secure.');
    }
    if (parameter.scopes !== undefined) {
      if (parameter.secure !== true) {
        errors.push(`${name}: scopes can only be set on secure parameters.`);
      } else if (!Array.isArray(parameter.scopes)) {
        errors.push(`${name}: scopes must be an array, got "${show(parameter.scopes)}".`);
      } else if (parameter.scopes.length === 0) {
        errors.push(`${name}: scopes must not be empty.`);
      } else {
        const unknown = parameter.scopes.filter((s) => typeof s !== 'string' || !SCOPES.includes(s));
        if (unknown.length > 0) {
          errors.push(
            `${name}: invalid scopes ${unknown.map(show).join(', ')}. Valid scopes are: ${SCOPES.join(', ')}.`,
          );
        }
      }
    }
    if (parameter.secure !== true && type === 'text' && /token|key|pwd|password/i.test(name)) {
      warnings.push(`Make sure to set secure to true when using keys in Settings. (${name})`);
    }
    if ((parameter.secure === true || type === 'hidden') && parameter.default !== undefined) {
      warnings.push(
        `Default values for secure or hidden parameters are not stored securely. Be sure to review them and confirm they do not contain sensitive data (${name})`,
      );
    }
    if (parameter.secure === true && parameter.scopes === undefined) {
      warnings.push(`${name} is secure but declares no scopes, which may cause token exposure.`);
    }
  }
  if (invalidTypes.length === 1) errors.push(`${invalidTypes.join(', ')} is an invalid parameter type.`);
  if (invalidTypes.length > 1) errors.push(`${invalidTypes.join(', ')} are invalid parameter types.`);
  if (hiddenRequired.length === 1)
    errors.push(`${hiddenRequired.join(', ')} is set to hidden and cannot be required.`);
  if (hiddenRequired.length > 1)
    errors.push(`${hiddenRequired.join(', ')} are set to hidden and cannot be required.`);
  if (oauthCount > 1) errors.push("Too many parameters with type 'oauth': one permitted");
}

function validateTranslations(
  files: readonly PackageFile[],
  manifest: Record<string, unknown>,
  products: Set<string>,
  errors: string[],
): void {
  for (const file of files.filter((f) => f.path.startsWith('translations/'))) {
    const base = file.path.slice('translations/'.length);
    if (!base.endsWith('.json') || !LOCALE.test(base.slice(0, -'.json'.length))) {
      errors.push(`${file.path} is not a valid locale.`);
      continue;
    }
    const parsed = parseJson(decoder.decode(file.data));
    if (!parsed.ok) {
      errors.push(`${file.path} is not valid JSON. ${parsed.message}`);
      continue;
    }
    if (!isObject(parsed.value)) {
      errors.push(`${file.path} is not a JSON object.`);
      continue;
    }
    const app = parsed.value.app;
    if (isObject(app)) {
      const parameters = app.parameters;
      if (isObject(parameters)) {
        for (const [name, value] of Object.entries(parameters)) {
          if (!isObject(value)) errors.push(`app.parameters.${name} is invalid for translation.`);
          else if (value.label === undefined) {
            errors.push(`Missing required key label on leaf app.parameters.${name} from ${file.path}`);
          }
        }
      }
      const translatedProducts = Object.keys(app).filter((k) => Object.values(PRODUCTS).includes(k));
      const unknown = translatedProducts.filter((p) => !products.has(p));
      if (unknown.length > 0) {
        errors.push(
          `Products in manifest (${[...products].join(', ')}) do not match products in translations (${translatedProducts.join(', ')})`,
        );
      }
    }
    if (file.path === 'translations/en.json') {
      const keys =
        manifest.private === false ? ['name', 'long_description', 'installation_instructions'] : ['name'];
      if (manifest.private === false && !(isObject(app) && (app.short_description ?? app.description))) {
        keys.push('short_description');
      }
      for (const key of keys) {
        if (!isObject(app) || app[key] === undefined || app[key] === '') {
          errors.push(`Missing required key from ${file.path}: app.${key}`);
        }
      }
    }
  }
}

function validateRequirements(text: string, errors: string[]): void {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    errors.push(`requirements.json is not proper JSON. ${parsed.message}`);
    return;
  }
  const duplicates = findDuplicateKeys(text);
  if (duplicates.length === 1)
    errors.push(`requirements.json contains a duplicate key: ${duplicates.join(', ')}`);
  if (duplicates.length > 1)
    errors.push(`requirements.json contains duplicate keys: ${duplicates.join(', ')}`);
  if (!isObject(parsed.value)) {
    errors.push('requirements.json is not proper JSON. It must be a JSON object.');
    return;
  }
  const requirements = parsed.value;
  const invalid = Object.keys(requirements).filter((k) => !REQUIREMENT_TYPES.includes(k));
  if (invalid.length === 1) errors.push(`requirements.json contains an invalid type: ${invalid.join(', ')}`);
  if (invalid.length > 1) errors.push(`requirements.json contains invalid types: ${invalid.join(', ')}`);

  let count = 0;
  for (const [type, entries] of Object.entries(requirements)) {
    if (!isObject(entries)) {
      errors.push(
        `The manifest field ${type} needs to be key-value pairs with string keys, but it was ${show(entries)}`,
      );
      continue;
    }
    if (type === 'custom_objects_v2') {
      validateCustomObjectsV2(entries, JSON.stringify(entries), errors);
      count += ['objects', 'object_fields', 'object_triggers'].reduce(
        (n, k) => n + (Array.isArray(entries[k]) ? entries[k].length : 0),
        0,
      );
      continue;
    }
    count += Object.keys(entries).length;
    if (type === 'custom_objects') {
      const n = Object.keys(entries).length;
      if (n > MAX_CUSTOM_OBJECTS_REQUIREMENTS) {
        errors.push(
          `The requirements.json file contains too many custom objects requirements. The current limit is ${MAX_CUSTOM_OBJECTS_REQUIREMENTS} requirements. This app has ${n} requirements.`,
        );
      }
    }
    if (type === 'channel_integrations' && Object.keys(entries).length > 1) {
      errors.push('Specifying multiple channel integrations in requirements.json is not supported.');
    }
    for (const [identifier, payload] of Object.entries(entries)) {
      const body = isObject(payload) ? payload : {};
      const needed: string[] = [];
      if (!['channel_integrations', 'custom_objects', 'webhooks'].includes(type)) needed.push('title');
      if (type === 'user_fields' || type === 'organization_fields') needed.push('key');
      if (type === 'webhooks') needed.push('name', 'status', 'endpoint', 'http_method', 'request_format');
      if (type === 'channel_integrations') needed.push('manifest_url');
      for (const field of needed) {
        if (body[field] === undefined || body[field] === '') {
          errors.push(
            `Missing required fields in requirements.json: "${field}" is required in "${identifier}"`,
          );
        }
      }
      if (type === 'targets' && (body.type === 'http_target' || body.type === 'url_target_v2')) {
        errors.push(
          `requirements.json contains an invalid type: ${show(body.type)} (in "${identifier}"); use webhooks`,
        );
      }
    }
  }
  if (count > MAX_REQUIREMENTS) {
    errors.push(
      `The requirements.json file contains too many requirements. The current limit is ${MAX_REQUIREMENTS} requirements. This app has ${count} requirements.`,
    );
  }
}

function validateCustomObjectsV2(co: Record<string, unknown>, payload: string, errors: string[]): void {
  const invalidKeys = Object.keys(co).filter(
    (k) => !['objects', 'object_fields', 'object_triggers'].includes(k),
  );
  if (invalidKeys.length === 1)
    errors.push(`Custom objects schema contains an invalid key: ${invalidKeys.join(', ')}`);
  if (invalidKeys.length > 1)
    errors.push(`Custom objects schema contains invalid keys: ${invalidKeys.join(', ')}`);
  if (new TextEncoder().encode(payload).length > CO2.payloadBytes) {
    errors.push(`custom_objects_v2 payload exceeds ${CO2.payloadBytes} bytes.`);
  }
  if (payload.includes('{{setting.')) {
    errors.push('custom_objects_v2 must not contain {{setting.*}} placeholders.');
  }
  const list = (key: string) => (Array.isArray(co[key]) ? (co[key] as unknown[]).filter(isObject) : []);
  const objects = list('objects');
  const fields = list('object_fields');
  const triggers = list('object_triggers');
  const need = (entry: Record<string, unknown>, keys: string[], what: string) => {
    for (const key of keys) {
      if (entry[key] === undefined || entry[key] === '') {
        errors.push(`Missing required fields in requirements.json: "${key}" is required in "${what}"`);
      }
    }
  };
  if (objects.length > CO2.objects)
    errors.push(`custom_objects_v2 declares ${objects.length} objects; the limit is ${CO2.objects}.`);
  const objectKeys = new Set<unknown>();
  for (const object of objects) {
    need(
      object,
      ['key', 'title', 'title_pluralized', 'include_in_list_view'],
      `custom_objects_v2.objects ${show(object.key)}`,
    );
    objectKeys.add(object.key);
  }
  const perObject = new Map<unknown, Record<string, unknown>[]>();
  for (const field of fields) {
    need(field, ['key', 'title', 'type', 'object_key'], `custom_objects_v2.object_fields ${show(field.key)}`);
    if (!objectKeys.has(field.object_key)) {
      errors.push(
        `custom_objects_v2 field ${show(field.key)} references undeclared object ${show(field.object_key)}.`,
      );
    }
    perObject.set(field.object_key, [...(perObject.get(field.object_key) ?? []), field]);
  }
  for (const [objectKey, objectFields] of perObject) {
    if (objectFields.length > CO2.fieldsPerObject) {
      errors.push(
        `custom_objects_v2 object ${show(objectKey)} has ${objectFields.length} fields; the limit is ${CO2.fieldsPerObject}.`,
      );
    }
    for (const [type, limit] of [
      ['dropdown', CO2.dropdownFields],
      ['multiselect', CO2.multiselectFields],
    ] as const) {
      const ofType = objectFields.filter((f) => f.type === type);
      if (ofType.length > limit) {
        errors.push(
          `custom_objects_v2 object ${show(objectKey)} has ${ofType.length} ${type} fields; the limit is ${limit}.`,
        );
      }
      for (const f of ofType) {
        const options = Array.isArray(f.custom_field_options) ? f.custom_field_options.length : 0;
        if (options > CO2.options) {
          errors.push(
            `custom_objects_v2 field ${show(f.key)} has ${options} options; the limit is ${CO2.options}.`,
          );
        }
      }
    }
  }
  const triggersPerObject = new Map<unknown, number>();
  for (const trigger of triggers) {
    need(
      trigger,
      ['key', 'object_key', 'title', 'actions', 'conditions'],
      `custom_objects_v2.object_triggers ${show(trigger.key)}`,
    );
    triggersPerObject.set(trigger.object_key, (triggersPerObject.get(trigger.object_key) ?? 0) + 1);
    const conditions = trigger.conditions;
    const all = isObject(conditions) && Array.isArray(conditions.all) ? conditions.all.length : 0;
    const any = isObject(conditions) && Array.isArray(conditions.any) ? conditions.any.length : 0;
    if (all + any === 0)
      errors.push(`custom_objects_v2 trigger ${show(trigger.key)} needs conditions (all/any).`);
    if (all + any > CO2.conditionsPerTrigger) {
      errors.push(
        `custom_objects_v2 trigger ${show(trigger.key)} has ${all + any} conditions; the limit is ${CO2.conditionsPerTrigger}.`,
      );
    }
    const actions = Array.isArray(trigger.actions) ? trigger.actions.length : 0;
    if (actions === 0)
      errors.push(`custom_objects_v2 trigger ${show(trigger.key)} needs at least one action.`);
    if (actions > CO2.actionsPerTrigger) {
      errors.push(
        `custom_objects_v2 trigger ${show(trigger.key)} has ${actions} actions; the limit is ${CO2.actionsPerTrigger}.`,
      );
    }
  }
  for (const [objectKey, n] of triggersPerObject) {
    if (n > CO2.triggersPerObject) {
      errors.push(
        `custom_objects_v2 object ${show(objectKey)} has ${n} triggers; the limit is ${CO2.triggersPerObject}.`,
      );
    }
  }
}

function isBlocked(file: PackageFile): boolean {
  const extension = file.path.split('/').pop()?.split('.').slice(1).pop()?.toLowerCase();
  if (extension && BLOCKED_EXTENSIONS.includes(extension)) return true;
  return sniffBlockedType(file.data) !== null;
}

/** Content sniffing for the block list: archive, PDF, audio, Office and shell-script signatures. */
export function sniffBlockedType(data: Uint8Array): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'application/zip';
  if (starts(0x1f, 0x8b)) return 'application/gzip';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'application/pdf';
  if (starts(0x52, 0x61, 0x72, 0x21)) return 'application/x-rar-compressed';
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return 'application/x-7z-compressed';
  if (starts(0x42, 0x5a, 0x68)) return 'application/x-bzip2';
  if (starts(0x49, 0x44, 0x33)) return 'audio/mpeg';
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) return 'application/msword';
  if (starts(0x23, 0x21) && /^#!\s*\/\S*(sh|bash|csh)\b/.test(decoder.decode(data.subarray(0, 64)))) {
    return 'application/x-sh';
  }
  return null;
}
