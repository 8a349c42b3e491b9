import type { IncomingMessage } from 'node:http';
import { HttpError, badRequest } from './errors.ts';
import type { JsonObject } from './types.ts';
import type { UserRecord } from './types.ts';

export interface RouteContext {
  readonly method: string;
  /** Path without the `.json` suffix. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly user: UserRecord;
  /** Base URL of the emulator, for pagination links. */
  readonly base: string;
  readonly rawPath: string;
}

export interface RouteResult {
  readonly status: number;
  readonly body?: JsonObject;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

export interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
  /** admin: only admins; agent: any agent (default). */
  readonly access: 'agent' | 'admin';
}

export class Router {
  readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, access: 'agent' | 'admin' = 'agent'): void {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((part) => {
        const m = /^\{(\w+)\}$/.exec(part);
        if (m?.[1] === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]);
        return '([^/]+)';
      })
      .join('/');
    // Literal paths (e.g. /organizations/update_many) win over parameterised ones (/organizations/{id}).
    this.routes[names.length === 0 ? 'unshift' : 'push']({
      method,
      pattern,
      regex: new RegExp(`^${source}$`),
      names,
      handler,
      access,
    });
  }

  match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | { allowed: string[] } | null {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (m === null) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(m[index + 1] ?? '');
      });
      return { route, params };
    }
    return allowed.length > 0 ? { allowed } : null;
  }
}

export async function readBody(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new HttpError(413, {
        error: 'RequestTooLarge',
        description: 'The request body is larger than 5 MB',
      });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`, 'InvalidJSON');
  }
}

/** Reads a numeric path or query id; 404 when it is not a number, like Zendesk. */
export function numericId(value: string | undefined | null): number {
  const n = Number(value);
  if (value === undefined || value === null || !/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new HttpError(404, { error: 'RecordNotFound', description: 'Not found' });
  return n;
}

export function requireObject(body: unknown, key: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest(`The body must be a JSON object with a "${key}" object`);
  const value = (body as Record<string, unknown>)[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest(`The body must be a JSON object with a "${key}" object`);
  return value as Record<string, unknown>;
}

export function requireArray(body: unknown, key: string, max: number): Record<string, unknown>[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest(`The body must be a JSON object with a "${key}" array`);
  const value = (body as Record<string, unknown>)[key];
  if (!Array.isArray(value)) throw badRequest(`The body must be a JSON object with a "${key}" array`);
  if (value.length > max)
    throw badRequest(`Too many ${key}: at most ${max} per request, got ${value.length}`, 'TooManyValues');
  if (value.length === 0) throw badRequest(`"${key}" must not be empty`);
  for (const item of value)
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw badRequest(`Each item of "${key}" must be an object`);
  return value as Record<string, unknown>[];
}

export function idList(raw: string | null, max = 100): string[] {
  if (raw === null || raw.trim() === '') return [];
  const ids = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length > max)
    throw badRequest(`Too many ids: at most ${max} per request, got ${ids.length}`, 'TooManyValues');
  return ids;
}

const MAX_PAGE_SIZE = 100;

export interface PageOptions {
  readonly cursor: boolean;
  readonly offset: boolean;
  readonly maxSize?: number;
}

function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify({ k: value })).toString('base64url');
}

function decodeCursor(raw: string): string | number {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string' || typeof parsed.k === 'number') return parsed.k;
  } catch {
    // fall through
  }
  throw badRequest(
    'The cursor is invalid: pass back meta.after_cursor or meta.before_cursor unchanged',
    'InvalidPaginationParameter',
  );
}

/**
 * Cursor pagination (`page[size]`, `page[after]`, `page[before]` → `meta`, `links`) or offset pagination
 * (`page`, `per_page` → `next_page`, `previous_page`, `count`) over items sorted by `id` ascending.
 */
export function paginate<T extends { id: number | string }>(
  ctx: RouteContext,
  items: readonly T[],
  key: string,
  serialise: (item: T) => JsonObject,
  options: PageOptions,
  extra: JsonObject = {},
): JsonObject {
  const q = ctx.query;
  const wantsCursor = q.has('page[size]') || q.has('page[after]') || q.has('page[before]');
  const max = options.maxSize ?? MAX_PAGE_SIZE;
  if ((wantsCursor && options.cursor) || !options.offset) {
    const rawSize = q.get('page[size]');
    const size = rawSize === null ? max : Number(rawSize);
    if (!Number.isInteger(size) || size < 1)
      throw badRequest('page[size] must be a whole number from 1', 'InvalidPaginationParameter');
    if (size > max)
      throw badRequest(
        `page[size] is greater than the maximum allowed (${max})`,
        'InvalidPaginationParameter',
      );
    const after = q.get('page[after]');
    const before = q.get('page[before]');
    let window: readonly T[];
    let hasMore: boolean;
    if (before !== null) {
      const k = decodeCursor(before);
      const earlier = items.filter((item) => compareIds(item.id, k) < 0);
      window = earlier.slice(Math.max(0, earlier.length - size));
      hasMore = earlier.length > size;
    } else {
      const k = after === null ? null : decodeCursor(after);
      const later = k === null ? items : items.filter((item) => compareIds(item.id, k) > 0);
      window = later.slice(0, size);
      hasMore = later.length > size;
    }
    const first = window[0];
    const last = window[window.length - 1];
    const afterCursor = last === undefined ? null : encodeCursor(last.id);
    const beforeCursor = first === undefined ? null : encodeCursor(first.id);
    const link = (param: string, cursor: string): string => {
      const params = new URLSearchParams(q);
      params.delete('page[after]');
      params.delete('page[before]');
      params.set('page[size]', String(size));
      params.set(param, cursor);
      return `${ctx.base}${ctx.rawPath}?${params.toString()}`;
    };
    return {
      [key]: window.map(serialise),
      ...extra,
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
      links: {
        next: hasMore && afterCursor !== null ? link('page[after]', afterCursor) : null,
        prev:
          beforeCursor !== null && (before !== null || after !== null)
            ? link('page[before]', beforeCursor)
            : null,
      },
    };
  }
  const page = Number(q.get('page') ?? '1');
  const perPage = Number(q.get('per_page') ?? String(max));
  if (!Number.isInteger(page) || page < 1)
    throw badRequest('page must be a whole number from 1', 'InvalidPaginationParameter');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > max)
    throw badRequest(`per_page must be a whole number from 1 to ${max}`, 'InvalidPaginationParameter');
  const start = (page - 1) * perPage;
  const window = items.slice(start, start + perPage);
  const link = (n: number): string => {
    const params = new URLSearchParams(q);
    params.set('page', String(n));
    params.set('per_page', String(perPage));
    return `${ctx.base}${ctx.rawPath}?${params.toString()}`;
  };
  return {
    [key]: window.map(serialise),
    ...extra,
    next_page: start + perPage < items.length ? link(page + 1) : null,
    previous_page: page > 1 ? link(page - 1) : null,
    count: items.length,
  };
}

export function compareIds(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function byId<T extends { id: number | string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => compareIds(a.id, b.id));
}
