/**
 * What Zendesk's request proxy does with `{{setting.<name>}}` placeholders when an app sends
 * `client.request({ …, secure: true })`: substitutes installation settings (secure ones included) in the url,
 * the headers and the data, only towards hosts in the manifest's `domainWhitelist`, and only where the
 * parameter's `scopes` allow. The iframe never sees a secure value. Pure.
 */
import type { ManifestParameter, SettingValue } from './app-package.ts';

export interface SubstitutionContext {
  readonly parameters: readonly ManifestParameter[];
  readonly publicSettings: Readonly<Record<string, SettingValue>>;
  readonly secureSettings: Readonly<Record<string, string>>;
  readonly domainWhitelist: readonly string[];
}

export type SubstitutionResult =
  | { readonly ok: true; readonly options: Record<string, unknown> }
  | { readonly ok: false; readonly status: number; readonly message: string };

const PLACEHOLDER = /\{\{\s*setting\.([A-Za-z0-9_.-]+)\s*\}\}/g;

type Scope = 'url' | 'header' | 'body';

export function substituteSecureSettings(
  options: Readonly<Record<string, unknown>>,
  context: SubstitutionContext,
): SubstitutionResult {
  if (options['secure'] !== true) return { ok: true, options: { ...options } };
  if (options['cors'] === true) {
    return {
      ok: false,
      status: 400,
      message: 'Secure settings need the Zendesk proxy: remove cors: true from this request.',
    };
  }
  const problems: string[] = [];
  const replace = (text: string, scope: Scope): string =>
    text.replace(PLACEHOLDER, (whole, name: string) => {
      const parameter = context.parameters.find((p) => p.name === name);
      if (parameter === undefined) return whole;
      if (parameter.secure) {
        if (parameter.scopes !== undefined && !parameter.scopes.includes(scope)) {
          problems.push(
            `setting "${name}" may not be used in the ${scope} (its scopes: ${parameter.scopes.join(', ')})`,
          );
          return whole;
        }
        return context.secureSettings[name] ?? whole;
      }
      const value = context.publicSettings[name];
      return value === undefined ? whole : String(value);
    });

  const out: Record<string, unknown> = { ...options };
  if (typeof options['url'] === 'string') out['url'] = replace(options['url'], 'url');
  const headers = options['headers'];
  if (typeof headers === 'object' && headers !== null) {
    out['headers'] = Object.fromEntries(
      Object.entries(headers as Record<string, unknown>).map(([k, v]) => [
        k,
        typeof v === 'string' ? replace(v, 'header') : v,
      ]),
    );
  }
  const data = options['data'];
  if (typeof data === 'string') out['data'] = replace(data, 'body');
  else if (typeof data === 'object' && data !== null)
    out['data'] = replaceDeep(data, (s) => replace(s, 'body'));

  if (problems.length > 0)
    return { ok: false, status: 400, message: `Secure request refused: ${problems.join('; ')}.` };
  let host: string;
  try {
    host = new URL(String(out['url'])).hostname;
  } catch {
    return {
      ok: false,
      status: 400,
      message: `Secure request refused: ${JSON.stringify(out['url'])} is not an absolute URL.`,
    };
  }
  if (!isWhitelisted(host, context.domainWhitelist)) {
    return {
      ok: false,
      status: 403,
      message: `Secure request refused: ${host} is not in the app's domainWhitelist (${context.domainWhitelist.join(', ') || 'empty'}).`,
    };
  }
  return { ok: true, options: out };
}

export function isWhitelisted(host: string, whitelist: readonly string[]): boolean {
  const h = host.toLowerCase();
  return whitelist.some((entry) => {
    const e = entry.toLowerCase().trim();
    if (e.startsWith('*.')) return h.endsWith(e.slice(1));
    return h === e;
  });
}

function replaceDeep(value: unknown, replace: (s: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, replace));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, replace)]));
  }
  return value;
}
