import { readFileSync } from 'node:fs';

/**
 * The connector's configuration comes from environment variables (and an optional `.env` file).
 * Each feature declares a *section*: the keys it reads, how each is parsed, and a description used for the
 * docs and for error messages. `loadConfig` parses every section at once and reports every bad key together.
 *
 * Adding keys for another feature (e.g. the automation service) is one new section object; nothing here
 * changes.
 */

/** How one environment variable is read. `parse` throws an Error whose message says what is wrong. */
export interface KeySpec<T> {
  readonly description: string;
  /** Used when the variable is absent or empty. Absent + no default + required → error. */
  readonly default?: T;
  readonly required?: boolean;
  /** Shown in `.env.example` and error messages. */
  readonly example?: string;
  /** Keys that must never be printed (tokens, keys, passwords). */
  readonly secret?: boolean;
  readonly parse: (raw: string) => T;
}

export type SectionKeys = Readonly<Record<string, KeySpec<unknown>>>;

type ValueOf<S extends KeySpec<unknown>> = S extends KeySpec<infer T> ? T : never;
/** Required keys and keys with a default are always defined; others may be undefined. */
export type SectionValues<K extends SectionKeys> = {
  readonly [P in keyof K]: K[P] extends { required: true } | { default: unknown }
    ? ValueOf<K[P]>
    : ValueOf<K[P]> | undefined;
};

export interface ConfigSection<K extends SectionKeys, T> {
  /** Short name, e.g. "sync". */
  readonly name: string;
  readonly keys: K;
  /**
   * Cross-key checks and shaping once each key parsed. Return problems as `[KEY, message]` pairs;
   * they are reported together with per-key errors.
   */
  readonly build: (
    values: SectionValues<K>,
  ) => { value: T } | { problems: readonly (readonly [string, string])[] };
}

export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(
      `Bad configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.key}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Any section, whatever its keys (what `loadConfig` accepts). */
export interface AnyConfigSection {
  readonly name: string;
  readonly keys: SectionKeys;
  readonly build: (
    values: never,
  ) => { value: unknown } | { problems: readonly (readonly [string, string])[] };
}

type BuiltValue<R> = R extends { value: infer T } ? T : never;
// Mapped over a record of sections, give back their built values.
type Built<S> = {
  readonly [P in keyof S]: S[P] extends { build: (values: never) => infer R } ? BuiltValue<R> : never;
};

/** Parses every section; throws one ConfigError listing every bad key of every section. */
export function loadConfig<S extends Readonly<Record<string, AnyConfigSection>>>(
  sections: S,
  env: Env,
): Built<S> {
  const problems: ConfigProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const [id, section] of Object.entries(sections)) {
    const values: Record<string, unknown> = {};
    let sectionOk = true;
    for (const [key, spec] of Object.entries(section.keys)) {
      const raw = env[key]?.trim();
      if (raw === undefined || raw === '') {
        if (spec.default !== undefined) values[key] = spec.default;
        else if (spec.required === true) {
          problems.push({ key, message: `is required: ${spec.description}${hint(spec)}` });
          sectionOk = false;
        } else values[key] = undefined;
        continue;
      }
      try {
        values[key] = spec.parse(raw);
      } catch (error) {
        const shown = spec.secret === true ? '' : ` (got "${raw}")`;
        problems.push({ key, message: `${(error as Error).message}${shown}${hint(spec)}` });
        sectionOk = false;
      }
    }
    if (!sectionOk) continue;
    const built = section.build(values as never);
    if ('problems' in built) {
      for (const [key, message] of built.problems) problems.push({ key, message });
    } else out[id] = built.value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Built<S>;
}

function hint(spec: KeySpec<unknown>): string {
  return spec.example === undefined ? '' : `; for example ${spec.example}`;
}

/**
 * Reads a `.env` file: `KEY=value` lines, `#` comments, optional `export `, single or double quotes.
 * Returns an empty object when the file does not exist. Variables already in the environment win.
 */
export function readDotEnv(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseDotEnv(text);
}

export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) throw new Error(`.env line ${index + 1} is not KEY=value: "${rawLine}"`);
    const key = match[1] ?? '';
    const rest = match[2] ?? '';
    let value = rest;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      const comment = value.search(/\s#/);
      if (comment >= 0) value = value.slice(0, comment).trimEnd();
    }
    out[key] = value;
  }
  return out;
}

/** The process environment overlaid on the `.env` file of `cwd` (the environment wins). */
export function environmentWithDotEnv(env: Env, dotEnvPath: string): Env {
  return { ...readDotEnv(dotEnvPath), ...env };
}

// ---- parsers shared by sections -------------------------------------------------------------------------

export const parsers = {
  string: (raw: string): string => raw,
  url: (raw: string): string => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error('is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('must be an http(s) URL');
    return raw.replace(/\/+$/, '');
  },
  integer:
    (min: number, max: number) =>
    (raw: string): number => {
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max)
        throw new Error(`must be a whole number from ${min} to ${max}`);
      return value;
    },
  number:
    (min: number, max: number) =>
    (raw: string): number => {
      const value = Number(raw);
      if (!Number.isFinite(value) || value < min || value > max)
        throw new Error(`must be a number from ${min} to ${max}`);
      return value;
    },
  boolean: (raw: string): boolean => {
    const lower = raw.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
    if (['0', 'false', 'no', 'off'].includes(lower)) return false;
    throw new Error('must be true or false');
  },
  oneOf:
    <T extends string>(choices: readonly T[]) =>
    (raw: string): T => {
      if (!(choices as readonly string[]).includes(raw))
        throw new Error(`must be one of ${choices.join(', ')}`);
      return raw as T;
    },
  /** Durations: `90s`, `10m`, `2h`, `1d`, or plain milliseconds. */
  duration: (raw: string): number => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(raw);
    if (match === null) throw new Error('must be a duration such as 30s, 10m, 2h or 1d');
    const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
    return Math.round(Number(match[1]) * factor);
  },
  list: (raw: string): string[] =>
    raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
} as const;
