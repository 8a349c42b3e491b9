import type { z } from 'zod';
import { formatIssuePath } from '../domain/issue-path.ts';
import type { LocalizedText } from '../domain/vocabulary.ts';
import { settingsSchema } from './settings-schema.ts';
import type { Settings } from './settings-schema.ts';

/**
 * The hidden app parameter holding the policy document (JSON text), written by the console with the admin's
 * session; see docs/admin.md. `parseSettings` leaves it to `resolveSettings`.
 */
export const POLICY_PARAMETER = 'policy';

export interface SettingsIssue {
  /** Where the problem is, e.g. `costs.callbackMinutes` or `rules[2].conditions.all[0].operator`. */
  readonly path: string;
  /** The Zendesk app parameter holding that value, when there is one (e.g. `costs_callback_minutes`). */
  readonly parameter?: string;
  readonly message: LocalizedText;
}

export type ParseSettingsResult =
  | { readonly success: true; readonly data: Settings; readonly issues?: never }
  | { readonly success: false; readonly issues: readonly SettingsIssue[]; readonly data?: never };

export type SettingsParameterKind = 'number' | 'text' | 'json' | 'lexicon';

/** One Zendesk app parameter (manifest `parameters`) and the setting it fills. */
export interface SettingsParameter {
  readonly name: string;
  readonly path: readonly string[];
  readonly kind: SettingsParameterKind;
  /** The default, as Zendesk would send it (JSON text for lists). */
  readonly default: string | number;
}

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** Parameters whose value is a list; an admin writes them as JSON text in a multiline field. */
const LIST_KINDS: Readonly<Record<string, SettingsParameterKind>> = {
  compensationTiers: 'json',
  rules: 'json',
  'effort.lexicon': 'lexicon',
};

function toSnakeCase(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function listParameters(value: unknown, path: string[], into: SettingsParameter[]): void {
  const dotted = path.join('.');
  const listKind = LIST_KINDS[dotted];
  const name = path.map(toSnakeCase).join('_');
  if (listKind !== undefined) {
    const text =
      listKind === 'lexicon'
        ? ''
        : JSON.stringify(value, null, value === DEFAULT_SETTINGS.rules ? undefined : 2);
    into.push({ name, path, kind: listKind, default: text });
  } else if (typeof value === 'number') {
    into.push({ name, path, kind: 'number', default: value });
  } else if (typeof value === 'string') {
    into.push({ name, path, kind: 'text', default: value });
  } else {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      listParameters(child, [...path, key], into);
    }
  }
}

/**
 * Every setting as a flat Zendesk app parameter: `costs.callbackMinutes` is `costs_callback_minutes`. Lists
 * (rules, compensation tiers) are JSON text; the lexicon is one phrase per line, optionally `phrase = weight`.
 */
export const SETTINGS_PARAMETERS: readonly SettingsParameter[] = (() => {
  const parameters: SettingsParameter[] = [];
  listParameters(DEFAULT_SETTINGS, [], parameters);
  return parameters;
})();

const PARAMETER_BY_NAME = new Map(SETTINGS_PARAMETERS.map((parameter) => [parameter.name, parameter]));
/**
 * Keys of an installation's settings that are not flat settings: Zendesk's `title` (ZAF metadata) and `name` (the
 * Apps installation API; no manifest parameter may be called `name`), and the policy, read by `resolveSettings`.
 */
const IGNORED_KEYS = new Set(['title', 'name', POLICY_PARAMETER]);

type Mutable = Record<string, unknown>;

function setAt(target: Mutable, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== 'object' || child === null || Array.isArray(child)) node[key] = {};
    node = node[key] as Mutable;
  }
  node[path[path.length - 1] as string] = value;
}

function parseLexiconText(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = /^(.*?)\s*=\s*(-?\d+(?:\.\d+)?)$/.exec(line);
      return match === null ? { phrase: line } : { phrase: match[1], weight: Number(match[2]) };
    });
}

