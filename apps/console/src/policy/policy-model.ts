/**
 * The policy editor's model, without React: the fields of each group (label, meaning, source, unit, input kind),
 * reading and writing a draft at a path, where each validation issue belongs, and the per-field diff between two
 * versions. The editor renders what this module says; the tests check it on the real schema's defaults.
 */
import {
  POLICY_GROUPS,
  type Policy,
  type PolicyInput,
} from '../../../../shared/src/settings/policy-document.ts';
import { SEVERITIES, type LocalizedText } from '../../../../shared/src/domain/vocabulary.ts';
import { PARAMETER_HELP, PARAMETER_LABELS } from '../../../common/src/settings/parameter-labels.ts';
import type { AppLocale } from '../../../common/src/i18n/locale.ts';

export type Path = readonly (string | number)[];
export type Draft = Record<string, unknown>;

/** `rules[0].event.params.force` — the same form as shared/'s `formatIssuePath`. */
export function pathKey(path: Path): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

/** The DOM id of a field's input, from its path (issues link to it). */
export function fieldId(path: Path | string): string {
  const key = typeof path === 'string' ? path : pathKey(path);
  return `policy-field-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function getAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** A copy of `value` with `next` at `path` (copies only the objects on the way). */
export function setAt<T>(value: T, path: Path, next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path;
  const container: Record<string | number, unknown> | unknown[] = Array.isArray(value)
    ? [...(value as unknown[])]
    : { ...(value as Record<string, unknown>) };
  (container as Record<string | number, unknown>)[head!] = setAt(
    (container as Record<string | number, unknown>)[head!],
    rest,
    next,
  );
  return container as T;
}

function snake(segment: string | number): string {
  return String(segment)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export type FieldKind = 'number' | 'text' | 'select';

export interface PolicyField {
  readonly path: Path;
  readonly kind: FieldKind;
  readonly label: string;
  readonly help?: string;
  readonly unit?: string;
  readonly options?: readonly string[];
  /** Where the default comes from (a seed or the calibration), when docs/decision-model.md gives it. */
  readonly source?: string;
}

const SOURCES: Readonly<Record<string, LocalizedText>> = {
  callbackWindowHours: {
    en: 'Source: seed 003 and DOMAIN.md §4 (contact within 24 h / 48 h).',
    fr: 'Source : seed 003 et DOMAIN.md §4 (contact sous 24 h / 48 h).',
  },
  'risk.intercept': {
    en: 'Calibrated: seed 000 (24 % of customers with an incident leave or buy less), DOMAIN.md §3.',
    fr: 'Calibré : seed 000 (24 % des clients ayant eu un incident partent ou achètent moins), DOMAIN.md §3.',
  },
  'risk.effortClass.customer_harder': {
    en: 'Calibrated: seed 001 (customers who worked harder than the company are 4× as likely to leave).',
    fr: 'Calibré : seed 001 (les clients qui ont fourni plus d’effort que l’entreprise partent 4× plus).',
  },
  risk: {
    en: 'A prior, stated as such in docs/decision-model.md §2 (not from the seeds).',
    fr: 'Un a priori, présenté comme tel dans docs/decision-model.md §2 (pas issu des seeds).',
  },
  guardrails: { en: 'DOMAIN.md §4: never violated.', fr: 'DOMAIN.md §4 : jamais enfreints.' },
  effort: {
    en: 'DOMAIN.md §2 and seed 004 (the lexicon).',
    fr: 'DOMAIN.md §2 et seed 004 (le lexique).',
  },
};

function unitOf(key: string, locale: AppLocale): string | undefined {
  const fr = locale === 'fr';
  if (key.startsWith('callbackWindowHours.') || key === 'guardrails.slowHandlingHours') return 'h';
  if (key === 'costs.agentCostPerMinute') return '€/min';
  if (/Minutes$/.test(key)) return 'min';
  if (key === 'capacity.agentMinutesPerDay') return fr ? 'min/jour' : 'min/day';
  if (key.startsWith('valueTiers.') || key.startsWith('priority.')) return '€';
  if (/Days$/.test(key)) return fr ? 'jours' : 'days';
  if (key === 'valueAtRisk.horizonMonths') return fr ? 'mois' : 'months';
  if (
    key.startsWith('effects.') ||
    key === 'valueAtRisk.defaultMarginRate' ||
    key === 'valueAtRisk.pipelineWeight' ||
    key === 'guardrails.maxSpendShareOfValueAtRisk'
  )
    return fr ? 'part 0–1' : 'share 0–1';
  if (key === 'experiment.holdoutPercent') return '%';
  if (key.startsWith('risk.') && !/max|By$/.test(key)) return fr ? 'log-odds' : 'log-odds';
  if (key.startsWith('effort.')) return fr ? 'points CES' : 'CES points';
  return undefined;
}

function helpOf(name: string, index: 0 | 1): string | undefined {
  const prefix = Object.keys(PARAMETER_HELP)
    .filter((p) => name === p || name.startsWith(`${p}_`))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : PARAMETER_HELP[prefix]?.[index];
}

function sourceOf(key: string, locale: AppLocale): string | undefined {
  const prefix = Object.keys(SOURCES)
    .filter((p) => key === p || key.startsWith(`${p}.`))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : SOURCES[prefix]?.[locale];
}

/** Label, meaning and source of a value of the policy (the Zendesk parameter's own texts, en/fr). */
export function describe(
  path: Path,
  locale: AppLocale,
): { label: string; help?: string; source?: string; unit?: string } {
  const index = locale === 'fr' ? 1 : 0;
  const key = pathKey(path);
  const name = path.map(snake).join('_');
  const label = PARAMETER_LABELS[name]?.[index] ?? key;
  const help = helpOf(name, index);
  const source = sourceOf(key, locale);
  const unit = unitOf(key, locale);
  return {
    label,
    ...(help === undefined ? {} : { help }),
    ...(source === undefined ? {} : { source }),
    ...(unit === undefined ? {} : { unit }),
  };
}

/** Units a label may already state in its parentheses ("Callback window: gold (hours)"). */
const STATED_UNITS: Readonly<Record<string, RegExp>> = {
  h: /\((hours|heures)\)/,
  min: /\(minutes\)/,
  months: /\(months\)/,
  mois: /\(mois\)/,
  days: /\(days\)/,
  jours: /\(jours\)/,
  'share 0–1': /\(0[–-]1\)/,
  'part 0–1': /\(0[–-]1\)/,
};

/** The unit to show after a field's label: none when the label already says it. */
export function unitShown(field: { readonly label: string; readonly unit?: string }): string | undefined {
  if (field.unit === undefined) return undefined;
  return STATED_UNITS[field.unit]?.test(field.label) === true ? undefined : field.unit;
}

/**
 * The meaning and source shared by every field of a section (the callback windows all say the same), shown once
 * above them rather than under each; undefined when the fields differ or there is only one.
 */
export function sharedHelp(
  fields: readonly PolicyField[],
): { readonly help?: string; readonly source?: string } | undefined {
  if (fields.length < 2) return undefined;
  const [first] = fields;
  const same = fields.every((f) => f.help === first!.help && f.source === first!.source);
  if (!same || (first!.help === undefined && first!.source === undefined)) return undefined;
  return {
    ...(first!.help === undefined ? {} : { help: first!.help }),
    ...(first!.source === undefined ? {} : { source: first!.source }),
  };
}

/** The sections edited by a dedicated editor rather than as plain fields. */
export const LIST_SECTIONS = new Set(['compensationTiers', 'rules', 'effort.lexicon']);

/** The plain fields of a section (numbers, texts, choices), walked from the draft's current value. */
export function sectionFields(draft: Draft, section: string, locale: AppLocale): PolicyField[] {
  const out: PolicyField[] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    const key = pathKey(path);
    if (LIST_SECTIONS.has(key)) return;
    if (typeof value === 'number' || typeof value === 'string' || value === undefined || value === null) {
      const options = key === 'guardrails.severeFrom' ? SEVERITIES.slice(1) : undefined;
      const kind: FieldKind =
        options !== undefined ? 'select' : typeof value === 'number' ? 'number' : 'text';
      out.push({ path, kind, ...describe(path, locale), ...(options === undefined ? {} : { options }) });
      return;
    }
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [child, v] of Object.entries(value as Record<string, unknown>)) walk(v, [...path, child]);
    }
  };
  walk(draft[section], [section]);
  return out;
}

export const GROUPS = POLICY_GROUPS;

/** The group a path belongs to (by its section), for the problem list's links and the diff. */
export function groupOf(key: string): (typeof POLICY_GROUPS)[number] | undefined {
  const section = key.split(/[.[]/)[0] ?? '';
  return POLICY_GROUPS.find((g) => (g.sections as readonly string[]).includes(section));
}

export interface Issue {
  readonly path: string;
  readonly message: LocalizedText;
}

/**
 * The issues that belong at a field (or at a list/section heading): exact path, or a path inside it when
 * `inside` (a rule collects the issues of its conditions).
 */
export function issuesAt(issues: readonly Issue[], key: string, inside = false): Issue[] {
  return issues.filter(
    (i) => i.path === key || (inside && (i.path.startsWith(`${key}.`) || i.path.startsWith(`${key}[`))),
  );
}

/** The DOM id a problem links to: its own field when it has one, else the nearest enclosing one that exists. */
export function anchorOf(key: string, exists: (id: string) => boolean): string {
  let current = key;
  for (;;) {
    if (exists(fieldId(current))) return fieldId(current);
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    if (cut <= 0) return `policy-group-${groupOf(key)?.id ?? 'top'}`;
    current = current.slice(0, cut);
  }
}

export interface DiffEntry {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

const META = new Set(['format', 'version', 'savedAt', 'savedBy', 'reason']);

/** Every leaf that differs between two policies (lists of rules/tiers compared per item), grouped by group. */
export function diffPolicies(
  before: Policy | PolicyInput,
  after: Policy | PolicyInput,
): { group: (typeof POLICY_GROUPS)[number]; entries: DiffEntry[] }[] {
  const entries: DiffEntry[] = [];
  const walk = (a: unknown, b: unknown, path: (string | number)[]) => {
    const bothObjects =
      typeof a === 'object' &&
      a !== null &&
      typeof b === 'object' &&
      b !== null &&
      Array.isArray(a) === Array.isArray(b);
    if (bothObjects && !Array.isArray(a)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of keys)
        walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k]);
      return;
    }
    if (bothObjects && Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) {
        if (JSON.stringify(a[i]) !== JSON.stringify(b[i]))
          entries.push({ path: pathKey([...path, i]), before: a[i], after: b[i] });
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) entries.push({ path: pathKey(path), before: a, after: b });
  };
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (META.has(key)) continue;
    walk((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], [key]);
  }
  return POLICY_GROUPS.map((group) => ({
    group,
    entries: entries.filter((e) => groupOf(e.path)?.id === group.id),
  })).filter((g) => g.entries.length > 0);
}

/** A draft value as an input shows it ('' for nothing; objects as JSON, never "[object Object]"). */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** A value as the diff and the history show it. */
export function show(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'name' in value && 'event' in value)
    return `“${String((value as { name: unknown }).name)}”`;
  return JSON.stringify(value);
}

/** The document to save: the draft's sections with the next version's metadata. */
export function nextVersion(
  draft: Draft,
  current: { version: number } | null,
  who: { id: number; name: string },
  reason: string,
  now: Date,
): Draft {
  return {
    ...draft,
    format: 1,
    version: (current?.version ?? 0) + 1,
    savedAt: now.toISOString(),
    savedBy: { id: who.id, name: who.name },
    reason: reason.trim(),
  };
}