/** Turns a flat parameter's value (as Zendesk sends it: often a string) into the setting's value. */
function coerceParameter(
  parameter: SettingsParameter,
  value: unknown,
  issues: SettingsIssue[],
): { readonly set: boolean; readonly value?: unknown } {
  if (typeof value !== 'string') return { set: true, value };
  const text = value.trim();
  if (text === '') return { set: false };
  const fail = (en: string, fr: string) => {
    issues.push({ path: formatIssuePath(parameter.path), parameter: parameter.name, message: { en, fr } });
    return { set: false };
  };
  switch (parameter.kind) {
    case 'number': {
      const number = Number(text.replace(',', '.'));
      return Number.isFinite(number)
        ? { set: true, value: number }
        : fail(
            `"${value}" is not a number: write digits, e.g. ${String(parameter.default)}.`,
            `« ${value} » n'est pas un nombre : écrivez des chiffres, par exemple ${String(parameter.default)}.`,
          );
    }
    case 'text':
      return { set: true, value: text };
    case 'lexicon':
    case 'json':
      // A lexicon is one phrase per line, or JSON like the other lists.
      if (parameter.kind === 'lexicon' && !text.startsWith('[')) {
        return { set: true, value: parseLexiconText(text) };
      }
      try {
        return { set: true, value: JSON.parse(text) as unknown };
      } catch (error) {
        const reason = (error as Error).message;
        return fail(
          `This is not valid JSON (${reason}). Check quotes, commas and brackets; a list starts with "[".`,
          `Ce n'est pas du JSON valide (${reason}). Vérifiez guillemets, virgules et crochets ; une liste commence par « [ ».`,
        );
      }
  }
}

const TYPE_NAMES: Readonly<Record<string, LocalizedText>> = {
  number: { en: 'a number', fr: 'un nombre' },
  int: { en: 'a whole number', fr: 'un nombre entier' },
  string: { en: 'a text', fr: 'un texte' },
  boolean: { en: 'true or false', fr: 'true ou false' },
  object: { en: 'an object ({…})', fr: 'un objet ({…})' },
  array: { en: 'a list ([…])', fr: 'une liste ([…])' },
};

/** French for the English messages given to zod checks in the schemas. */
const FRENCH: Readonly<Record<string, string>> = {
  'Tags start with "boucle_" and use lowercase letters, digits and "_" only, e.g. "boucle_vip".':
    'Les tags commencent par « boucle_ » et n’utilisent que minuscules, chiffres et « _ », par exemple « boucle_vip ».',
  'A tier id uses lowercase letters, digits and "_" only, e.g. "goodwill_small".':
    'Un identifiant de palier n’utilise que minuscules, chiffres et « _ », par exemple « goodwill_small ».',
  'A field id is digits only.': 'Un identifiant de champ ne contient que des chiffres.',
};

function describeIssue(issue: z.core.$ZodIssue): LocalizedText {
  switch (issue.code) {
    case 'custom': {
      const fr = (issue.params as { fr?: string } | undefined)?.fr;
      return { en: issue.message, fr: fr ?? issue.message };
    }
    case 'invalid_type': {
      const type = TYPE_NAMES[issue.expected] ?? { en: issue.expected, fr: issue.expected };
      return { en: `Give ${type.en} here.`, fr: `Donnez ${type.fr} ici.` };
    }
    case 'too_small':
    case 'too_big': {
      const bound = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const inclusive = issue.inclusive !== false;
      const small = issue.code === 'too_small';
      if (issue.origin === 'array') {
        return small
          ? { en: `Give at least ${bound} item(s).`, fr: `Donnez au moins ${bound} élément(s).` }
          : { en: `Give at most ${bound} item(s).`, fr: `Donnez au plus ${bound} élément(s).` };
      }
      if (issue.origin === 'string') {
        return small
          ? { en: `Write at least ${bound} character(s).`, fr: `Écrivez au moins ${bound} caractère(s).` }
          : { en: `Write at most ${bound} character(s).`, fr: `Écrivez au plus ${bound} caractère(s).` };
      }
      const en = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
      const fr = small ? (inclusive ? 'au moins' : 'plus que') : inclusive ? 'au plus' : 'moins que';
      return { en: `Give a number ${en} ${bound}.`, fr: `Donnez un nombre ${fr} ${bound}.` };
    }
    case 'invalid_value': {
      const values = issue.values.map((value) => JSON.stringify(value)).join(', ');
      return { en: `Use one of: ${values}.`, fr: `Utilisez l'une de ces valeurs : ${values}.` };
    }
    case 'invalid_format':
      return issue.format === 'url'
        ? {
            en: 'Give a full URL starting with https:// (or leave it empty).',
            fr: 'Donnez une URL complète commençant par https:// (ou laissez vide).',
          }
        : { en: issue.message, fr: FRENCH[issue.message] ?? issue.message };
    case 'invalid_union':
    case 'invalid_element':
    case 'invalid_key':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return { en: issue.message, fr: `Valeur invalide : ${issue.message}` };
  }
}

function findParameter(path: readonly PropertyKey[]): string | undefined {
  for (let length = path.length; length > 0; length -= 1) {
    const name = path
      .slice(0, length)
      .map((key) => toSnakeCase(String(key)))
      .join('_');
    const parameter = PARAMETER_BY_NAME.get(name);
    if (parameter !== undefined && parameter.path.length === length) return parameter.name;
  }
  return undefined;
}

/**
 * A schema's issues as Boucle reports them: a path, what to do in English and French and, when `parameters` is
 * set (the flat settings), the Zendesk app parameter holding the value.
 */
export function toSettingsIssues(
  issues: readonly z.core.$ZodIssue[],
  options: { readonly parameters: boolean },
): SettingsIssue[] {
  return issues.flatMap((issue) => toIssues(issue, options.parameters));
}

function toIssues(issue: z.core.$ZodIssue, withParameter: boolean): SettingsIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return {
        path: formatIssuePath(path),
        message: {
          en: `Unknown setting "${key}": remove it or check its spelling.`,
          fr: `Réglage inconnu « ${key} » : supprimez-le ou vérifiez son orthographe.`,
        },
      };
    });
  }
  const parameter = withParameter ? findParameter(issue.path) : undefined;
  return [
    {
      path: formatIssuePath(issue.path),
      ...(parameter === undefined ? {} : { parameter }),
      message: describeIssue(issue),
    },
  ];
}

/**
 * Reads Boucle's settings from either a nested object (`{ costs: { callbackMinutes: 20 } }`) or the flat
 * parameters of the Zendesk app (`{ costs_callback_minutes: "20", rules: "[…]" }`), or both. Everything has a
 * default. Never throws: on failure, lists every bad path with what to do, in English and French.
 */
export function parseSettings(raw: unknown): ParseSettingsResult {
  if (raw === undefined || raw === null) return { success: true, data: DEFAULT_SETTINGS };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      success: false,
      issues: [
        {
          path: '',
          message: {
            en: 'Settings must be an object of named values, e.g. {"costs_callback_minutes": "20"}.',
            fr: 'Les réglages sont un objet de valeurs nommées, par exemple {"costs_callback_minutes": "20"}.',
          },
        },
      ],
    };
  }
  const issues: SettingsIssue[] = [];
  const nested: Mutable = {};
  const flat: [SettingsParameter, unknown][] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const parameter = PARAMETER_BY_NAME.get(key);
    if (IGNORED_KEYS.has(key) || value === undefined) continue;
    if (parameter !== undefined && (parameter.path.length > 1 || typeof value === 'string')) {
      flat.push([parameter, value]);
    } else {
      nested[key] = value;
    }
  }
  for (const [parameter, value] of flat) {
    const coerced = coerceParameter(parameter, value, issues);
    if (coerced.set) setAt(nested, parameter.path, coerced.value);
  }
  const result = settingsSchema.safeParse(nested);
  if (!result.success) issues.push(...toSettingsIssues(result.error.issues, { parameters: true }));
  if (issues.length > 0 || !result.success) return { success: false, issues };
  return { success: true, data: result.data };
}
